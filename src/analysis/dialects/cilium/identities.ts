/**
 * The Cilium identity of every endpoint, and selections over them
 * (https://docs.cilium.io/en/stable/internals/security-identities/, https://docs.cilium.io/en/stable/security/policy/language/#entities-based):
 * - a pod is Cilium-managed: its identity labels are its `k8s:` labels, namespace, service account, cluster
 *   name and namespace labels;
 * - a node, and a hostNetwork pod, carry the node's reserved identity: `host` seen from an endpoint on the same
 *   node, `remote-node` from anywhere else, plus `kube-apiserver` when the node serves the API;
 * - an external address is `world` (plus `kube-apiserver` when it is one of the API server's addresses), and
 *   only such addresses have CIDR identities that CIDR rules match.
 * Because `host`/`remote-node` depend on the observer, a selection is a `RelativeSet`.
 */
import { IdentityLabels, labelKey, POD_NAMESPACE_LABEL, podIdentityLabels, RESERVED, SOURCE_ANY, SOURCE_K8S, SOURCE_RESERVED } from './labels';
import { andInto, andNotInto, Bitset, emptyBitset, hasBit, orInto, setBit } from '../../core/bitset';
import { EndpointUniverse } from '../../core/endpoint-universe';
import { Endpoint } from '../../core/endpoints';
import { cidrBlockKey, CidrBlock, cidrContainsAddress, IpAddress } from '../../core/ip-address';
import { LabelIndex } from '../../core/label-index';
import { LabelSelector, Labels, makeSelector } from '../../core/label-selector';

/**
 * A set of peers that may depend on the observer's node: `remote` is the set seen from a subject on no node
 * or another node than the peers; `local`, when present, is the set seen from a subject on the same node as
 * a node-identity peer. Resolve it with `CiliumIdentities.resolve`.
 */
export interface RelativeSet {
  readonly remote: Bitset;
  /** Only the node-identity endpoints' bits matter; undefined when they are the same as in `remote`. */
  readonly local?: Bitset;
}

function sameAddress(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.value === b.value;
}

/** The only label keys on which a node identity differs between its `host` and `remote-node` views. */
const NODE_RELATIVE_KEYS: ReadonlySet<string> = new Set([
  labelKey(SOURCE_RESERVED, RESERVED.host),
  labelKey(SOURCE_RESERVED, RESERVED.remoteNode),
  labelKey(SOURCE_ANY, RESERVED.host),
  labelKey(SOURCE_ANY, RESERVED.remoteNode),
]);

const NAMESPACE_KEYS: ReadonlySet<string> = new Set([labelKey(SOURCE_K8S, POD_NAMESPACE_LABEL), labelKey(SOURCE_ANY, POD_NAMESPACE_LABEL)]);

/** A label index over two views of the node-identity endpoints: as `host` (local) and as `remote-node` (remote). */
class RelativeLabelIndex {
  private readonly remote: LabelIndex;
  private readonly local: LabelIndex;
  private readonly cache = new Map<string, RelativeSet>();

  constructor(
    private readonly identities: CiliumIdentities,
    remoteLabels: readonly (Labels | undefined)[],
    localLabels: readonly (Labels | undefined)[],
    /** Only these endpoints can be selected at all. */
    private readonly selectable: Bitset,
  ) {
    const size = identities.universe.size;
    const members = (labels: readonly (Labels | undefined)[]): { index: number; labels: Labels }[] =>
      labels.flatMap((entry, index) => (entry ? [{ index, labels: entry }] : []));
    this.remote = new LabelIndex(size, members(remoteLabels));
    this.local = new LabelIndex(size, members(localLabels));
  }

