/**
 * The Kubernetes name and label syntax that the API server enforces (apimachinery
 * `pkg/util/validation/validation.go`: IsDNS1123Label, IsDNS1123Subdomain, IsQualifiedName,
 * IsValidLabelValue, IsValidPortName, IsValidPortNum). One set of rules for the model and the analyzer.
 *
 * Each check returns a structured problem rather than a sentence: the constructs quote the value in
 * their errors, the analyzer reports it beside the field, and both phrase the same rule their own way.
 */

export type SyntaxProblem =
  | { readonly kind: 'empty' }
  | { readonly kind: 'too-long'; readonly length: number; readonly max: number }
  /** Characters outside the rule's alphabet, or a bad first or last character. */
  | { readonly kind: 'characters' }
  /** A label key with more than one `/`. */
  | { readonly kind: 'slashes' }
  /** A label key with `/` and nothing before it. */
  | { readonly kind: 'empty-prefix' }
  /** A label key whose prefix is not a DNS-1123 subdomain. */
  | { readonly kind: 'prefix'; readonly prefix: string; readonly problem: SyntaxProblem }
  /** A label key with nothing after its `/`. */
  | { readonly kind: 'empty-name' }
  /** A label key whose name part is longer than `max`. */
  | { readonly kind: 'name-too-long'; readonly name: string; readonly length: number; readonly max: number }
  /** A port name of digits and dashes only. */
  | { readonly kind: 'no-letter' }
  /** A port name that starts or ends with `-`. */
  | { readonly kind: 'dash-at-edge' }
  /** A port name with `--`. */
  | { readonly kind: 'double-dash' };

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;
export const LABEL_NAME_MAX = 63;
export const PORT_NAME_MAX = 15;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const IANA_SERVICE_NAME = /^[-a-z0-9]+$/;

function checked(value: string, max: number, pattern: RegExp): SyntaxProblem | undefined {
  if (value.length === 0) return { kind: 'empty' };
  if (value.length > max) return { kind: 'too-long', length: value.length, max };
  return pattern.test(value) ? undefined : { kind: 'characters' };
}

/** Namespace names. */
export function checkDns1123Label(value: string): SyntaxProblem | undefined {
  return checked(value, DNS1123_LABEL_MAX, DNS1123_LABEL);
}

/** Object names (NetworkPolicy and most kinds) and label key prefixes. */
export function checkDns1123Subdomain(value: string): SyntaxProblem | undefined {
  return checked(value, DNS1123_SUBDOMAIN_MAX, DNS1123_SUBDOMAIN);
}

/** `[prefix/]name`: the prefix a DNS-1123 subdomain, the name a qualified name of at most 63 characters. */
export function checkLabelKey(key: string): SyntaxProblem | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return { kind: 'slashes' };
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0) return { kind: 'empty-prefix' };
    const problem = checkDns1123Subdomain(prefix);
    if (problem) return { kind: 'prefix', prefix, problem };
  }
  const name = parts[parts.length - 1];
  if (name.length === 0) return { kind: 'empty-name' };
  if (name.length > LABEL_NAME_MAX) return { kind: 'name-too-long', name, length: name.length, max: LABEL_NAME_MAX };
  return QUALIFIED_NAME.test(name) ? undefined : { kind: 'characters' };
}

/** Empty, or a qualified name of at most 63 characters. */
export function checkLabelValue(value: string): SyntaxProblem | undefined {
  if (value.length === 0) return undefined;
  if (value.length > LABEL_NAME_MAX) return { kind: 'too-long', length: value.length, max: LABEL_NAME_MAX };
  return QUALIFIED_NAME.test(value) ? undefined : { kind: 'characters' };
}

/** Named ports: IANA service names (RFC 6335 section 5.1). */
export function checkPortName(name: string): SyntaxProblem | undefined {
  if (name.length === 0) return { kind: 'empty' };
  if (name.length > PORT_NAME_MAX) return { kind: 'too-long', length: name.length, max: PORT_NAME_MAX };
  if (!IANA_SERVICE_NAME.test(name)) return { kind: 'characters' };
  if (!/[a-z]/.test(name)) return { kind: 'no-letter' };
  if (name.startsWith('-') || name.endsWith('-')) return { kind: 'dash-at-edge' };
  if (name.includes('--')) return { kind: 'double-dash' };
  return undefined;
}

export const PORT_MIN = 1;
export const PORT_MAX = 65535;

/** An integer from 1 to 65535. */
export function isValidPortNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= PORT_MIN && value <= PORT_MAX;
}
