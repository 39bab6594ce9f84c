/** The words of `explain` for a Cilium decision. */
import { CompiledCilium } from './compile';
import type { CiliumMatch, L7Outcome } from './decision';
import { CCNP_KIND, CiliumPolicy, CNP_KIND, PeerSpec } from './model';
import { ConnectionProbe, Decision, DecisionWords, describeProbe, DirectionQuery, isIcmpProbe, queryProbe, RuleRef } from '../../dialect';

/** What the words need of a Cilium decision (kept structural to avoid an import cycle). */
export interface DescribedCiliumDecision extends Decision {
  readonly compiled: CompiledCilium;
  readonly query: DirectionQuery;
  readonly selectingPolicies: readonly CiliumPolicy[];
  readonly matches: readonly CiliumMatch[];
  readonly nearMisses: readonly RuleRef[];
  readonly defaultDeny: boolean;
  readonly refused: readonly CiliumMatch[];
  readonly isolatingPolicies: readonly CiliumPolicy[];
}

function policyName(policy: { readonly kind: string; readonly key: string }): string {
  if (policy.kind === CNP_KIND) return `CiliumNetworkPolicy ${policy.key}`;
  if (policy.kind === CCNP_KIND) return `CiliumClusterwideNetworkPolicy ${policy.key}`;
  return policy.key;
}

/** `CiliumNetworkPolicy ns/name spec.ingress[0]`. */
export function ruleName(rule: RuleRef): string {
  return `${policyName(rule.policy)} ${rule.path ?? `${rule.direction === 'Ingress' ? 'ingress' : 'egress'}[${rule.index}]`}`;
}

function describePeer(peer: PeerSpec): string {
  const where = `${peer.field}[${peer.index}]`;
  switch (peer.kind) {
    case 'entity':
      return `${where} (entity ${peer.entity})`;
    case 'cidr':
    case 'cidrGroup':
    case 'service':
      return `${where} (${peer.text})`;
    case 'fqdn':
      return `${where} (${peer.pattern.text})`;
    default:
      return where;
  }
}

function describePort(match: CiliumMatch, probe: ConnectionProbe): string {
  const port = match.port;
  if (!port) return isIcmpProbe(probe) ? 'every protocol (no toPorts)' : 'any port (no toPorts)';
  if (port.kind === 'icmp') return `icmps[${port.icmp.rule}].fields[${port.icmp.index}] ${port.icmp.text}`;
  const named = port.port.name !== undefined && !isIcmpProbe(probe) ? ` (${describeProbe(probe)})` : '';
  return `toPorts[${port.portRule.index}].ports[${port.port.index}] ${port.port.text}${named}`;
}

function describeL7Outcome(outcome: L7Outcome): string {
  switch (outcome.kind) {
    case 'none':
      return '';
    case 'unchecked':
      return `, L7 ${outcome.what} (requests filtered by the proxy; none given here)`;
    case 'matched':
      return `, ${outcome.what}`;
    case 'refused':
      return `, ${outcome.what} refused the request`;
  }
}

/** Which parts of the rule matched, e.g. `fromEndpoints[0], toPorts[0].ports[1] 8080/TCP, rules.http[0] (method GET)`. */
export function describeCiliumMatch(match: CiliumMatch, probe: ConnectionProbe): string {
  if (!match.entry) return 'traffic from the local node (host) to its pods is always allowed (agent option allow-localhost)';
  const peer = match.peer ? describePeer(match.peer) : 'any peer (no peer field)';
  return `${peer}, ${describePort(match, probe)}${describeL7Outcome(match.l7)}`;
}

function reason(decision: DescribedCiliumDecision): string {
  const { direction: side, subject, peer } = decision.query;
  const probe = queryProbe(decision.query);
  const direction = side.toLowerCase();
  const kinds = 'CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy';
  const policies = decision.selectingPolicies.map(policyName).join(', ');
  const isolating = decision.isolatingPolicies.map(policyName).join(', ');
  const hostNetwork = subject.kind === 'pod' && subject.hostNetwork;
  if (decision.effect === 'not-isolated') {
    if (decision.selectingPolicies.length > 0) {
      return `${subject.id} is selected for ${direction} by ${policies}, whose rules set enableDefaultDeny: false, so Cilium lets unmatched ${direction} through.`;
    }
    if (hostNetwork) {
      return `${subject.id} uses its node's network (hostNetwork), so only host policies apply; no host policy (CiliumClusterwideNetworkPolicy nodeSelector) selects node ${subject.nodeName ?? '(unknown)'} for ${side}.`;
    }
    if (subject.kind === 'node') {
      return `No host policy (CiliumClusterwideNetworkPolicy nodeSelector) selects ${subject.id} for ${side}, so Cilium does not restrict its ${direction}.`;
    }
    return `No ${kinds} selects ${subject.id} for ${side}, so Cilium does not restrict its ${direction}.`;
  }
  if (decision.effect === 'deny') {
    return `${decision.matches.map((match) => ruleName(match.rule)).join(', ')} ${decision.matches.length === 1 ? 'denies' : 'deny'} ${peer.id} on ${describeProbe(probe)}; Cilium deny rules take precedence over every allow.`;
  }
  if (decision.effect === 'allow') {
    const rules = decision.matches.map((match) => (match.entry ? ruleName(match.rule) : 'allow-localhost'));
    const isolation = decision.defaultDeny ? `${subject.id} is default-deny for ${direction} (${isolating}); ` : '';
    const l7 = decision.matches.some((match) => match.l7.kind === 'unchecked') ? ' The port has L7 rules: the connection is accepted and each request is then filtered.' : '';
    return `${isolation}allowed by ${rules.join(', ')}.${l7}`;
  }
  if (decision.refused.length > 0) {
    return `${decision.refused.map((match) => ruleName(match.rule)).join(', ')} ${decision.refused.length === 1 ? 'admits' : 'admit'} ${peer.id} on ${describeProbe(probe)} only for some requests, and this one matches none of them (Cilium answers HTTP 403 or DNS REFUSED).`;
  }
  const misses = decision.nearMisses.map(ruleName);
  const nearMiss = misses.length > 0 ? ` (${misses.join(', ')} ${misses.length === 1 ? 'matches' : 'match'} the peer but not the ${isIcmpProbe(probe) ? 'protocol' : 'port'})` : '';
  return `${subject.id} is default-deny for ${direction} (${isolating}); no rule admits ${peer.id} on ${describeProbe(probe)}${nearMiss}.`;
}

export function describeCiliumDecision(decision: DescribedCiliumDecision): DecisionWords {
  return {
    reason: reason(decision),
    matchDetails: decision.matches.map((match) => describeCiliumMatch(match, queryProbe(decision.query))),
  };
}
