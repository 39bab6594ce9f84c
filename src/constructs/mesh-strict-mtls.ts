import { Construct } from 'constructs';
import { checkedChildId } from './construct-ids';
import { ZeroTrustPlatform } from './platform';
import { IZeroTrustNamespace, Workload } from './workload';
import {
  MeshDeclaration,
  MtlsMode,
  MtlsOverrideDeclaration,
  PortExceptionDeclaration,
  SidecarlessDeclaration,
} from '../model/mesh';
import { IPeer, PeerSpec } from '../model/peer';
import { Port, portSpecOf } from '../model/port';
import { describeValue } from '../model/values';

export { MtlsMode } from '../model/mesh';

/** Where istiod runs. */
export interface IstiodOptions {
  /** @default 'istio-system' */
  readonly namespace?: string;
  /** istiod's pod labels. @default { app: 'istiod' } */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface MeshStrictMtlsProps {
  /**
   * The mesh's root namespace (meshConfig.rootNamespace), where the mesh-wide PeerAuthentication is
   * written. It must not be a managed namespace.
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /** The istiod pods, which every sidecar dials on 15012. @default { namespace: 'istio-system', labels: { app: 'istiod' } } */
  readonly istiod?: IstiodOptions;
  /**
   * Pods that scrape the sidecars' Prometheus metrics (15020 merged, 15090 Envoy's), e.g. an
   * ExternalNamespace `monitoring`: allowed into every meshed namespace on the network backends.
   * @default - none: metrics ports stay closed
   */
  readonly scrapeMetricsFrom?: readonly IPeer[];
}

/** A mode for a namespace or a workload. */
export interface MtlsOverrideOptions {
  readonly mode: MtlsMode;
  /** Why this namespace or workload is not STRICT: required unless `mode` is STRICT. @default - none (STRICT only) */
  readonly reason?: string;
}

/** A mode for one port of a workload. */
export interface PortMtlsOptions {
  readonly mode: MtlsMode;
  /** Why the port is an exception, for the reviewer: required. */
  readonly reason: string;
}

/** Options of `withoutSidecar`. */
export interface WithoutSidecarOptions {
  /** Why the pods run without a sidecar: required. */
  readonly reason: string;
}

const MESH_SYMBOL = Symbol.for('cdk8s-zero-trust.MeshStrictMtls');

/**
 * Turns the Istio mesh on for the platform (sidecar mode; ambient mode is not covered): a mesh-wide
 * PeerAuthentication with mode STRICT in the root namespace, `istio-injection: enabled` on every
 * managed namespace, and, on every network backend, the sidecars' allowance to istiod (15012).
 * Exceptions are explicit and narrow: a mode per namespace or workload, a mode per workload port,
 * pods without a sidecar; each weaker than STRICT carries its reason. Rendered by `Backend.istio()`.
 */
export class MeshStrictMtls extends Construct {
  public static isMeshStrictMtls(x: unknown): x is MeshStrictMtls {
    return x !== null && typeof x === 'object' && MESH_SYMBOL in x;
  }

  public readonly platform: ZeroTrustPlatform;
  private readonly overrides: MtlsOverrideDeclaration[] = [];
  private readonly portExceptions: PortExceptionDeclaration[] = [];
  private readonly sidecarless: SidecarlessDeclaration[] = [];
  private readonly base: Omit<MeshDeclaration, 'overrides' | 'portExceptions' | 'sidecarless'>;

  constructor(scope: Construct, id: string, props: MeshStrictMtlsProps = {}) {
    super(scope, checkedChildId(scope, id, 'MeshStrictMtls', "choose another id, e.g. 'mesh'"));
    Object.defineProperty(this, MESH_SYMBOL, { value: true });
    const given: MeshStrictMtlsProps = props ?? {};
    this.platform = ZeroTrustPlatform.of(this);
    const scrapers = given.scrapeMetricsFrom ?? [];
    if (!Array.isArray(scrapers)) {
      throw new TypeError(`[${this.node.path}] scrapeMetricsFrom: ${describeValue(scrapers)} is not a list. Fix: pass a list of peers, e.g. [monitoring]`);
    }
    this.base = {
      path: this.node.path,
      rootNamespace: given.rootNamespace ?? 'istio-system',
      istiod: { namespace: given.istiod?.namespace ?? 'istio-system', selector: { matchLabels: given.istiod?.labels ?? { app: 'istiod' } } },
      scrapeFrom: scrapers.map((peer: IPeer, i) => this.peerSpec(peer, `scrapeMetricsFrom[${i}]`)),
    };
    if (!this.platform._model.setMesh(this.declaration())) {
      throw new Error(`[${this.node.path}] the platform already has a mesh (${this.platform._model.meshDeclaration?.path}). Fix: declare one MeshStrictMtls per platform`);
    }
  }

