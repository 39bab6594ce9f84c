/**
 * DNS names as peers: exact names (`api.github.com`) and one-label wildcards (`*.s3.amazonaws.com`).
 *
 * Names follow the RFC 1123 host name syntax: labels of 1-63 lowercase letters, digits and '-', not
 * starting or ending with '-', at most 253 characters in all. A pattern is `*.` followed by such a
 * name; its `*` stands for exactly one label, as in Cilium's `matchPattern`, where `*` matches any
 * run of DNS characters except '.' (https://docs.cilium.io/en/stable/security/policy/language/#dns-based).
 * Nothing else is accepted: no `*` elsewhere, no `**.`, no trailing dot, no upper case.
 */
import { describeValue } from './values';

/** An exact name, or a pattern whose leading `*.` stands for one label. */
export interface FqdnMatch {
  readonly match: 'name' | 'pattern';
  /** The name, or the pattern with its leading `*.`. */
  readonly value: string;
}

const MAX_NAME = 253;
const MAX_LABEL = 63;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A problem with a DNS name of a peer, phrased for an issue: what is wrong and how to fix it. */
export interface FqdnProblem {
  readonly message: string;
  readonly fix: string;
}

/** Why `value` is not an exact DNS name for `Peer.fqdn`, or undefined. */
export function fqdnNameProblem(value: unknown): FqdnProblem | undefined {
  if (typeof value !== 'string') return { message: `${describeValue(value)} is not a DNS name`, fix: "give the name as a string, e.g. Peer.fqdn('api.github.com')" };
  if (value.includes('*')) {
    return { message: `'${value}' contains '*'`, fix: `use Peer.fqdnPattern('${value}') for a pattern, whose leading '*.' stands for one label` };
  }
  return nameProblem(value, value, 'Peer.fqdn');
}

/** Why `value` is not a pattern for `Peer.fqdnPattern`, or undefined. */
export function fqdnPatternProblem(value: unknown): FqdnProblem | undefined {
  if (typeof value !== 'string') return { message: `${describeValue(value)} is not a DNS name pattern`, fix: "give the pattern as a string, e.g. Peer.fqdnPattern('*.s3.amazonaws.com')" };
  if (value.startsWith('**.')) {
    return {
      message: `'${value}' starts with '**.', which would match any number of labels`,
      fix: `write one pattern per level, e.g. Peer.fqdnPattern('${value.slice(1)}'): a leading '*.' stands for exactly one label`,
    };
  }
  if (!value.startsWith('*.')) {
    return value.includes('*')
      ? { message: `'${value}' has a '*' that is not a leading '*.'`, fix: "only a leading '*.' is supported, standing for one whole label, e.g. '*.example.com'" }
      : { message: `'${value}' has no leading '*.'`, fix: `use Peer.fqdn('${value}') for an exact name` };
  }
  const rest = value.slice(2);
  if (rest.includes('*')) {
    return { message: `'${value}' has a '*' that is not a leading '*.'`, fix: "only a leading '*.' is supported, standing for one whole label, e.g. '*.example.com'" };
  }
  return nameProblem(rest, value, 'Peer.fqdnPattern', 2);
}

/** `shown` is the whole value as given; `name` the part after any `*.`; `reserved` the characters before it. */
function nameProblem(name: string, shown: string, factory: string, reserved = 0): FqdnProblem | undefined {
  if (name === '') return { message: 'the DNS name is empty', fix: `give a fully qualified name, e.g. ${factory}('${reserved ? '*.' : ''}example.com')` };
  if (name.endsWith('.')) {
    return { message: `'${shown}' ends with '.'`, fix: `write it without the trailing dot: ${factory}('${shown.slice(0, -1)}')` };
  }
  if (name !== name.toLowerCase()) {
    return { message: `'${shown}' has upper-case letters`, fix: `DNS names are case-insensitive; write it in lower case: ${factory}('${shown.toLowerCase()}')` };
  }
  if (name.length + reserved > MAX_NAME) {
    return { message: `'${shown}' is ${name.length + reserved} characters long; at most ${MAX_NAME} are allowed`, fix: 'give a shorter name' };
  }
  const labels = name.split('.');
  for (const label of labels) {
    if (label.length > MAX_LABEL) {
      return { message: `label '${label}' of '${shown}' is ${label.length} characters long; at most ${MAX_LABEL} are allowed`, fix: 'give the name exactly as DNS serves it' };
    }
    if (!LABEL.test(label)) {
      return {
        message: `'${shown}' is not a DNS name: label '${label}' must be 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit (RFC 1123)`,
        fix: 'give the host name exactly as DNS serves it, e.g. api.github.com',
      };
    }
  }
  if (labels.length < 2) {
    return reserved
      ? { message: `'${shown}' would match every name under the top-level domain '${name}'`, fix: "name the domain under it, e.g. '*.example.com'" }
      : { message: `'${shown}' is a single label, which the pod's DNS search path would expand to an in-cluster name`, fix: `give the fully qualified name, e.g. ${factory}('${name}.example.com')` };
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1])) {
    return { message: `'${shown}' is an IP address, not a DNS name`, fix: `use Peer.cidr('${name}/32') for an address` };
  }
  return undefined;
}

/** Whether `outer` matches every name `inner` matches (exact names and one-label patterns). */
export function fqdnCovers(outer: FqdnMatch, inner: FqdnMatch): boolean {
  if (outer.match === inner.match) return outer.value === inner.value;
  if (outer.match === 'name') return false;
  // `*.example.com` covers `a.example.com`: the name minus its first label is the pattern's suffix.
  const dot = inner.value.indexOf('.');
  return dot > 0 && inner.value.slice(dot + 1) === outer.value.slice(2);
}

/** Whether some name is matched by both. */
export function fqdnOverlaps(a: FqdnMatch, b: FqdnMatch): boolean {
  return fqdnCovers(a, b) || fqdnCovers(b, a);
}

/** `api.github.com`, `*.s3.amazonaws.com`. */
export function describeFqdn(fqdn: FqdnMatch): string {
  return fqdn.value;
}
