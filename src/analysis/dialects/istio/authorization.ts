/**
 * AuthorizationPolicy evaluation at a workload's inbound proxy
 * (https://istio.io/latest/docs/reference/config/security/authorization-policy/,
 * https://istio.io/latest/docs/concepts/security/#authorization):
 *
 * 1. CUSTOM policies whose rules match hand the request to the external provider; the analyzer cannot know
 *    its answer, so unless the steps below deny anyway, the verdict is `unknown` (never a silent allow);
 * 2. a matching DENY rule denies;
 * 3. with no ALLOW policy, the request is allowed;
 * 4. a matching ALLOW rule allows;
 * 5. otherwise it is denied: an ALLOW policy without rules (`spec: {}`) is "allow nothing".
 *
 * AUDIT never decides. A rule matches when any `from`, any `to` and every `when` matches; empty lists match
 * anything. Fields that only HTTP has (`requestPrincipals`, `hosts`, `methods`, `paths`, HTTP `when` keys) on
 * TCP traffic make an ALLOW rule never match, and are dropped from a DENY rule, which then matches more
 * (https://istio.io/latest/docs/tasks/security/authorization/authz-tcp/; pilot/pkg/security/authz/model/model.go).
 * Identity fields (principals, namespaces, serviceAccounts, trustDomains, their `not*` forms, and the
 * `source.principal` / `source.namespace` conditions) are empty without mutual TLS: positive lists never
 * match and `not*` lists always do (https://istio.io/latest/docs/concepts/security/#dependency-on-mutual-tls).
 */
import { addressesMatch, hostMatches, pathMatches, stringMatches, tri, Tri, triAnd, triNot, triOr } from './matching';
import { AuthorizationAction, AuthorizationPolicy, AuthorizationRule, Condition, Operation, Source } from './model';
import { parseIpOrCidr } from './read';
import { Cidr, IpAddress } from '../../core/ip-address';

/**
 * What the proxy sees of the traffic: `http` (a request it parsed), `tcp` (a declared non-HTTP port, or a TLS
 * payload), `http-unchecked` (HTTP may flow but the probe gives no request: HTTP conditions are not checked,
 * an ALLOW rule's admit the connection and a DENY rule's do not refuse it, as the proxy filters request by
 * request), `unknown` (the Services that select the workload disagree on the port's protocol).
 */
export type Traffic = 'http' | 'http-unchecked' | 'tcp' | 'unknown';

/** The peer's identity from its certificate (only with Istio mTLS). */
export interface PeerIdentity {
  readonly principal: string;
  readonly namespace: string;
  /** `namespace/serviceaccount`. */
  readonly serviceAccount: string;
  readonly trustDomain: string;
}

export interface HttpAttributes {
  readonly method: string;
  readonly path: string;
  readonly host?: string;
  /** Lowercase names. */
  readonly headers: ReadonlyMap<string, string>;
}

export interface ConnectionAttributes {
  readonly mtls: boolean;
  /** With mTLS: the peer's identity, or `unknown` for a peer that is not a pod of the input. */
  readonly peer?: PeerIdentity | 'unknown';
  readonly sourceIps: readonly IpAddress[];
  /** `remote.ip`: the source address, or the X-Forwarded-For entry the workload trusts; `unknown` when the analyzer cannot tell. */
  readonly remoteIps: readonly IpAddress[] | 'unknown';
  readonly destinationIps: readonly IpAddress[];
  /** The workload (container) port. */
  readonly port: number;
  readonly traffic: Traffic;
  readonly http?: HttpAttributes;
}

/** A rule that matched (`yes`), or may have (`unknown`). */
export interface RuleHit {
  readonly policy: AuthorizationPolicy;
  readonly index: number;
  readonly result: Tri;
}

export type AuthzVerdict = 'allow' | 'deny' | 'unknown';

