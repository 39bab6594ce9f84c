import { CompiledRule, CompiledRules } from './compiled-rules';
import { Bitset, emptyBitset, orInto, orIntersectionInto } from '../../core/bitset';
import { EndpointUniverse } from '../../core/endpoint-universe';
import { listTargetsInclude, PortListTargets, portListTargets } from '../../core/port-entry';
import { PeerSets, ProbeSets } from '../../dialect';
import { ProbePort } from '../../types';

/**
 * The set form of NetworkPolicy for one probe port: the destinations each source's egress admits, and the
 * sources each destination's ingress admits. Sets are unions of rule peer sets, cached by the list of
 * contributing rules: endpoints selected by the same policies share one set.
 */
export class NetworkPolicyProbeSets implements ProbeSets {
  private readonly universe: EndpointUniverse;
  /** Per rule id: the destinations its ports admit the probe for. */
  private readonly ruleTargets: readonly PortListTargets[];
  private readonly egressCache = new Map<string, PeerSets>();
  private readonly ingressCache = new Map<string, PeerSets>();
  private readonly admitsAll: PeerSets;
  private readonly admitsNone: PeerSets;

  constructor(private readonly compiled: CompiledRules, probe: ProbePort) {
    this.universe = compiled.universe;
    // Once per rule and probe, in a packed array: cheaper than deciding per source and rule.
    this.ruleTargets = compiled.rules.map((rule) => (rule.rule.ports ? portListTargets(rule.rule.ports, probe, this.universe) : 'all'));
    this.admitsAll = { isolates: true, allow: this.universe.all };
    this.admitsNone = { isolates: true, allow: this.universe.none };
  }

  /** Destinations that `source`'s egress admits (named ports depend on the destination, hence per-rule target sets). */
  egress(source: number): PeerSets | undefined {
    const rules = this.compiled.rulesFor('Egress', source);
    if (!rules) return undefined;
    // The key lists the contributing rules; built as a string, as this runs for every source and probe.
    let key = '';
    for (const rule of rules) {
      const targets = this.portTargets(rule);
      if (targets === 'none') continue;
      if (targets === 'all' && !rule.peerUnion) return this.admitsAll;
      key += `${rule.id},`;
    }
    if (key === '') return this.admitsNone;
    let sets = this.egressCache.get(key);
    if (!sets) {
      const bits = emptyBitset(this.universe.size);
      for (const rule of rules) this.addAdmitted(bits, rule);
      sets = { isolates: true, allow: bits };
      this.egressCache.set(key, sets);
    }
    return sets;
  }

  /** Sources that `destination`'s ingress admits. */
  ingress(destination: number): PeerSets | undefined {
    const rules = this.compiled.rulesFor('Ingress', destination);
    if (!rules) return undefined;
    let key = '';
    for (const rule of rules) {
      if (!listTargetsInclude(this.portTargets(rule), destination)) continue;
      if (!rule.peerUnion) return this.admitsAll;
      key += `${rule.id},`;
    }
    if (key === '') return this.admitsNone;
    let sets = this.ingressCache.get(key);
    if (!sets) {
      const bits = emptyBitset(this.universe.size);
      for (const rule of rules) {
        if (listTargetsInclude(this.portTargets(rule), destination)) orInto(bits, rule.peerUnion!);
      }
      sets = { isolates: true, allow: bits };
      this.ingressCache.set(key, sets);
    }
    return sets;
  }

  /** The rule's port list on this probe, from the same function as per-verdict matching (`portEntryTargets`). */
  private portTargets(rule: CompiledRule): PortListTargets {
    return this.ruleTargets[rule.id];
  }

  /** Adds to `bits` the destinations a contributing egress rule admits: its peers, narrowed to its named-port targets when it has them. */
  private addAdmitted(bits: Bitset, rule: CompiledRule): void {
    const targets = this.portTargets(rule);
    if (targets === 'none') return;
    if (targets === 'all') {
      orInto(bits, rule.peerUnion ?? this.universe.all);
      return;
    }
    for (const set of targets) {
      if (rule.peerUnion) orIntersectionInto(bits, set, rule.peerUnion); else orInto(bits, set);
    }
  }
}