  select(selector: LabelSelector): RelativeSet {
    let set = this.cache.get(selector.canonical);
    if (!set) {
      const remote = this.remote.select(selector);
      andInto(remote, this.selectable);
      // The views differ only on the host/remote-node labels: a selector that does not name them sees one set.
      if (!this.identities.anyNodeIdentity || !selector.requirements.some((requirement) => NODE_RELATIVE_KEYS.has(requirement.key))) {
        set = { remote };
        this.cache.set(selector.canonical, set);
        return set;
      }
      const local = this.local.select(selector);
      andInto(local, this.identities.nodeIdentities);
      // Only node-identity endpoints differ between the views.
      const remoteNodes = remote.slice();
      andInto(remoteNodes, this.identities.nodeIdentities);
      const differs = remoteNodes.some((word, index) => word !== local[index]);
      if (differs) {
        const merged = remote.slice();
        andNotInto(merged, this.identities.nodeIdentities);
        orInto(merged, local);
        set = { remote, local: merged };
      } else {
        set = { remote };
      }
      this.cache.set(selector.canonical, set);
    }
    return set;
  }
}

export class CiliumIdentities {
  /** Pods Cilium manages (not hostNetwork): the endpoints CNP/CCNP `endpointSelector` can select. */
  readonly managedPods: Bitset;
  /** Nodes and hostNetwork pods: endpoints with a node's identity. */
  readonly nodeIdentities: Bitset;
  /** External addresses: the only endpoints with CIDR identities. */
  readonly externals: Bitset;
  /** Node endpoints only (the subjects of host policies). */
  readonly nodes: Bitset;
  /** Whether any endpoint has a node identity. */
  readonly anyNodeIdentity: boolean;

  private readonly remoteLabels: (Labels | undefined)[];
  private readonly localLabels: (Labels | undefined)[];
  private readonly nodeRemoteLabels: (Labels | undefined)[];
  private readonly nodeLocalLabels: (Labels | undefined)[];
  /** The node labels of the host endpoint of each node endpoint (for `nodeSelector`). */
  private readonly hostLabels: (Labels | undefined)[];
  private readonly endpointIndex: RelativeLabelIndex;
  private readonly nodeLabelIndex: RelativeLabelIndex;
  private readonly hostIndex: LabelIndex;
  private readonly onNode = new Map<string, Bitset>();
  private readonly resolved = new Map<Bitset, Map<string, Bitset>>();
  private readonly cidrSelections = new Map<string, Bitset>();
  private readonly namespacedSelections = new Map<string, RelativeSet>();

