/**
 * The set form of the Cilium answer for one probe port: per subject, the peers its rules allow and deny, as
 * endpoint sets, for counting 10^8 verdicts. It must agree with `decideCilium` judged without L7 attributes
 * (an L7 rule then admits the connection; toFQDNs matches nothing, since no name was looked up).
 */
import { CompiledCilium, CompiledEntry, DirectionRules } from './compile';
import { portProtocolTargets } from './ports';
import { andInto, Bitset, emptyBitset, hasBit, orInto, orIntersectionInto } from '../../core/bitset';
import { EndpointUniverse } from '../../core/endpoint-universe';
import { listTargetsInclude, PortListTargets } from '../../core/port-entry';
import { Direction, PeerSets, ProbeSets } from '../../dialect';
import { ProbePort } from '../../types';

/** The destinations for which a rule element's ports admit the probe. */
function entryTargets(entry: CompiledEntry, probe: ProbePort, universe: EndpointUniverse): PortListTargets {
  const l4 = entry.entry.l4;
  // `{}` (no peer, no port) matches nothing; peers without ports match every port and protocol.
  if (!l4) return entry.peers ? 'all' : 'none';
  let sets: Bitset[] | undefined;
  for (const portRule of l4.ports) {
    for (const port of portRule.ports) {
      const targets = portProtocolTargets(port, probe, universe);
      if (targets === 'all') return 'all';
      if (targets === 'none') continue;
      sets ??= [];
      if (!sets.includes(targets)) sets.push(targets);
    }
  }
  return sets ?? 'none';
}

export class CiliumProbeSets implements ProbeSets {
  private readonly universe: EndpointUniverse;
  private readonly targets: readonly PortListTargets[];
  private readonly cache = new Map<string, PeerSets>();

  constructor(private readonly compiled: CompiledCilium, probe: ProbePort) {
    this.universe = compiled.universe;
    this.targets = compiled.entries.map((entry) => entryTargets(entry, probe, this.universe));
  }

  egress(source: number): PeerSets | undefined {
    return this.sets('Egress', source);
  }

  ingress(destination: number): PeerSets | undefined {
    return this.sets('Ingress', destination);
  }

  private sets(direction: Direction, subject: number): PeerSets | undefined {
    const rules = this.compiled.rulesFor(direction, subject);
    const endpoint = this.universe.endpoints[subject];
    const node = endpoint.nodeName;
    const identities = this.compiled.identities;
    // allow-localhost: a pod's own node reaches it (decision.ts).
    const localhost = direction === 'Ingress' && hasBit(identities.managedPods, subject) ? identities.onNodeOf(node) : undefined;
    if (!rules && !localhost) return undefined;
    // Egress named ports resolve on each destination; ingress ones on the subject, so a rule either counts or not.
    const contributes = (entry: CompiledEntry): boolean => {
      const targets = this.targets[entry.id];
      return direction === 'Egress' ? targets !== 'none' : listTargetsInclude(targets, subject);
    };
    let key = `${direction[0]}${node ?? ''}|${rules?.defaultDeny ? 'i' : 'o'}|${localhost ? 'h' : ''}|${rules ? rules.requirementKey : ''}|`;
    for (const entry of rules?.allow ?? []) if (contributes(entry)) key += `${entry.id},`;
    key += '|';
    for (const entry of rules?.deny ?? []) if (contributes(entry)) key += `${entry.id},`;
    let sets = this.cache.get(key);
    if (!sets) {
      const allow = emptyBitset(this.universe.size);
      let deny: Bitset | undefined;
      for (const entry of rules?.allow ?? []) if (contributes(entry)) this.add(allow, entry, direction, rules!.allowRequires, node);
      for (const entry of rules?.deny ?? []) {
        if (!contributes(entry)) continue;
        deny ??= emptyBitset(this.universe.size);
        this.add(deny, entry, direction, rules!.denyRequires, node);
      }
      if (localhost) orInto(allow, localhost);
      sets = { isolates: rules?.defaultDeny ?? false, allow, ...(deny ? { deny } : {}) };
      this.cache.set(key, sets);
    }
    return sets;
  }

  /** Adds the peers an element admits for this subject: its peers (with requirements), narrowed to its port targets on egress. */
  private add(bits: Bitset, entry: CompiledEntry, direction: Direction, requires: DirectionRules['allowRequires'], node: string | undefined): void {
    const identities = this.compiled.identities;
    let peers = entry.union ? identities.resolve(entry.union, node) : this.universe.all;
    const requirement = entry.byEndpoints ? this.compiled.requirementSet(requires) : undefined;
    if (requirement) {
      peers = peers.slice();
      andInto(peers, identities.resolve(requirement, node));
    }
    const targets = this.targets[entry.id];
    if (direction === 'Ingress' || targets === 'all') {
      orInto(bits, peers);
      return;
    }
    if (targets === 'none') return;
    for (const set of targets) orIntersectionInto(bits, set, peers);
  }
}
