/**
 * Cilium rules compiled against the endpoints: which rules apply to which endpoint in which direction
 * (github.com/cilium/cilium `pkg/policy/repository.go` computePolicyEnforcementAndRules), each rule element's
 * peers as a (node-relative) set of endpoints, and the default-deny state per endpoint and direction.
 */
import { CiliumIdentities, RelativeSet } from './identities';
import { labelKey, POD_NAMESPACE_LABEL, RESERVED, SOURCE_ANY, SOURCE_K8S, SOURCE_RESERVED, CLUSTER_LABEL } from './labels';
import { CidrGroup, CiliumPolicy, CiliumRule, EntityName, PeerSpec, RuleEntry } from './model';
import { matchesInit, scopePeerSelector, scopeSubjectSelector, toLabelSelector } from './selectors';
import { andInto, Bitset, emptyBitset, forEachBit, hasBit, orInto } from '../../core/bitset';
import { EndpointUniverse } from '../../core/endpoint-universe';
import { Endpoint } from '../../core/endpoints';
import { Cidr, CidrBlock, IpAddress } from '../../core/ip-address';
import { LabelSelector, makeSelector, selectorMatches } from '../../core/label-selector';
import { Direction } from '../../dialect';
import { ServiceRecord } from '../../manifests/service';

/** A rule element with its peers resolved. */
export interface CompiledEntry {
  /** Position in `CompiledCilium.entries`. */
  readonly id: number;
  readonly policy: CiliumPolicy;
  readonly rule: CiliumRule;
  readonly entry: RuleEntry;
  /** Where it is in the policy, e.g. `spec.ingress[0]` or `specs[1].egressDeny[2]`. */
  readonly path: string;
  /** How each of `entry.peers` matches; undefined when the element has no peer field (L3 wildcard). */
  readonly peers?: readonly CompiledPeer[];
  /** The union of the peers' sets (toFQDNs contributes nothing: its addresses come from DNS); undefined = every peer. */
  readonly union?: RelativeSet;
  /** The element selects by endpoint labels (`fromEndpoints`/`toEndpoints`): `fromRequires`/`toRequires` apply to it. */
  readonly byEndpoints: boolean;
}

/** One peer of a rule element, resolved: its set and what per-verdict matching needs. */
export interface CompiledPeer {
  readonly spec: PeerSpec;
  /** Undefined for toFQDNs. */
  readonly set?: RelativeSet;
  /** For endpoint and node selectors: the selector after namespace scoping. */
  readonly selector?: LabelSelector;
  /** For entities: the selectors of the entity (any matching). */
  readonly entitySelectors?: readonly LabelSelector[];
  /** For CIDR peers (cidr, CIDR groups, selector-less Services): the blocks. */
  readonly blocks?: readonly CidrBlock[];
  /** For Services with a selector: the endpoint selectors of their backends. */
  readonly serviceSelectors?: readonly LabelSelector[];
}

/** What applies to one endpoint in one direction. */
export interface DirectionRules {
  readonly allow: readonly CompiledEntry[];
  readonly deny: readonly CompiledEntry[];
  /** Some selecting rule makes the endpoint default-deny in this direction. */
  readonly defaultDeny: boolean;
  /** Policies with a rule for this direction that selects the endpoint, sorted by key. */
  readonly policies: readonly CiliumPolicy[];
  /** `fromRequires`/`toRequires` of the allow (deny) elements, scoped: ANDed into every endpoint peer of the allow (deny) elements. */
  readonly allowRequires: readonly LabelSelector[];
  readonly denyRequires: readonly LabelSelector[];
  /** Equal for rule sets with the same requirements: part of the set form's cache keys. */
  readonly requirementKey: string;
}

interface MutableDirectionRules {
  allow: CompiledEntry[];
  deny: CompiledEntry[];
  defaultDeny: boolean;
  policies: CiliumPolicy[];
  allowRequires: LabelSelector[];
  denyRequires: LabelSelector[];
  requirementKey: string;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const reservedSelector = (name: string): LabelSelector => makeSelector([{ key: labelKey(SOURCE_RESERVED, name), operator: 'In', values: [''] }]);

/** The selectors of an entity (github.com/cilium/cilium `pkg/policy/api/entity.go` EntitySelectorMapping, InitEntities). */
export function entitySelectors(entity: EntityName, clusterName: string): LabelSelector[] {
  switch (entity) {
    case 'all':
      return [makeSelector([])];
    case 'cluster':
      return [
        ...[RESERVED.host, RESERVED.remoteNode, RESERVED.init, RESERVED.ingress, RESERVED.health, RESERVED.unmanaged, RESERVED.kubeApiServer]
          .map(reservedSelector),
        makeSelector([{ key: labelKey(SOURCE_K8S, CLUSTER_LABEL), operator: 'In', values: [clusterName] }]),
      ];
    default:
      return [reservedSelector(entity)];
  }
}

export class CompiledCilium {
  readonly identities: CiliumIdentities;
  readonly entries: CompiledEntry[] = [];
  private readonly ingress: (MutableDirectionRules | undefined)[];
  private readonly egress: (MutableDirectionRules | undefined)[];
  private readonly requirementSets = new Map<string, RelativeSet>();

