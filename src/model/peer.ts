import { LabelSelector, SelectorOperator } from './selector';
import { describeValue } from './values';

/** Peer factories have no construct path: a value of the wrong shape (JavaScript callers) fails at once. */
function requireShape(ok: boolean, call: string, value: unknown, expected: string, fix: string): void {
  if (!ok) throw new TypeError(`${call}: ${describeValue(value)} is not ${expected}. Fix: ${fix}`);
}

/**
 * Endpoints that are not pods, named as Cilium names them in spirit (https://docs.cilium.io/en/stable/security/policy/language/#entities-based):
 * - `kube-apiserver`: the Kubernetes API server, inside the cluster or not;
 * - `local-node`: the node a pod runs on (its host network, hostNetwork pods there included);
 * - `remote-nodes`: every other node of the cluster;
 * - `world`: every address outside the cluster;
 * - `cluster`: everything inside the cluster: the pods of every namespace and the nodes.
 */
export type Entity = 'kube-apiserver' | 'local-node' | 'remote-nodes' | 'world' | 'cluster';

/** Backend-neutral description of the far end of a flow, as declared (resolved at synthesis). */
export type PeerSpec =
  /**
   * A workload declared with `ZeroTrustNamespace.workload()`; with `identity: 'service-account'`
   * (`workload.byServiceAccount()`), only its pods that run as its service account.
   */
  | { readonly kind: 'workload'; readonly namespace: string; readonly workload: string; readonly path: string; readonly identity?: 'service-account' }
  /** Every pod of a namespace (managed, or declared external). */
  | { readonly kind: 'namespace'; readonly namespace: string }
  /** Selected pods of a namespace we do not manage (declared external); `serviceAccount` is their mesh identity. */
  | { readonly kind: 'pods'; readonly namespace: string; readonly selector: LabelSelector; readonly serviceAccount?: string }
  /** Addresses outside the cluster; `name` names the range for backends with named address sets. */
  | { readonly kind: 'cidr'; readonly cidr: string; readonly except: readonly string[]; readonly name?: string }
  /** Every pod of every namespace of a tenant. */
  | { readonly kind: 'tenant'; readonly tenant: string; readonly path: string; readonly id: string }
  /** Every pod of every namespace of every tenant of the platform. */
  | { readonly kind: 'all-tenants' }
  /** Every pod of every namespace the platform manages (the subject of a platform-wide allowance). */
  | { readonly kind: 'managed-namespaces' }
  /** A DNS name (`match: 'name'`) or a `*.` pattern (`match: 'pattern'`); egress only. */
  | { readonly kind: 'fqdn'; readonly match: 'name' | 'pattern'; readonly value: string }
  /** An endpoint that is not a pod; `addresses` are the API server's, for backends without the entity. */
  | { readonly kind: 'entity'; readonly entity: Entity; readonly addresses?: readonly string[] }
  /** Pods of a namespace declared external that run as a service account. */
  | { readonly kind: 'service-account'; readonly namespace: string; readonly name: string };

/** Anything a flow can be allowed to or from: a Workload, a ZeroTrustNamespace, a TenantBoundary, or a `Peer`. */
export interface IPeer {
  /** @internal the model form of this peer */
  toPeerSpec(): PeerSpec;
}

/** Options of `Peer.cidr`. */
export interface CidrPeerOptions {
  /** CIDRs inside `cidr` to exclude; each must be strictly inside it. @default - none */
  readonly except?: readonly string[];
  /**
   * A name for the range, e.g. `'partner-api'`: a DNS-1123 label, and one name stands for one CIDR
   * throughout the program. Backends with named address sets render the range as one (Calico: a
   * GlobalNetworkSet of that name, which rules select); the others ignore the name. It never changes
   * which addresses a rule matches.
   * @default - an anonymous range
   */
  readonly name?: string;
}

/** Options of `Peer.pods`. */
export interface PodsPeerOptions {
  /** Name of a namespace declared with `ExternalNamespace` (for pods of a managed namespace, declare a workload). */
  readonly namespace: string;
  /** Pods carrying all these labels (ANDed with `selector` when both are given). */
  readonly labels?: Readonly<Record<string, string>>;
  /** A full label selector. */
  readonly selector?: LabelSelector;
  /**
   * The pods' service account: their identity in a mesh (the Istio backend admits its principal
   * `<trust domain>/ns/<namespace>/sa/<serviceAccount>`; without it, pods known by labels only cannot be
   * admitted by the mesh). Network backends select the pods by their labels, as for `Peer.istioIngressGateway`.
   * @default - none: the pods have no identity the mesh can admit
   */
  readonly serviceAccount?: string;
}

