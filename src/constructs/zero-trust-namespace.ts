import type * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { ZeroTrustPlatform } from './platform';
import { AdoptWorkloadOptions, IZeroTrustNamespace, Workload, WorkloadOptions } from './workload';
import { dns1123LabelProblem } from '../model/names';
import { PeerSpec } from '../model/peer';

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

  constructor(scope: Construct, id: string, props: ZeroTrustNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    this.platform = ZeroTrustPlatform.of(this);
    this.platform._model.addNamespace({
      path: this.node.path,
      name: props.name,
      labels: { ...(props.labels ?? {}) },
      allowDns: props.allowDns ?? true,
      allowSameNamespace: props.allowSameNamespace ?? false,
      emitNamespace: props.createNamespace ?? true,
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
    const name = options.name ?? workload.node.id.toLowerCase();
    return new Workload(this, name, { adopted: workload });
  }

  /** @internal */
  public toPeerSpec(): PeerSpec {
    return { kind: 'namespace', namespace: this.name };
  }
}
