import { Bitset, emptyBitset, forEachBit, fullBitset, setBit, setRange } from './bitset';
import { ContainerPort, Endpoint, NODE_PREFIX } from './endpoints';
import { CidrBlock, cidrBlockKey, IpAddress } from './ip-address';
import { IpIndex } from './ip-index';
import { LabelIndex } from './label-index';
import { Labels, LabelSelector } from './label-selector';
import { Protocol, PROTOCOLS } from '../../vocabulary/protocol';

/** A namespace as the universe needs it. */
export interface UniverseNamespace {
  readonly name: string;
  readonly labels: Labels;
}

/** A pod (or a workload's representative pod) as the universe needs it. */
export interface UniversePod {
  /** `namespace/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  /** `metadata.annotations`; absent when the input gives none. */
  readonly annotations?: ReadonlyMap<string, string>;
  readonly ips: readonly IpAddress[];
  readonly ports: readonly ContainerPort[];
  /** `spec.serviceAccountName`, `default` when unset. */
  readonly serviceAccount?: string;
  readonly nodeName?: string;
  readonly hostNetwork?: boolean;
}

/** A Node as the universe needs it: its host network is an endpoint. */
export interface UniverseNode {
  readonly name: string;
  readonly labels: Labels;
  /** InternalIP and ExternalIP addresses. */
  readonly ips: readonly IpAddress[];
  /**
   * Set for a stand-in rather than a Node: the host network of a node the input does not name (a
   * hostNetwork pod's, when it has no `spec.nodeName`). Its id is this, and it has no `nodeName`.
   */
  readonly standInId?: string;
}

/** What the input tells about the cluster besides its endpoints. */
export interface UniverseCluster {
  /** Sorted by name; endpoints after the externals. Leave out for reports of pods and externals only. */
  readonly nodes?: readonly UniverseNode[];
  /** The kube-apiserver's addresses, from the EndpointSlice or Endpoints `default/kubernetes`. */
  readonly apiServerAddresses?: readonly IpAddress[];
  /** Cilium's cluster name (`cluster-name` of ConfigMap `kube-system/cilium-config`); `default` when not given. */
  readonly clusterName?: string;
  /** ServiceAccount labels by `namespace/name` (for Calico's `serviceAccountSelector`). */
  readonly serviceAccounts?: ReadonlyMap<string, Labels>;
}

/** Cilium's default `cluster-name` (https://docs.cilium.io/en/stable/network/clustermesh/clustermesh/). */
export const DEFAULT_CLUSTER_NAME = 'default';

export interface NamespaceRange {
  readonly namespace: UniverseNamespace;
  /** Pods of the namespace occupy endpoint indices [start, end). */
  readonly start: number;
  readonly end: number;
}

/**
 * The endpoints of one input, in report order, and the selections every dialect compiles against: pods by
 * label, namespaces by label, addresses by CIDR, pods by named container port. Each distinct selection is
 * computed once and shared, so the sets it returns must never be modified (copy with `slice()` first).
 */
export class EndpointUniverse {
  readonly endpoints: readonly Endpoint[];
  readonly size: number;
  /** Namespaces sorted by name, each with its run of pods. */
  readonly namespaces: readonly NamespaceRange[];
  /** Every endpoint: "any peer". */
  readonly all: Bitset;
  /** No endpoint. */
  readonly none: Bitset;
  /** The kube-apiserver's addresses (the Service `default/kubernetes`'s endpoints); empty when the input has none. */
  readonly apiServerAddresses: readonly IpAddress[];
  /** Cilium's cluster name, the `io.cilium.k8s.policy.cluster` label of every endpoint; `default` when not given. */
  readonly clusterName: string;
  /** ServiceAccount labels by `namespace/name`; only the ServiceAccounts the input holds. */
  readonly serviceAccounts: ReadonlyMap<string, Labels>;

  private readonly namespaceByName = new Map<string, NamespaceRange>();
  private readonly indexById: ReadonlyMap<string, number>;
  private readonly podLabels: LabelIndex;
  private readonly namespaceLabels: LabelIndex;
  private readonly ips: IpIndex;
  private readonly podSelections = new Map<string, Bitset>();
  private readonly namespacePodSelections = new Map<string, Bitset>();
  private readonly blockSelections = new Map<string, Bitset>();
  /** Per port name, per `port * 3 + protocol position`: called per rule and probe, so no string keys. */
  private readonly namedPortSelections = new Map<string, Map<number, Bitset>>();
  private readonly portsByName = new Map<string, { endpoint: number; port: ContainerPort }[]>();

