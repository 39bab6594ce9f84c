import { CompiledRule, NetworkPolicyMatch } from './compiled-rules';
import { NETWORK_POLICY_KIND, NetworkPolicy, PolicyPeer, PolicyPort } from './network-policy';
import { ConnectionProbe, Decision, DecisionWords, describeProbe, Direction, DirectionQuery, isIcmpProbe, queryProbe } from '../../dialect';

/** What the words need of a NetworkPolicy decision. */
export interface DescribedDecision extends Decision {
  readonly query: DirectionQuery;
  readonly selectingPolicies: readonly NetworkPolicy[];
  readonly matches: readonly NetworkPolicyMatch[];
  readonly nearMisses: readonly CompiledRule[];
  readonly underCilium?: boolean;
}

function describePeer(peer: PolicyPeer): string {
  if (peer.kind === 'ipBlock') {
    const except = peer.exceptText.length > 0 ? ` except ${peer.exceptText.join(', ')}` : '';
    return `ipBlock ${peer.cidrText}${except}`;
  }
  return [peer.namespaceSelector ? 'namespaceSelector' : undefined, peer.podSelector ? 'podSelector' : undefined]
    .filter((part) => part)
    .join('+');
}

function describePort(port: PolicyPort, probe: ConnectionProbe): string {
  if (port.portName !== undefined) return isIcmpProbe(probe) ? port.portName : `${port.portName} (${probe.port}/${port.protocol})`;
  if (port.port === undefined) return `all ${port.protocol} ports`;
  if (port.endPort !== undefined) return `${port.port}-${port.endPort}/${port.protocol}`;
  return `${port.port}/${port.protocol}`;
}

/** Which peer and port entries of the rule matched, e.g. `from[1] (namespaceSelector+podSelector), ports[0] grpc (9000/TCP)`. */
export function describeMatch(match: NetworkPolicyMatch, probe: ConnectionProbe): string {
  const rule = match.rule.rule;
  const peersField = rule.direction === 'Ingress' ? 'from' : 'to';
  const peer = match.peerIndex === undefined || !rule.peers
    ? `any peer (no ${peersField})`
    : `${peersField}[${match.peerIndex}] (${describePeer(rule.peers.find((candidate) => candidate.index === match.peerIndex)!)})`;
  const port = match.portIndex === undefined || !rule.ports
    ? 'any port'
    : `ports[${match.portIndex}] ${describePort(rule.ports.find((candidate) => candidate.index === match.portIndex)!, probe)}`;
  return `${peer}, ${port}`;
}

/** `namespace/name ingress[2]`. */
export function ruleName(direction: Direction, policy: string, index: number): string {
  return `${policy} ${direction === 'Ingress' ? 'ingress' : 'egress'}[${index}]`;
}

function reason(decision: DescribedDecision): string {
  const { direction: side, subject, peer } = decision.query;
  const probe = queryProbe(decision.query);
  const direction = side.toLowerCase();
  if (decision.effect === 'not-isolated') {
    if (decision.underCilium && subject.kind === 'pod' && subject.hostNetwork) {
      return `${subject.id} uses its node's network (hostNetwork): Cilium gives it its node's identity, which no ${NETWORK_POLICY_KIND} selects.`;
    }
    if (subject.kind !== 'pod' || subject.namespace === undefined) {
      return `${NETWORK_POLICY_KIND} applies to pods only, so it does not restrict the ${direction} of ${subject.id}.`;
    }
    return `No ${NETWORK_POLICY_KIND} in namespace ${subject.namespace} selects ${subject.id} for ${side}, so its ${direction} is not restricted.`;
  }
  const isolatedBy = `${subject.id} is isolated for ${direction} by ${decision.selectingPolicies.map((policy) => policy.key).join(', ')}`;
  if (decision.effect === 'allow') {
    return `${isolatedBy}; allowed by ${decision.matches.map((match) => ruleName(side, match.rule.policy.key, match.rule.index)).join(', ')}.`;
  }
  const rules = decision.selectingPolicies.length === 1 ? 'its' : 'their';
  const misses = decision.nearMisses.map((rule) => ruleName(side, rule.policy.key, rule.index));
  const nearMiss = misses.length > 0 ? ` (${misses.join(', ')} ${misses.length === 1 ? 'matches' : 'match'} the peer but not the port)` : '';
  return `${isolatedBy}; none of ${rules} ${direction} rules admits ${peer.id} on ${describeProbe(probe)}${nearMiss}.`;
}

/** The words of `explain` for a NetworkPolicy decision. */
export function describeDecision(decision: DescribedDecision): DecisionWords {
  return {
    reason: reason(decision),
    matchDetails: decision.matches.map((match) => describeMatch(match, queryProbe(decision.query))),
  };
}
