/**
 * The Cilium answer for one direction of one connection (https://docs.cilium.io/en/stable/security/policy/language/,
 * github.com/cilium/cilium `pkg/policy/rule.go`, `pkg/policy/repository.go`):
 * 1. a deny rule of a selecting policy matching the peer and port: `deny`, whatever allows it;
 * 2. else an allow rule matching the peer and port: `allow`. When every matching rule carries L7 rules on that
 *    port, the request must match one of them (an L4 allow on the same peer and port lifts the L7 restriction);
 *    a request that matches none is refused (`isolated`: HTTP 403, DNS REFUSED), even without default-deny;
 * 3. else `isolated` when a selecting rule makes the endpoint default-deny in this direction, `not-isolated` otherwise.
 * Traffic from the endpoint's own node (`host`) is always allowed in at a pod (agent option `allow-localhost`,
 * default in Kubernetes mode), unless denied.
 * Peers are matched here label by label; the set form (`probe-sets.ts`) works on endpoint sets and must agree.
 */
import { CompiledCilium, CompiledEntry } from './compile';
import { CiliumPolicy, HttpRuleSpec, IcmpFieldSpec, PeerSpec, PortProtocolSpec, PortRuleSpec } from './model';
import { namePatternMatches } from './patterns';
import { icmpFieldMatches, portProtocolTargets } from './ports';
import { describeCiliumDecision } from './words';
import { hasBit } from '../../core/bitset';
import { LabelSelector } from '../../core/label-selector';
import { targetsInclude } from '../../core/port-entry';
import { ApplicationRequest, Decision, DecisionWords, DirectionQuery, Effect, PolicyRef, RuleMatch, RuleRef } from '../../dialect';

/** The agent's own allow of traffic from the local host (`allow-localhost`), named like a policy in explanations. */
export const ALLOW_LOCALHOST: PolicyRef = { kind: 'CiliumAgent', name: 'allow-localhost', key: 'cilium:allow-localhost' };

/** One port (or ICMP type) entry of a rule element that matched the probe. */
export type MatchedPort =
  | { readonly kind: 'port'; readonly portRule: PortRuleSpec; readonly port: PortProtocolSpec }
  | { readonly kind: 'icmp'; readonly icmp: IcmpFieldSpec };

/** How the L7 part of a match judged the request. */
export type L7Outcome =
  /** No L7 rule on the matched port: every request. */
  | { readonly kind: 'none' }
  /** L7 rules that the request was not checked against (no request given, or one they cannot see). */
  | { readonly kind: 'unchecked'; readonly what: string }
  | { readonly kind: 'matched'; readonly what: string }
  | { readonly kind: 'refused'; readonly what: string };

export interface CiliumMatch extends RuleMatch {
  readonly rule: RuleRef;
  /** Undefined for `allow-localhost`. */
  readonly entry?: CompiledEntry;
  /** The peer entry that matched; undefined when the element has no peer field (every peer). */
  readonly peer?: PeerSpec;
  /** Undefined when the element has neither toPorts nor icmps (every port and protocol). */
  readonly port?: MatchedPort;
  readonly l7: L7Outcome;
}

export class CiliumDecision implements Decision {
  constructor(
    readonly compiled: CompiledCilium,
    readonly query: DirectionQuery,
    readonly effect: Effect,
    readonly selectingPolicies: readonly CiliumPolicy[],
    readonly matches: readonly CiliumMatch[],
    readonly nearMisses: readonly RuleRef[],
    readonly defaultDeny: boolean,
    /** Matches whose L7 rules refused the request (with `isolated`). */
    readonly refused: readonly CiliumMatch[],
    readonly dnsProxied?: boolean,
  ) {}

  /** The selecting policies that make the subject default-deny in this direction (not those with `enableDefaultDeny: false`). */
  get isolatingPolicies(): readonly CiliumPolicy[] {
    const rules = this.compiled.rulesFor(this.query.direction, this.query.subject.index);
    if (!rules) return [];
    const key = this.query.direction === 'Ingress' ? 'ingress' : 'egress';
    const isolating = new Set<CiliumPolicy>();
    for (const entry of [...rules.allow, ...rules.deny]) if (entry.rule.defaultDeny[key]) isolating.add(entry.policy);
    return rules.policies.filter((policy) => isolating.has(policy));
  }

  describe(): DecisionWords {
    return describeCiliumDecision(this);
  }
}

function ruleRef(entry: CompiledEntry): RuleRef {
  return { policy: entry.policy, direction: entry.entry.direction, index: entry.entry.index, path: entry.path };
}

function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

function httpRuleMatches(rule: HttpRuleSpec, request: NonNullable<ApplicationRequest['http']>): boolean {
  if (rule.method && !rule.method.test(request.method)) return false;
  if (rule.path && !rule.path.test(request.path)) return false;
  if (rule.host && !rule.host.test(request.host ?? headerValue(request.headers, 'host') ?? '')) return false;
  return rule.headers.every((header) => {
    if (header.fromSecret) return false;
    const value = headerValue(request.headers, header.name);
    return value !== undefined && (header.value === undefined || value === header.value);
  });
}