export interface AuthzResult {
  readonly verdict: AuthzVerdict;
  /**
   * - `deny-rule`: a DENY rule matched; `allow-rule`: an ALLOW rule matched;
   * - `no-allow-policy`: no ALLOW policy applies and no DENY rule matched;
   * - `no-allow-match`: ALLOW policies apply and none of their rules matched (allow-nothing included);
   * - `custom`: a CUSTOM policy hands the decision to its provider.
   */
  readonly step: 'deny-rule' | 'allow-rule' | 'no-allow-policy' | 'no-allow-match' | 'custom';
  /** The rules behind `step`: the DENY or ALLOW rules that matched or may have, the CUSTOM rules. */
  readonly hits: readonly RuleHit[];
  /** The ALLOW policies that apply (they make the workload deny what they do not allow). */
  readonly allowPolicies: readonly AuthorizationPolicy[];
  /** Why a match could not be judged, one line per field. */
  readonly unknown: readonly string[];
  /** HTTP conditions not checked (`http-unchecked` traffic). */
  readonly unchecked: readonly string[];
}

interface Context {
  readonly attributes: ConnectionAttributes;
  readonly action: AuthorizationAction;
  readonly unknown: string[];
  readonly unchecked: string[];
}

const HTTP_CONDITION_PREFIXES = ['request.'];

function isHttpCondition(condition: Condition): boolean {
  return HTTP_CONDITION_PREFIXES.some((prefix) => condition.key.startsWith(prefix));
}

