/**
 * Callers as the mesh knows them: by the identity in their certificate
 * (https://istio.io/latest/docs/concepts/security/#authorization). A workload is its service
 * account's principal `<trust domain>/ns/<namespace>/sa/<service account>`, a namespace is
 * `namespaces`. Callers without an identity (addresses, nodes, pods known only by labels) cannot be
 * written, and a principal that would also stand for other declared workloads is refused: it would
 * admit them too.
 */
import { IstioSource } from './types';
import { describeEndpoint } from '../../model/endpoints';
import { hasSidecar, ResolvedMesh } from '../../model/mesh';
import { Endpoint, ResolvedWorkload } from '../../model/resolved';

/** The service account every pod without one runs as: any pod of the namespace would hold its principal. */
const DEFAULT_SERVICE_ACCOUNT = 'default';

export type SourceResult =
  | { readonly ok: true; readonly source: IstioSource }
  | { readonly ok: false; readonly message: string; readonly fix: string };

export class Identities {
  /** Declared workloads by `<namespace>/<service account>`. */
  private readonly bySa = new Map<string, ResolvedWorkload[]>();

  constructor(
    private readonly trustDomain: string,
    private readonly mesh: ResolvedMesh,
    workloads: readonly ResolvedWorkload[],
  ) {
    for (const w of workloads) {
      if (w.serviceAccount === undefined) continue;
      const key = `${w.namespace}/${w.serviceAccount}`;
      this.bySa.set(key, [...(this.bySa.get(key) ?? []), w]);
    }
  }

  public principal(namespace: string, serviceAccount: string): string {
    return `${this.trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
  }

  /** The source part of a rule for the caller `peer`, positive (for ALLOW and DENY). */
  public source(peer: Endpoint): SourceResult {
    switch (peer.kind) {
      case 'workload':
        return this.sidecarCheck(peer.namespace, peer.name) ?? this.workloadPrincipal(peer.namespace, peer.name, peer.serviceAccount);
      case 'service-account':
        if (peer.workload) {
          return this.sidecarCheck(peer.namespace, peer.workload.name) ?? this.workloadPrincipal(peer.namespace, peer.workload.name, peer.name);
        }
        return this.serviceAccountPrincipal(peer.namespace, peer.name);
      case 'namespace':
        return this.sidecarCheck(peer.namespace) ?? { ok: true, source: { namespaces: [peer.namespace] } };
      case 'pods':
        if (peer.serviceAccount !== undefined) return this.serviceAccountPrincipal(peer.namespace, peer.serviceAccount);
        return {
          ok: false,
          message: `${describeEndpoint(peer)} are known by their labels only, and the mesh identifies callers by certificate (service account)`,
          fix: `name their service account instead, Peer.serviceAccount({ namespace: '${peer.namespace}', name: '...' }), or allow the whole namespace, Peer.namespace('${peer.namespace}')`,
        };
      case 'cidr':
      case 'entity':
      case 'fqdn':
        return {
          ok: false,
          message: `${describeEndpoint(peer)} has no mesh identity: AuthorizationPolicy admits callers by their certificate`,
          fix: 'let the traffic enter through an ingress gateway and allow Peer.istioIngressGateway() instead',
        };
    }
  }

  private workloadPrincipal(namespace: string, name: string, serviceAccount: string | undefined): SourceResult {
    if (serviceAccount === undefined) {
      return {
        ok: false,
        message: `workload ${namespace}/${name} has no service account, so the mesh cannot tell its requests from those of any other pod`,
        fix: `give the workload its own service account: workload('${name}', { ..., serviceAccount: '${name}' }) (and run its pods as it)`,
      };
    }
    const shared = (this.bySa.get(`${namespace}/${serviceAccount}`) ?? []).filter((w) => w.name !== name);
    if (shared.length > 0) {
      return {
        ok: false,
        message: `workload ${namespace}/${name} shares its service account '${serviceAccount}' with ${shared.map((w) => `${w.namespace}/${w.name}`).join(', ')}, so its principal would admit them too`,
        fix: 'give each workload a service account of its own',
      };
    }
    return this.serviceAccountPrincipal(namespace, serviceAccount);
  }

  private serviceAccountPrincipal(namespace: string, serviceAccount: string): SourceResult {
    if (serviceAccount === DEFAULT_SERVICE_ACCOUNT) {
      return {
        ok: false,
        message: `the service account '${DEFAULT_SERVICE_ACCOUNT}' of ${namespace} is the one every pod without a service account runs as, so its principal would admit any pod of the namespace`,
        fix: 'run the pods as a service account of their own, or allow the namespace explicitly if that is meant',
      };
    }
    return { ok: true, source: { principals: [this.principal(namespace, serviceAccount)] } };
  }

  /** A caller without a sidecar sends plaintext: STRICT refuses it, and it has no identity to admit. */
  private sidecarCheck(namespace: string, workload?: string): SourceResult | undefined {
    if (hasSidecar(this.mesh, namespace, workload)) return undefined;
    const who = workload === undefined ? `namespace '${namespace}'` : `${namespace}/${workload}`;
    return {
      ok: false,
      message: `${who} runs without a sidecar (${this.mesh.path}), so it sends plaintext, which STRICT mTLS refuses, and has no identity the mesh could admit`,
      fix: 'give its pods a sidecar (remove withoutSidecar), or remove the flow',
    };
  }
}
