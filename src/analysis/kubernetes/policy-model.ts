import { Inventory, NamespaceRecord } from '../manifests/inventory';
import { Protocol } from '../types';
import { andInto, Bitset, emptyBitset, forEachBit, fullBitset, hasBit, orInto, setBit, setRange } from './bitset';
import { Endpoint } from './endpoints';
import { IpIndex } from './ip-index';
import { LabelIndex } from './label-index';
import { LabelSelector } from './label-selector';
import { Direction, NetworkPolicy, PolicyPeer, PolicyRule } from './network-policy';
import { ContainerPort } from '../manifests/pod-spec';

/** A policy rule with its peers resolved to endpoint sets. */
export interface CompiledRule {
  /** Position in `PolicyModel.rules`. */
  readonly id: number;
  readonly policy: NetworkPolicy;
  readonly rule: PolicyRule;
  /** One set per entry of `rule.peers`; empty when the rule accepts any peer. */
  readonly peerSets: readonly Bitset[];
  /** Union of `peerSets`; undefined when the rule accepts any peer (externals included). */
  readonly peerUnion?: Bitset;
}

export interface NamespaceRange {
  readonly namespace: NamespaceRecord;
  /** Pods of the namespace occupy endpoint indices [start, end). */
  readonly start: number;
  readonly end: number;
}

/**
 * Everything about an inventory that does not depend on the probed port: endpoints in report order, which
 * policies select which endpoint in which direction, and each rule's peers as an endpoint set. Every
 * distinct selector is evaluated once.
 */
export class PolicyModel {
  readonly endpoints: readonly Endpoint[];
  readonly size: number;
  readonly namespaces: readonly NamespaceRange[];
  readonly rules: CompiledRule[] = [];
  /** Per endpoint: rules of the policies selecting it for ingress; undefined when not isolated for ingress. */
  readonly ingressRules: (readonly CompiledRule[] | undefined)[];
  readonly egressRules: (readonly CompiledRule[] | undefined)[];
  /** Per endpoint: keys of the policies selecting it, per direction (sorted). */
  readonly ingressPolicies: (readonly string[])[];
  readonly egressPolicies: (readonly string[])[];
  /** Every endpoint; shared so "any peer" never allocates. */
  readonly all: Bitset;

  private readonly namespaceByName = new Map<string, NamespaceRange>();
  private readonly podLabels: LabelIndex;
  private readonly namespaceLabels: LabelIndex;
  private readonly ips: IpIndex;
  private readonly podSelections = new Map<string, Bitset>();
  private readonly namespacePodSelections = new Map<string, Bitset>();
  private readonly peerSelections = new Map<string, Bitset>();
  private readonly ruleUnions = new Map<string, Bitset>();
  private readonly namedPortTargets = new Map<string, Bitset>();
  private readonly portsByName = new Map<string, { endpoint: number; port: ContainerPort }[]>();

  constructor(inventory: Inventory, externals: readonly Endpoint[]) {
    const endpoints: Endpoint[] = inventory.pods.map((pod, index) => ({
      index,
      id: pod.id,
      kind: 'pod',
      namespace: pod.namespace,
      name: pod.name,
      labels: pod.labels,
      ips: pod.ips,
      ports: pod.ports,
    }));
    for (const external of externals) endpoints.push({ ...external, index: endpoints.length });
    this.endpoints = endpoints;
    this.size = endpoints.length;
    this.all = fullBitset(this.size);

    // Pods are sorted by namespace, so each namespace's pods are one contiguous run of indices.
    const runs = new Map<string, { start: number; end: number }>();
    endpoints.forEach((endpoint, index) => {
      if (endpoint.namespace === undefined) return;
      const run = runs.get(endpoint.namespace);
      if (run) run.end = index + 1; else runs.set(endpoint.namespace, { start: index, end: index + 1 });
    });
    this.namespaces = inventory.namespaces.map((namespace) => {
      const range = { namespace, ...(runs.get(namespace.name) ?? { start: 0, end: 0 }) };
      this.namespaceByName.set(namespace.name, range);
      return range;
    });

    const pods = endpoints.filter((endpoint) => endpoint.kind === 'pod');
    this.podLabels = new LabelIndex(this.size, pods);
    const namespaceMembers = inventory.namespaces.map((namespace, index) => ({ index, labels: namespace.labels }));
    this.namespaceLabels = new LabelIndex(this.namespaces.length, namespaceMembers);
    this.ips = new IpIndex(this.size, endpoints);
    for (const pod of pods) {
      for (const port of pod.ports) {
        if (port.name === undefined) continue;
        const list = this.portsByName.get(port.name) ?? [];
        list.push({ endpoint: pod.index, port });
        this.portsByName.set(port.name, list);
      }
    }

    const ingressRules: CompiledRule[][] = endpoints.map(() => []);
    const egressRules: CompiledRule[][] = endpoints.map(() => []);
    const ingressPolicies: string[][] = endpoints.map(() => []);
    const egressPolicies: string[][] = endpoints.map(() => []);
    for (const policy of inventory.policies) {
      const compiledIngress = policy.ingress?.map((rule) => this.compileRule(policy, rule));
      const compiledEgress = policy.egress?.map((rule) => this.compileRule(policy, rule));
      const range = this.namespaceByName.get(policy.namespace)!;
      const selected = this.selectPods(policy.podSelector);
      // Isolation comes only from policies in the pod's own namespace, hence the range.
      for (let index = range.start; index < range.end; index++) {
        if (!hasBit(selected, index)) continue;
        if (compiledIngress) {
          ingressRules[index].push(...compiledIngress);
          ingressPolicies[index].push(policy.key);
        }
        if (compiledEgress) {
          egressRules[index].push(...compiledEgress);
          egressPolicies[index].push(policy.key);
        }
      }
    }
    this.ingressPolicies = ingressPolicies.map((keys) => keys.sort());
    this.egressPolicies = egressPolicies.map((keys) => keys.sort());
    this.ingressRules = ingressRules.map((rules, index) => (ingressPolicies[index].length > 0 ? rules : undefined));
    this.egressRules = egressRules.map((rules, index) => (egressPolicies[index].length > 0 ? rules : undefined));
  }