  constructor(
    readonly universe: EndpointUniverse,
    unsorted: readonly CiliumPolicy[],
    readonly cidrGroups: readonly CidrGroup[],
    readonly services: readonly ServiceRecord[],
  ) {
    this.identities = new CiliumIdentities(universe);
    this.ingress = universe.endpoints.map(() => undefined);
    this.egress = universe.endpoints.map(() => undefined);
    // CCNPs (no namespace) first, then CNPs by namespace and name: a stable order for explanations.
    const policies = [...unsorted].sort((a, b) => compareText(a.namespace ?? '', b.namespace ?? '') || compareText(a.name, b.name) || compareText(a.kind, b.kind));
    for (const policy of policies) {
      for (const rule of policy.rules) this.addRule(policy, rule);
    }
    for (const rules of [...this.ingress, ...this.egress]) {
      if (!rules) continue;
      rules.policies.sort((a, b) => compareText(a.key, b.key) || compareText(a.kind, b.kind));
      if (rules.allowRequires.length + rules.denyRequires.length > 0) {
        const canonical = (selectors: readonly LabelSelector[]): string => selectors.map((selector) => selector.canonical).sort().join(';');
        rules.requirementKey = `${canonical(rules.allowRequires)}/${canonical(rules.denyRequires)}`;
      }
    }
  }

  rulesFor(direction: Direction, endpoint: number): DirectionRules | undefined {
    return direction === 'Ingress' ? this.ingress[endpoint] : this.egress[endpoint];
  }

  /** The endpoints a `fromRequires`/`toRequires` list admits (every one when empty); shared, never modify it. */
  requirementSet(selectors: readonly LabelSelector[]): RelativeSet | undefined {
    if (selectors.length === 0) return undefined;
    const key = selectors.map((selector) => selector.canonical).sort().join('\n');
    let set = this.requirementSets.get(key);
    if (!set) {
      const sets = selectors.map((selector) => this.identities.selectIdentities(selector));
      const remote = this.universe.all.slice();
      for (const part of sets) andInto(remote, part.remote);
      const relative = sets.some((part) => part.local);
      let local: Bitset | undefined;
      if (relative) {
        local = this.universe.all.slice();
        for (const part of sets) andInto(local, part.local ?? part.remote);
      }
      set = local ? { remote, local } : { remote };
      this.requirementSets.set(key, set);
    }
    return set;
  }

  /** The endpoints a rule's subject selector applies to. */
  private subjects(policy: CiliumPolicy, rule: CiliumRule): number[] {
    const indices: number[] = [];
    if (rule.subject.kind === 'endpoints') {
      const selector = toLabelSelector(scopeSubjectSelector(rule.subject.selector, policy.namespace));
      const inNamespace = this.identities.selectInNamespace(selector);
      if (inNamespace) return inNamespace;
      const selected = this.identities.selectIdentities(selector).remote;
      const managed = this.identities.managedPods;
      forEachBit(selected, (index) => {
        if (hasBit(managed, index)) indices.push(index);
      });
      return indices;
    }
    // A host policy applies to the node's host endpoint, which also carries its hostNetwork pods' traffic.
    const hosts = this.identities.selectHosts(toLabelSelector(rule.subject.selector));
    const names = new Set<string>();
    forEachBit(hosts, (index) => names.add(this.universe.endpoints[index].name));
    forEachBit(this.identities.nodeIdentities, (index) => {
      const endpoint = this.universe.endpoints[index];
      if (endpoint.nodeName !== undefined && names.has(endpoint.nodeName)) indices.push(index);
    });
    return indices;
  }

