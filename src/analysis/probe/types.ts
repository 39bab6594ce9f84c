/**
 * The data of `zt probe`: probes as users write them, as the analyzer reads them, and the records it
 * returns (the JSON contract of `zt probe --format json`).
 */
import type { IpAddress } from '../core/ip-address';

/** TCP, UDP and SCTP are NetworkPolicy's protocols; ICMP needs a CNI dialect that defines it. */
export type ProbeProtocol = 'TCP' | 'UDP' | 'SCTP' | 'ICMP';
export const PROBE_PROTOCOLS: readonly ProbeProtocol[] = ['TCP', 'UDP', 'SCTP', 'ICMP'];

export type ProbeVerdict = 'allow' | 'deny';
export const PROBE_VERDICTS: readonly ProbeVerdict[] = ['allow', 'deny'];

/** The CNIs an expectation may be given for. */
export type ExpectationCni = 'kubernetes' | 'cilium' | 'calico';
export const EXPECTATION_CNIS: readonly ExpectationCni[] = ['kubernetes', 'cilium', 'calico'];

/**
 * What a probe expects: one verdict, or a verdict per CNI (`{ kubernetes: deny, cilium: allow }`) for a
 * probes file checked against several targets of one program. Under a CNI the map does not name, the
 * probe only reports its verdict.
 */
export type ProbeExpectation = ProbeVerdict | Readonly<Partial<Record<ExpectationCni, ProbeVerdict>>>;

/** `--cni`: which network dialects enforce. `auto` picks from the kinds in the input. */
export type CniOption = 'auto' | 'kubernetes' | 'cilium' | 'calico';
export const CNI_OPTIONS: readonly CniOption[] = ['auto', 'kubernetes', 'cilium', 'calico'];
/** `--mesh`: whether a service mesh enforces on top of the CNI. `auto` picks Istio when its kinds appear. */
export type MeshOption = 'auto' | 'none' | 'istio';
export const MESH_OPTIONS: readonly MeshOption[] = ['auto', 'none', 'istio'];

/** An endpoint as a probes file writes it. */
export type ProbeEndpointInput =
  | string
  | { readonly pod: string }
  | { readonly ip: string }
  | { readonly fqdn: string; readonly ip: string }
  | { readonly service: string }
  | { readonly node: string };

/** One probe as a probes file writes it (the TypeScript form of a YAML entry). */
export interface ProbeInput {
  /** Defaults to the probe's index in the list. */
  readonly id?: string;
  readonly from: ProbeEndpointInput;
  readonly to: ProbeEndpointInput;
  /** Default TCP. */
  readonly protocol?: ProbeProtocol;
  /** A number, or a named port of the destination (a container port name; a service port name through a Service). */
  readonly port?: number | string;
  readonly expected?: ProbeExpectation;
  readonly tls?: { readonly sni?: string };
  readonly http?: HttpRequest;
  readonly dns?: { readonly query: string };
  readonly icmp?: { readonly type: number; readonly code?: number; readonly family?: 'IPv4' | 'IPv6' };
  readonly clientMtls?: boolean;
}

/** A list of probes, or `{probes: [...]}`. */
export type ProbesInput = readonly ProbeInput[] | { readonly probes: readonly ProbeInput[] };

export interface HttpRequest {
  readonly method?: string;
  readonly path?: string;
  readonly host?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A validated endpoint. */
export type EndpointRef =
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'ip'; readonly ip: IpAddress; readonly text: string }
  /** Reached by name: `name` is lowercase, without a trailing dot. */
  | { readonly kind: 'fqdn'; readonly name: string; readonly ip: IpAddress; readonly text: string }
  | { readonly kind: 'service'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'node'; readonly name: string };

/** A validated probe. */
export interface Probe {
  readonly id: string;
  /** Position in the probes file. */
  readonly index: number;
  readonly from: EndpointRef;
  readonly to: EndpointRef;
  readonly protocol: ProbeProtocol;
  /** Undefined for ICMP. */
  readonly port?: number | string;
  /** The expected verdict under the CNI of the run (resolved from `expectedByCni` when the file gives one per CNI). */
  readonly expected?: ProbeVerdict;
  /** The verdict per CNI, as the file gives it. */
  readonly expectedByCni?: Readonly<Partial<Record<ExpectationCni, ProbeVerdict>>>;
  readonly tls?: { readonly sni?: string };
  readonly http?: HttpRequest;
  readonly dns?: { readonly query: string };
  readonly icmp?: { readonly type: number; readonly code?: number; readonly family: 'IPv4' | 'IPv6' };
  readonly clientMtls?: boolean;
}

/**
 * How a rule decided: `allow` and `deny` by a rule; `pass` (Calico) hands on; `isolated`: the endpoint is
 * isolated in this direction and no rule matched; `default`: no policy restricts it in this direction.
 */
export type ReasonEffect = 'allow' | 'deny' | 'pass' | 'isolated' | 'default';

