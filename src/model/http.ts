/**
 * L7 HTTP rules on a flow's port: which requests may pass, once the connection is allowed.
 *
 * A rule's fields are ANDed and an omitted field matches anything; the rules of one port are ORed.
 * `path` is a regular expression that must match the whole request path (full match, not a search):
 * `/public` allows `/public` only, `/public/.*` the subtree. That is how Cilium applies it
 * (https://docs.cilium.io/en/stable/security/policy/language/#layer-7-examples, "Allow GET /public").
 * `host` is an exact host name, with an optional port, compared with the request's Host header.
 * `headers` are header names that must be present.
 */
import { ValidationIssue } from './issues';
import { describeValue } from './values';

/** The request methods of RFC 9110 section 9 and PATCH (RFC 5789). */
export const HttpMethod = {
  GET: 'GET',
  HEAD: 'HEAD',
  POST: 'POST',
  PUT: 'PUT',
  DELETE: 'DELETE',
  CONNECT: 'CONNECT',
  OPTIONS: 'OPTIONS',
  TRACE: 'TRACE',
  PATCH: 'PATCH',
} as const;
export type HttpMethod = (typeof HttpMethod)[keyof typeof HttpMethod];

const METHODS: readonly string[] = Object.values(HttpMethod);

/** One kind of request allowed on a port. Omitted fields match any request. */
export interface HttpRule {
  /** Allowed methods. @default - any method */
  readonly methods?: readonly HttpMethod[];
  /** A regular expression the whole path must match, starting with `/`, e.g. `/api/v1/.*`. @default - any path */
  readonly path?: string;
  /** The exact host (and optional `:port`) of the Host header, e.g. `api.example.com`. @default - any host */
  readonly host?: string;
  /** Names of headers the request must carry, e.g. `['x-tenant']`. @default - none required */
  readonly headers?: readonly string[];
}

const RULE_FIELDS: readonly string[] = ['methods', 'path', 'host', 'headers'];
/** RFC 9110 `token`: the syntax of a field name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HOST_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Checks the HTTP rules of one port. Each problem names the rule and field, e.g. `…ports[0].http[1].path`.
 * A mistyped field (`method` for `methods`) is an error: ignored, it would allow every request.
 */
export function validateHttpRules(rules: unknown, path: string, field: string): ValidationIssue[] {
  if (!Array.isArray(rules) || rules.length === 0) {
    return [{ path, field: `${field}.http`, message: 'no HTTP rules given', fix: "give at least one rule, e.g. .http({ methods: [HttpMethod.GET], path: '/api/.*' }), or drop .http() to allow every request" }];
  }
  return rules.flatMap((rule: unknown, i) => validateRule(rule, path, `${field}.http[${i}]`));
}

function validateRule(rule: unknown, path: string, field: string): ValidationIssue[] {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) {
    return [{ path, field, message: `${describeValue(rule)} is not an HTTP rule`, fix: "give an object, e.g. { methods: [HttpMethod.GET], path: '/api/.*' }" }];
  }
  const issues: ValidationIssue[] = [];
  const given = rule as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!RULE_FIELDS.includes(key)) {
      issues.push({ path, field: `${field}.${key}`, message: `'${key}' is not a field of an HTTP rule; ignored, the rule would allow more than meant`, fix: `use ${RULE_FIELDS.join(', ')}` });
    }
  }
  const present = RULE_FIELDS.filter((key) => given[key] !== undefined);
  if (present.length === 0 && issues.length === 0) {
    issues.push({ path, field, message: 'the rule is empty, so it would allow every request', fix: 'give methods, path, host or headers; or drop .http() to allow every request on the port' });
  }
  issues.push(...methodIssues(given.methods, path, `${field}.methods`));
  issues.push(...pathIssues(given.path, path, `${field}.path`));
  issues.push(...hostIssues(given.host, path, `${field}.host`));
  issues.push(...headerIssues(given.headers, path, `${field}.headers`));
  return issues;
}

function methodIssues(methods: unknown, path: string, field: string): ValidationIssue[] {
  if (methods === undefined) return [];
  if (!Array.isArray(methods) || methods.length === 0) {
    return [{ path, field, message: `${describeValue(methods)} is not a list of methods`, fix: 'list the methods, e.g. [HttpMethod.GET, HttpMethod.HEAD], or omit methods for any method' }];
  }
  return methods.flatMap((method: unknown, i): ValidationIssue[] => {
    if (typeof method === 'string' && METHODS.includes(method)) return [];
    const upper = typeof method === 'string' ? method.toUpperCase() : undefined;
    return [{
      path,
      field: `${field}[${i}]`,
      message: `${describeValue(method)} is not an HTTP method`,
      fix: upper !== undefined && METHODS.includes(upper) ? `write it in upper case: HttpMethod.${upper}` : `use one of ${METHODS.join(', ')}`,
    }];
  });
}

