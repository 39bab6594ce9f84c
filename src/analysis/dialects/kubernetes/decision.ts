import { CompiledRule, CompiledRules, NetworkPolicyMatch } from './compiled-rules';
import { NetworkPolicy } from './network-policy';
import { describeDecision } from './words';
import { hasBit } from '../../core/bitset';
import { portEntryTargets, targetsInclude } from '../../core/port-entry';
import { Decision, DecisionWords, DirectionQuery, Effect } from '../../dialect';

/** The NetworkPolicy answer for one direction of one connection: `allow`, `isolated` or `not-isolated` (the API has no deny). */
export class NetworkPolicyDecision implements Decision {
  constructor(
    readonly query: DirectionQuery,
    readonly effect: Effect,
    readonly selectingPolicies: readonly NetworkPolicy[],
    readonly matches: readonly NetworkPolicyMatch[],
    readonly nearMisses: readonly CompiledRule[],
    /** Enforced by Cilium, where hostNetwork pods are their node and no NetworkPolicy selects them. */
    readonly underCilium = false,
  ) {}

  describe(): DecisionWords {
    return describeDecision(this);
  }
}

/**
 * One direction of a connection, rule by rule: isolation per pod and direction, then the union of the
 * rules of every selecting policy; a rule admits when one of its peers and one of its ports match
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors).
 */
export function decide(compiled: CompiledRules, query: DirectionQuery): NetworkPolicyDecision {
  const { direction, subject, peer, probe, destination, icmp } = query;
  const rules = compiled.rulesFor(direction, subject.index);
  const selectingPolicies = compiled.policiesFor(direction, subject.index);
  if (!rules) return new NetworkPolicyDecision(query, 'not-isolated', selectingPolicies, [], [], compiled.enforcement.cni === 'cilium');
  const matches: NetworkPolicyMatch[] = [];
  const nearMisses: CompiledRule[] = [];
  for (const rule of rules) {
    let peerIndex: number | undefined;
    if (rule.peerUnion) {
      if (!hasBit(rule.peerUnion, peer.index)) continue;
      peerIndex = rule.peerSets.findIndex((bits) => hasBit(bits, peer.index));
    }
    let portIndex: number | undefined;
    if (rule.rule.ports) {
      // Ports name TCP, UDP or SCTP: an ICMP message passes only rules without ports, which admit every protocol.
      const port = icmp
        ? undefined
        : rule.rule.ports.find((entry) => targetsInclude(portEntryTargets(entry, probe, compiled.universe), destination.index));
      if (!port) {
        nearMisses.push(rule);
        continue;
      }
      portIndex = port.index;
    }
    matches.push({
      rule,
      ...(peerIndex !== undefined ? { peerIndex: rule.rule.peers![peerIndex].index } : {}),
      ...(portIndex !== undefined ? { portIndex } : {}),
    });
  }
  return new NetworkPolicyDecision(query, matches.length > 0 ? 'allow' : 'isolated', selectingPolicies, matches, nearMisses);
}