/** One rule (or the absence of one) that decided a direction of a probe. */
export interface ProbeReason {
  /** `cni`: the network plugin's policies; `mesh`: the service mesh's. */
  readonly layer: 'cni' | 'mesh';
  readonly direction: 'ingress' | 'egress';
  /** `Kind namespace/name` of the policy, e.g. `NetworkPolicy alpha-data/database-ingress`; absent when no policy decided. */
  readonly policy?: string;
  /** The rule, e.g. `ingress[0]`; absent for `isolated` and `default`. */
  readonly rule?: string;
  readonly effect: ReasonEffect;
  /** Through a Service (or the DNS lookup): the backend pod this reason is about. */
  readonly backend?: string;
  /** The backend's port the connection reaches (the Service's `targetPort`). */
  readonly targetPort?: number;
  /** `dns`: the reason is about the lookup of an `{fqdn}` destination, not the connection itself. */
  readonly step?: 'dns';
  /** In words: which parts of the rule matched, or why nothing restricts the endpoint. */
  readonly detail?: string;
  /**
   * Under Cilium, for a rule whose port carries L7 rules (`rules.http`, `rules.dns`, `serverNames`): the L7
   * rule that matched the request, e.g. `rules.http[0] (method GET path /public/.*) matched GET /public/index.html`,
   * that none matched, or that the request was not checked (a probe without `http`/`dns`). Under Calico, for a
   * probe with `http` or `dns`: that Calico Open Source does not check it, and judged the connection at L4.
   */
  readonly l7?: string;
  /**
   * Mesh reasons only: set when the analyzer cannot judge what the mesh does (a CUSTOM provider, a value the
   * probe does not give, ambient mode): why. The reason then counts as a denial (fail closed).
   */
  readonly undetermined?: string;
}

/** One probe's result: the `probes[]` entries of `zt probe --format json`. */
export interface ProbeResult {
  readonly id: string;
  /** The source as written: `namespace/name`, `node:NAME`, an address. */
  readonly from: string;
  /** The destination as written: `namespace/name`, `svc:NAMESPACE/NAME`, `node:NAME`, an address, `NAME (ADDRESS)` for an fqdn. */
  readonly to: string;
  readonly protocol: ProbeProtocol;
  /** The destination port as a number (a named port resolved); absent for ICMP. */
  readonly port?: number;
  /** For ICMP: the message probed (type, code when given, family). */
  readonly icmp?: { readonly type: number; readonly code?: number; readonly family: 'IPv4' | 'IPv6' };
  readonly verdict: ProbeVerdict;
  readonly expected?: ProbeVerdict;
  /** Present only with `expected`: whether the verdict is the expected one. */
  readonly ok?: boolean;
  readonly reasons: readonly ProbeReason[];
  /**
   * Present when the verdict depends on what Kubernetes leaves to the network plugin (hostNetwork pods,
   * node addresses in ipBlock, where a pod is scheduled): says what the other outcome depends on. The
   * verdict is then the permissive one, `allow`, and an expectation never agrees (`ok: false`).
   */
  readonly implementationDefined?: string;
  /**
   * Present when the verdict is `deny` only because the mesh layer could not be judged (see
   * `ProbeReason.undetermined`): says why. An expectation never agrees with it (`ok: false`).
   */
  readonly undetermined?: string;
  /**
   * Under Calico, when the input holds staged policies (StagedNetworkPolicy, StagedGlobalNetworkPolicy,
   * StagedKubernetesNetworkPolicy): the verdict if they were enforced ("would allow" / "would deny"), with its
   * reasons. Staged policies never enforce: `verdict` and `ok` do not depend on them. An extra field of ours,
   * beside the contract's.
   */
  readonly staged?: StagedOutcome;
}

/** What a probe's verdict would be if the staged policies of the input were enforced. */
export interface StagedOutcome {
  readonly verdict: ProbeVerdict;
  readonly reasons: readonly ProbeReason[];
}

export interface ProbeSummary {
  readonly probes: number;
  readonly allow: number;
  readonly deny: number;
  /** Probes whose verdict is not the expected one. */
  readonly failed: number;
}

/** The result of `zt probe` and `probe()`. */
export interface ProbeReport {
  /** The network dialect that was enforced: `kubernetes`, `cilium` or `calico`. */
  readonly cni: Exclude<CniOption, 'auto'>;
  /** The mesh that was enforced: `none` or `istio`. */
  readonly mesh: Exclude<MeshOption, 'auto'>;
  readonly probes: readonly ProbeResult[];
  readonly summary: ProbeSummary;
  /** What the run assumed or left out (kinds of dialects that were not enforced): `zt probe` prints them on stderr. Not part of the JSON. */
  readonly notes: readonly string[];
}

/** Options of `probe()` and `zt probe`. */
export interface ProbeOptions {
  /** Default `auto`. */
  readonly cni?: CniOption;
  /** Default `auto`. */
  readonly mesh?: MeshOption;
  /** The probes file's name in messages; default `<probes>`. */
  readonly file?: string;
  /**
   * For `probe()` and `toSatisfyProbes` on a ZeroTrustPlatform (or an App holding platforms) that emits several
   * backends: the id of the backend whose output is probed, e.g. `cilium`. Without it, a platform's only
   * backend; with several, the backend named like `cni` (`kubernetes`, `cilium` or `calico`), else an error asks for it.
   * The mesh backend (`istio`) is a layer, not an alternative: its output is probed with the chosen network
   * backend's unless `mesh` is `none`; `backend: 'istio'` probes the mesh layer alone.
   * Ignored for manifests, which hold what they hold.
   */
  readonly backend?: string;
}