/**
 * Judges a request against the L7 part of a matched port rule: `serverNames` need a TLS handshake with a
 * matching SNI; HTTP rules never see TLS payloads unless the proxy terminates TLS; DNS rules match the query.
 * Without the attribute a rule looks at, the connection is judged at L4 (`unchecked`).
 */
function judgeL7(portRule: PortRuleSpec, request: ApplicationRequest | undefined): L7Outcome {
  if (!portRule.l7 && !portRule.serverNames) return { kind: 'none' };
  if (!request) return { kind: 'unchecked', what: describeL7(portRule) };
  if (portRule.serverNames) {
    const sni = request.tls?.sni;
    const names = `serverNames ${portRule.serverNames.map((name) => name.text).join(', ')}`;
    if (!request.tls) {
      if (request.http) return { kind: 'refused', what: `${names} (the request is not TLS)` };
    } else if (sni === undefined || !portRule.serverNames.some((name) => namePatternMatches(name, sni))) {
      return { kind: 'refused', what: `${names} (SNI ${sni ?? 'none'})` };
    }
  }
  const l7 = portRule.l7;
  if (!l7) return { kind: 'matched', what: `serverNames (SNI ${request.tls?.sni ?? '?'})` };
  switch (l7.kind) {
    case 'http': {
      if (request.tls && !portRule.terminatesTls) return { kind: 'refused', what: 'rules.http (the payload is TLS, which the proxy does not terminate)' };
      if (!request.http) return { kind: 'unchecked', what: describeL7(portRule) };
      const http = request.http;
      const rule = l7.rules.find((candidate) => httpRuleMatches(candidate, http));
      return rule
        ? { kind: 'matched', what: `rules.http[${rule.index}] (${rule.text})` }
        : { kind: 'refused', what: `rules.http (${l7.rules.map((candidate) => candidate.text).join('; ')}) for ${http.method} ${http.path}` };
    }
    case 'dns': {
      if (!request.dns) return { kind: 'unchecked', what: describeL7(portRule) };
      const query = request.dns.query;
      const pattern = l7.rules.find((candidate) => namePatternMatches(candidate, query));
      return pattern
        ? { kind: 'matched', what: `rules.dns[${pattern.index}] (${pattern.text})` }
        : { kind: 'refused', what: `rules.dns (${l7.rules.map((candidate) => candidate.text).join(', ')}) for query ${query}` };
    }
    case 'other':
      return { kind: 'unchecked', what: l7.name };
  }
}

export function describeL7(portRule: PortRuleSpec): string {
  const parts: string[] = [];
  if (portRule.serverNames) parts.push(`serverNames ${portRule.serverNames.map((name) => name.text).join(', ')}`);
  const l7 = portRule.l7;
  if (l7?.kind === 'http') parts.push(`rules.http (${l7.rules.map((rule) => rule.text).join('; ')})`);
  if (l7?.kind === 'dns') parts.push(`rules.dns (${l7.rules.map((rule) => rule.text).join(', ')})`);
  if (l7?.kind === 'other') parts.push(l7.name);
  return parts.join(', ');
}

/** A rule element matched at L3/L4: its peer and every matching port entry (empty = every port and protocol). */
interface L4Match {
  readonly entry: CompiledEntry;
  readonly peer?: PeerSpec;
  readonly ports: readonly MatchedPort[];
  /** The element has no toPorts/icmps. */
  readonly allPorts: boolean;
}

/** The element's peer that matches, `wildcard` when it has no peer field, undefined when none matches. */
function matchingPeer(compiled: CompiledCilium, entry: CompiledEntry, query: DirectionQuery): PeerSpec | 'wildcard' | undefined {
  if (!entry.peers) return 'wildcard';
  const { peer, subject, request } = query;
  const observer = subject.nodeName;
  for (const compiledPeer of entry.peers) {
    const spec = compiledPeer.spec;
    const matched = spec.kind === 'fqdn'
      // toFQDNs knows only addresses the source's DNS proxy saw for a matching name, and never in-cluster ones.
      ? peer.kind === 'external' && request?.fqdn !== undefined && request.fqdn.lookupAllowed && namePatternMatches(spec.pattern, request.fqdn.name)
      : compiled.peerMatches(compiledPeer, peer, observer);
    if (matched) return spec;
  }
  return undefined;
}

function matchPorts(compiled: CompiledCilium, entry: CompiledEntry, query: DirectionQuery): { ports: MatchedPort[]; allPorts: boolean } {
  const l4 = entry.entry.l4;
  if (!l4) return { ports: [], allPorts: true };
  const { probe, destination } = query;
  const ports: MatchedPort[] = [];
  if (query.icmp) {
    for (const field of l4.icmps) if (icmpFieldMatches(field, query.icmp)) ports.push({ kind: 'icmp', icmp: field });
    return { ports, allPorts: false };
  }
  for (const portRule of l4.ports) {
    for (const port of portRule.ports) {
      if (targetsInclude(portProtocolTargets(port, probe, compiled.universe), destination.index)) ports.push({ kind: 'port', portRule, port });
    }
  }
  return { ports, allPorts: false };
}

