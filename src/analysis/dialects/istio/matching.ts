/**
 * How AuthorizationPolicy compares values (https://istio.io/latest/docs/reference/config/security/authorization-policy/#Rule):
 * exact, prefix `abc*`, suffix `*abc`, presence `*` (a non-empty value); path templates `{*}` and `{**}`;
 * addresses against IPs and CIDRs. Matching is three-valued: the analyzer may not know a value (a source
 * without an address, a JWT it cannot validate), and then says so instead of guessing.
 */
import { Cidr, cidrContainsAddress, IpAddress } from '../../core/ip-address';

/** A match result: `unknown` when the probe does not give what the field compares. */
export type Tri = 'yes' | 'no' | 'unknown';

export function triAnd(values: Iterable<Tri>): Tri {
  let result: Tri = 'yes';
  for (const value of values) {
    if (value === 'no') return 'no';
    if (value === 'unknown') result = 'unknown';
  }
  return result;
}

export function triOr(values: Iterable<Tri>): Tri {
  let result: Tri = 'no';
  for (const value of values) {
    if (value === 'yes') return 'yes';
    if (value === 'unknown') result = 'unknown';
  }
  return result;
}

export function triNot(value: Tri): Tri {
  return value === 'yes' ? 'no' : value === 'no' ? 'yes' : 'unknown';
}

export function tri(value: boolean): Tri {
  return value ? 'yes' : 'no';
}

/** One pattern against a value; an absent value is the empty string, which only a `not*` list matches. */
export function stringMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (p === '*') return v !== '';
  if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  if (p.startsWith('*')) return v.endsWith(p.slice(1));
  return p === v;
}

/** The path Istio compares: without the query string or fragment (authz_test.go TestAuthz_Principal, TestAuthz_PathPrecedence). */
export function comparedPath(path: string): string {
  const cut = path.search(/[?#]/);
  return cut < 0 ? path : path.slice(0, cut);
}

const templateCache = new Map<string, RegExp>();

/** `{*}` is one non-empty segment; `{**}` any run of characters, `/` included, possibly empty. */
function templateRegex(pattern: string): RegExp {
  let regex = templateCache.get(pattern);
  if (!regex) {
    const body = pattern.split('/').map((segment) => {
      if (segment === '{*}') return '[^/]+';
      if (segment === '{**}') return '.*';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }).join('/');
    regex = new RegExp(`^${body}$`);
    templateCache.set(pattern, regex);
  }
  return regex;
}

/** A `paths` entry against a request path (query string stripped first). */
export function pathMatches(pattern: string, path: string): boolean {
  const compared = comparedPath(path);
  if (pattern.includes('{*}') || pattern.includes('{**}')) return templateRegex(pattern).test(compared);
  return stringMatches(pattern, compared);
}

/**
 * A `hosts` entry against the Host header, case-insensitively; a host written without a port also matches the
 * header with one (`example.com` matches `example.com:8080`).
 */
export function hostMatches(pattern: string, host: string): boolean {
  if (stringMatches(pattern, host, true)) return true;
  const colon = host.lastIndexOf(':');
  const bare = colon > 0 && !host.endsWith(']') && /^\d+$/.test(host.slice(colon + 1)) ? host.slice(0, colon) : undefined;
  return bare !== undefined && stringMatches(pattern, bare, true);
}

/** Whether any of the addresses an end may use falls in the list; unknown when the end has none, or they disagree. */
export function addressesMatch(cidrs: readonly Cidr[], addresses: readonly IpAddress[]): Tri {
  if (addresses.length === 0) return 'unknown';
  const results = addresses.map((address) => cidrs.some((cidr) => cidrContainsAddress(cidr, address)));
  return results.every((result) => result === results[0]) ? tri(results[0]) : 'unknown';
}
