import { Bitset, hasBit } from './bitset';
import { EndpointUniverse } from './endpoint-universe';
import { Protocol } from '../../vocabulary/protocol';
import { ProbePort } from '../types';

/**
 * One entry of a rule's port list, in the form Kubernetes NetworkPolicy gives it
 * (https://kubernetes.io/docs/reference/kubernetes-api/networking-resources/network-policy-v1/#NetworkPolicySpec):
 * a protocol with every port, one port, a range, or a named port.
 */
export interface PortEntry {
  readonly protocol: Protocol;
  /** Absent: every port of the protocol. */
  readonly port?: number;
  /** Inclusive upper bound of a range starting at `port`. */
  readonly endPort?: number;
  /** A named port, resolved against the destination pod's container ports. */
  readonly portName?: string;
}

/**
 * The destinations for which a port entry (or a rule's whole port list) admits a probe: every destination,
 * none, or those in the set. Only named ports give a set, since a name resolves on the destination pod.
 * Sets come from the universe's caches: never modify them.
 */
export type PortTargets = 'all' | 'none' | Bitset;

/**
 * Whether one port entry admits the probe, and for which destinations. Named ports resolve against the
 * destination's container ports, by name, protocol and number (for ingress and egress alike,
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/#targeting-a-range-of-ports);
 * an external destination has none. Per-verdict matching and the summary's set form both use this.
 */
export function portEntryTargets(entry: PortEntry, probe: ProbePort, universe: EndpointUniverse): PortTargets {
  if (entry.protocol !== probe.protocol) return 'none';
  if (entry.portName !== undefined) return universe.namedPortTargets(entry.portName, probe.protocol, probe.port);
  if (entry.port === undefined) return 'all';
  if (entry.endPort === undefined) return probe.port === entry.port ? 'all' : 'none';
  return probe.port >= entry.port && probe.port <= entry.endPort ? 'all' : 'none';
}

export function targetsInclude(targets: PortTargets, destination: number): boolean {
  return targets === 'all' || (targets !== 'none' && hasBit(targets, destination));
}

/**
 * The destinations for which a port list (entries ORed) admits a probe: every destination, none, or those in
 * any of the sets. The sets are kept apart rather than united, since a union would be a new set per rule
 * and probe.
 */
export type PortListTargets = 'all' | 'none' | readonly Bitset[];

/** `portEntryTargets` over a rule's whole port list. */
export function portListTargets(entries: readonly PortEntry[], probe: ProbePort, universe: EndpointUniverse): PortListTargets {
  let sets: Bitset[] | undefined;
  for (const entry of entries) {
    const targets = portEntryTargets(entry, probe, universe);
    if (targets === 'all') return 'all';
    if (targets === 'none') continue;
    sets ??= [];
    if (!sets.includes(targets)) sets.push(targets);
  }
  return sets ?? 'none';
}

export function listTargetsInclude(targets: PortListTargets, destination: number): boolean {
  if (targets === 'all') return true;
  if (targets === 'none') return false;
  return targets.some((set) => hasBit(set, destination));
}
