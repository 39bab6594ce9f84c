import type * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { checkedChildId, idForName } from './construct-ids';
import { ZeroTrustPlatform } from './platform';
import { AdoptWorkloadOptions, IZeroTrustNamespace, Workload, WorkloadOptions } from './workload';
import { dns1123LabelProblem } from '../model/names';
import { PeerSpec } from '../model/peer';
import { labelMapProblem } from '../model/selector-shape';
import { describeValue } from '../model/values';

/** The managed namespaces of each platform, by name: how a TenantBoundary finds a namespace declared before it. */
const registry = new WeakMap<ZeroTrustPlatform, Map<string, ZeroTrustNamespace>>();

export interface ZeroTrustNamespaceProps {
  /** The namespace name (a DNS-1123 label). */
  readonly name: string;
  /** Allow every pod to query the platform DNS (UDP and TCP 53 to kube-dns). @default true */
  readonly allowDns?: boolean;
  /** Allow all traffic between pods of this namespace. @default false: only declared flows */
  readonly allowSameNamespace?: boolean;
  /** Extra labels for the Namespace object. @default - only the platform's labels */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Emit the Namespace object. Set false when the namespace is created elsewhere (another
   * tool or chart); its policies are still emitted.
   * @default true
   */
  readonly createNamespace?: boolean;
}

/**
 * A namespace where every pod is isolated for ingress and egress (default-deny), DNS egress is
 * allowed, and everything else must be declared as a flow between workloads.
 * It can be used as a peer: every pod of the namespace.
 */
export class ZeroTrustNamespace extends Construct implements IZeroTrustNamespace {
  /** The managed namespace of that name on the platform of `scope`, if one is declared. */
  public static find(scope: IConstruct, name: string): ZeroTrustNamespace | undefined {
    return registry.get(ZeroTrustPlatform.of(scope))?.get(name);
  }

  public readonly name: string;
  public readonly platform: ZeroTrustPlatform;
  /** The cdk8s-plus workloads adopted here: adopting one twice would declare its pods twice. */
  private readonly adopted = new Map<kplus.Workload, Workload>();

  constructor(scope: Construct, id: string, props: ZeroTrustNamespaceProps) {
    super(scope, checkedChildId(scope, id, 'ZeroTrustNamespace', "choose another id; the namespace's name is props.name, e.g. new ZeroTrustNamespace(scope, 'web-ns', { name: 'web' })"));
    if (props === null || typeof props !== 'object') {
      throw new TypeError(`[${this.node.path}] props: ${describeValue(props)} is not an object. Fix: pass the namespace's props, e.g. { name: '${id}' }`);
    }
    this.name = props.name;
    this.platform = ZeroTrustPlatform.of(this);
    const labelsProblem = props.labels === undefined ? undefined : labelMapProblem(props.labels);
    this.platform._model.addNamespace({
      path: this.node.path,
      name: props.name,
      labels: labelsProblem ? {} : { ...(props.labels ?? {}) },
      allowDns: props.allowDns ?? true,
      allowSameNamespace: props.allowSameNamespace ?? false,
      emitNamespace: props.createNamespace ?? true,
      declarationProblem: labelsProblem && { field: 'labels', message: labelsProblem.message, fix: labelsProblem.fix },
    });
    let declared = registry.get(this.platform);
    if (!declared) registry.set(this.platform, (declared = new Map()));
    // The first declaration of a valid name wins; a second one, or an invalid name, is reported by the model.
    if (dns1123LabelProblem(props.name) === undefined && !declared.has(props.name)) {
      declared.set(props.name, this);
      this.platform._registerNamespace(props.name, this.node.path);
    }
  }

  /**
   * Declares the pods of one workload, selected by `labels` or `selector`, so that flows can be
   * allowed to and from it. `id` names its policies (`<id>-ingress`, `<id>-egress`).
   */
  public workload(id: string, options: WorkloadOptions): Workload {
    return new Workload(this, id, options);
  }

  /**
   * Uses a cdk8s-plus-28 workload (Deployment, StatefulSet, DaemonSet, Job, CronJob): its pod
   * selector and service account, read at synthesis. Its namespace must be this one.
   */
  public adopt(workload: kplus.Workload, options: AdoptWorkloadOptions = {}): Workload {
    if (!Construct.isConstruct(workload) || !('matchLabels' in workload) || !('containers' in workload)) {
      throw new TypeError(
        `[${this.node.path}] adopt(): ${describeValue(workload)} is not a cdk8s-plus workload. ` +
          'Fix: pass a cdk8s-plus-28 Deployment, StatefulSet, DaemonSet, Job or CronJob, or declare the pods with workload(id, { labels })',
      );
    }
    const earlier = this.adopted.get(workload);
    if (earlier) {
      throw new Error(
        `[${this.node.path}] adopt(${workload.node.path}): this cdk8s-plus workload is already adopted as ${earlier.node.path}. ` +
          'Fix: adopt it once and reuse the returned Workload',
      );
    }
    const name = options.name ?? workload.node.id.toLowerCase();
    // A name that cannot be a construct id (`constructor`) is still a valid workload name.
    const id = typeof name === 'string' && name !== '' ? idForName(name, 'workload') : name;
    const adopted = new Workload(this, id, { adopted: workload, name });
    this.adopted.set(workload, adopted);
    return adopted;
  }

  /** @internal */
  public toPeerSpec(): PeerSpec {
    return { kind: 'namespace', namespace: this.name };
  }
}
