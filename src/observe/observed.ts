/**
 * The aggregate of observed traffic that `zt observe import` writes and `zt observe generate` and
 * `zt observe check` read: workloads keyed by their stable labels, the flows between them and to
 * addresses outside the cluster, the DNS lookups, and what was dropped or cannot become intent.
 */

export const OBSERVED_API_VERSION = 'zero-trust.cdk8s.io/v1alpha1';
export const OBSERVED_KIND = 'ObservedFlows';

/** The pods of one workload, as the flows showed them. */
export interface ObservedWorkload {
  /** `namespace/name`, unique. */
  readonly id: string;
  readonly namespace: string;
  /** The owning workload's name when Hubble gave it, otherwise derived from the labels. */
  readonly name: string;
  /** The owner's kind (Deployment, StatefulSet...), when Hubble gave it. */
  readonly kind?: string;
  /** The stable labels every pod seen carried (hash labels such as pod-template-hash left out): the selector. */
  readonly labels: Readonly<Record<string, string>>;
  /** The distinct stable label sets seen (at most `MAX_LABEL_SETS`). */
  readonly labelSets: readonly Readonly<Record<string, string>>[];
  /** The service accounts its pods ran as. */
  readonly serviceAccounts: readonly string[];
}

/** One end of an observed flow. */
export type ObservedPeer =
  | { readonly kind: 'workload'; readonly workload: string }
  /** An address outside the cluster; `names` are the DNS names the client looked up for it (or Cilium's DNS proxy saw). */
  | { readonly kind: 'external'; readonly ip: string; readonly names: readonly string[] }
  /** The Kubernetes API server, at the address the flow reached. */
  | { readonly kind: 'kube-apiserver'; readonly ip: string };

/** One HTTP request kind seen on a flow. */
export interface ObservedRequest {
  readonly method: string;
  readonly path: string;
  readonly count: number;
}

export type ObservedProtocol = 'TCP' | 'UDP' | 'SCTP';

/** Connections from one end to the other on one port. */
export interface ObservedFlow {
  readonly source: ObservedPeer;
  readonly destination: ObservedPeer;
  readonly protocol: ObservedProtocol;
  readonly port: number;
  /** Records seen. */
  readonly count: number;
  /** Of them, with the AUDIT verdict (Cilium's policy audit mode: a policy would have dropped them). */
  readonly audited?: number;
  /** HTTP requests seen (Hubble sees them where an L7 policy sends the port through Cilium's proxy). */
  readonly http?: readonly ObservedRequest[];
  /** More distinct requests than `MAX_REQUESTS` were seen: `http` lists only the first. */
  readonly httpTruncated?: boolean;
  /** For dropped flows: the drop reasons, with counts. */
  readonly dropReasons?: Readonly<Record<string, number>>;
}

/** DNS lookups from one workload to the cluster DNS. */
export interface ObservedDns {
  readonly client: string;
  readonly server: string;
  readonly protocol: ObservedProtocol;
  readonly port: number;
  readonly count: number;
  /** The names looked up (at most `MAX_NAMES`). */
  readonly names: readonly string[];
}

/** Traffic seen that no intent can be generated for, with why. */
export interface NotGenerated {
  readonly source: string;
  readonly destination: string;
  readonly protocol: string;
  readonly port?: number;
  readonly count: number;
  readonly reason: string;
}

export interface ObservedCounts {
  readonly files: readonly string[];
  readonly lines: number;
  /** Flow records read (every verdict). */
  readonly records: number;
  /** Replies (`is_reply`), which are not flows. */
  readonly replies: number;
  /** Records of other kinds (node status, lost events, non-IP traffic). */
  readonly notFlows: number;
  /** Records with a verdict that is neither forwarded nor dropped (TRACED, TRANSLATED, VERDICT_UNKNOWN). */
  readonly otherVerdicts: number;
  /** Invalid records skipped under `--skip-invalid`, with the first few line references. */
  readonly invalid: number;
  readonly invalidExamples: readonly string[];
}

export interface ObservedAggregate {
  readonly apiVersion: typeof OBSERVED_API_VERSION;
  readonly kind: typeof OBSERVED_KIND;
  readonly counts: ObservedCounts;
  /** The cluster DNS the lookups went to (`--dns-namespace`, `--dns-label` of the import). */
  readonly dnsServer: { readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
  /** Namespace labels, as Cilium reports them on the pods (`io.cilium.k8s.namespace.labels.*`). */
  readonly namespaces: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly workloads: readonly ObservedWorkload[];
  readonly flows: readonly ObservedFlow[];
  readonly dns: readonly ObservedDns[];
  readonly dropped: readonly ObservedFlow[];
  readonly notGenerated: readonly NotGenerated[];
}

export const MAX_LABEL_SETS = 16;
export const MAX_REQUESTS = 1000;
export const MAX_NAMES = 1000;

/** How a report names a peer. */
export function describePeer(peer: ObservedPeer): string {
  switch (peer.kind) {
    case 'workload':
      return peer.workload;
    case 'kube-apiserver':
      return `kube-apiserver (${peer.ip})`;
    case 'external':
      return peer.names.length > 0 ? `${peer.names[0]} (${peer.ip})` : peer.ip;
  }
}
