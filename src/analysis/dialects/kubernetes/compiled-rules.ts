import { NetworkPolicy, PolicyPeer, PolicyRule } from './network-policy';
import { andInto, andNotInto, Bitset, emptyBitset, hasBit, orInto, setBit } from '../../core/bitset';
import { EndpointUniverse } from '../../core/endpoint-universe';
import { cidrBlockKey } from '../../core/ip-address';
import { Direction, RuleMatch, RuleRef } from '../../dialect';

/** A NetworkPolicy rule with its peers resolved to endpoint sets. */
export interface CompiledRule extends RuleRef {
  /** Position in `CompiledRules.rules`. */
  readonly id: number;
  readonly policy: NetworkPolicy;
  readonly rule: PolicyRule;
  /** One set per entry of `rule.peers`; empty when the rule accepts any peer. */
  readonly peerSets: readonly Bitset[];
  /** Union of `peerSets`; undefined when the rule accepts any peer (externals included). */
  readonly peerUnion?: Bitset;
}

/** A rule that admitted a connection, with the first peer and port entries that did (undefined = the rule has none: any). */
export interface NetworkPolicyMatch extends RuleMatch {
  readonly rule: CompiledRule;
  /** Index in the rule's `from`/`to`. */
  readonly peerIndex?: number;
  /** Index in the rule's `ports`. */
  readonly portIndex?: number;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Which CNI enforces the policies, where that changes what they select. Under Cilium
 * (https://docs.cilium.io/en/stable/network/kubernetes/policy/), a NetworkPolicy is a Cilium rule on identities:
 * - hostNetwork pods carry their node's identity (`host` / `remote-node`), so policies neither select them
 *   nor match them as peers;
 * - `ipBlock` matches only addresses without a label-based identity: never a Cilium-managed pod or a node
 *   (https://docs.cilium.io/en/stable/security/policy/language/#ip-cidr-based).
 */
export interface NetworkPolicyEnforcement {
  readonly cni: 'kubernetes' | 'cilium';
}

/**
 * NetworkPolicies compiled against the endpoints: which policies select which endpoint in which direction,
 * and each rule's peers as an endpoint set. Every distinct peer is evaluated once.
 */
export class CompiledRules {
  readonly rules: CompiledRule[] = [];
  /** Per endpoint: rules of the policies selecting it for ingress; undefined when not isolated for ingress. */
  private readonly ingressRules: (readonly CompiledRule[] | undefined)[];
  private readonly egressRules: (readonly CompiledRule[] | undefined)[];
  /** Per endpoint: the policies selecting it, per direction, sorted by key. */
  private readonly ingressPolicies: (readonly NetworkPolicy[])[];
  private readonly egressPolicies: (readonly NetworkPolicy[])[];

  private readonly peerSelections = new Map<string, Bitset>();
  private readonly ruleUnions = new Map<string, Bitset>();
  /** Under Cilium: the hostNetwork pods, which are node identities; undefined otherwise. */
  private readonly hostNetworkPods?: Bitset;
  /** Under Cilium: the endpoints an ipBlock can match (externals); undefined otherwise (every endpoint). */
  private readonly cidrMatchable?: Bitset;

  constructor(readonly universe: EndpointUniverse, unsorted: readonly NetworkPolicy[], readonly enforcement: NetworkPolicyEnforcement = { cni: 'kubernetes' }) {
    if (enforcement.cni === 'cilium') {
      const hostNetworkPods = emptyBitset(universe.size);
      const cidrMatchable = emptyBitset(universe.size);
      for (const endpoint of universe.endpoints) {
        if (endpoint.kind === 'pod' && endpoint.hostNetwork) setBit(hostNetworkPods, endpoint.index);
        if (endpoint.kind === 'external') setBit(cidrMatchable, endpoint.index);
      }
      this.hostNetworkPods = hostNetworkPods;
      this.cidrMatchable = cidrMatchable;
    }
    // Rules are listed in policy order (namespace, then name), so explanations list them the same way on every run.
    const policies = [...unsorted].sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name));
    const endpoints = universe.endpoints;
    const ingressRules: CompiledRule[][] = endpoints.map(() => []);
    const egressRules: CompiledRule[][] = endpoints.map(() => []);
    const ingressPolicies: NetworkPolicy[][] = endpoints.map(() => []);
    const egressPolicies: NetworkPolicy[][] = endpoints.map(() => []);
    for (const policy of policies) {
      const compiledIngress = policy.ingress?.map((rule) => this.compileRule(policy, rule));
      const compiledEgress = policy.egress?.map((rule) => this.compileRule(policy, rule));
      const range = universe.namespaceRange(policy.namespace);
      if (!range) continue;
      const selected = universe.selectPods(policy.podSelector);
      // Isolation comes only from policies in the pod's own namespace, hence the range
      // (https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation).
      for (let index = range.start; index < range.end; index++) {
        if (!hasBit(selected, index)) continue;
        if (this.hostNetworkPods && hasBit(this.hostNetworkPods, index)) continue;
        if (compiledIngress) {
          ingressRules[index].push(...compiledIngress);
          ingressPolicies[index].push(policy);
        }
        if (compiledEgress) {
          egressRules[index].push(...compiledEgress);
          egressPolicies[index].push(policy);
        }
      }
    }
    const byKey = (list: NetworkPolicy[]): NetworkPolicy[] => list.sort((a, b) => compareText(a.key, b.key));
    this.ingressPolicies = ingressPolicies.map(byKey);
    this.egressPolicies = egressPolicies.map(byKey);
    this.ingressRules = ingressRules.map((rules, index) => (ingressPolicies[index].length > 0 ? rules : undefined));
    this.egressRules = egressRules.map((rules, index) => (egressPolicies[index].length > 0 ? rules : undefined));
  }

  /** The rules that apply to the endpoint in this direction; undefined when no policy isolates it. */
  rulesFor(direction: Direction, endpoint: number): readonly CompiledRule[] | undefined {
    return direction === 'Ingress' ? this.ingressRules[endpoint] : this.egressRules[endpoint];
  }

  /** The policies selecting the endpoint for this direction, sorted by key. */
  policiesFor(direction: Direction, endpoint: number): readonly NetworkPolicy[] {
    return direction === 'Ingress' ? this.ingressPolicies[endpoint] : this.egressPolicies[endpoint];
  }

  private peerKey(peer: PolicyPeer, policyNamespace: string): string {
    if (peer.kind === 'ipBlock') return `ip|${cidrBlockKey(peer)}`;
    // A podSelector without a namespaceSelector is scoped to the policy's namespace, so the namespace is part of its identity.
    const scope = peer.namespaceSelector ? `nsSel:${peer.namespaceSelector.canonical}` : `ns:${policyNamespace}`;
    return `sel|${scope}|${peer.podSelector ? peer.podSelector.canonical : '*'}`;
  }

  private selectPeer(peer: PolicyPeer, key: string, policyNamespace: string): Bitset {
    if (peer.kind === 'ipBlock') {
      if (!this.cidrMatchable) return this.universe.selectCidrBlock(peer);
      let matched = this.peerSelections.get(key);
      if (!matched) {
        matched = this.universe.selectCidrBlock(peer).slice();
        andInto(matched, this.cidrMatchable);
        this.peerSelections.set(key, matched);
      }
      return matched;
    }
    let bits = this.peerSelections.get(key);
    if (bits) return bits;
    bits = peer.namespaceSelector
      ? this.universe.selectNamespacePods(peer.namespaceSelector).slice()
      : this.universe.namespacePods(policyNamespace);
    if (peer.podSelector) andInto(bits, this.universe.selectPods(peer.podSelector));
    if (this.hostNetworkPods) andNotInto(bits, this.hostNetworkPods);
    this.peerSelections.set(key, bits);
    return bits;
  }

  private compileRule(policy: NetworkPolicy, rule: PolicyRule): CompiledRule {
    const id = this.rules.length;
    let compiled: CompiledRule;
    if (!rule.peers) {
      compiled = { id, policy, direction: rule.direction, index: rule.index, rule, peerSets: [] };
    } else {
      const keys = rule.peers.map((peer) => this.peerKey(peer, policy.namespace));
      const peerSets = rule.peers.map((peer, index) => this.selectPeer(peer, keys[index], policy.namespace));
      const unionKey = [...new Set(keys)].sort().join('\n');
      let peerUnion = this.ruleUnions.get(unionKey);
      if (!peerUnion) {
        peerUnion = emptyBitset(this.universe.size);
        for (const bits of peerSets) orInto(peerUnion, bits);
        this.ruleUnions.set(unionKey, peerUnion);
      }
      compiled = { id, policy, direction: rule.direction, index: rule.index, rule, peerSets, peerUnion };
    }
    this.rules.push(compiled);
    return compiled;
  }
}
