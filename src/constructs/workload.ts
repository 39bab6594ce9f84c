import { Chart } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { checkedChildId } from './construct-ids';
import { ZeroTrustPlatform } from './platform';
import { ContainerPortDeclaration, WorkloadDeclaration } from '../model/declarations';
import { IPeer, PeerSpec } from '../model/peer';
import { Port, portSpecOf } from '../model/port';
import { LabelRequirement, LabelSelector, SelectorOperator } from '../model/selector';
import { labelMapProblem, selectorShapeProblem } from '../model/selector-shape';

export interface WorkloadOptions {
  /** Pod labels that select this workload's pods (matchLabels). Give `labels` or `selector`. */
  readonly labels?: Readonly<Record<string, string>>;
  /** A full label selector. Give `labels` or `selector`. */
  readonly selector?: LabelSelector;
  /** The pods' service account (used by identity-aware backends). @default - not recorded */
  readonly serviceAccount?: string;
  /** Policy name base. @default - the construct id */
  readonly name?: string;
  /** @internal a cdk8s-plus workload whose selector is used */
  readonly adopted?: kplus.Workload;
}

/** Options of `ZeroTrustNamespace.adopt`. */
export interface AdoptWorkloadOptions {
  /**
   * Workload name (used in policy names), and construct id: except for a name that no construct can
   * have as id (`constructor`), whose id is `<name>-workload`.
   * @default - the cdk8s-plus workload's construct id, lowercased
   */
  readonly name?: string;
}

/** A managed namespace, as its workloads see it. `ZeroTrustNamespace` is the implementation. */
export interface IZeroTrustNamespace extends IConstruct, IPeer {
  /** The namespace name. */
  readonly name: string;
  readonly platform: ZeroTrustPlatform;
  /** Declares the pods of another workload of this namespace. */
  workload(id: string, options: WorkloadOptions): Workload;
  /** Uses a cdk8s-plus-28 workload of this namespace. */
  adopt(workload: kplus.Workload, options?: AdoptWorkloadOptions): Workload;
}

/** A declared flow; mark it `.acrossTenants()` when it is meant to cross a tenant boundary. */
export class Flow {
  /** @internal */
  constructor(
    private readonly platform: ZeroTrustPlatform,
    private readonly index: number,
  ) {}

  /** Declares that this flow may cross tenants (otherwise a cross-tenant flow fails synthesis). */
  public acrossTenants(): this {
    this.platform._model.markCrossTenant(this.index);
    return this;
  }
}

/**
 * The pods of one workload in a ZeroTrustNamespace. Flows are declared from either end:
 * `a.allowTo(b, Port.tcp(80))` and `b.allowFrom(a, Port.tcp(80))` are the same flow.
 */
export class Workload extends Construct implements IPeer {
  public readonly name: string;
  public readonly namespace: IZeroTrustNamespace;
  private readonly platform: ZeroTrustPlatform;

  constructor(namespace: IZeroTrustNamespace, id: string, options: WorkloadOptions) {
    super(namespace, checkedChildId(namespace, id, 'Workload', "choose another id; the name can still be that value: workload('frontend-app', { name: 'frontend', ... })"));
    this.namespace = namespace;
    const given: WorkloadOptions = options ?? {};
    this.name = given.name ?? id;
    this.platform = ZeroTrustPlatform.of(this);
    this.platform._model.addWorkload(declareWorkload(this.node.path, namespace.name, this.name, given));
  }

  /** Allows this workload to open connections to `peer` on `ports` (at least one; `Port.all()` for every port). */
  public allowTo(peer: IPeer, ...ports: Port[]): Flow {
    return this.declare('allowTo', this.toPeerSpec(), this.peerSpecOf(peer, 'allowTo'), 'destination', ports);
  }

  /** Allows `peer` to open connections to this workload on `ports` (at least one; `Port.all()` for every port). */
  public allowFrom(peer: IPeer, ...ports: Port[]): Flow {
    return this.declare('allowFrom', this.peerSpecOf(peer, 'allowFrom'), this.toPeerSpec(), 'source', ports);
  }

  /**
   * This workload's pods identified by their service account as well as their labels: a peer that a
   * pod copying the labels does not match unless it also runs as the service account
   * (`serviceAccount` must be set). Only backends with service-account identity (Cilium) can
   * express it; the others refuse it, never falling back to the labels alone.
   */
  public byServiceAccount(): IPeer {
    const spec: PeerSpec = { kind: 'workload', namespace: this.namespace.name, workload: this.name, path: this.node.path, identity: 'service-account' };
    return { toPeerSpec: () => spec };
  }