/** Whether the rule uses a field that only HTTP traffic has. */
export function usesHttpFields(rule: AuthorizationRule): boolean {
  return rule.from.some((entry) => entry.requestPrincipals !== undefined || entry.notRequestPrincipals !== undefined)
    || rule.to.some((entry) => ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'].some((key) => entry[key as keyof Operation] !== undefined))
    || rule.when.some(isHttpCondition);
}

function unknownBecause(context: Context, field: string, why: string): Tri {
  context.unknown.push(`${field}: ${why}`);
  return 'unknown';
}

/** An HTTP-only field: judged on HTTP, dropped from DENY/AUDIT rules on TCP (an ALLOW rule with one never gets here). */
function httpOnly(context: Context, field: string, judge: (http: HttpAttributes) => Tri): Tri {
  const { traffic, http } = context.attributes;
  switch (traffic) {
    case 'http':
      return judge(http!);
    case 'tcp':
      if (context.action === 'CUSTOM') return unknownBecause(context, field, 'an HTTP-only field on TCP traffic');
      return 'yes';
    case 'http-unchecked':
      if (context.action === 'CUSTOM') return unknownBecause(context, field, 'the probe gives no http request');
      context.unchecked.push(field);
      return context.action === 'ALLOW' ? 'yes' : 'no';
    case 'unknown':
      return unknownBecause(context, field, 'the Services that select the workload disagree on whether the port is HTTP');
  }
}

/** A positive (`not` false) or negated list against one value. */
function list(
  patterns: readonly string[] | undefined,
  negated: boolean,
  value: () => string | undefined,
  context: Context,
  field: string,
  why: string,
): Tri {
  if (patterns === undefined) return 'yes';
  const actual = value();
  if (actual === undefined) return unknownBecause(context, field, why);
  const matched = tri(patterns.some((pattern) => stringMatches(pattern, actual)));
  return negated ? triNot(matched) : matched;
}

/** The value of an identity field: empty without mTLS, undefined when the peer's identity is unknown. */
function identity(context: Context, get: (peer: PeerIdentity) => string): string | undefined {
  const { mtls, peer } = context.attributes;
  if (!mtls) return '';
  if (peer === undefined || peer === 'unknown') return undefined;
  return get(peer);
}

const NO_IDENTITY = 'the client sends Istio mTLS but is not a pod of the input, so its identity is unknown';

function addressList(cidrs: readonly Cidr[] | undefined, negated: boolean, addresses: readonly IpAddress[] | 'unknown', context: Context, field: string, why: string): Tri {
  if (cidrs === undefined) return 'yes';
  const matched = addresses === 'unknown' ? 'unknown' : addressesMatch(cidrs, addresses);
  if (matched === 'unknown') return unknownBecause(context, field, why);
  return negated ? triNot(matched) : matched;
}

const NO_SOURCE_ADDRESS = 'the input gives no address for the source (status.podIP)';
const NO_REMOTE_ADDRESS = 'the remote address depends on X-Forwarded-For and the proxies the workload trusts, which the analyzer cannot tell here';
const NO_DESTINATION_ADDRESS = 'the input gives no address for the destination (status.podIP)';
const JWT = 'the request carries an Authorization header: the JWT claims depend on RequestAuthentication, which the analyzer does not validate';

/** The JWT-derived value: empty without an Authorization header, unknown with one. */
function jwtValue(http: HttpAttributes): string | undefined {
  return http.headers.has('authorization') ? undefined : '';
}

function sourceMatches(source: Source, context: Context, field: string): Tri {
  const { attributes } = context;
  const results: Tri[] = [
    list(source.principals, false, () => identity(context, (peer) => peer.principal), context, `${field}.principals`, NO_IDENTITY),
    list(source.notPrincipals, true, () => identity(context, (peer) => peer.principal), context, `${field}.notPrincipals`, NO_IDENTITY),
    list(source.namespaces, false, () => identity(context, (peer) => peer.namespace), context, `${field}.namespaces`, NO_IDENTITY),
    list(source.notNamespaces, true, () => identity(context, (peer) => peer.namespace), context, `${field}.notNamespaces`, NO_IDENTITY),
    exactList(source.serviceAccounts, false, () => identity(context, (peer) => peer.serviceAccount), context, `${field}.serviceAccounts`),
    exactList(source.notServiceAccounts, true, () => identity(context, (peer) => peer.serviceAccount), context, `${field}.notServiceAccounts`),
    list(source.trustDomains, false, () => identity(context, (peer) => peer.trustDomain), context, `${field}.trustDomains`, NO_IDENTITY),
    list(source.notTrustDomains, true, () => identity(context, (peer) => peer.trustDomain), context, `${field}.notTrustDomains`, NO_IDENTITY),
    addressList(source.ipBlocks, false, attributes.sourceIps, context, `${field}.ipBlocks`, NO_SOURCE_ADDRESS),
    addressList(source.notIpBlocks, true, attributes.sourceIps, context, `${field}.notIpBlocks`, NO_SOURCE_ADDRESS),
    addressList(source.remoteIpBlocks, false, attributes.remoteIps, context, `${field}.remoteIpBlocks`, NO_REMOTE_ADDRESS),
    addressList(source.notRemoteIpBlocks, true, attributes.remoteIps, context, `${field}.notRemoteIpBlocks`, NO_REMOTE_ADDRESS),
  ];
  if (source.requestPrincipals !== undefined) {
    results.push(httpOnly(context, `${field}.requestPrincipals`, (http) => list(source.requestPrincipals, false, () => jwtValue(http), context, `${field}.requestPrincipals`, JWT)));
  }
  if (source.notRequestPrincipals !== undefined) {
    results.push(httpOnly(context, `${field}.notRequestPrincipals`, (http) => list(source.notRequestPrincipals, true, () => jwtValue(http), context, `${field}.notRequestPrincipals`, JWT)));
  }
  return triAnd(results);
}

/** `serviceAccounts`: exact `namespace/name`, no wildcards. */
function exactList(accounts: readonly string[] | undefined, negated: boolean, value: () => string | undefined, context: Context, field: string): Tri {
  if (accounts === undefined) return 'yes';
  const actual = value();
  if (actual === undefined) return unknownBecause(context, field, NO_IDENTITY);
  const matched = tri(accounts.includes(actual));
  return negated ? triNot(matched) : matched;
}

function operationMatches(operation: Operation, context: Context, field: string): Tri {
  const { port } = context.attributes;
  const results: Tri[] = [
    operation.ports === undefined ? 'yes' : tri(operation.ports.includes(port)),
    operation.notPorts === undefined ? 'yes' : tri(!operation.notPorts.includes(port)),
  ];
  const host = (http: HttpAttributes): string | undefined => http.host ?? http.headers.get('host');
  for (const [key, negated] of [['hosts', false], ['notHosts', true]] as const) {
    const patterns = operation[key];
    if (patterns === undefined) continue;
    results.push(httpOnly(context, `${field}.${key}`, (http) => {
      const actual = host(http);
      if (actual === undefined) return unknownBecause(context, `${field}.${key}`, 'the probe gives no http.host');
      const matched = tri(patterns.some((pattern) => hostMatches(pattern, actual)));
      return negated ? triNot(matched) : matched;
    }));
  }
  for (const [key, negated] of [['methods', false], ['notMethods', true]] as const) {
    const patterns = operation[key];
    if (patterns === undefined) continue;
    results.push(httpOnly(context, `${field}.${key}`, (http) => list(patterns, negated, () => http.method, context, `${field}.${key}`, '')));
  }
  for (const [key, negated] of [['paths', false], ['notPaths', true]] as const) {
    const patterns = operation[key];
    if (patterns === undefined) continue;
    results.push(httpOnly(context, `${field}.${key}`, (http) => {
      const matched = tri(patterns.some((pattern) => pathMatches(pattern, http.path)));
      return negated ? triNot(matched) : matched;
    }));
  }
  return triAnd(results);
}

function valuesMatch(condition: Condition, match: (value: string) => Tri): Tri {
  const positive = condition.values === undefined ? 'yes' : triOr(condition.values.map(match));
  const negative = condition.notValues === undefined ? 'yes' : triNot(triOr(condition.notValues.map(match)));
  return triAnd([positive, negative]);
}

function ipCondition(condition: Condition, addresses: readonly IpAddress[] | 'unknown', context: Context, field: string, why: string): Tri {
  if (addresses === 'unknown' || addresses.length === 0) return unknownBecause(context, field, why);
  return valuesMatch(condition, (value) => addressesMatch([parseIpOrCidr(value)!], addresses));
}

function stringCondition(condition: Condition, value: string | undefined, context: Context, field: string, why: string): Tri {
  if (value === undefined) return unknownBecause(context, field, why);
  return valuesMatch(condition, (pattern) => tri(stringMatches(pattern, value)));
}

function conditionMatches(condition: Condition, context: Context, field: string): Tri {
  const { attributes } = context;
  const key = condition.key;
  switch (key) {
    case 'source.ip':
      return ipCondition(condition, attributes.sourceIps, context, field, NO_SOURCE_ADDRESS);
    case 'remote.ip':
      return ipCondition(condition, attributes.remoteIps, context, field, NO_REMOTE_ADDRESS);
    case 'destination.ip':
      return ipCondition(condition, attributes.destinationIps, context, field, NO_DESTINATION_ADDRESS);
    case 'destination.port':
      return valuesMatch(condition, (value) => tri(Number(value) === attributes.port));
    case 'source.namespace':
      return stringCondition(condition, identity(context, (peer) => peer.namespace), context, field, NO_IDENTITY);
    case 'source.principal':
      return stringCondition(condition, identity(context, (peer) => peer.principal), context, field, NO_IDENTITY);
    case 'connection.sni':
      // With Istio mTLS the SNI is the one the client proxy chose for the destination cluster.
      return attributes.mtls
        ? unknownBecause(context, field, 'the SNI of the mTLS connection is chosen by the client proxy; the analyzer does not model it')
        : stringCondition(condition, '', context, field, '');
    default:
      break;
  }
  if (key.startsWith('experimental.envoy.filters.')) return unknownBecause(context, field, `${key} reads Envoy filter metadata, which the analyzer does not model`);
  return httpOnly(context, field, (http) => {
    if (key.startsWith('request.headers[')) {
      const name = key.slice('request.headers['.length, -1).toLowerCase();
      const value = name === 'host' || name === ':authority' ? (http.host ?? http.headers.get('host') ?? '') : http.headers.get(name) ?? '';
      return stringCondition(condition, value, context, field, '');
    }
    // request.auth.*: from a JWT validated by RequestAuthentication.
    return stringCondition(condition, jwtValue(http), context, field, JWT);
  });
}

/** Whether one rule matches the connection, for a policy of `action`. */
export function ruleMatches(
  rule: AuthorizationRule,
  action: AuthorizationAction,
  attributes: ConnectionAttributes,
  field: string,
  unknown: string[],
  unchecked: string[],
): Tri {
  // On TCP an ALLOW rule that names an HTTP-only field is dropped whole.
  if (action === 'ALLOW' && attributes.traffic === 'tcp' && usesHttpFields(rule)) return 'no';
  const context: Context = { attributes, action, unknown, unchecked };
  const from = rule.from.length === 0 ? 'yes' : triOr(rule.from.map((source, index) => sourceMatches(source, context, `${field}.from[${index}].source`)));
  const to = rule.to.length === 0 ? 'yes' : triOr(rule.to.map((operation, index) => operationMatches(operation, context, `${field}.to[${index}].operation`)));
  const when = triAnd(rule.when.map((condition, index) => conditionMatches(condition, context, `${field}.when[${index}]`)));
  return triAnd([from, to, when]);
}

/** Every rule of the policies of one action that matches or may match. */
function hitsOf(policies: readonly AuthorizationPolicy[], attributes: ConnectionAttributes, unknown: string[], unchecked: string[]): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const policy of policies) {
    (policy.rules ?? []).forEach((rule, index) => {
      const localUnknown: string[] = [];
      const result = ruleMatches(rule, policy.action, attributes, `spec.rules[${index}]`, localUnknown, unchecked);
      if (result === 'no') return;
      if (result === 'unknown') unknown.push(...localUnknown.map((line) => `${policy.action} AuthorizationPolicy ${policy.ref.key} ${line}`));
      hits.push({ policy, index, result });
    });
  }
  return hits;
}