/** Options of `Peer.kubeApiserver`. */
export interface KubeApiserverPeerOptions {
  /**
   * The API server's endpoint addresses as CIDRs (e.g. `['172.18.0.2/32']`): those of
   * `kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes`, not the Service's
   * ClusterIP, because policies see the address after service translation. Backends without an
   * API-server entity (Kubernetes NetworkPolicy) can express the peer only with them.
   * @default - none: only backends with an API-server entity (Cilium) can express the peer
   */
  readonly addresses?: readonly string[];
}

/** Options of `Peer.serviceAccount`. */
export interface ServiceAccountPeerOptions {
  /** Name of a namespace declared with `ExternalNamespace` (for a managed namespace, use `workload.byServiceAccount()`). */
  readonly namespace: string;
  /** The service account's name. */
  readonly name: string;
}

/** Options of `Peer.istioIngressGateway`. */
export interface IstioIngressGatewayPeerOptions {
  /** The gateway's namespace, unmanaged (the mesh's namespaces are; others must be declared external). @default 'istio-system' */
  readonly namespace?: string;
  /** The gateway pods' labels, which network backends select. @default { istio: 'ingressgateway' } */
  readonly labels?: Readonly<Record<string, string>>;
  /** The gateway pods' service account, their identity in the mesh. @default 'istio-ingressgateway-service-account' */
  readonly serviceAccount?: string;
}

/**
 * Peers that are not constructs of this platform. Plain values: no scope or id needed.
 */
export class Peer implements IPeer {
  /**
   * One DNS name, e.g. `Peer.fqdn('api.github.com')`: the addresses it resolves to, as seen in the
   * pod's DNS answers. Egress only. Lowercase RFC 1123 names of two labels or more.
   */
  public static fqdn(name: string): Peer {
    return new Peer({ kind: 'fqdn', match: 'name', value: name });
  }

  /**
   * The names one label below a domain, e.g. `Peer.fqdnPattern('*.s3.amazonaws.com')` matches
   * `bucket.s3.amazonaws.com` but neither `s3.amazonaws.com` nor `a.b.s3.amazonaws.com`. Only a
   * leading `*.` is accepted. Egress only.
   */
  public static fqdnPattern(pattern: string): Peer {
    return new Peer({ kind: 'fqdn', match: 'pattern', value: pattern });
  }

  /** The Kubernetes API server, wherever it runs. */
  public static kubeApiserver(options: KubeApiserverPeerOptions = {}): Peer {
    requireShape(typeof options === 'object' && options !== null, 'Peer.kubeApiserver(options)', options, 'an options object', "pass { addresses: ['172.18.0.2/32'] } or nothing");
    const addresses: unknown = options.addresses;
    requireShape(addresses === undefined || Array.isArray(addresses), 'Peer.kubeApiserver({ addresses })', addresses, 'a list of CIDRs', "wrap it in a list: { addresses: ['172.18.0.2/32'] }");
    return new Peer({ kind: 'entity', entity: 'kube-apiserver', ...(options.addresses ? { addresses: [...options.addresses] } : {}) });
  }

  /** The node a pod runs on: its host network, and hostNetwork pods on it (the kubelet's probes, node agents). */
  public static localNode(): Peer {
    return new Peer({ kind: 'entity', entity: 'local-node' });
  }

  /** Every node other than the pod's own, and hostNetwork pods on them. */
  public static remoteNodes(): Peer {
    return new Peer({ kind: 'entity', entity: 'remote-nodes' });
  }

  /** Every address outside the cluster (the internet, other networks), whatever it is. */
  public static world(): Peer {
    return new Peer({ kind: 'entity', entity: 'world' });
  }

  /**
   * Everything inside the cluster: the pods of every namespace, managed or not, and the nodes. Like every
   * entity, it opens the declaring workload's side only: a pod of a managed namespace still admits only
   * what its own declarations admit (no tenant opens another tenant's pods this way).
   */
  public static cluster(): Peer {
    return new Peer({ kind: 'entity', entity: 'cluster' });
  }

