/**
 * Validation of the mesh declaration (`MeshStrictMtls`): modes, reasons, the namespaces and
 * workloads it names, and the flows the mesh itself needs on the network.
 */
import { FlowDeclaration, PlatformDeclarations } from './declarations';
import { ValidationIssue } from './issues';
import {
  INJECTION_LABEL,
  MESH_PORTS,
  MeshDeclaration,
  MTLS_MODES,
  MtlsMode,
  ResolvedMesh,
  ResolvedMeshWorkload,
  ResolvedMtlsOverride,
  ResolvedPortException,
  REVISION_LABEL,
} from './mesh';
import { dns1123LabelProblem } from './names';
import { describePort, PortSpec } from './port';
import { ResolvedWorkload } from './resolved';
import { compareStrings, normalizeSelector, validateSelector, isEmptySelector } from './selector';
import { selectorShapeProblem } from './selector-shape';
import { describeValue } from './values';

/** The reason of an exception: a sentence a reviewer can judge, not a placeholder. */
const MIN_REASON_LENGTH = 10;

export interface MeshResolution {
  readonly mesh: ResolvedMesh;
  /** Labels the mesh sets on each managed Namespace object (injection on or off). */
  readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** The mesh's own flows: every meshed namespace to istiod, and the scrapers to the sidecars. */
  readonly flows: readonly FlowDeclaration[];
}

/** The names the mesh needs unmanaged, checked before the rest (they become external namespaces). */
export function meshNamespaces(mesh: MeshDeclaration): string[] {
  return [mesh.rootNamespace, mesh.istiod.namespace].filter((n): n is string => typeof n === 'string' && dns1123LabelProblem(n) === undefined);
}