  rulesFor(direction: Direction, endpoint: number): readonly CompiledRule[] | undefined {
    return direction === 'Ingress' ? this.ingressRules[endpoint] : this.egressRules[endpoint];
  }

  policiesFor(direction: Direction, endpoint: number): readonly string[] {
    return direction === 'Ingress' ? this.ingressPolicies[endpoint] : this.egressPolicies[endpoint];
  }

  namespaceOf(name: string): NamespaceRange | undefined {
    return this.namespaceByName.get(name);
  }

  /** Pods with a container port of this name, protocol and number: where a named rule port resolves to `port`. */
  namedPortTargetsOf(name: string, protocol: Protocol, port: number): Bitset {
    const key = `${name}/${protocol}/${port}`;
    let bits = this.namedPortTargets.get(key);
    if (!bits) {
      bits = emptyBitset(this.size);
      for (const entry of this.portsByName.get(name) ?? []) {
        if (entry.port.protocol === protocol && entry.port.port === port) setBit(bits, entry.endpoint);
      }
      this.namedPortTargets.set(key, bits);
    }
    return bits;
  }

  /** Pods of every namespace matching a pod selector. */
  private selectPods(selector: LabelSelector): Bitset {
    let bits = this.podSelections.get(selector.canonical);
    if (!bits) {
      bits = this.podLabels.select(selector);
      this.podSelections.set(selector.canonical, bits);
    }
    return bits;
  }

  /** Every pod of the namespaces matching a namespace selector. */
  private selectNamespacePods(selector: LabelSelector): Bitset {
    let bits = this.namespacePodSelections.get(selector.canonical);
    if (!bits) {
      const pods = emptyBitset(this.size);
      forEachBit(this.namespaceLabels.select(selector), (namespaceIndex) => {
        const range = this.namespaces[namespaceIndex];
        setRange(pods, range.start, range.end);
      });
      bits = pods;
      this.namespacePodSelections.set(selector.canonical, bits);
    }
    return bits;
  }

  private peerKey(peer: PolicyPeer, policyNamespace: string): string {
    if (peer.kind === 'ipBlock') {
      return `ip|${peer.cidr.family}|${peer.cidr.first}/${peer.cidr.prefix}|${peer.except.map((cidr) => `${cidr.first}/${cidr.prefix}`).sort().join(',')}`;
    }
    // A podSelector without a namespaceSelector is scoped to the policy's namespace, so the namespace is part of its identity.
    const scope = peer.namespaceSelector ? `nsSel:${peer.namespaceSelector.canonical}` : `ns:${policyNamespace}`;
    return `sel|${scope}|${peer.podSelector ? peer.podSelector.canonical : '*'}`;
  }

  private selectPeer(peer: PolicyPeer, policyNamespace: string): Bitset {
    const key = this.peerKey(peer, policyNamespace);
    let bits = this.peerSelections.get(key);
    if (bits) return bits;
    if (peer.kind === 'ipBlock') {
      bits = this.ips.select(peer);
    } else {
      if (peer.namespaceSelector) {
        bits = this.selectNamespacePods(peer.namespaceSelector).slice();
      } else {
        const range = this.namespaceByName.get(policyNamespace)!;
        bits = emptyBitset(this.size);
        setRange(bits, range.start, range.end);
      }
      if (peer.podSelector) andInto(bits, this.selectPods(peer.podSelector));
    }
    this.peerSelections.set(key, bits);
    return bits;
  }

  private compileRule(policy: NetworkPolicy, rule: PolicyRule): CompiledRule {
    const id = this.rules.length;
    if (!rule.peers) {
      const compiled = { id, policy, rule, peerSets: [] };
      this.rules.push(compiled);
      return compiled;
    }
    const keys = rule.peers.map((peer) => this.peerKey(peer, policy.namespace));
    const peerSets = rule.peers.map((peer) => this.selectPeer(peer, policy.namespace));
    const unionKey = [...new Set(keys)].sort().join('\n');
    let peerUnion = this.ruleUnions.get(unionKey);
    if (!peerUnion) {
      peerUnion = emptyBitset(this.size);
      for (const bits of peerSets) orInto(peerUnion, bits);
      this.ruleUnions.set(unionKey, peerUnion);
    }
    const compiled = { id, policy, rule, peerSets, peerUnion };
    this.rules.push(compiled);
    return compiled;
  }
}
