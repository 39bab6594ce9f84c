/**
 * Kubernetes name and label syntax, phrased for construct errors (the value is quoted). The rules
 * themselves are the shared ones in `vocabulary/syntax`.
 */
import { describeValue, typeOfValue } from './values';
import {
  checkDns1123Label,
  checkDns1123Subdomain,
  checkLabelKey,
  checkLabelValue,
  checkPortName,
  SyntaxProblem,
} from '../vocabulary/syntax';

function tooLong(value: string, length: number, max: number): string {
  return `'${value}' is ${length} characters long; at most ${max} are allowed`;
}

/** A name given by a JavaScript caller (or untyped data) may be anything: it must be a string first. */
function notAString(value: unknown): string | undefined {
  if (typeof value === 'string') return undefined;
  const shown = typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? ` ${describeValue(value)}` : '';
  return `must be a string, got ${typeOfValue(value)}${shown}`;
}

function nameProblem(value: string, problem: SyntaxProblem | undefined, description: string): string | undefined {
  if (!problem) return undefined;
  if (problem.kind === 'empty') return 'must not be empty';
  if (problem.kind === 'too-long') return tooLong(value, problem.length, problem.max);
  return `'${value}' is not a ${description}`;
}

/** Returns why `value` is not a DNS-1123 label (namespace names), or undefined when it is one. */
export function dns1123LabelProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return notAString(value);
  return nameProblem(value, checkDns1123Label(value), "DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit)");
}

/** Returns why `value` is not a DNS-1123 subdomain (object names), or undefined when it is one. */
export function dns1123SubdomainProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return notAString(value);
  return nameProblem(value, checkDns1123Subdomain(value), "DNS-1123 subdomain (lowercase letters, digits, '-' and '.')");
}

const QUALIFIED_NAME_RULE = "(alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric)";

/** Returns why `key` is not a valid label key (`[prefix/]name`), or undefined when it is one. */
export function labelKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return `label key ${notAString(key)}`;
  const problem = checkLabelKey(key);
  if (!problem) return undefined;
  switch (problem.kind) {
    case 'slashes':
      return `label key '${key}' has more than one '/'`;
    case 'empty-prefix':
      return `label key '${key}' has an empty prefix before '/'`;
    case 'prefix':
      return `label key prefix of '${key}' is invalid: ${dns1123SubdomainProblem(problem.prefix)}`;
    case 'empty-name':
      return `label key '${key}' has an empty name`;
    case 'name-too-long':
      return `label key name ${tooLong(problem.name, problem.length, problem.max)}`;
    default:
      return `label key '${key}' is invalid ${QUALIFIED_NAME_RULE}`;
  }
}

/** Returns why `value` is not a valid label value, or undefined when it is one (the empty value is valid). */
export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `label value ${notAString(value)}`;
  const problem = checkLabelValue(value);
  if (!problem) return undefined;
  if (problem.kind === 'too-long') return `label value ${tooLong(value, problem.length, problem.max)}`;
  return `label value '${value}' is invalid ${QUALIFIED_NAME_RULE}`;
}

/** Returns why `name` is not a valid named port (IANA service name), or undefined when it is one. */
export function portNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `port name ${notAString(name)}`;
  const problem = checkPortName(name);
  if (!problem) return undefined;
  switch (problem.kind) {
    case 'characters':
      return `port name '${name}' may contain only lowercase letters, digits and '-'`;
    case 'no-letter':
      return `port name '${name}' must contain at least one letter`;
    case 'dash-at-edge':
      return `port name '${name}' must not start or end with '-'`;
    case 'double-dash':
      return `port name '${name}' must not contain '--'`;
    default:
      return `port name '${name}' must be 1 to 15 characters long`;
  }
}
