/**
 * Calico policies compiled against the endpoints, for the set form (probe-sets.ts): which enforced policies select
 * each endpoint in each direction, in evaluation order (tiers ascending, then policies by order and name, as
 * `CalicoEvaluator.evaluate` walks them), and each rule's peer side as a set of endpoints. Staged policies are not
 * compiled: they never enforce (https://docs.tigera.io/calico/latest/network-policy/staged-network-policies).
 *
 * A rule matches a connection when its probe criteria (protocol, ICMP), its subject side (the source of an egress
 * rule, the destination of an ingress rule) and its peer side all match; the subject side is a yes/no per subject,
 * the peer side a set. Every rule field has a set form, so no rule falls back to per-peer evaluation.
 */
import { CalicoEvaluator, comparePolicies, networkSetOwner, serviceNamespace } from './evaluate';
import { CalicoPolicy, CalicoRule, CalicoTier, EntityRule } from './model';
import { CalicoSelections } from './selections';
import { matchesSelector, printCalicoSelector } from './selector';
import { andInto, andNotInto, Bitset, emptyBitset, forEachBit, hasBit, orInto, setBit } from '../../core/bitset';
import { EndpointUniverse } from '../../core/endpoint-universe';
import { Direction } from '../../dialect';
import { ProbePort } from '../../types';

/** One rule of one policy for one direction. */
export interface CompiledRule {
  /** Position in `CompiledCalico.rules`. */
  readonly id: number;
  readonly policy: CalicoPolicy;
  readonly rule: CalicoRule;
  readonly direction: Direction;
  /** The side matched against the subject: `source` for egress, `destination` for ingress. */
  readonly subjectSide: EntityRule;
  /** The subject side has no criteria: it matches every subject. */
  readonly subjectSideEmpty: boolean;
  /** The side matched against the peer. */
  readonly peerSide: EntityRule;
}

/** The enforced policies that select one endpoint for one direction, with their rules for it, in evaluation order. */
export interface SelectedPolicy {
  readonly policy: CalicoPolicy;
  /** Position of its tier in `CalicoEvaluator.tiers`. */
  readonly tier: number;
  readonly rules: readonly CompiledRule[];
}

export class CompiledCalico {
  readonly universe: EndpointUniverse;
  readonly selections: CalicoSelections;
  readonly rules: CompiledRule[] = [];
  readonly tiers: readonly CalicoTier[];
  private readonly egress: (SelectedPolicy[] | undefined)[];
  private readonly ingress: (SelectedPolicy[] | undefined)[];
  /** Per rule id: the probe-independent part of the peer side (nets, selectors); computed on first use. */
  private readonly peerBase: (Bitset | undefined)[] = [];
  /** Rule peer sides' positive parts by what they depend on. */
  private readonly positives = new Map<string, Bitset>();
  /** Endpoints by the family of their first address, and endpoints without an address (for `ipVersion`). */
  private readonly firstFamily: Record<4 | 6 | 0, Bitset>;

  constructor(readonly evaluator: CalicoEvaluator) {
    this.universe = evaluator.universe;
    this.selections = new CalicoSelections(evaluator);
    this.tiers = evaluator.tiers;
    const size = this.universe.size;
    this.egress = new Array(size);
    this.ingress = new Array(size);
    this.firstFamily = { 4: emptyBitset(size), 6: emptyBitset(size), 0: emptyBitset(size) };
    for (const endpoint of this.universe.endpoints) {
      const family = endpoint.ips[0]?.family ?? 0;
      setBit(this.firstFamily[family], endpoint.index);
    }
    const tierIndex = new Map(this.tiers.map((tier, index) => [tier.name, index]));
    const enforced = evaluator.policies.filter((policy) => !policy.staged)
      .map((policy) => ({ policy, tier: tierIndex.get(policy.tier)! }))
      .sort((a, b) => a.tier - b.tier || comparePolicies(a.policy, b.policy));
    for (const { policy, tier } of enforced) {
      const selected = this.selected(policy);
      for (const direction of ['Egress', 'Ingress'] as const) {
        if (!policy.types.has(direction)) continue;
        const entry: SelectedPolicy = { policy, tier, rules: this.compileRules(policy, direction) };
        const table = direction === 'Egress' ? this.egress : this.ingress;
        for (const index of selected) {
          const list = table[index];
          if (list) list.push(entry); else table[index] = [entry];
        }
      }
    }
  }