/** The elements of `entries` that match the connection at L3/L4, and those whose peer matched but no port. */
function matchEntries(
  compiled: CompiledCilium,
  entries: readonly CompiledEntry[],
  requires: readonly LabelSelector[],
  query: DirectionQuery,
): { matches: L4Match[]; nearMisses: CompiledEntry[] } {
  const matches: L4Match[] = [];
  const nearMisses: CompiledEntry[] = [];
  const observer = query.subject.nodeName;
  const meetsRequires = compiled.meetsRequirements(requires, query.peer, observer);
  for (const entry of entries) {
    const peer = matchingPeer(compiled, entry, query);
    if (peer === undefined) continue;
    if (entry.byEndpoints && !meetsRequires) continue;
    const { ports, allPorts } = matchPorts(compiled, entry, query);
    // An element without peers and without ports (`{}`) matches nothing: it only isolates.
    if (peer === 'wildcard' && allPorts) continue;
    if (!allPorts && ports.length === 0) {
      nearMisses.push(entry);
      continue;
    }
    matches.push({ entry, ...(peer !== 'wildcard' ? { peer } : {}), ports, allPorts });
  }
  return { matches, nearMisses };
}

function toMatch(match: L4Match, port: MatchedPort | undefined, l7: L7Outcome): CiliumMatch {
  return {
    rule: ruleRef(match.entry),
    entry: match.entry,
    ...(match.peer ? { peer: match.peer } : {}),
    ...(port ? { port } : {}),
    l7,
  };
}

/** The Cilium answer for one direction of one connection. */
export function decideCilium(compiled: CompiledCilium, query: DirectionQuery): CiliumDecision {
  const { direction, subject, peer, request } = query;
  const rules = compiled.rulesFor(direction, subject.index);
  const observer = subject.nodeName;
  const policies = rules?.policies ?? [];
  const localhost = direction === 'Ingress' && hasBit(compiled.identities.managedPods, subject.index) && compiled.isLocalHost(peer, observer);
  const decision = (
    effect: Effect,
    matches: readonly CiliumMatch[],
    nearMisses: readonly CompiledEntry[] = [],
    refused: readonly CiliumMatch[] = [],
    dnsProxied?: boolean,
  ): CiliumDecision => {
    const defaultDeny = rules?.defaultDeny ?? false;
    return new CiliumDecision(compiled, query, effect, policies, matches, nearMisses.map(ruleRef), defaultDeny, refused, dnsProxied);
  };

  const denied = rules ? matchEntries(compiled, rules.deny, rules.denyRequires, query) : { matches: [], nearMisses: [] };
  if (denied.matches.length > 0) {
    return decision('deny', denied.matches.map((match) => toMatch(match, match.ports[0], { kind: 'none' })));
  }
  const allowed = rules ? matchEntries(compiled, rules.allow, rules.allowRequires, query) : { matches: [], nearMisses: [] };
  const localhostMatch: CiliumMatch[] = localhost ? [{ rule: { policy: ALLOW_LOCALHOST, direction, index: 0 }, l7: { kind: 'none' } }] : [];
  // Every (element, port) pair with its L7 judgement.
  const judged: CiliumMatch[] = [];
  for (const match of allowed.matches) {
    if (match.allPorts) {
      judged.push(toMatch(match, undefined, { kind: 'none' }));
      continue;
    }
    for (const port of match.ports) judged.push(toMatch(match, port, port.kind === 'port' ? judgeL7(port.portRule, request) : { kind: 'none' }));
  }
  const proxiedDns = request?.dns !== undefined && judged.some((match) => match.port?.kind === 'port' && match.port.portRule.l7?.kind === 'dns');
  const dnsProxied = request?.dns !== undefined ? proxiedDns : undefined;
  if (localhost || judged.some((match) => match.l7.kind === 'none')) {
    // An L4 allow on this peer and port lifts any L7 restriction of other rules (https://docs.cilium.io/en/stable/security/policy/language/#layer-7-examples).
    return decision('allow', [...localhostMatch, ...firstPerEntry(judged)], [], [], dnsProxied);
  }
  const admitting = judged.filter((match) => match.l7.kind === 'matched' || match.l7.kind === 'unchecked');
  if (admitting.length > 0) return decision('allow', firstPerEntry(admitting), [], [], dnsProxied);
  if (judged.length > 0) return decision('isolated', [], allowed.nearMisses, firstPerEntry(judged), dnsProxied === undefined ? undefined : false);
  if (!rules) return decision('not-isolated', []);
  return decision(rules.defaultDeny ? 'isolated' : 'not-isolated', [], allowed.nearMisses);
}

/** One match per rule element (its first matching port), in rule order. */
function firstPerEntry(matches: readonly CiliumMatch[]): CiliumMatch[] {
  const seen = new Set<CompiledEntry | undefined>();
  const result: CiliumMatch[] = [];
  for (const match of matches) {
    if (match.entry && seen.has(match.entry)) continue;
    seen.add(match.entry);
    result.push(match);
  }
  return result;
}