export function resolveMesh(
  declarations: PlatformDeclarations,
  mesh: MeshDeclaration,
  managed: ReadonlyMap<string, string>,
  workloadsByPath: ReadonlyMap<string, ResolvedWorkload>,
  issues: ValidationIssue[],
): MeshResolution | undefined {
  const before = issues.length;
  const { path } = mesh;
  const unmanagedName = (value: unknown, field: string, what: string): string | undefined => {
    const problem = dns1123LabelProblem(value);
    if (problem) {
      issues.push({ path, field, message: `${what} ${problem}`, fix: "give the namespace's exact name, e.g. 'istio-system'" });
      return undefined;
    }
    const owner = managed.get(value as string);
    if (owner !== undefined) {
      issues.push({
        path,
        field,
        message: `${what} '${String(value)}' is managed by ${owner}: ${
          field === 'rootNamespace'
            ? "a policy without selector there applies to the whole mesh, so the namespace's own allow-nothing would deny every request of every workload"
            : 'its default-deny would refuse the sidecars the control plane they need'
        }`,
        fix: `leave '${String(value)}' unmanaged (remove ${owner}), or name the namespace the mesh's control plane really uses`,
      });
      return undefined;
    }
    return value as string;
  };
  const rootNamespace = unmanagedName(mesh.rootNamespace, 'rootNamespace', 'root namespace');
  const istiodNamespace = unmanagedName(mesh.istiod.namespace, 'istiod.namespace', 'istiod namespace');
  const istiodSelector = selectorOf(mesh.istiod.selector, path, 'istiod.labels', issues);

  const reasonOf = (reason: unknown, field: string, required: boolean, what: string): string | undefined => {
    if (reason === undefined && !required) return undefined;
    if (typeof reason !== 'string' || reason.trim().length < MIN_REASON_LENGTH) {
      issues.push({
        path,
        field: `${field}.reason`,
        message: reason === undefined ? `${what} has no reason` : `${describeValue(reason)} is not a reason (at least ${MIN_REASON_LENGTH} characters)`,
        fix: "say why the exception is needed, for the reviewer, e.g. { reason: 'legacy load balancer health checks are plaintext (TICKET-123)' }",
      });
      return undefined;
    }
    return reason.trim();
  };
  const modeOf = (mode: unknown, field: string): MtlsMode | undefined => {
    if (typeof mode === 'string' && (MTLS_MODES as readonly string[]).includes(mode)) return mode as MtlsMode;
    issues.push({ path, field: `${field}.mode`, message: `${describeValue(mode)} is not an mTLS mode`, fix: 'use MtlsMode.STRICT, MtlsMode.PERMISSIVE or MtlsMode.DISABLE' });
    return undefined;
  };
  const workloadAt = (workloadPath: string, field: string): ResolvedWorkload | undefined => {
    const workload = workloadsByPath.get(workloadPath);
    if (!workload) issues.push({ path, field, message: `${workloadPath} is not a workload of this platform`, fix: 'pass a Workload declared on this platform' });
    return workload;
  };
  const managedNamespace = (namespace: string, field: string): boolean => {
    if (managed.has(namespace)) return true;
    issues.push({ path, field, message: `namespace '${namespace}' is not managed by this platform`, fix: 'pass a ZeroTrustNamespace of this platform' });
    return false;
  };

  const namespaceOverrides = new Map<string, { namespace: string } & ResolvedMtlsOverride>();
  const workloadOverrides = new Map<string, ResolvedMtlsOverride>();
  for (const o of mesh.overrides) {
    const mode = modeOf(o.mode, o.field);
    const reason = reasonOf(o.reason, o.field, mode !== MtlsMode.STRICT, `the ${mode ?? 'mode'} override`);
    if (!mode || (mode !== MtlsMode.STRICT && reason === undefined)) continue;
    const resolved: ResolvedMtlsOverride = { path, field: o.field, mode, ...(reason !== undefined ? { reason } : {}) };
    if (o.target.kind === 'namespace') {
      if (!managedNamespace(o.target.namespace, o.field)) continue;
      const earlier = namespaceOverrides.get(o.target.namespace);
      if (earlier) issues.push(twice(path, o.field, `namespace '${o.target.namespace}'`, earlier.field));
      else namespaceOverrides.set(o.target.namespace, { namespace: o.target.namespace, ...resolved });
    } else {
      const workload = workloadAt(o.target.path, o.field);
      if (!workload) continue;
      const earlier = workloadOverrides.get(workload.path);
      if (earlier) issues.push(twice(path, o.field, `workload ${workload.namespace}/${workload.name}`, earlier.field));
      else workloadOverrides.set(workload.path, resolved);
    }
  }

  const portExceptions = new Map<string, ResolvedPortException[]>();
  for (const e of mesh.portExceptions) {
    const mode = modeOf(e.mode, e.field);
    const reason = reasonOf(e.reason, e.field, true, 'the port exception');
    const port = exceptionPort(e.port, path, `${e.field}.port`, issues);
    const workload = workloadAt(e.workloadPath, e.field);
    if (!mode || reason === undefined || port === undefined || !workload) continue;
    const list = portExceptions.get(workload.path) ?? [];
    const earlier = list.find((p) => p.port === port);
    if (earlier) {
      issues.push(twice(path, e.field, `port ${port} of ${workload.namespace}/${workload.name}`, earlier.field));
      continue;
    }
    list.push({ path, field: e.field, port, mode, reason });
    portExceptions.set(workload.path, list);
  }

  const sidecarlessNamespaces = new Map<string, ResolvedMesh['sidecarlessNamespaces'][number]>();
  const sidecarlessWorkloads = new Map<string, ResolvedMesh['sidecarlessWorkloads'][number]>();
  for (const s of mesh.sidecarless) {
    const reason = reasonOf(s.reason, s.field, true, 'running without a sidecar');
    if (s.target.kind === 'namespace') {
      if (!managedNamespace(s.target.namespace, s.field) || reason === undefined) continue;
      const earlier = sidecarlessNamespaces.get(s.target.namespace);
      if (earlier) issues.push(twice(path, s.field, `namespace '${s.target.namespace}'`, earlier.field));
      else sidecarlessNamespaces.set(s.target.namespace, { namespace: s.target.namespace, reason, path, field: s.field });
    } else {
      const workload = workloadAt(s.target.path, s.field);
      if (!workload || reason === undefined) continue;
      const key = `${workload.namespace}/${workload.name}`;
      const earlier = sidecarlessWorkloads.get(key);
      if (earlier) issues.push(twice(path, s.field, `workload ${key}`, earlier.field));
      else sidecarlessWorkloads.set(key, { key, reason, path, field: s.field });
    }
  }
  // A policy on a pod without a proxy is never enforced: say so rather than emit it.
  for (const [workloadPath, list] of portExceptions) {
    const w = workloadsByPath.get(workloadPath)!;
    if (sidecarlessWorkloads.has(`${w.namespace}/${w.name}`) || sidecarlessNamespaces.has(w.namespace)) {
      issues.push({ path, field: list[0].field, message: `${w.namespace}/${w.name} runs without a sidecar, so no mTLS mode applies to its ports`, fix: 'remove the port exception, or give the workload its sidecar' });
    }
  }

  const namespaceLabels = new Map<string, Record<string, string>>();
  for (const ns of declarations.namespaces) {
    if (!managed.has(ns.name) || managed.get(ns.name) !== ns.path) continue;
    const sidecarless = sidecarlessNamespaces.has(ns.name);
    if (Object.prototype.hasOwnProperty.call(ns.labels, INJECTION_LABEL)) {
      issues.push({
        path: ns.path,
        field: `labels["${INJECTION_LABEL}"]`,
        message: `label '${INJECTION_LABEL}' is set by the mesh (${path}): 'enabled', or 'disabled' for a namespace declared without sidecars`,
        fix: 'remove the label; to run the namespace without sidecars, declare mesh.withoutSidecar(namespace, { reason })',
      });
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(ns.labels, REVISION_LABEL)) {
      // Revision-based injection: the revision label injects, and istio-injection would take precedence over it.
      if (sidecarless) {
        issues.push({ path: ns.path, field: `labels["${REVISION_LABEL}"]`, message: `the label asks for sidecars from revision '${ns.labels[REVISION_LABEL]}', but the mesh declares the namespace without sidecars`, fix: 'remove one of the two' });
      }
      continue;
    }
    namespaceLabels.set(ns.name, { [INJECTION_LABEL]: sidecarless ? 'disabled' : 'enabled' });
  }

  if (issues.length > before || rootNamespace === undefined || istiodNamespace === undefined || !istiodSelector) return undefined;

  const workloads: ResolvedMeshWorkload[] = [...new Set([...workloadOverrides.keys(), ...portExceptions.keys()])]
    .map((p) => workloadsByPath.get(p)!)
    .sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name))
    .map((w) => {
      const override = workloadOverrides.get(w.path);
      return {
        namespace: w.namespace,
        name: w.name,
        path: w.path,
        selector: w.selector,
        ...(override ? { override } : {}),
        ports: [...(portExceptions.get(w.path) ?? [])].sort((a, b) => a.port - b.port),
      };
    });

  const resolved: ResolvedMesh = {
    path,
    rootNamespace,
    istiod: { namespace: istiodNamespace, selector: istiodSelector },
    namespaces: [...namespaceOverrides.values()].sort((a, b) => compareStrings(a.namespace, b.namespace)),
    workloads,
    sidecarlessNamespaces: [...sidecarlessNamespaces.values()].sort((a, b) => compareStrings(a.namespace, b.namespace)),
    sidecarlessWorkloads: [...sidecarlessWorkloads.values()].sort((a, b) => compareStrings(a.key, b.key)),
  };
  return { mesh: resolved, namespaceLabels, flows: meshFlows(mesh, resolved, [...managed.keys()].sort(compareStrings)) };
}

