/**
 * The mesh's mTLS modes as PeerAuthentication
 * (https://istio.io/latest/docs/reference/config/security/peer_authentication/): one mesh-wide
 * policy named `default` in the root namespace (STRICT), one namespace-wide `default` per namespace
 * override, and one per workload with an override or port exceptions (`<workload>-mtls`, selecting
 * its pods). Only the oldest mesh-wide or namespace-wide policy takes effect, so ours carry the
 * conventional name `default`: applying them replaces an existing one instead of losing to it.
 * Reasons are written as annotations, so that the exception is justified where it is enforced.
 */
import { IstioMtlsMode, PeerAuthentication, PeerAuthenticationSpec } from './types';
import { MtlsMode, ResolvedMesh } from '../../model/mesh';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../model/resolved';
import { ObjectMetadata } from '../manifest';

export const MESH_POLICY_NAME = 'default';
export const REASON_ANNOTATION = 'zero-trust.cdk8s.io/reason';

export function renderPeerAuthentications(
  mesh: ResolvedMesh,
  selectorOf: (path: string) => Record<string, string> | undefined,
): PeerAuthentication[] {
  const objects: PeerAuthentication[] = [object(mesh.rootNamespace, MESH_POLICY_NAME, { mtls: { mode: MtlsMode.STRICT } })];
  for (const n of mesh.namespaces) objects.push(object(n.namespace, MESH_POLICY_NAME, { mtls: { mode: n.mode } }, n.reason));
  for (const w of mesh.workloads) {
    const matchLabels = selectorOf(w.path);
    if (!matchLabels) continue;
    const spec: PeerAuthenticationSpec = {
      selector: { matchLabels },
      ...(w.override ? { mtls: { mode: w.override.mode } } : {}),
      ...(w.ports.length > 0 ? { portLevelMtls: Object.fromEntries(w.ports.map((p) => [String(p.port), { mode: p.mode as IstioMtlsMode }])) } : {}),
    };
    const reasons = [
      ...(w.override?.reason ? [w.override.reason] : []),
      ...w.ports.map((p) => `port ${p.port} ${p.mode}: ${p.reason}`),
    ];
    objects.push(object(w.namespace, `${w.name}-mtls`, spec, reasons.length > 0 ? reasons.join('; ') : undefined));
  }
  return objects;
}

/** The mode in force for `port` of a workload (workload port, workload, namespace, mesh), as Istio resolves it. */
export function effectiveMode(mesh: ResolvedMesh, namespace: string, workload: string | undefined, port: number | undefined): MtlsMode {
  const w = workload === undefined ? undefined : mesh.workloads.find((x) => x.namespace === namespace && x.name === workload);
  const atPort = port === undefined ? undefined : w?.ports.find((p) => p.port === port);
  return atPort?.mode ?? w?.override?.mode ?? mesh.namespaces.find((n) => n.namespace === namespace)?.mode ?? MtlsMode.STRICT;
}

function object(namespace: string, name: string, spec: PeerAuthenticationSpec, reason?: string): PeerAuthentication {
  const metadata: ObjectMetadata = {
    name,
    namespace,
    labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
    ...(reason !== undefined ? { annotations: { [REASON_ANNOTATION]: reason } } : {}),
  };
  return { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata, spec: spec as PeerAuthenticationSpec };
}