  /** The enforced policies selecting the endpoint for the direction, in evaluation order; undefined when none. */
  policiesFor(direction: Direction, subject: number): readonly SelectedPolicy[] | undefined {
    return (direction === 'Egress' ? this.egress : this.ingress)[subject];
  }

  /**
   * The set form of `CalicoEvaluator.selects`: the workload endpoints matching the policy's top-level selectors,
   * ascending. A namespaced policy looks at its namespace's pods only.
   */
  private selected(policy: CalicoPolicy): number[] {
    const s = this.selections;
    const sets = [s.pods(policy.selector)];
    if (policy.namespaceSelector) sets.push(s.podsOfNamespaces(policy.namespaceSelector, false));
    if (policy.serviceAccountSelector.kind !== 'all') sets.push(s.podsOfServiceAccounts({ selector: policy.serviceAccountSelector }));
    const indices: number[] = [];
    if (policy.namespace !== undefined) {
      for (const index of s.namespacePodIndices(policy.namespace)) if (sets.every((set) => hasBit(set, index))) indices.push(index);
      return indices;
    }
    const bits = sets[0].slice();
    for (const set of sets.slice(1)) andInto(bits, set);
    forEachBit(bits, (index) => indices.push(index));
    return indices;
  }

  private compileRules(policy: CalicoPolicy, direction: Direction): CompiledRule[] {
    return (direction === 'Egress' ? policy.egress : policy.ingress).map((rule) => {
      const subjectSide = direction === 'Egress' ? rule.source : rule.destination;
      const compiled: CompiledRule = {
        id: this.rules.length,
        policy,
        rule,
        direction,
        subjectSide,
        subjectSideEmpty: Object.keys(subjectSide).length === 0,
        peerSide: direction === 'Egress' ? rule.destination : rule.source,
      };
      this.rules.push(compiled);
      return compiled;
    });
  }

  /** Endpoints whose first address is of the family (0: endpoints without an address). Shared. */
  withFirstFamily(family: 4 | 6 | 0): Bitset {
    return this.firstFamily[family];
  }

  /**
   * The peers a rule's peer side admits for the probe (the set form of `CalicoEvaluator.entityMatches` on the peer
   * side). For an egress rule the peer is the destination: its ports and named ports count, and `services` match
   * address and port; for an ingress rule the peer is the source, whose (ephemeral) port is unknown. May be shared:
   * never modify it.
   */
  peerSet(rule: CompiledRule, probe: ProbePort): Bitset {
    const universe = this.universe;
    const entity = rule.peerSide;
    const peerIsDestination = rule.direction === 'Egress';
    // The probe-dependent criteria first: most rules name ports that the probe is not, and match no peer at all.
    const narrowing: Bitset[] = [];
    if (entity.ports) {
      if (!peerIsDestination) return universe.none;
      const ports = this.portSet(entity.ports, probe);
      if (ports === universe.none) return universe.none;
      if (ports !== universe.all) narrowing.push(ports);
    }
    let excluded: Bitset | undefined;
    if (entity.notPorts && peerIsDestination) {
      excluded = this.portSet(entity.notPorts, probe);
      if (excluded === universe.all) return universe.none;
      if (excluded === universe.none) excluded = undefined;
    }
    if (entity.services) {
      const namespace = serviceNamespace(entity, rule.policy);
      if (namespace === undefined) return universe.none;
      narrowing.push(peerIsDestination
        ? this.evaluator.services.destinationSet(namespace, entity.services.name, probe)
        : this.evaluator.services.sourceSet(namespace, entity.services.name));
    }
    const base = this.base(rule);
    // Without probe-dependent criteria the rule's peers are its base, shared.
    if (narrowing.length === 0 && !excluded) return base;
    const bits = base.slice();
    for (const set of narrowing) andInto(bits, set);
    if (excluded) andNotInto(bits, excluded);
    return bits;
  }

  /**
   * Destinations on which one of the port entries matches the probe: a range holding its port, or a named port
   * resolving to it. `universe.all` or `universe.none` when every or no destination does; else a new set.
   */
  private portSet(ports: NonNullable<EntityRule['ports']>, probe: ProbePort): Bitset {
    let bits: Bitset | undefined;
    for (const port of ports) {
      if (port.kind === 'range') {
        if (probe.port >= port.min && probe.port <= port.max) return this.universe.all;
      } else {
        bits ??= emptyBitset(this.universe.size);
        orInto(bits, this.universe.namedPortTargets(port.name, probe.protocol, probe.port));
      }
    }
    return bits ?? this.universe.none;
  }

