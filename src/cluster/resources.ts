/**
 * What `zt audit` reads from a cluster: the objects the analyzer builds its inventory from, and every policy kind a
 * dialect of the analyzer (or of the backends) knows. Kinds of optional API groups (CRDs, aggregated APIs) are skipped
 * with a note where the group is not served.
 */

export interface ClusterResource {
  /** The API group, `''` for the core group. */
  readonly group: string;
  /** Versions to read, preferred first: the first one the server serves is used. */
  readonly versions: readonly string[];
  /** The resource name in URLs. */
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** A policy kind: part of the drift report's extras, and of `cni: auto`. */
  readonly policy: boolean;
  /** Read only these objects rather than listing all of them. */
  readonly only?: {
    readonly namespace: string;
    /** `get` of this one object (a 404 means it does not exist). */
    readonly name?: string;
    /** `list` with this label selector. */
    readonly labelSelector?: string;
  };
  /** Read only when this API group is served (the kind matters only under that CNI). */
  readonly when?: string;
}

const CORE = (resource: string, kind: string, namespaced: boolean): ClusterResource => ({ group: '', versions: ['v1'], resource, kind, namespaced, policy: false });

const CALICO = 'projectcalico.org';
const CILIUM = 'cilium.io';
const ISTIO_SECURITY = 'security.istio.io';

const calico = (resource: string, kind: string, namespaced: boolean): ClusterResource => ({ group: CALICO, versions: ['v3'], resource, kind, namespaced, policy: true });
const cilium = (resource: string, kind: string, namespaced: boolean, versions = ['v2']): ClusterResource => ({ group: CILIUM, versions, resource, kind, namespaced, policy: true });
const istio = (resource: string, kind: string): ClusterResource => ({ group: ISTIO_SECURITY, versions: ['v1', 'v1beta1'], resource, kind, namespaced: true, policy: true });

/** Groups that every API server serves: a 404 there means the server is not a Kubernetes API server. */
export const REQUIRED_GROUPS: ReadonlySet<string> = new Set(['', 'networking.k8s.io']);

export const CILIUM_GROUP = CILIUM;
export const CALICO_GROUP = CALICO;
/** Where Calico keeps its own CRDs; served without the Calico API server, but not meant to be read (https://docs.tigera.io/calico/latest/operations/install-apiserver). */
export const CALICO_CRD_GROUP = 'crd.projectcalico.org';

export const CLUSTER_RESOURCES: readonly ClusterResource[] = [
  CORE('namespaces', 'Namespace', false),
  CORE('nodes', 'Node', false),
  CORE('pods', 'Pod', true),
  CORE('services', 'Service', true),
  CORE('serviceaccounts', 'ServiceAccount', true),
  // The kube-apiserver's addresses, which policies reach through ipBlock / toEntities: kube-apiserver.
  {
    group: 'discovery.k8s.io',
    versions: ['v1'],
    resource: 'endpointslices',
    kind: 'EndpointSlice',
    namespaced: true,
    policy: false,
    only: { namespace: 'default', labelSelector: 'kubernetes.io/service-name=kubernetes' },
  },
  // Cilium's cluster name, the value of the io.cilium.k8s.policy.cluster label.
  {
    group: '',
    versions: ['v1'],
    resource: 'configmaps',
    kind: 'ConfigMap',
    namespaced: true,
    policy: false,
    only: { namespace: 'kube-system', name: 'cilium-config' },
    when: CILIUM,
  },
  { group: 'networking.k8s.io', versions: ['v1'], resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true, policy: true },
  cilium('ciliumnetworkpolicies', 'CiliumNetworkPolicy', true),
  cilium('ciliumclusterwidenetworkpolicies', 'CiliumClusterwideNetworkPolicy', false),
  cilium('ciliumcidrgroups', 'CiliumCIDRGroup', false, ['v2', 'v2alpha1']),
  calico('tiers', 'Tier', false),
  calico('networkpolicies', 'NetworkPolicy', true),
  calico('globalnetworkpolicies', 'GlobalNetworkPolicy', false),
  calico('stagednetworkpolicies', 'StagedNetworkPolicy', true),
  calico('stagedglobalnetworkpolicies', 'StagedGlobalNetworkPolicy', false),
  calico('stagedkubernetesnetworkpolicies', 'StagedKubernetesNetworkPolicy', true),
  calico('networksets', 'NetworkSet', true),
  calico('globalnetworksets', 'GlobalNetworkSet', false),
  istio('peerauthentications', 'PeerAuthentication'),
  istio('authorizationpolicies', 'AuthorizationPolicy'),
];

/** `group/Kind` of a resource, as the analyzer keys kinds. */
export function groupKind(resource: Pick<ClusterResource, 'group' | 'kind'>): string {
  return `${resource.group}/${resource.kind}`;
}
