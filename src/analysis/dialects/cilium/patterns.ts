/**
 * DNS name matching of `toFQDNs`, `rules.dns` and `serverNames`
 * (https://docs.cilium.io/en/stable/security/policy/language/#dns-based), as github.com/cilium/cilium
 * `pkg/fqdn/matchpattern/matchpattern.go` compiles it: names are lower-cased fully qualified names (trailing dot);
 * `*` matches any run of `[-a-zA-Z0-9_]` within one label; a leading `**.` matches one or more whole labels; a
 * pattern of only stars matches every name.
 */
import { NamePattern } from './model';

const DNS_CHARS = '[-a-zA-Z0-9_]';
/** One or more whole labels followed by a dot (`dnsWildcardREGroup`). */
const SUBDOMAINS = `(${DNS_CHARS}+([.]${DNS_CHARS}+){0,})[.]`;

/** A name in the form patterns match: lower case, with its trailing dot. */
export function canonicalName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

function isDnsWildcard(pattern: string): boolean {
  const body = pattern.endsWith('.') ? pattern.slice(0, -1) : pattern;
  return body.length > 0 && /^\*+$/.test(body);
}

/** The anchored regular expression of a `matchPattern` (`ToAnchoredRegexp` after `Sanitize`). */
export function matchPatternRegex(pattern: string): RegExp {
  const trimmed = pattern.trim().toLowerCase();
  if (isDnsWildcard(trimmed)) return new RegExp(`(^(${DNS_CHARS}+[.])+$)|(^[.]$)`);
  const fqdn = trimmed.endsWith('.') ? trimmed : `${trimmed}.`;
  let out = '';
  let start = 0;
  let leadingStars = 0;
  while (leadingStars < fqdn.length && fqdn[leadingStars] === '*') leadingStars++;
  if (leadingStars >= 2 && leadingStars < fqdn.length && fqdn[leadingStars] === '.') {
    out += SUBDOMAINS;
    start = leadingStars + 1;
  }
  for (let i = start; i < fqdn.length; i++) {
    const c = fqdn[i];
    if (c === '.') {
      out += '[.]';
    } else if (c === '*') {
      while (i + 1 < fqdn.length && fqdn[i + 1] === '*') i++;
      out += `${DNS_CHARS}*`;
    } else {
      out += c;
    }
  }
  return new RegExp(`^${out}$`);
}

/** The anchored regular expression of a `matchName`: the literal fully qualified name, any case. */
export function matchNameRegex(name: string): RegExp {
  return new RegExp(`^${canonicalName(name).replace(/[.]/g, '[.]')}$`);
}

/** Characters a `matchPattern` may hold (`allowedPatternChars`). */
export const MATCH_PATTERN_CHARS = /^[-a-zA-Z0-9_.*]+$/;
/** The CRD pattern of `matchName`. */
export const MATCH_NAME_SYNTAX = /^([-a-zA-Z0-9_]+[.]?)+$/;
/** The CRD pattern of `matchPattern`. */
export const MATCH_PATTERN_SYNTAX = /^([-a-zA-Z0-9_*]+[.]?)+$/;
export const MAX_FQDN_LENGTH = 255;

export function namePatternMatches(pattern: NamePattern, name: string): boolean {
  return pattern.regex.test(canonicalName(name));
}

/**
 * An extended POSIX regular expression of an HTTP rule (method, path, host), matched against the whole value
 * as Envoy's `safe_regex` does (https://docs.cilium.io/en/stable/security/policy/language/#http). The syntax of
 * the patterns people write is the same in JavaScript; undefined when it does not compile.
 */
export function fullMatchRegex(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return undefined;
  }
}