  /** Sets the mode of every pod of a namespace (a namespace-wide PeerAuthentication). */
  public namespaceMode(namespace: IZeroTrustNamespace, options: MtlsOverrideOptions): this {
    const field = `namespaceMode(${this.overrides.length + 1})`;
    if (!isNamespace(namespace)) throw this.notA(field, namespace, 'a ZeroTrustNamespace');
    this.overrides.push({ field, target: { kind: 'namespace', namespace: namespace.name }, mode: options?.mode, reason: options?.reason });
    return this.record();
  }

  /** Sets the mode of one workload's pods (a PeerAuthentication selecting them). */
  public workloadMode(workload: Workload, options: MtlsOverrideOptions): this {
    const field = `workloadMode(${this.overrides.length + 1})`;
    if (!(workload instanceof Workload)) throw this.notA(field, workload, 'a Workload');
    this.overrides.push({ field, target: { kind: 'workload', path: workload.node.path }, mode: options?.mode, reason: options?.reason });
    return this.record();
  }

  /**
   * Sets the mode of one port of a workload's pods (`portLevelMtls`), e.g. PERMISSIVE on a legacy
   * port that plaintext clients still call: `mesh.portMode(api, Port.tcp(9000), { mode: MtlsMode.PERMISSIVE, reason: '...' })`.
   * The port is the container port.
   */
  public portMode(workload: Workload, port: Port, options: PortMtlsOptions): this {
    const field = `portMode(${this.portExceptions.length + 1})`;
    if (!(workload instanceof Workload)) throw this.notA(field, workload, 'a Workload');
    const spec = portSpecOf(port, this.node.path, `${field}.port`, 'e.g. Port.tcp(9000)');
    this.portExceptions.push({ field, workloadPath: workload.node.path, port: spec, mode: options?.mode, reason: options?.reason });
    return this.record();
  }

  /**
   * Declares pods that run without a sidecar: a whole namespace (labelled `istio-injection: disabled`)
   * or one workload (whose pods must carry `sidecar.istio.io/inject: "false"`). The mesh enforces
   * nothing on them; flows from them into the mesh are refused at synthesis (STRICT rejects their plaintext).
   */
  public withoutSidecar(target: IZeroTrustNamespace | Workload, options: WithoutSidecarOptions): this {
    const field = `withoutSidecar(${this.sidecarless.length + 1})`;
    if (target instanceof Workload) {
      this.sidecarless.push({ field, target: { kind: 'workload', path: target.node.path }, reason: options?.reason });
    } else if (isNamespace(target)) {
      this.sidecarless.push({ field, target: { kind: 'namespace', namespace: target.name }, reason: options?.reason });
    } else {
      throw this.notA(field, target, 'a ZeroTrustNamespace or a Workload');
    }
    return this.record();
  }

  private record(): this {
    this.platform._model.setMesh(this.declaration());
    return this;
  }

  private declaration(): MeshDeclaration {
    return { ...this.base, overrides: [...this.overrides], portExceptions: [...this.portExceptions], sidecarless: [...this.sidecarless] };
  }

  private peerSpec(peer: IPeer, field: string): PeerSpec {
    if (peer === null || typeof peer !== 'object' || typeof peer.toPeerSpec !== 'function') throw this.notA(field, peer, 'a peer');
    return peer.toPeerSpec();
  }

  private notA(field: string, value: unknown, what: string): TypeError {
    return new TypeError(`[${this.node.path}] ${field}: ${describeValue(value)} is not ${what}. Fix: pass ${what} of this platform`);
  }
}

function isNamespace(x: unknown): x is IZeroTrustNamespace {
  return x !== null && typeof x === 'object' && typeof (x as IZeroTrustNamespace).name === 'string' && typeof (x as IZeroTrustNamespace).workload === 'function';
}
