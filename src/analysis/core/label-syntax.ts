/**
 * Name and label syntax the API server enforces, phrased as the analyzer reports it beside the field.
 * The rules themselves are the shared ones in `vocabulary/syntax` (apimachinery validation). Each check
 * returns the reason the value is invalid, or undefined when it is valid.
 */
import {
  checkDns1123Label,
  checkDns1123Subdomain,
  checkLabelKey,
  checkLabelValue,
  checkPortName,
  SyntaxProblem,
} from '../../vocabulary/syntax';

export { isValidPortNumber } from '../../vocabulary/syntax';

function nameProblem(problem: SyntaxProblem | undefined, rule: string): string | undefined {
  if (!problem) return undefined;
  if (problem.kind === 'empty') return 'must not be empty';
  if (problem.kind === 'too-long') return `must be no more than ${problem.max} characters`;
  return `must be a lowercase RFC 1123 ${rule}`;
}

export function dns1123SubdomainProblem(value: string): string | undefined {
  return nameProblem(checkDns1123Subdomain(value), "subdomain: lowercase alphanumerics, '-' or '.', starting and ending with an alphanumeric");
}

export function dns1123LabelProblem(value: string): string | undefined {
  return nameProblem(checkDns1123Label(value), "label: lowercase alphanumerics or '-', starting and ending with an alphanumeric");
}

const QUALIFIED_NAME_RULE = "alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";

export function labelKeyProblem(key: string): string | undefined {
  const problem = checkLabelKey(key);
  if (!problem) return undefined;
  switch (problem.kind) {
    case 'slashes':
      return "a label key may contain at most one '/'";
    case 'empty-prefix':
      return "the prefix before '/' must not be empty";
    case 'prefix':
      return `prefix "${problem.prefix}" ${dns1123SubdomainProblem(problem.prefix)}`;
    case 'empty-name':
      return 'the name part must not be empty';
    case 'name-too-long':
      return `the name part must be no more than ${problem.max} characters`;
    default:
      return `the name part must consist of ${QUALIFIED_NAME_RULE}`;
  }
}

export function labelValueProblem(value: string): string | undefined {
  const problem = checkLabelValue(value);
  if (!problem) return undefined;
  if (problem.kind === 'too-long') return `must be no more than ${problem.max} characters`;
  return `must be empty or consist of ${QUALIFIED_NAME_RULE}`;
}

/** IANA service-name rules used for named ports (RFC 6335 section 5.1). */
export function portNameProblem(name: string): string | undefined {
  const problem = checkPortName(name);
  if (!problem) return undefined;
  switch (problem.kind) {
    case 'characters':
      return "must contain only lowercase alphanumerics and '-'";
    case 'no-letter':
      return 'must contain at least one letter';
    case 'dash-at-edge':
      return "must not begin or end with '-'";
    case 'double-dash':
      return "must not contain '--'";
    default:
      return 'must be 1 to 15 characters';
  }
}