/** Constructs of JavaScript regular expressions that RE2 and POSIX ERE, which proxies use, do not have. */
const UNPORTABLE: readonly { readonly pattern: RegExp; readonly what: string }[] = [
  { pattern: /\(\?<?[=!]/, what: 'a lookaround assertion' },
  { pattern: /\\[1-9]|\\k</, what: 'a back-reference' },
];

function pathIssues(value: unknown, path: string, field: string): ValidationIssue[] {
  if (value === undefined) return [];
  if (typeof value !== 'string') return [{ path, field, message: `${describeValue(value)} is not a path pattern`, fix: "give a regular expression as a string, e.g. '/api/.*'" }];
  if (!value.startsWith('/')) {
    return [{ path, field, message: `path '${value}' does not start with '/'`, fix: `paths are matched in full from the first '/', e.g. '/${value.replace(/^\^?\/?/, '')}'` }];
  }
  try {
    new RegExp(`^(?:${value})$`);
  } catch (error) {
    return [{ path, field, message: `path '${value}' is not a valid regular expression: ${(error as Error).message}`, fix: "fix the expression; it must match the whole path, e.g. '/api/v[0-9]+/.*'" }];
  }
  const unportable = UNPORTABLE.find((u) => u.pattern.test(value));
  if (unportable) {
    return [{ path, field, message: `path '${value}' uses ${unportable.what}, which the proxies' regular expressions (RE2, POSIX) do not support`, fix: 'write it without lookarounds or back-references' }];
  }
  return [];
}

function hostIssues(value: unknown, path: string, field: string): ValidationIssue[] {
  if (value === undefined) return [];
  if (typeof value !== 'string') return [{ path, field, message: `${describeValue(value)} is not a host`, fix: "give the exact host name, e.g. 'api.example.com'" }];
  const problem = hostProblem(value);
  return problem ? [{ path, field, message: `host '${value}' ${problem}`, fix: "give the exact host of the Host header, e.g. 'api.example.com' or 'api.example.com:8443'; it is not a pattern" }] : [];
}

function hostProblem(value: string): string | undefined {
  const colon = value.lastIndexOf(':');
  const name = colon < 0 ? value : value.slice(0, colon);
  if (colon >= 0) {
    const port = value.slice(colon + 1);
    if (!/^[1-9][0-9]{0,4}$/.test(port) || Number(port) > 65535) return `has an invalid port '${port}'`;
  }
  if (name === '') return 'has no name';
  if (name !== name.toLowerCase()) return 'has upper-case letters (write it in lower case)';
  if (name.length > 253) return 'is longer than 253 characters';
  if (!name.split('.').every((label) => label.length <= 63 && HOST_LABEL.test(label))) {
    return "is not a host name (RFC 1123 labels of lowercase letters, digits and '-', no wildcards or regular expressions)";
  }
  return undefined;
}

function headerIssues(value: unknown, path: string, field: string): ValidationIssue[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length === 0) {
    return [{ path, field, message: `${describeValue(value)} is not a list of header names`, fix: "list the names, e.g. ['x-tenant'], or omit headers" }];
  }
  return value.flatMap((name: unknown, i): ValidationIssue[] =>
    typeof name === 'string' && TOKEN.test(name)
      ? []
      : [{ path, field: `${field}[${i}]`, message: `${describeValue(name)} is not a header name`, fix: "give the name only, e.g. 'x-tenant' (letters, digits and !#$%&'*+-.^_`|~; no ':' and no value)" }],
  );
}

/**
 * A validated rule in canonical form: methods sorted and de-duplicated, header names lower-cased
 * (they are case-insensitive, RFC 9110 section 5.1), sorted and de-duplicated; empty fields omitted.
 */
export function normalizeHttpRule(rule: HttpRule): HttpRule {
  const methods = rule.methods ? [...new Set(rule.methods)].sort() : [];
  const headers = rule.headers ? [...new Set(rule.headers.map((h) => h.toLowerCase()))].sort() : [];
  return {
    ...(methods.length > 0 ? { methods } : {}),
    ...(rule.path !== undefined ? { path: rule.path } : {}),
    ...(rule.host !== undefined ? { host: rule.host } : {}),
    ...(headers.length > 0 ? { headers } : {}),
  };
}

/** Canonical rules, sorted and de-duplicated. */
export function normalizeHttpRules(rules: readonly HttpRule[]): HttpRule[] {
  const byKey = new Map(rules.map((r) => normalizeHttpRule(r)).map((r) => [httpRuleKey(r), r] as const));
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

export function httpRuleKey(rule: HttpRule): string {
  return JSON.stringify([rule.methods ?? [], rule.path ?? '', rule.host ?? '', rule.headers ?? []]);
}

/** `GET,HEAD /api/.* host api.example.com with x-tenant`, for messages. */
export function describeHttpRule(rule: HttpRule): string {
  const parts = [rule.methods?.join(',') ?? 'any method', rule.path ?? 'any path'];
  if (rule.host !== undefined) parts.push(`host ${rule.host}`);
  if (rule.headers?.length) parts.push(`with ${rule.headers.join(', ')}`);
  return parts.join(' ');
}