  private addRule(policy: CiliumPolicy, rule: CiliumRule): void {
    const subjects = this.subjects(policy, rule);
    const initSubject = rule.subject.kind === 'endpoints' && matchesInit(rule.subject.selector);
    for (const direction of ['Ingress', 'Egress'] as const) {
      const allowList = direction === 'Ingress' ? rule.ingress : rule.egress;
      const denyList = direction === 'Ingress' ? rule.ingressDeny : rule.egressDeny;
      if (allowList.length + denyList.length === 0) continue;
      const allow = allowList.map((entry) => this.compileEntry(policy, rule, entry, initSubject));
      const deny = denyList.map((entry) => this.compileEntry(policy, rule, entry, initSubject));
      const scopeRequires = (entries: readonly RuleEntry[]): LabelSelector[] => entries.flatMap((entry) => entry.requires
        .map((selector) => toLabelSelector(scopePeerSelector(selector, policy.namespace, false, initSubject))));
      const allowRequires = scopeRequires(allowList);
      const denyRequires = scopeRequires(denyList);
      const defaultDeny = direction === 'Ingress' ? rule.defaultDeny.ingress : rule.defaultDeny.egress;
      const table = direction === 'Ingress' ? this.ingress : this.egress;
      for (const index of subjects) {
        let rules = table[index];
        if (!rules) {
          rules = { allow: [], deny: [], defaultDeny: false, policies: [], allowRequires: [], denyRequires: [], requirementKey: '' };
          table[index] = rules;
        }
        for (const entry of allow) rules.allow.push(entry);
        for (const entry of deny) rules.deny.push(entry);
        for (const selector of allowRequires) rules.allowRequires.push(selector);
        for (const selector of denyRequires) rules.denyRequires.push(selector);
        if (defaultDeny) rules.defaultDeny = true;
        // Rules of one policy are added one after the other.
        if (rules.policies[rules.policies.length - 1] !== policy) rules.policies.push(policy);
      }
    }
  }

  private compileEntry(policy: CiliumPolicy, rule: CiliumRule, entry: RuleEntry, initSubject: boolean): CompiledEntry {
    const id = this.entries.length;
    const path = `${rule.field}.${entry.list}[${entry.index}]`;
    let compiled: CompiledEntry;
    if (!entry.peers) {
      compiled = { id, policy, rule, entry, path, byEndpoints: false };
    } else {
      const peers = entry.peers.map((peer) => this.compilePeer(peer, policy, initSubject));
      const sets = peers.flatMap((peer) => (peer.set ? [peer.set] : []));
      compiled = {
        id,
        policy,
        rule,
        entry,
        path,
        peers,
        // One peer (the usual case) shares its set; several are united.
        union: sets.length === 1 ? sets[0] : this.union(sets),
        byEndpoints: entry.peers.some((peer) => peer.kind === 'endpoints'),
      };
    }
    this.entries.push(compiled);
    return compiled;
  }

  private union(sets: readonly RelativeSet[]): RelativeSet {
    const remote = emptyBitset(this.universe.size);
    for (const set of sets) orInto(remote, set.remote);
    if (!sets.some((set) => set.local)) return { remote };
    const local = emptyBitset(this.universe.size);
    for (const set of sets) orInto(local, set.local ?? set.remote);
    return { remote, local };
  }

  private blocksSet(blocks: readonly CidrBlock[]): RelativeSet {
    if (blocks.length === 1) return { remote: this.identities.selectCidr(blocks[0]) };
    const remote = emptyBitset(this.universe.size);
    for (const block of blocks) orInto(remote, this.identities.selectCidr(block));
    return { remote };
  }

