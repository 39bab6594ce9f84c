/**
 * The effective mTLS mode of a workload port (https://istio.io/latest/docs/reference/config/security/peer_authentication/,
 * https://istio.io/latest/docs/concepts/security/#peer-authentication): the oldest workload PeerAuthentication
 * of the workload's namespace whose selector matches (its `portLevelMtls` entry for the port, then its `mtls`),
 * then the oldest selector-less one of the namespace, then the oldest selector-less one of the root namespace;
 * the first mode that is set and not UNSET wins, and with none the mode is PERMISSIVE. Selector policies in the
 * root namespace are ignored (istio/istio pilot/pkg/security/authn/policy_applier.go).
 */
import { MtlsMode, PeerAuthentication } from './model';
import { Endpoint } from '../../core/endpoints';
import { PolicyRef } from '../../dialect';

/** A mode and where it came from: the PeerAuthentication and field, or Istio's default. */
export interface EffectiveMode {
  readonly mode: Exclude<MtlsMode, 'UNSET'>;
  readonly policy?: PolicyRef;
  /** `spec.mtls` or `spec.portLevelMtls.<port>`. */
  readonly field?: string;
  /** mesh, namespace or workload. */
  readonly scope?: 'mesh' | 'namespace' | 'workload';
}

/** Older first: by `creationTimestamp`, a policy without one counting by input order after those with one. */
function older(a: PeerAuthentication, b: PeerAuthentication): number {
  if (a.created !== undefined && b.created !== undefined && a.created !== b.created) return a.created - b.created;
  return a.order - b.order;
}

function selects(policy: PeerAuthentication, labels: ReadonlyMap<string, string>): boolean {
  return [...policy.selector!].every(([key, value]) => labels.get(key) === value);
}

export class PeerAuthentications {
  private readonly wide = new Map<string, PeerAuthentication>();
  private readonly workload = new Map<string, PeerAuthentication[]>();

  constructor(policies: readonly PeerAuthentication[], private readonly rootNamespace: string) {
    for (const policy of [...policies].sort(older)) {
      const namespace = policy.ref.namespace!;
      if (policy.selector === undefined) {
        if (!this.wide.has(namespace)) this.wide.set(namespace, policy);
      } else if (namespace !== rootNamespace) {
        const list = this.workload.get(namespace) ?? [];
        list.push(policy);
        this.workload.set(namespace, list);
      }
    }
  }

  /** The mode of the pod's container port `port`. */
  effectiveMode(pod: Endpoint, port: number): EffectiveMode {
    const namespace = pod.namespace!;
    const workload = this.workload.get(namespace)?.find((policy) => selects(policy, pod.labels));
    const candidates: { mode: MtlsMode | undefined; policy: PeerAuthentication; field: string; scope: EffectiveMode['scope'] }[] = [];
    if (workload) {
      candidates.push({ mode: workload.portLevelMtls.get(port), policy: workload, field: `spec.portLevelMtls.${port}`, scope: 'workload' });
      candidates.push({ mode: workload.mode, policy: workload, field: 'spec.mtls', scope: 'workload' });
    }
    const namespaceWide = namespace === this.rootNamespace ? undefined : this.wide.get(namespace);
    if (namespaceWide) candidates.push({ mode: namespaceWide.mode, policy: namespaceWide, field: 'spec.mtls', scope: 'namespace' });
    const meshWide = this.wide.get(this.rootNamespace);
    if (meshWide) candidates.push({ mode: meshWide.mode, policy: meshWide, field: 'spec.mtls', scope: namespace === this.rootNamespace ? 'namespace' : 'mesh' });
    for (const candidate of candidates) {
      if (candidate.mode !== undefined && candidate.mode !== 'UNSET') {
        return { mode: candidate.mode, policy: candidate.policy.ref, field: candidate.field, scope: candidate.scope };
      }
    }
    return { mode: 'PERMISSIVE' };
  }

  /** A key that is equal for two pods exactly when every port has the same effective mode. */
  modeKey(pod: Endpoint): string {
    const workload = this.workload.get(pod.namespace!)?.find((policy) => selects(policy, pod.labels));
    return `${pod.namespace}|${workload?.ref.key ?? ''}`;
  }
}
