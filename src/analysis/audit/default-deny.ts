/**
 * Which namespaces have a default-deny, judged by the analyzer rather than by policy names: a namespace has one for a
 * direction when every pod in it is isolated in that direction (some policy of the enforcing dialects selects it for
 * that direction, so what no rule allows is dropped), and so would be a new pod with no labels, whose rules must
 * also leave some endpoint of the cluster out. The new pod stands for the pods of tomorrow: a policy that isolates
 * today's pods by their labels (`app: web`) is no default-deny, and neither is one that selects every pod to allow
 * every peer (`egress: [{}]`).
 * Pods on the host network are not counted: NetworkPolicy leaves them to the plugin
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-and-hostnetwork-pods).
 */
import { ComputedConnectivity, computeConnectivity } from '../connectivity';
import { Bitset, differingBits } from '../core/bitset';
import { Direction } from '../dialect';
import { LoadedManifests, normalizeInput, SourcedDocument } from '../manifests/documents';
import { isRecord } from '../manifests/fields';
import { AnalyzeOptions, CniOption, ProbePort } from '../types';

/** One direction of one namespace. */
export interface DirectionDefaultDeny {
  /** Every pod, and a new pod with no labels, is isolated in this direction, and the new pod's rules leave some endpoint out. */
  readonly defaultDeny: boolean;
  /** Whether a new pod with no labels would be isolated. */
  readonly newPodIsolated: boolean;
  /** Whether the rules that apply to a new pod admit every endpoint (on a port no rule names). */
  readonly newPodAdmitsAll: boolean;
  /** `namespace/name` of the pods that are not isolated, sorted. */
  readonly openPods: readonly string[];
}

export interface NamespaceDefaultDeny {
  readonly namespace: string;
  /** Pods counted (those on the host network excluded). */
  readonly pods: number;
  /** Pods on the host network, not counted. */
  readonly hostNetworkPods: number;
  readonly ingress: DirectionDefaultDeny;
  readonly egress: DirectionDefaultDeny;
}

export interface DefaultDenyReport {
  /** Sorted by namespace. */
  readonly namespaces: readonly NamespaceDefaultDeny[];
}

export interface DefaultDenyOptions {
  readonly cni?: CniOption;
  /** Namespaces left out of the report. */
  readonly skip?: (namespace: string) => boolean;
}

/** A port no policy treats specially: isolation does not depend on the port. */
const ANY_PORT: ProbePort = { port: 1, protocol: 'TCP' };

/** The name of the stand-in new pod: the first of `zt-audit-new-pod`, `zt-audit-new-pod-1`, … no pod of the namespace has. */
function newPodName(taken: ReadonlySet<string>): string {
  let name = 'zt-audit-new-pod';
  for (let n = 1; taken.has(name); n++) name = `zt-audit-new-pod-${n}`;
  return name;
}

function metadataOf(object: unknown): { kind: string; apiVersion: string; namespace?: string; name?: string } {
  const record = isRecord(object) ? object : {};
  const metadata = isRecord(record.metadata) ? record.metadata : {};
  return {
    kind: typeof record.kind === 'string' ? record.kind : '',
    apiVersion: typeof record.apiVersion === 'string' ? record.apiVersion : '',
    ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
    ...(typeof metadata.name === 'string' ? { name: metadata.name } : {}),
  };
}

/**
 * Judges every Namespace object of the input. Throws `InvalidManifestsError` when the input does not read, as
 * `computeConnectivity` does.
 */
export function defaultDenyReport(input: LoadedManifests, options: DefaultDenyOptions = {}): DefaultDenyReport {
  const loaded = normalizeInput(input);
  const namespaces = new Set<string>();
  const podNames = new Map<string, Set<string>>();
  for (const { object } of loaded.documents) {
    const { kind, apiVersion, namespace, name } = metadataOf(object);
    if (apiVersion !== 'v1' || name === undefined) continue;
    if (kind === 'Namespace' && !(options.skip?.(name) ?? false)) namespaces.add(name);
    if (kind === 'Pod') {
      const ns = namespace ?? 'default';
      if (!podNames.has(ns)) podNames.set(ns, new Set());
      podNames.get(ns)!.add(name);
    }
  }
  const newPods = new Map<string, string>();
  const synthetic: SourcedDocument[] = [...namespaces].sort().map((namespace, documentIndex) => {
    const name = newPodName(podNames.get(namespace) ?? new Set());
    newPods.set(namespace, `${namespace}/${name}`);
    return {
      source: { file: '<zt audit: a new pod per namespace>', documentIndex },
      object: { apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name }, spec: { containers: [{ name: 'new', image: 'none' }] } },
    };
  });
  const analyzeOptions: AnalyzeOptions = { cni: options.cni ?? 'kubernetes', ports: [ANY_PORT] };
  const connectivity = computeConnectivity({ documents: [...loaded.documents, ...synthetic], issues: loaded.issues }, analyzeOptions);
  if (!(connectivity instanceof ComputedConnectivity)) throw new Error('defaultDenyReport needs a ComputedConnectivity');

  const newPodIds = new Set(newPods.values());
  const perNamespace = new Map<string, { pods: number; hostNetwork: number; open: Record<Direction, string[]> }>();
  for (const namespace of namespaces) perNamespace.set(namespace, { pods: 0, hostNetwork: 0, open: { Ingress: [], Egress: [] } });
  for (const endpoint of connectivity.universe.endpoints) {
    if (endpoint.kind !== 'pod' || endpoint.namespace === undefined || newPodIds.has(endpoint.id)) continue;
    const entry = perNamespace.get(endpoint.namespace);
    if (!entry) continue;
    if (endpoint.hostNetwork) {
      entry.hostNetwork++;
      continue;
    }
    entry.pods++;
    const evaluation = connectivity.evaluateEndpoints(endpoint, endpoint, ANY_PORT);
    if (!evaluation.ingress.isolated) entry.open.Ingress.push(endpoint.id);
    if (!evaluation.egress.isolated) entry.open.Egress.push(endpoint.id);
  }
  const sets = connectivity.admittedSets(ANY_PORT);
  const report: NamespaceDefaultDeny[] = [...namespaces].sort().map((namespace) => {
    const entry = perNamespace.get(namespace)!;
    const newPod = connectivity.endpoint(newPods.get(namespace)!);
    const evaluation = connectivity.evaluateEndpoints(newPod, newPod, ANY_PORT);
    const direction = (isolated: boolean, admitted: Bitset, open: string[]): DirectionDefaultDeny => {
      const admitsAll = differingBits(admitted, connectivity.universe.all) === undefined;
      const defaultDeny = isolated && !admitsAll && open.length === 0;
      return { defaultDeny, newPodIsolated: isolated, newPodAdmitsAll: admitsAll, openPods: open.sort() };
    };
    return {
      namespace,
      pods: entry.pods,
      hostNetworkPods: entry.hostNetwork,
      ingress: direction(evaluation.ingress.isolated, sets.ingress(newPod.index), entry.open.Ingress),
      egress: direction(evaluation.egress.isolated, sets.egress(newPod.index), entry.open.Egress),
    };
  });
  return { namespaces: report };
}