  constructor(readonly universe: EndpointUniverse) {
    const size = universe.size;
    this.managedPods = emptyBitset(size);
    this.nodeIdentities = emptyBitset(size);
    this.externals = emptyBitset(size);
    this.nodes = emptyBitset(size);
    const nodeByName = new Map<string, Endpoint>();
    for (const endpoint of universe.endpoints) if (endpoint.kind === 'node') nodeByName.set(endpoint.name, endpoint);
    const namespaceLabels = new Map(universe.namespaces.map((range) => [range.namespace.name, range.namespace.labels]));
    const isApiServer = (ips: readonly IpAddress[]): boolean => ips.some((ip) => universe.apiServerAddresses.some((api) => sameAddress(api, ip)));

    this.remoteLabels = [];
    this.localLabels = [];
    this.nodeRemoteLabels = [];
    this.nodeLocalLabels = [];
    this.hostLabels = [];
    for (const endpoint of universe.endpoints) {
      const index = endpoint.index;
      if (endpoint.kind === 'external') {
        setBit(this.externals, index);
        this.remoteLabels.push(reserved([RESERVED.world, ...(isApiServer(endpoint.ips) ? [RESERVED.kubeApiServer] : [])]));
        this.localLabels.push(undefined);
        this.nodeRemoteLabels.push(undefined);
        this.nodeLocalLabels.push(undefined);
        this.hostLabels.push(undefined);
        continue;
      }
      if (endpoint.kind === 'pod' && !endpoint.hostNetwork) {
        setBit(this.managedPods, index);
        const namespace = endpoint.namespace!;
        const nsLabels = namespaceLabels.get(namespace) ?? new Map<string, string>();
        this.remoteLabels.push(podIdentityLabels(endpoint.labels, namespace, nsLabels, endpoint.serviceAccount, universe.clusterName));
        this.localLabels.push(undefined);
        this.nodeRemoteLabels.push(undefined);
        this.nodeLocalLabels.push(undefined);
        this.hostLabels.push(undefined);
        continue;
      }
      // A node, or a hostNetwork pod: the identity of its node.
      setBit(this.nodeIdentities, index);
      if (endpoint.kind === 'node') setBit(this.nodes, index);
      const node = endpoint.nodeName !== undefined ? nodeByName.get(endpoint.nodeName) : undefined;
      const apiServer = isApiServer(endpoint.ips) || (node !== undefined && isApiServer(node.ips));
      const extra = apiServer ? [RESERVED.kubeApiServer] : [];
      this.remoteLabels.push(reserved([RESERVED.remoteNode, ...extra]));
      this.localLabels.push(reserved([RESERVED.host, ...extra]));
      const nodeLabels = node?.labels ?? new Map<string, string>();
      this.nodeRemoteLabels.push(withNodeLabels(nodeLabels, [RESERVED.remoteNode, ...extra]));
      this.nodeLocalLabels.push(withNodeLabels(nodeLabels, [RESERVED.host, ...extra]));
      this.hostLabels.push(endpoint.kind === 'node' ? withNodeLabels(endpoint.labels, [RESERVED.host, ...extra]) : undefined);
      if (endpoint.nodeName !== undefined) {
        let bits = this.onNode.get(endpoint.nodeName);
        if (!bits) {
          bits = emptyBitset(size);
          this.onNode.set(endpoint.nodeName, bits);
        }
        setBit(bits, index);
      }
    }
    this.anyNodeIdentity = this.nodeIdentities.some((word) => word !== 0);
    this.endpointIndex = new RelativeLabelIndex(this, this.remoteLabels, this.localLabels, universe.all);
    this.nodeLabelIndex = new RelativeLabelIndex(this, this.nodeRemoteLabels, this.nodeLocalLabels, this.nodeIdentities);
    this.hostIndex = new LabelIndex(size, this.hostLabels.flatMap((labels, index) => (labels ? [{ index, labels }] : [])));
  }

  /** The node an endpoint is on (a node is on itself); undefined when not known. */
  nodeOf(endpoint: Endpoint): string | undefined {
    return endpoint.nodeName;
  }

  isManaged(endpoint: Endpoint): boolean {
    return hasBit(this.managedPods, endpoint.index);
  }

  hasNodeIdentity(endpoint: Endpoint): boolean {
    return hasBit(this.nodeIdentities, endpoint.index);
  }

  /** The identity labels of `peer` as seen from an endpoint on node `observerNode`. */
  identityLabels(peer: Endpoint, observerNode: string | undefined): Labels {
    if (this.hasNodeIdentity(peer) && observerNode !== undefined && peer.nodeName === observerNode) return this.localLabels[peer.index]!;
    return this.remoteLabels[peer.index]!;
  }

  /** The node labels of a node-identity peer as `fromNodes`/`toNodes` see them; undefined for other endpoints. */
  nodeLabels(peer: Endpoint, observerNode: string | undefined): Labels | undefined {
    if (!this.hasNodeIdentity(peer)) return undefined;
    if (observerNode !== undefined && peer.nodeName === observerNode) return this.nodeLocalLabels[peer.index];
    return this.nodeRemoteLabels[peer.index];
  }

  /** The labels a host policy's `nodeSelector` matches on a node endpoint. */
  hostLabelsOf(node: Endpoint): Labels | undefined {
    return this.hostLabels[node.index];
  }

  /**
   * Endpoints whose identity (as seen from wherever) matches the selector. A selector naming one namespace
   * (`io.kubernetes.pod.namespace In [ns]`, what a CNP adds to its selectors) selects only Cilium-managed pods
   * of that namespace: the rest of the selector is matched once for every namespace, then cut to its pods.
   */
  selectIdentities(selector: LabelSelector): RelativeSet {
    let set = this.namespacedSelections.get(selector.canonical);
    if (set) return set;
    const indices = this.selectInNamespace(selector);
    if (!indices) return this.endpointIndex.select(selector);
    const bits = emptyBitset(this.universe.size);
    for (const index of indices) setBit(bits, index);
    set = { remote: bits };
    this.namespacedSelections.set(selector.canonical, set);
    return set;
  }