/** The verdict of the policies that apply to a workload (dry-run policies already left out). */
export function authorize(policies: readonly AuthorizationPolicy[], attributes: ConnectionAttributes): AuthzResult {
  const unknown: string[] = [];
  const unchecked: string[] = [];
  const of = (action: AuthorizationAction): AuthorizationPolicy[] => policies.filter((policy) => policy.action === action);
  const allowPolicies = of('ALLOW');
  const customHits = hitsOf(of('CUSTOM'), attributes, [], []);
  const denyHits = hitsOf(of('DENY'), attributes, unknown, unchecked);
  const base = { allowPolicies, unchecked };
  const denying = denyHits.filter((hit) => hit.result === 'yes');
  if (denying.length > 0) return { ...base, verdict: 'deny', step: 'deny-rule', hits: denying, unknown: [] };
  let result: AuthzResult;
  if (allowPolicies.length === 0) {
    result = { ...base, verdict: 'allow', step: 'no-allow-policy', hits: [], unknown: [] };
  } else {
    const allowHits = hitsOf(allowPolicies, attributes, unknown, unchecked);
    const allowing = allowHits.filter((hit) => hit.result === 'yes');
    if (allowing.length > 0) result = { ...base, verdict: 'allow', step: 'allow-rule', hits: allowing, unknown: [] };
    else if (allowHits.length > 0) result = { ...base, verdict: 'unknown', step: 'allow-rule', hits: allowHits, unknown: [...unknown] };
    else result = { ...base, verdict: 'deny', step: 'no-allow-match', hits: [], unknown: [] };
  }
  // A DENY rule that may match makes an allow unknown; a deny stays a deny.
  if (denyHits.length > 0 && result.verdict !== 'deny') {
    result = { ...result, verdict: 'unknown', step: 'deny-rule', hits: denyHits, unknown: [...unknown] };
  }
  if (customHits.length > 0 && result.verdict !== 'deny') {
    const providers = [...new Set(customHits.map((hit) => `${hit.policy.provider} (CUSTOM AuthorizationPolicy ${hit.policy.ref.key})`))];
    result = {
      ...result,
      verdict: 'unknown',
      step: 'custom',
      hits: customHits,
      unknown: [...result.unknown, `the external authorizer ${providers.join(', ')} decides: the analyzer cannot judge it`],
    };
  }
  return result;
}
