/**
 * Kubernetes name and label syntax (apimachinery validation): DNS-1123 labels and subdomains,
 * label keys and values, IANA service names for named ports.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const IANA_SVC_NAME = /^[-a-z0-9]+$/;

/** Returns why `value` is not a DNS-1123 label (namespace names), or undefined when it is one. */
export function dns1123LabelProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 63) return `'${value}' is ${value.length} characters long; at most 63 are allowed`;
  if (!DNS1123_LABEL.test(value)) {
    return `'${value}' is not a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit)`;
  }
  return undefined;
}

/** Returns why `value` is not a DNS-1123 subdomain (object names), or undefined when it is one. */
export function dns1123SubdomainProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 253) return `'${value}' is ${value.length} characters long; at most 253 are allowed`;
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return `'${value}' is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.')`;
  }
  return undefined;
}

/** Returns why `key` is not a valid label key (`[prefix/]name`), or undefined when it is one. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return `label key '${key}' has more than one '/'`;
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0) return `label key '${key}' has an empty prefix before '/'`;
    const prefixProblem = dns1123SubdomainProblem(prefix);
    if (prefixProblem) return `label key prefix of '${key}' is invalid: ${prefixProblem}`;
  }
  if (name.length === 0) return `label key '${key}' has an empty name`;
  if (name.length > 63) return `label key name '${name}' is ${name.length} characters long; at most 63 are allowed`;
  if (!QUALIFIED_NAME.test(name)) {
    return `label key '${key}' is invalid (alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric)`;
  }
  return undefined;
}

/** Returns why `value` is not a valid label value, or undefined when it is one (the empty value is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value.length === 0) return undefined;
  if (value.length > 63) return `label value '${value}' is ${value.length} characters long; at most 63 are allowed`;
  if (!QUALIFIED_NAME.test(value)) {
    return `label value '${value}' is invalid (alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric)`;
  }
  return undefined;
}

/** Returns why `name` is not a valid named port (IANA service name), or undefined when it is one. */
export function portNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 15) return `port name '${name}' must be 1 to 15 characters long`;
  if (!IANA_SVC_NAME.test(name)) return `port name '${name}' may contain only lowercase letters, digits and '-'`;
  if (!/[a-z]/.test(name)) return `port name '${name}' must contain at least one letter`;
  if (name.startsWith('-') || name.endsWith('-')) return `port name '${name}' must not start or end with '-'`;
  if (name.includes('--')) return `port name '${name}' must not contain '--'`;
  return undefined;
}