  /** For a selector naming one namespace: the endpoints it selects, without building a set; undefined for other selectors. */
  selectInNamespace(selector: LabelSelector): number[] | undefined {
    const namespaced = selector.requirements.find((requirement) => NAMESPACE_KEYS.has(requirement.key) && requirement.operator === 'In' && requirement.values.length === 1);
    if (!namespaced) return undefined;
    const rest = makeSelector(selector.requirements.filter((requirement) => requirement !== namespaced));
    const matched = this.endpointIndex.select(rest).remote;
    const indices: number[] = [];
    const range = this.universe.namespaceRange(namespaced.values[0]);
    if (range) {
      for (let index = range.start; index < range.end; index++) {
        if (hasBit(matched, index) && hasBit(this.managedPods, index)) indices.push(index);
      }
    }
    return indices;
  }

  /** Node-identity endpoints whose node labels match (`fromNodes`/`toNodes`). */
  selectNodeIdentities(selector: LabelSelector): RelativeSet {
    return this.nodeLabelIndex.select(selector);
  }

  /** Node endpoints whose host labels match a `nodeSelector`. */
  selectHosts(selector: LabelSelector): Bitset {
    const bits = this.hostIndex.select(selector);
    andInto(bits, this.nodes);
    return bits;
  }

  /** Node-identity endpoints on the named node (the node itself and its hostNetwork pods). */
  onNodeOf(name: string | undefined): Bitset | undefined {
    return name === undefined ? undefined : this.onNode.get(name);
  }

  /** External endpoints with an address in the block; CIDR rules match nothing else. */
  selectCidr(block: CidrBlock): Bitset {
    const key = cidrBlockKey(block);
    let bits = this.cidrSelections.get(key);
    if (!bits) {
      bits = this.universe.selectCidrBlock(block).slice();
      andInto(bits, this.externals);
      this.cidrSelections.set(key, bits);
    }
    return bits;
  }

  /** Whether a CIDR rule matches the peer: an external address inside the block and outside its exceptions. */
  cidrMatches(block: CidrBlock, peer: Endpoint): boolean {
    return peer.kind === 'external' && peer.ips.some((ip) => cidrContainsAddress(block.cidr, ip) && !block.except.some((except) => cidrContainsAddress(except, ip)));
  }

  /** The set as seen from a subject on `observerNode` (shared, never modify it). */
  resolve(set: RelativeSet, observerNode: string | undefined): Bitset {
    if (!set.local) return set.remote;
    const here = this.onNodeOf(observerNode);
    if (!here) return set.remote;
    let byNode = this.resolved.get(set.remote);
    if (!byNode) {
      byNode = new Map();
      this.resolved.set(set.remote, byNode);
    }
    let bits = byNode.get(observerNode!);
    if (!bits) {
      bits = set.remote.slice();
      andNotInto(bits, here);
      const local = set.local.slice();
      andInto(local, here);
      orInto(bits, local);
      byNode.set(observerNode!, bits);
    }
    return bits;
  }
}

function reserved(names: readonly string[]): Labels {
  const labels = new IdentityLabels();
  for (const name of names) labels.add(SOURCE_RESERVED, name, '');
  return labels.build();
}

function withNodeLabels(nodeLabels: Labels, names: readonly string[]): Labels {
  const labels = new IdentityLabels();
  for (const name of names) labels.add(SOURCE_RESERVED, name, '');
  for (const [key, value] of nodeLabels) labels.add(SOURCE_K8S, key, value);
  return labels.build();
}

/** `k8s:io.cilium.k8s.policy.cluster=<name>`: the label the `cluster` entity selects on pods. */
export function clusterLabelKey(): string {
  return labelKey(SOURCE_K8S, 'io.cilium.k8s.policy.cluster');
}