/**
 * What the sidecars need on the network: each meshed namespace's pods dial istiod on 15012 (xDS and
 * certificates); the scrapers, if declared, read 15020 and 15090
 * (https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio).
 * Declared by the mesh, they need no cross-tenant permission.
 */
function meshFlows(declaration: MeshDeclaration, mesh: ResolvedMesh, managed: readonly string[]): FlowDeclaration[] {
  const meshed = managed.filter((n) => !mesh.sidecarlessNamespaces.some((s) => s.namespace === n));
  const tcp = (port: number): PortSpec => ({ kind: 'number', protocol: 'TCP', port });
  const flows: FlowDeclaration[] = meshed.map((namespace) => ({
    path: mesh.path,
    field: 'istiod',
    source: { kind: 'namespace', namespace },
    destination: { kind: 'pods', namespace: mesh.istiod.namespace, selector: mesh.istiod.selector },
    peerSide: 'destination',
    ports: [tcp(MESH_PORTS.istiod)],
    crossTenant: false,
    platformRule: true,
  }));
  declaration.scrapeFrom.forEach((peer, i) => {
    for (const namespace of meshed) {
      flows.push({
        path: mesh.path,
        field: `scrapeFrom[${i}]`,
        source: peer,
        destination: { kind: 'namespace', namespace },
        peerSide: 'source',
        ports: [tcp(MESH_PORTS.mergedMetrics), tcp(MESH_PORTS.envoyMetrics)],
        crossTenant: false,
        platformRule: true,
      });
    }
  });
  return flows;
}

function selectorOf(labels: unknown, path: string, field: string, issues: ValidationIssue[]) {
  const shape = selectorShapeProblem(labels);
  if (shape) {
    issues.push({ path, field, message: shape.message, fix: "give istiod's pod labels as a map, e.g. { app: 'istiod' }" });
    return undefined;
  }
  const found = validateSelector(labels as never, path, field);
  issues.push(...found);
  const selector = normalizeSelector(labels as never);
  if (found.length === 0 && isEmptySelector(selector)) {
    issues.push({ path, field, message: "the selector is empty, so the sidecars' allowance would reach every pod of istiod's namespace", fix: "select the istiod pods, e.g. { app: 'istiod' }" });
    return undefined;
  }
  return found.length === 0 ? selector : undefined;
}

/** A port exception names one TCP port number: PeerAuthentication's `portLevelMtls` is keyed by port number. */
function exceptionPort(port: PortSpec, path: string, field: string, issues: ValidationIssue[]): number | undefined {
  if (port.kind === 'number' && port.protocol === 'TCP' && port.http === undefined && Number.isInteger(port.port) && port.port >= 1 && port.port <= 65535) return port.port;
  issues.push({
    path,
    field,
    message: `${typeof port === 'object' && port !== null && 'kind' in port ? describePort(port) : describeValue(port)} is not one TCP port: mTLS modes are set per workload port number`,
    fix: 'give the container port the exception is for, e.g. Port.tcp(9000)',
  });
  return undefined;
}

function twice(path: string, field: string, what: string, earlier: string): ValidationIssue {
  return { path, field, message: `${what} is already given a setting by ${earlier}`, fix: 'declare one setting per namespace, workload or port' };
}
