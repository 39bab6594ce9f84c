/**
 * Public data shapes of the connectivity analyzer.
 *
 * The analyzer reads manifests only (ours or hand-written); it never imports the constructs, the
 * model or a backend. These types are the contract between the analysis core, the report
 * formatters, the CLI and the jest matchers.
 */

import type { Protocol } from '../vocabulary/protocol';

/** Transport protocols defined by Kubernetes NetworkPolicy. */
export type { Protocol } from '../vocabulary/protocol';

/** A destination port to probe: a number and its protocol. */
export interface ProbePort {
  readonly port: number;
  readonly protocol: Protocol;
}

/** Where a manifest document came from, for error messages. */
export interface ManifestSource {
  /** File path as given on the command line, `<stdin>`, or `<memory>` for in-memory objects. */
  readonly file: string;
  /** Zero-based index of the document inside the file (multi-document YAML) or the array. */
  readonly documentIndex: number;
}

/** A problem in the input: broken YAML, or an object the API server would reject. */
export interface ManifestIssue extends ManifestSource {
  /** Kind and namespace/name of the object when known, e.g. `NetworkPolicy alpha-web/backend-ingress`. */
  readonly object?: string;
  /** JSON path of the offending field, e.g. `spec.ingress[0].from[1].podSelector.matchExpressions[0].operator`. */
  readonly field?: string;
  readonly message: string;
}

/** One ordered (source, destination, port) verdict: the stable JSON contract of `zt analyze --format json`. */
export interface ConnectionVerdict {
  /** `namespace/name` of a pod, or `external:NAME` for an address given with `--external NAME=IP`. */
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly allowed: boolean;
  /** `namespace/name` of the policies whose egress rules allowed it; empty when the source is not isolated for egress, or when denied. */
  readonly egressPolicies: string[];
  /** `namespace/name` of the policies whose ingress rules allowed it; empty when the destination is not isolated for ingress, or when denied. */
  readonly ingressPolicies: string[];
}

/** The full report: every ordered pair of endpoints (self pairs included) × every probed port. */
export interface ConnectivityReport {
  /** Endpoint ids in a stable order: pods sorted by namespace then name, then externals. */
  readonly pods: string[];
  readonly connections: ConnectionVerdict[];
}

/** What the analyzer assumed or skipped; printed on stderr by the CLI, never part of the JSON contract. */
export interface AnalysisNotes {
  /** Namespaces referenced (by pods or policies) but not defined; assumed with only `kubernetes.io/metadata.name`. */
  readonly assumedNamespaces: string[];
  /** Objects of kinds the analyzer does not evaluate, counted per `apiVersion/kind`. */
  readonly ignoredKinds: { readonly kind: string; readonly count: number }[];
}

/** Compact form for large inventories: allowed connections counted per (source namespace, destination namespace). */
export interface ConnectivitySummary {
  readonly endpoints: number;
  readonly ports: number;
  /** Ordered pairs × ports evaluated. */
  readonly evaluated: number;
  readonly allowed: number;
  /** One row per namespace pair with at least one allowed connection, sorted by from then to. */
  readonly namespacePairs: {
    readonly from: string;
    readonly to: string;
    readonly allowed: number;
    readonly evaluated: number;
  }[];
}

/**
 * Which CNI enforces the policies, and so which policy kinds are evaluated and how:
 * - `kubernetes` (the default): Kubernetes NetworkPolicy only; other kinds are noted as ignored;
 * - `cilium`: Kubernetes NetworkPolicy as Cilium enforces it, plus CiliumNetworkPolicy,
 *   CiliumClusterwideNetworkPolicy and CiliumCIDRGroup, merged per endpoint (a deny wins);
 * - `calico`: Calico's tiered evaluation of projectcalico.org/v3 policies (NetworkPolicy, GlobalNetworkPolicy,
 *   Tier, NetworkSet, GlobalNetworkSet; staged kinds are read but never enforced), with Kubernetes NetworkPolicy
 *   in the `default` tier at order 1000 (see docs/calico-evaluator.md);
 * - `auto`: `cilium` when the input holds a Cilium policy kind, else `calico` when it holds a Calico kind, else
 *   `kubernetes`.
 */
export type CniOption = 'auto' | 'kubernetes' | 'cilium' | 'calico';