  /** @internal */
  public toPeerSpec(): PeerSpec {
    return { kind: 'workload', namespace: this.namespace.name, workload: this.name, path: this.node.path };
  }

  private peerSpecOf(peer: IPeer, method: string): PeerSpec {
    if (peer === null || typeof peer !== 'object' || typeof peer.toPeerSpec !== 'function') {
      throw new TypeError(
        `[${this.node.path}] ${method}(#${this.platform._model.flowCount(this.node.path) + 1}).peer: ${String(peer)} is not a peer. ` +
          'Fix: pass a Workload, ZeroTrustNamespace, TenantBoundary, ExternalNamespace or a Peer value',
      );
    }
    return peer.toPeerSpec();
  }

  private declare(method: string, source: PeerSpec, destination: PeerSpec, peerSide: 'source' | 'destination', ports: Port[]): Flow {
    const model = this.platform._model;
    const field = `${method}(#${model.flowCount(this.node.path) + 1})`;
    // Only JavaScript callers can pass something else; fail at once, since it cannot be recorded.
    const specs = ports.map((p, i) => portSpecOf(p, this.node.path, `${field}.ports[${i}]`, 'e.g. Port.tcp(443)'));
    const index = model.addFlow({
      path: this.node.path,
      field,
      source,
      destination,
      peerSide,
      ports: specs,
      crossTenant: false,
    });
    return new Flow(this.platform, index);
  }
}

function declareWorkload(path: string, namespace: string, name: string, options: WorkloadOptions): WorkloadDeclaration {
  const base = { path, namespace, name, serviceAccount: options.serviceAccount };
  if (options.adopted) return declareAdopted(base, options.adopted);
  if (options.labels !== undefined && options.selector !== undefined) {
    return {
      ...base,
      selector: () => ({}),
      selectorField: 'labels',
      declarationProblem: { field: 'labels', message: 'both labels and selector are given', fix: 'give one: labels for matchLabels, or selector for a full selector' },
    };
  }
  // JavaScript callers can give a string or a list; read as a map, it would select by its characters.
  const shape = options.selector !== undefined
    ? selectorShapeProblem(options.selector)
    : options.labels !== undefined ? labelMapProblem(options.labels) : undefined;
  if (shape) {
    const field = `${options.selector !== undefined ? 'selector' : 'labels'}${shape.at}`;
    return {
      ...base,
      selector: () => ({}),
      selectorField: field,
      declarationProblem: { field, message: shape.message, fix: shape.fix },
    };
  }
  if (options.selector !== undefined) return { ...base, selector: () => options.selector!, selectorField: 'selector' };
  return { ...base, selector: () => ({ matchLabels: { ...(options.labels ?? {}) } }), selectorField: 'labels' };
}

function declareAdopted(base: Omit<WorkloadDeclaration, 'selector' | 'selectorField'>, adopted: kplus.Workload): WorkloadDeclaration {
  const adoptedNamespace = adopted.metadata.namespace ?? Chart.of(adopted).namespace;
  const field = `adopt(${adopted.node.path})`;
  if (adoptedNamespace !== base.namespace) {
    return {
      ...base,
      selector: () => ({}),
      selectorField: field,
      declarationProblem: {
        field,
        message: `the cdk8s-plus workload is in namespace '${adoptedNamespace ?? '(none: the cluster default)'}', not '${base.namespace}'`,
        fix: `set metadata: { namespace: '${base.namespace}' } on it, or adopt it from the ZeroTrustNamespace it runs in`,
      },
    };
  }
  return {
    ...base,
    serviceAccount: base.serviceAccount ?? adopted.serviceAccount?.name,
    liveSelector: true,
    selector: () => ({
      matchLabels: { ...adopted.matchLabels },
      matchExpressions: adopted.matchExpressions.map(
        (e): LabelRequirement => ({ key: e.key, operator: e.operator as SelectorOperator, values: e.values ? [...e.values] : undefined }),
      ),
    }),
    selectorField: `${field}.matchLabels`,
    containerPorts: () => containerPortsOf(adopted, field),
  };
}

/** The ports of the pod template's containers (init containers never serve a named port of a flow). */
function containerPortsOf(adopted: kplus.Workload, field: string): ContainerPortDeclaration[] {
  return adopted.containers.flatMap((container, c) =>
    container.ports.map((port, p) => ({
      field: `${field}.containers[${c}].ports[${p}]`,
      name: port.name,
      number: port.number,
      protocol: port.protocol ?? 'TCP',
    })),
  );
}
