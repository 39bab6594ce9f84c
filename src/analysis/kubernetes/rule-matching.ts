import { ProbePort } from '../types';
import { hasBit } from './bitset';
import { Endpoint } from './endpoints';
import { Direction, PolicyPort } from './network-policy';
import { CompiledRule, PolicyModel } from './policy-model';

/**
 * Whether one `ports` entry admits the probe. Named ports resolve against the destination's container
 * ports (for ingress and egress alike), by name and protocol; an external destination has none.
 */
export function portEntryMatches(entry: PolicyPort, probe: ProbePort, destination: Endpoint): boolean {
  if (entry.protocol !== probe.protocol) return false;
  if (entry.portName !== undefined) {
    return destination.ports.some((port) => port.name === entry.portName && port.protocol === probe.protocol && port.port === probe.port);
  }
  if (entry.port === undefined) return true;
  if (entry.endPort === undefined) return probe.port === entry.port;
  return probe.port >= entry.port && probe.port <= entry.endPort;
}

/** A rule that admitted the connection, with the first peer and port entries that did (undefined = "any"). */
export interface RuleMatch {
  readonly rule: CompiledRule;
  readonly peerIndex?: number;
  readonly portIndex?: number;
}

export interface SideEvaluation {
  readonly direction: Direction;
  /** False when the endpoint is external: policies never apply to it. */
  readonly applicable: boolean;
  readonly isolated: boolean;
  readonly allowed: boolean;
  /** Keys of the policies selecting the endpoint in this direction. */
  readonly selectingPolicies: readonly string[];
  /** Rules that admitted the connection (empty when not isolated). */
  readonly matches: readonly RuleMatch[];
  /** Rules whose peers matched but whose ports did not: the usual near miss, for explanations. */
  readonly portMisses: readonly CompiledRule[];
}

/**
 * One side of a connection, rule by rule: the source's egress (`peer` = destination) or the destination's
 * ingress (`peer` = source). This is the reference evaluation used for verdicts and explanations.
 */
export function evaluateSide(
  model: PolicyModel,
  direction: Direction,
  subject: Endpoint,
  peer: Endpoint,
  probe: ProbePort,
  destination: Endpoint,
): SideEvaluation {
  if (subject.kind === 'external') {
    return { direction, applicable: false, isolated: false, allowed: true, selectingPolicies: [], matches: [], portMisses: [] };
  }
  const rules = model.rulesFor(direction, subject.index);
  const selectingPolicies = model.policiesFor(direction, subject.index);
  if (!rules) {
    return { direction, applicable: true, isolated: false, allowed: true, selectingPolicies, matches: [], portMisses: [] };
  }
  const matches: RuleMatch[] = [];
  const portMisses: CompiledRule[] = [];
  for (const rule of rules) {
    let peerIndex: number | undefined;
    if (rule.peerUnion) {
      if (!hasBit(rule.peerUnion, peer.index)) continue;
      peerIndex = rule.peerSets.findIndex((bits) => hasBit(bits, peer.index));
    }
    let portIndex: number | undefined;
    if (rule.rule.ports) {
      const port = rule.rule.ports.find((entry) => portEntryMatches(entry, probe, destination));
      if (!port) {
        portMisses.push(rule);
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
  return { direction, applicable: true, isolated: true, allowed: matches.length > 0, selectingPolicies, matches, portMisses };
}

/** Sorted keys of the policies owning the matched rules. */
export function allowingPolicies(side: SideEvaluation): string[] {
  return [...new Set(side.matches.map((match) => match.rule.policy.key))].sort();
}