  /** The probe-independent part of the peer side: nets, notNets, selector, namespace scope, service accounts, notSelector. Shared. */
  private base(rule: CompiledRule): Bitset {
    let bits = this.peerBase[rule.id];
    if (!bits) {
      bits = this.computeBase(rule.peerSide, rule.policy);
      this.peerBase[rule.id] = bits;
    }
    return bits;
  }

  private computeBase(entity: EntityRule, policy: CalicoPolicy): Bitset {
    const s = this.selections;
    // As `entityMatches`: in a namespaced policy a lone notSelector also limits the rule to the policy's namespace.
    const selectsOwners = entity.selector !== undefined || entity.namespaceSelector !== undefined || entity.serviceAccounts !== undefined
      || (policy.namespace !== undefined && entity.notSelector !== undefined);
    if (!selectsOwners && !entity.nets && !entity.notNets && !entity.notSelector) return this.universe.all;
    if (selectsOwners && !entity.nets && !entity.notNets && !entity.notSelector) return this.positive(entity, policy);
    let bits: Bitset;
    if (selectsOwners) {
      bits = this.positive(entity, policy).slice();
      if (entity.nets) andInto(bits, s.addresses(entity.nets));
    } else {
      bits = entity.nets ? s.addresses(entity.nets).slice() : this.universe.all.slice();
    }
    if (entity.notNets) andNotInto(bits, s.addresses(entity.notNets));
    if (entity.notSelector) andNotInto(bits, this.excluded(entity.notSelector));
    return bits;
  }

  /**
   * Endpoints owned by a workload or network set that is in the rule's scope and matches its selector and service
   * accounts. Cached by what it depends on (rules of one namespace often repeat a peer). Shared: never modify it.
   */
  private positive(entity: EntityRule, policy: CalicoPolicy): Bitset {
    const key = [
      entity.namespaceSelector ? `r${printCalicoSelector(entity.namespaceSelector)}` : `n${policy.namespace ?? ''}`,
      entity.selector ? printCalicoSelector(entity.selector) : '',
      entity.serviceAccounts ? JSON.stringify([entity.serviceAccounts.names, entity.serviceAccounts.selector && printCalicoSelector(entity.serviceAccounts.selector)]) : '',
    ].join('\u0000');
    let bits = this.positives.get(key);
    if (!bits) {
      bits = this.computePositive(entity, policy);
      this.positives.set(key, bits);
    }
    return bits;
  }

  private computePositive(entity: EntityRule, policy: CalicoPolicy): Bitset {
    const s = this.selections;
    const sets = [s.pods(entity.selector ?? { kind: 'all' })];
    if (entity.serviceAccounts) sets.push(s.podsOfServiceAccounts(entity.serviceAccounts));
    let bits: Bitset;
    if (!entity.namespaceSelector && policy.namespace !== undefined) {
      // Scoped to the policy's namespace: only its pods need looking at.
      bits = emptyBitset(this.universe.size);
      for (const index of s.namespacePodIndices(policy.namespace)) if (sets.every((set) => hasBit(set, index))) setBit(bits, index);
    } else {
      bits = sets[0].slice();
      for (const set of sets.slice(1)) andInto(bits, set);
      if (entity.namespaceSelector) andInto(bits, s.podsOfNamespaces(entity.namespaceSelector, true));
    }
    const selector = entity.selector ?? { kind: 'all' as const };
    for (const set of this.evaluator.networkSets) {
      const owner = networkSetOwner(set);
      if (!this.evaluator.inScope(entity, policy, owner)) continue;
      if (!matchesSelector(selector, owner.labels) || !this.evaluator.serviceAccountsMatch(entity, owner)) continue;
      orInto(bits, s.addresses(set.nets));
    }
    return bits;
  }

  /** Endpoints owned by a workload or network set matching the notSelector (not scoped). */
  private excluded(notSelector: NonNullable<EntityRule['notSelector']>): Bitset {
    const bits = this.selections.pods(notSelector).slice();
    for (const set of this.evaluator.networkSets) {
      if (matchesSelector(notSelector, networkSetOwner(set).labels)) orInto(bits, this.selections.addresses(set.nets));
    }
    return bits;
  }
}