/**
 * The service mesh that enforces on top of the CNI: `none`, `istio` (PeerAuthentication and AuthorizationPolicy
 * at the destination's sidecar, ANDed with the CNI's verdict), or `auto`: `istio` when the input holds
 * security.istio.io kinds.
 */
export type AnalyzeMeshOption = 'auto' | 'none' | 'istio';

/** Options of `analyze`. */
export interface AnalyzeOptions {
  /** The CNI whose semantics apply (see `CniOption`); `kubernetes` when omitted. */
  readonly cni?: CniOption;
  /** The mesh that enforces on top of the CNI (see `AnalyzeMeshOption`); `none` when omitted. */
  readonly mesh?: AnalyzeMeshOption;
  /** Probe exactly these ports for every destination. Default: every port each destination pod declares in its containers. */
  readonly ports?: readonly ProbePort[];
  /** External endpoints: name → IP address, matched by `ipBlock` peers only. */
  readonly externals?: Readonly<Record<string, string>>;
  /**
   * Ports probed when an external endpoint is the destination (name → ports), as a pod's container ports
   * are. Without it an external is probed only on `ports`.
   */
  readonly externalPorts?: Readonly<Record<string, readonly ProbePort[]>>;
}

/** The query of `explain`. */
export interface ExplainQuery {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol?: Protocol;
}

/** A rule that allowed (or could have allowed) the connection on one side. */
export interface RuleReference {
  /** `namespace/name` of the policy, or `name` for a cluster-scoped policy: how reports name it. */
  readonly policy: string;
  /** The policy's kind, e.g. `NetworkPolicy`. */
  readonly kind: string;
  /** The policy's namespace; undefined for a cluster-scoped policy. */
  readonly namespace?: string;
  /** The policy's name. */
  readonly name: string;
  /** Zero-based index into `spec.ingress` or `spec.egress`. */
  readonly ruleIndex: number;
  /** Human-readable summary of the matching peer and port, e.g. `from[0] (namespaceSelector+podSelector), ports[1] 8080/TCP`. */
  readonly detail: string;
}

/** One side (source egress, or destination ingress) of an explanation. */
export interface SideExplanation {
  readonly direction: 'Egress' | 'Ingress';
  /** The endpoint whose policies are evaluated on this side. */
  readonly endpoint: string;
  /** False for externals: policies do not apply to them. */
  readonly applicable: boolean;
  /** Policies in the endpoint's namespace that select it for this direction (`namespace/name`). */
  readonly selectingPolicies: string[];
  readonly isolated: boolean;
  readonly allowed: boolean;
  /** The rules that allowed the connection (empty when not isolated or denied). */
  readonly allowedBy: RuleReference[];
  /** One sentence: why this side allowed or denied. */
  readonly reason: string;
}

/** The result of `explain`. */
export interface Explanation {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly allowed: boolean;
  readonly egress: SideExplanation;
  readonly ingress: SideExplanation;
}

/** The verdict of a connection through a Service: every backend allows it, none does, or only some do. */
export type RouteVerdict = 'allowed' | 'denied' | 'partial';

/** One backend pod of a Service, for one service port. */
export interface ServiceBackendExplanation {
  /** `namespace/name` of the pod. */
  readonly endpoint: string;
  /** The container port the connection reaches on this pod; undefined when the pod is not a backend for this port. */
  readonly targetPort?: number;
  /** The pod-to-pod explanation on `targetPort`; undefined when the pod is not a backend for this port. */
  readonly explanation?: Explanation;
  /** Why the Service sends this pod no traffic on this port (a named targetPort the pod does not declare). */
  readonly excluded?: string;
}

/**
 * The result of `explain` for a destination that is a Service: the connection reaches one of its backend
 * pods on the `targetPort`, and policies see that pod and port, never the Service port
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/).
 */
export interface ServiceExplanation {
  readonly from: string;
  /** `namespace/name` of the Service. */
  readonly service: string;
  /** The service port. */
  readonly port: number;
  readonly protocol: Protocol;
  /** `allowed` when every backend allows it; `denied` when none does (or the Service has no backend for the port); else `partial`. */
  readonly verdict: RouteVerdict;
  /** Backend pods, sorted. */
  readonly backends: ServiceBackendExplanation[];
}