  /**
   * Every pod of every namespace of every tenant: a service shared with all tenants in one
   * declaration, e.g. `registry.allowFrom(Peer.allTenants(), Port.tcp(5000))`. Naming every tenant,
   * it needs no cross-tenant permission.
   */
  public static allTenants(): Peer {
    return new Peer({ kind: 'all-tenants' });
  }

  /**
   * An Istio ingress gateway: traffic from outside enters the mesh there, with the gateway's
   * identity. Network backends select its pods by their labels; the Istio backend admits its
   * principal (the service account). The defaults are those of Istio's default install profile.
   */
  public static istioIngressGateway(options: IstioIngressGatewayPeerOptions = {}): Peer {
    requireShape(typeof options === 'object' && options !== null && !Array.isArray(options), 'Peer.istioIngressGateway(options)', options, 'an options object', "pass { namespace: 'istio-ingress' } or nothing");
    return new Peer({
      kind: 'pods',
      namespace: options.namespace ?? 'istio-system',
      selector: { matchLabels: { ...(options.labels ?? { istio: 'ingressgateway' }) } },
      serviceAccount: options.serviceAccount ?? 'istio-ingressgateway-service-account',
    });
  }

  /** Pods of a namespace declared with `ExternalNamespace` that run as a service account. */
  public static serviceAccount(options: ServiceAccountPeerOptions): Peer {
    requireShape(
      typeof options === 'object' && options !== null && !Array.isArray(options),
      'Peer.serviceAccount(options)',
      options,
      'an options object',
      "pass { namespace: 'ci', name: 'runner' }",
    );
    return new Peer({ kind: 'service-account', namespace: options.namespace, name: options.name });
  }

  /** Addresses in `cidr` (IPv4 or IPv6, canonical: host bits zero), minus `except`. */
  public static cidr(cidr: string, options: CidrPeerOptions = {}): Peer {
    requireShape(typeof options === 'object' && options !== null, 'Peer.cidr(cidr, options)', options, 'an options object', "pass { except: ['203.0.113.128/25'] } or nothing");
    const except: unknown = options.except;
    requireShape(except === undefined || Array.isArray(except), 'Peer.cidr(cidr, { except })', except, 'a list of CIDRs', "wrap it in a list: { except: ['203.0.113.128/25'] }");
    return new Peer({ kind: 'cidr', cidr, except: [...(options.except ?? [])], ...(options.name !== undefined ? { name: options.name } : {}) });
  }

  /** Every IPv4 address (0.0.0.0/0). Pod addresses may or may not match, depending on the CNI. */
  public static anyIpv4(options: CidrPeerOptions = {}): Peer {
    return Peer.cidr('0.0.0.0/0', options);
  }

  /** Every IPv6 address (::/0). */
  public static anyIpv6(options: CidrPeerOptions = {}): Peer {
    return Peer.cidr('::/0', options);
  }

  /** Every pod of a namespace, by name. The namespace must be managed by the platform or declared external. */
  public static namespace(name: string): Peer {
    return new Peer({ kind: 'namespace', namespace: name });
  }

  /** Selected pods of a namespace declared with `ExternalNamespace` (not managed by this platform). */
  public static pods(options: PodsPeerOptions): Peer {
    requireShape(
      typeof options === 'object' && options !== null && !Array.isArray(options),
      'Peer.pods(options)',
      options,
      'an options object',
      "pass { namespace: 'ingress-nginx', labels: { app: 'controller' } }",
    );
    const selector: LabelSelector =
      options.labels != null && options.selector != null
        ? {
          // Both given: a pod must satisfy both. Merging the two label maps would let one value
          // replace the other for a shared key (a wider peer), so `labels` become `In` terms.
          matchLabels: options.selector.matchLabels,
          matchExpressions: [
            ...(options.selector.matchExpressions ?? []),
            ...Object.entries(options.labels).map(([key, value]) => ({ key, operator: SelectorOperator.IN, values: [value] })),
          ],
        }
        : options.selector ?? { matchLabels: options.labels ?? {} };
    return new Peer({ kind: 'pods', namespace: options.namespace, selector, ...(options.serviceAccount !== undefined ? { serviceAccount: options.serviceAccount } : {}) });
  }

  private constructor(private readonly spec: PeerSpec) {}

  /** @internal */
  public toPeerSpec(): PeerSpec {
    return this.spec;
  }
}