  private compilePeer(peer: PeerSpec, policy: CiliumPolicy, initSubject: boolean): CompiledPeer {
    switch (peer.kind) {
      case 'endpoints': {
        const selector = toLabelSelector(scopePeerSelector(peer.selector, policy.namespace, true, initSubject));
        return { spec: peer, selector, set: this.identities.selectIdentities(selector) };
      }
      case 'nodes': {
        const selector = toLabelSelector(peer.selector);
        return { spec: peer, selector, set: this.identities.selectNodeIdentities(selector) };
      }
      case 'entity': {
        const selectors = entitySelectors(peer.entity, this.universe.clusterName);
        return { spec: peer, entitySelectors: selectors, set: this.union(selectors.map((selector) => this.identities.selectIdentities(selector))) };
      }
      case 'cidr':
        return { spec: peer, blocks: [peer.block], set: this.blocksSet([peer.block]) };
      case 'cidrGroup': {
        const groups = this.cidrGroups.filter((group) => (peer.groupName !== undefined
          ? group.name === peer.groupName
          : selectorMatches(peer.groupSelector!, group.labels)));
        const blocks = groups.flatMap((group) => group.cidrs.map((cidr) => ({ cidr, except: peer.except })));
        return { spec: peer, blocks, set: this.blocksSet(blocks) };
      }
      case 'fqdn':
        return { spec: peer };
      case 'service': {
        const services = this.services.filter((service) => serviceMatches(peer, service));
        // A Service with a selector stands for its backends, selected by label in its namespace; one without a
        // selector for the addresses of its endpoints, as CIDRs (https://docs.cilium.io/en/stable/security/policy/language/#services-based).
        const serviceSelectors = services.flatMap((service) => (service.selector ? [backendSelector(service)] : []));
        const apiServer = services.some((service) => !service.selector && service.namespace === 'default' && service.name === 'kubernetes');
        const blocks = apiServer ? this.universe.apiServerAddresses.map((ip) => ({ cidr: hostCidr(ip), except: [] })) : [];
        const sets = [...serviceSelectors.map((selector) => this.identities.selectIdentities(selector)), this.blocksSet(blocks)];
        return { spec: peer, serviceSelectors, blocks, set: this.union(sets) };
      }
      case 'group':
        return { spec: peer, set: { remote: this.universe.none } };
    }
  }

  /** Per-verdict matching of one compiled peer against `peer` seen from `observerNode` (no FQDN: see the decision). */
  peerMatches(compiled: CompiledPeer, peer: Endpoint, observerNode: string | undefined): boolean {
    const spec = compiled.spec;
    switch (spec.kind) {
      case 'endpoints':
        return selectorMatches(compiled.selector!, this.identities.identityLabels(peer, observerNode));
      case 'nodes': {
        const labels = this.identities.nodeLabels(peer, observerNode);
        return labels !== undefined && selectorMatches(compiled.selector!, labels);
      }
      case 'entity': {
        const labels = this.identities.identityLabels(peer, observerNode);
        return compiled.entitySelectors!.some((selector) => selectorMatches(selector, labels));
      }
      case 'cidr':
      case 'cidrGroup':
        return compiled.blocks!.some((block) => this.identities.cidrMatches(block, peer));
      case 'service': {
        const labels = this.identities.identityLabels(peer, observerNode);
        return compiled.serviceSelectors!.some((selector) => selectorMatches(selector, labels))
          || compiled.blocks!.some((block) => this.identities.cidrMatches(block, peer));
      }
      case 'fqdn':
      case 'group':
        return false;
    }
  }

  /** Whether `peer` passes a requirement list (every selector), seen from `observerNode`. */
  meetsRequirements(selectors: readonly LabelSelector[], peer: Endpoint, observerNode: string | undefined): boolean {
    if (selectors.length === 0) return true;
    const labels = this.identities.identityLabels(peer, observerNode);
    return selectors.every((selector) => selectorMatches(selector, labels));
  }

  /** Whether a node-identity endpoint is on the same node as `observerNode` (and so is `host` to it). */
  isLocalHost(peer: Endpoint, observerNode: string | undefined): boolean {
    return observerNode !== undefined && hasBit(this.identities.nodeIdentities, peer.index) && peer.nodeName === observerNode;
  }
}

/** A single-address prefix. */
function hostCidr(ip: IpAddress): Cidr {
  return { family: ip.family, prefix: ip.family === 4 ? 32 : 128, first: ip.value, last: ip.value };
}

/**
 * Whether a `toServices` entry selects a Service (github.com/cilium/cilium `pkg/policy/api/service.go`):
 * `k8sService` by exact name and namespace; `k8sServiceSelector` by the Service's labels, in `namespace` when given
 * and in any namespace otherwise.
 */
function serviceMatches(peer: PeerSpec & { kind: 'service' }, service: ServiceRecord): boolean {
  if (peer.serviceName !== undefined && (service.name !== peer.serviceName || service.namespace !== peer.namespace)) return false;
  if (peer.serviceSelector) {
    if (peer.namespace !== undefined && service.namespace !== peer.namespace) return false;
    if (!selectorMatches(peer.serviceSelector, service.labels ?? new Map())) return false;
  }
  return true;
}

/** The endpoint selector of a Service's backends: its selector (any label source) in its namespace. */
function backendSelector(service: ServiceRecord): LabelSelector {
  return makeSelector([
    ...[...service.selector!].map(([key, value]) => ({ key: labelKey(SOURCE_ANY, key), operator: 'In' as const, values: [value] })),
    { key: labelKey(SOURCE_K8S, POD_NAMESPACE_LABEL), operator: 'In', values: [service.namespace] },
  ]);
}