  /**
   * @param namespaces sorted by name
   * @param pods sorted by namespace, then name
   * @param externals sorted by name; they follow the pods, re-indexed
   * @param cluster nodes (they follow the externals) and cluster-wide facts
   */
  constructor(namespaces: readonly UniverseNamespace[], pods: readonly UniversePod[], externals: readonly Endpoint[], cluster: UniverseCluster = {}) {
    const endpoints: Endpoint[] = pods.map((pod, index) => ({
      index,
      id: pod.id,
      kind: 'pod',
      namespace: pod.namespace,
      name: pod.name,
      labels: pod.labels,
      ...(pod.annotations !== undefined && pod.annotations.size > 0 ? { annotations: pod.annotations } : {}),
      ips: pod.ips,
      ports: pod.ports,
      ...(pod.serviceAccount !== undefined ? { serviceAccount: pod.serviceAccount } : {}),
      ...(pod.nodeName !== undefined ? { nodeName: pod.nodeName } : {}),
      ...(pod.hostNetwork ? { hostNetwork: true } : {}),
    }));
    for (const external of externals) endpoints.push({ ...external, index: endpoints.length });
    for (const node of cluster.nodes ?? []) {
      const identity = node.standInId !== undefined ? { id: node.standInId } : { id: `${NODE_PREFIX}${node.name}`, nodeName: node.name };
      endpoints.push({ index: endpoints.length, ...identity, kind: 'node', name: node.name, labels: node.labels, ips: node.ips, ports: [] });
    }
    this.apiServerAddresses = cluster.apiServerAddresses ?? [];
    this.clusterName = cluster.clusterName ?? DEFAULT_CLUSTER_NAME;
    this.serviceAccounts = cluster.serviceAccounts ?? new Map();
    this.endpoints = endpoints;
    this.size = endpoints.length;
    this.all = fullBitset(this.size);
    this.none = emptyBitset(this.size);
    this.indexById = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint.index]));

    // Pods are sorted by namespace, so each namespace's pods are one contiguous run of indices.
    const runs = new Map<string, { start: number; end: number }>();
    endpoints.forEach((endpoint, index) => {
      if (endpoint.namespace === undefined) return;
      const run = runs.get(endpoint.namespace);
      if (run) run.end = index + 1; else runs.set(endpoint.namespace, { start: index, end: index + 1 });
    });
    this.namespaces = namespaces.map((namespace) => {
      const range = { namespace, ...(runs.get(namespace.name) ?? { start: 0, end: 0 }) };
      this.namespaceByName.set(namespace.name, range);
      return range;
    });

    const podEndpoints = endpoints.filter((endpoint) => endpoint.kind === 'pod');
    this.podLabels = new LabelIndex(this.size, podEndpoints);
    this.namespaceLabels = new LabelIndex(this.namespaces.length, namespaces.map((namespace, index) => ({ index, labels: namespace.labels })));
    this.ips = new IpIndex(this.size, endpoints);
    for (const pod of podEndpoints) {
      for (const port of pod.ports) {
        if (port.name === undefined) continue;
        const list = this.portsByName.get(port.name) ?? [];
        list.push({ endpoint: pod.index, port });
        this.portsByName.set(port.name, list);
      }
    }
  }

  /** The position of an endpoint id in `endpoints`. */
  indexOf(id: string): number | undefined {
    return this.indexById.get(id);
  }

  namespaceRange(name: string): NamespaceRange | undefined {
    return this.namespaceByName.get(name);
  }

  /** Pods of every namespace whose labels match the selector. */
  selectPods(selector: LabelSelector): Bitset {
    let bits = this.podSelections.get(selector.canonical);
    if (!bits) {
      bits = this.podLabels.select(selector);
      this.podSelections.set(selector.canonical, bits);
    }
    return bits;
  }

  /** Every pod of the namespaces whose labels match the selector. */
  selectNamespacePods(selector: LabelSelector): Bitset {
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

  /** A new set of the pods of one namespace (empty for a namespace without pods); the caller owns it. */
  namespacePods(name: string): Bitset {
    const bits = emptyBitset(this.size);
    const range = this.namespaceByName.get(name);
    if (range) setRange(bits, range.start, range.end);
    return bits;
  }

  /** Endpoints having at least one address inside the block's CIDR and outside every exception. */
  selectCidrBlock(block: CidrBlock): Bitset {
    const key = cidrBlockKey(block);
    let bits = this.blockSelections.get(key);
    if (!bits) {
      bits = this.ips.select(block);
      this.blockSelections.set(key, bits);
    }
    return bits;
  }

  /** Pods with a container port of this name, protocol and number: where a named policy port resolves to `port`. */
  namedPortTargets(name: string, protocol: Protocol, port: number): Bitset {
    let byPort = this.namedPortSelections.get(name);
    if (!byPort) {
      byPort = new Map();
      this.namedPortSelections.set(name, byPort);
    }
    const key = port * PROTOCOLS.length + PROTOCOLS.indexOf(protocol);
    let bits = byPort.get(key);
    if (!bits) {
      bits = emptyBitset(this.size);
      for (const entry of this.portsByName.get(name) ?? []) {
        if (entry.port.protocol === protocol && entry.port.port === port) setBit(bits, entry.endpoint);
      }
      byPort.set(key, bits);
    }
    return bits;
  }
}
