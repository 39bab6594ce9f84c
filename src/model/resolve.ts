import { formatCidr, isCanonical, maskCidr, ParsedCidr, parseCidr, strictlyContains } from './cidr';
import { ContainerPortDeclaration, FlowDeclaration, PlatformDeclarations, TenantDeclaration, WorkloadDeclaration } from './declarations';
import { describeEndpoint, endpointKey, namespaceOfEndpoint } from './endpoints';
import { ValidationIssue } from './issues';
import { dns1123LabelProblem, dns1123SubdomainProblem, labelValueProblem } from './names';
import { portRelation } from './overlap';
import { describePort, normalizePorts, PortSpec, PortsByKey, validatePort } from './port';
import { deniedFlowIssues, dnsConflictIssues, resolveDenies } from './resolve-denies';
import { meshNamespaces, resolveMesh } from './resolve-mesh';
import { PeerContext, PeerSite, resolvePeer, tenantOfEndpoint } from './resolve-peer';
import {
  DeclarationSite,
  Endpoint,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  NAMESPACE_NAME_LABEL,
  ResolvedFlow,
  ResolvedModel,
  ResolvedNamespace,
  ResolvedWorkload,
  TENANT_LABEL,
} from './resolved';
import {
  compareStrings,
  isEmptySelector,
  normalizeSelector,
  selectorKey,
  validateLabel,
  validateSelector,
} from './selector';
import { coversDeclaredPods, coversSelector } from './selector-overlap';
import { selectorShapeProblem } from './selector-shape';
import { describeValue } from './values';
import { isProtocol } from '../vocabulary/protocol';

const RESERVED_NAMESPACE_LABELS = [MANAGED_BY_LABEL, TENANT_LABEL, NAMESPACE_NAME_LABEL];

/**
 * Validates every declaration of a platform and produces the backend-neutral model.
 * All issues are collected; the model is returned only when there are none.
 */
export function resolveModel(declarations: PlatformDeclarations): { model?: ResolvedModel; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const managed = resolveNamespaceNames(declarations, issues);
  const external = resolveExternalNamespaces(declarations, managed, issues);
  // The mesh's namespaces (root, istiod) are reachable as peers, like the DNS namespace.
  if (declarations.mesh) for (const name of meshNamespaces(declarations.mesh)) if (!managed.has(name)) external.add(name);
  const tenantOfNamespace = resolveTenants(declarations, managed, issues);
  const workloads = resolveWorkloads(declarations.workloads, issues);
  const workloadsByPath = new Map([...workloads.values()].map((w) => [w.path, w]));
  const mesh = declarations.mesh ? resolveMesh(declarations, declarations.mesh, managed, workloadsByPath, issues) : undefined;
  const dns = resolveDns(declarations, issues);

  const clusterNetworks = resolveClusterNetworks(declarations, issues);
  const nodeLocal = resolveNodeLocalDns(declarations, issues);
  const context: PeerContext = {
    clusterNetworks,
    managed,
    external,
    tenantOfNamespace,
    workloads,
    workloadPaths: new Set(declarations.workloads.map((w) => w.path)),
    containerPorts: new Map(declarations.workloads.flatMap((w) => (w.containerPorts ? [[w.path, w.containerPorts()] as const] : []))),
    tenants: declarations.tenants,
    namedRanges: new Map(),
  };
  const flows = resolveFlows([...declarations.flows, ...(mesh?.flows ?? [])], context, issues);
  const denies = resolveDenies(declarations.denies, context, issues);
  issues.push(...namesNeedDns(flows, declarations));

  if (issues.length > 0) return { issues };
  const resolvedDns = { ...dns!, ...(nodeLocal ? { nodeLocal: { cidr: nodeLocal, path: declarations.dns.path } } : {}) };

  const namespaces: ResolvedNamespace[] = [...declarations.namespaces]
    .sort((a, b) => compareStrings(a.name, b.name))
    .map((n) => {
      const tenant = tenantOfNamespace.get(n.name);
      const labels: Record<string, string> = { ...n.labels, ...mesh?.namespaceLabels.get(n.name), [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
      if (tenant) labels[TENANT_LABEL] = tenant.name;
      return {
        name: n.name,
        path: n.path,
        tenant: tenant?.name,
        labels: sortRecord(labels),
        emitNamespace: n.emitNamespace,
        allowDns: n.allowDns,
        allowSameNamespace: n.allowSameNamespace,
        intraTenantNamespaces: tenant?.allowIntraTenant ? [...tenant.namespaces].sort(compareStrings) : [],
      };
    });
  const sortedWorkloads = [...workloads.values()].sort(
    (a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name),
  );
  issues.push(...deniedFlowIssues(flows, denies), ...dnsConflictIssues(namespaces, resolvedDns, denies));
  if (issues.length > 0) return { issues };
  return { model: { namespaces, workloads: sortedWorkloads, flows, denies, dns: resolvedDns, ...(mesh ? { mesh: mesh.mesh } : {}) }, issues };
}

/**
 * A DNS name is reached through the addresses its lookups return, learnt from the pod's DNS answers
 * (https://docs.cilium.io/en/stable/security/dns/): a namespace without DNS egress never gets any.
 */
function namesNeedDns(flows: readonly ResolvedFlow[], declarations: PlatformDeclarations): ValidationIssue[] {
  const withoutDns = new Map(declarations.namespaces.filter((n) => !n.allowDns).map((n) => [n.name, n.path]));
  const issues: ValidationIssue[] = [];
  for (const flow of flows) {
    const namespace = namespaceOfEndpoint(flow.source);
    if (flow.destination.kind !== 'fqdn' || namespace === undefined || !withoutDns.has(namespace)) continue;
    for (const origin of flow.origins) {
      issues.push({
        path: origin.path,
        field: origin.field,
        message: `the DNS name '${flow.destination.value}' is reached through DNS answers, but namespace '${namespace}' may not query DNS (allowDns: false)`,
        fix: `set allowDns: true on namespace '${namespace}' (${withoutDns.get(namespace)}), or give the addresses with Peer.cidr()`,
      });
    }
  }
  return issues;
}

/**
 * NodeLocal DNSCache listens on a link-local address of every node
 * (https://kubernetes.io/docs/tasks/administer-cluster/nodelocaldns/): 169.254.0.0/16 or fe80::/10.
 */
function resolveNodeLocalDns(declarations: PlatformDeclarations, issues: ValidationIssue[]): string | undefined {
  const given: unknown = declarations.dns.nodeLocal;
  if (given === undefined) return undefined;
  const path = declarations.dns.path;
  const field = 'dns.nodeLocal';
  const fix = "give the address NodeLocal DNSCache listens on, e.g. '169.254.20.10'";
  if (typeof given !== 'string') {
    issues.push({ path, field, message: `${describeValue(given)} is not an address`, fix });
    return undefined;
  }
  const parsed = parseCidr(given.includes('/') ? given : `${given}/${given.includes(':') ? 128 : 32}`);
  if (!parsed || parsed.prefix !== (parsed.family === 4 ? 32 : 128)) {
    issues.push({ path, field, message: `'${given}' is not one IP address`, fix });
    return undefined;
  }
  const linkLocal = parseCidr(parsed.family === 4 ? '169.254.0.0/16' : 'fe80::/10')!;
  if (!strictlyContains(linkLocal, parsed)) {
    issues.push({ path, field, message: `'${given}' is not a link-local address (169.254.0.0/16, fe80::/10)`, fix });
    return undefined;
  }
  return formatCidr(parsed);
}

function resolveNamespaceNames(declarations: PlatformDeclarations, issues: ValidationIssue[]): Map<string, string> {
  const managed = new Map<string, string>();
  for (const ns of declarations.namespaces) {
    const problem = dns1123LabelProblem(ns.name);
    if (problem) {
      issues.push({ path: ns.path, field: 'name', message: `namespace name ${problem}`, fix: 'use a lowercase DNS-1123 label such as "alpha-web"' });
    }
    const earlier = managed.get(ns.name);
    if (earlier !== undefined) {
      issues.push({
        path: ns.path,
        field: 'name',
        message: `namespace '${ns.name}' is already declared by ${earlier}`,
        fix: 'declare each namespace once and reuse the ZeroTrustNamespace object (or tenant.namespace(name))',
      });
    } else {
      managed.set(ns.name, ns.path);
    }
    if (ns.declarationProblem) issues.push({ path: ns.path, ...ns.declarationProblem });
    for (const [key, value] of Object.entries(ns.labels)) {
      if (RESERVED_NAMESPACE_LABELS.includes(key)) {
        issues.push({
          path: ns.path,
          field: `labels["${key}"]`,
          message: `label '${key}' is set by the platform or the API server`,
          fix: key === TENANT_LABEL ? 'add the namespace to a TenantBoundary instead' : 'remove this label',
        });
      } else {
        issues.push(...validateLabel(key, value, ns.path, 'labels'));
      }
    }
  }
  return managed;
}

function resolveExternalNamespaces(
  declarations: PlatformDeclarations,
  managed: Map<string, string>,
  issues: ValidationIssue[],
): Set<string> {
  const external = new Set<string>();
  for (const ns of declarations.externalNamespaces) {
    const problem = dns1123LabelProblem(ns.name);
    if (problem) {
      issues.push({ path: ns.path, field: 'name', message: `namespace name ${problem}`, fix: 'use the exact name of the existing namespace' });
    }
    if (managed.has(ns.name)) {
      issues.push({
        path: ns.path,
        field: 'name',
        message: `namespace '${ns.name}' is managed by ${managed.get(ns.name)}; it cannot also be external`,
        fix: 'remove the ExternalNamespace and use the ZeroTrustNamespace',
      });
    }
    external.add(ns.name);
  }
  // The DNS namespace is reachable by definition, and external: managed, its default-deny would
  // refuse the DNS queries every namespace's allow-dns-egress expects to get through.
  const dnsOwner = managed.get(declarations.dns.namespace);
  if (dnsOwner === undefined) {
    external.add(declarations.dns.namespace);
  } else {
    issues.push({
      path: dnsOwner,
      field: 'name',
      message: `namespace '${declarations.dns.namespace}' holds the platform DNS; managed, its default-deny would refuse every DNS query`,
      fix: 'leave the DNS namespace unmanaged (it is reachable as the DNS peer), or set the platform dns option to where DNS runs',
    });
  }
  return external;
}

function resolveTenants(
  declarations: PlatformDeclarations,
  managed: Map<string, string>,
  issues: ValidationIssue[],
): Map<string, TenantDeclaration> {
  const tenantOfNamespace = new Map<string, TenantDeclaration>();
  const byName = new Map<string, TenantDeclaration>();
  for (const tenant of declarations.tenants) {
    const problem = dns1123LabelProblem(tenant.name) ?? labelValueProblem(tenant.name);
    if (problem) {
      issues.push({ path: tenant.path, field: 'name', message: `tenant name ${problem}`, fix: 'use a lowercase DNS-1123 label such as "alpha" (it becomes a label value)' });
    }
    const other = byName.get(tenant.name);
    if (other) {
      issues.push({ path: tenant.path, field: 'name', message: `tenant '${tenant.name}' is already declared by ${other.path}`, fix: 'give each TenantBoundary a distinct name' });
    } else {
      byName.set(tenant.name, tenant);
    }
    if (tenant.namespaces.length === 0) {
      issues.push({ path: tenant.path, field: 'namespaces', message: 'a tenant needs at least one namespace', fix: "list the tenant's namespaces, e.g. namespaces: ['alpha-web']" });
    }
    tenant.namespaces.forEach((name, i) => {
      const entryProblem = tenant.namespaceProblems?.get(i);
      if (entryProblem) {
        issues.push({ path: tenant.path, field: `namespaces[${i}]`, ...entryProblem });
        return;
      }
      if (!managed.has(name)) {
        issues.push({
          path: tenant.path,
          field: `namespaces[${i}]`,
          message: `namespace '${name}' is not managed by this platform`,
          fix: 'a tenant owns managed namespaces only; pass the name so the tenant creates it, or a ZeroTrustNamespace',
        });
        return;
      }
      const owner = tenantOfNamespace.get(name);
      if (owner && owner !== tenant) {
        issues.push({
          path: tenant.path,
          field: `namespaces[${i}]`,
          message: `namespace '${name}' is already claimed by tenant '${owner.name}' (${owner.path})`,
          fix: 'a namespace belongs to one tenant; remove it from one of the two TenantBoundary declarations',
        });
        return;
      }
      tenantOfNamespace.set(name, tenant);
    });
    for (const [field, references] of [['allowCrossTenant.to', tenant.crossTenantTo], ['allowCrossTenant.from', tenant.crossTenantFrom]] as const) {
      for (const reference of references) {
        if (!declarations.tenants.some((t) => t.id === reference.id)) {
          issues.push({
            path: tenant.path,
            field,
            message: `tenant '${reference.name}' is not declared on this platform (it is ${reference.path})`,
            fix: 'pass a TenantBoundary of this platform: a tenant of another platform does not stand for one of this platform, even with the same name',
          });
        }
      }
    }
  }
  return tenantOfNamespace;
}

function resolveWorkloads(declarations: readonly WorkloadDeclaration[], issues: ValidationIssue[]): Map<string, ResolvedWorkload> {
  const workloads = new Map<string, ResolvedWorkload>();
  for (const w of declarations) {
    const key = `${w.namespace}/${w.name}`;
    const nameProblem = dns1123LabelProblem(w.name);
    if (nameProblem) {
      issues.push({ path: w.path, field: 'name', message: `workload name ${nameProblem}`, fix: 'use a lowercase DNS-1123 label; it names the policies (<name>-ingress, <name>-egress)' });
    } else if (w.name.length > 55) {
      issues.push({ path: w.path, field: 'name', message: `workload name '${w.name}' is longer than 55 characters`, fix: 'shorten it: policy names append "-ingress"/"-egress"' });
    }
    const earlier = workloads.get(key);
    if (earlier) {
      issues.push({ path: w.path, field: 'name', message: `workload '${w.name}' is already declared in namespace '${w.namespace}' by ${earlier.path}`, fix: 'give each workload of a namespace a distinct name' });
      continue;
    }
    if (w.declarationProblem) {
      issues.push({ path: w.path, ...w.declarationProblem });
      continue;
    }
    if (w.serviceAccount !== undefined) {
      const problem = dns1123SubdomainProblem(w.serviceAccount);
      if (problem) {
        issues.push({ path: w.path, field: 'serviceAccount', message: `service account name ${problem}`, fix: "give the pods' service account name exactly, e.g. 'frontend'" });
      }
    }
    issues.push(...duplicateContainerPortNames(w));
    const raw = w.selector();
    const shape = selectorShapeProblem(raw);
    if (shape) {
      issues.push({ path: w.path, field: `${w.selectorField}${shape.at}`, message: shape.message, fix: shape.fix });
      continue;
    }
    const selectorIssues = validateSelector(raw, w.path, w.selectorField);
    issues.push(...selectorIssues);
    const selector = normalizeSelector(raw);
    if (selectorIssues.length === 0 && isEmptySelector(selector)) {
      issues.push({
        path: w.path,
        field: w.selectorField,
        message: 'the selector is empty, so it would select every pod of the namespace, not one workload',
        fix: "give the workload's pod labels, e.g. { labels: { app: 'frontend' } }, or use the namespace itself as the peer for all of its pods",
      });
    }
    workloads.set(key, { namespace: w.namespace, name: w.name, path: w.path, selector, serviceAccount: w.serviceAccount });
  }
  issues.push(...overlappingWorkloads([...workloads.values()]));
  return workloads;
}

/**
 * Kubernetes refuses two ports of the same name in one container; in two containers of one pod it
 * accepts them with a warning, and a named port of a policy then stands for both numbers. Every
 * named port of a pod must be unique, or a flow to one could open the other.
 */
function duplicateContainerPortNames(w: WorkloadDeclaration): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const byName = new Map<string, ContainerPortDeclaration>();
  for (const port of w.containerPorts?.() ?? []) {
    if (port.name === undefined || port.name === '') continue;
    const earlier = byName.get(port.name);
    if (!earlier) {
      byName.set(port.name, port);
      continue;
    }
    issues.push({
      path: w.path,
      field: `${port.field}.name`,
      message:
        `port name '${port.name}' (${port.number}/${port.protocol}) is also the name of ${earlier.field} (${earlier.number}/${earlier.protocol}): ` +
        'a named port must be unique in the pod, or a flow to it could open either port',
      fix: 'give each container port of the pod its own name',
    });
  }
  return issues;
}

/**
 * A workload whose selector also selects the pods another workload of the namespace declares would
 * give those pods its own flows too: more than declared for them. Reported when it selects all of
 * them: every pod of the other selector, or (through `NotIn` and `DoesNotExist` on a key the other
 * workload does not name) every pod that carries only the labels the other selector names.
 */
function overlappingWorkloads(workloads: readonly ResolvedWorkload[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const byNamespace = new Map<string, ResolvedWorkload[]>();
  for (const w of workloads) {
    const list = byNamespace.get(w.namespace) ?? [];
    list.push(w);
    byNamespace.set(w.namespace, list);
  }
  for (const list of byNamespace.values()) {
    for (const wide of list) {
      for (const narrow of list) {
        if (wide === narrow || isEmptySelector(wide.selector) || !coversDeclaredPods(wide.selector, narrow.selector)) continue;
        const which = coversSelector(wide.selector, narrow.selector)
          ? `every pod of workload '${narrow.name}'`
          : `the pods of workload '${narrow.name}' that carry only the labels its selector names`;
        issues.push({
          path: wide.path,
          field: 'selector',
          message:
            `its selector (${selectorKey(wide.selector)}) also selects ${which} ` +
            `(${selectorKey(narrow.selector)}), so those pods would receive '${wide.name}''s flows too`,
          fix: `make the selectors disjoint: add a label only '${wide.name}''s pods carry, or an expression that excludes '${narrow.name}''s pods`,
        });
      }
    }
  }
  return issues;
}

function resolveDns(declarations: PlatformDeclarations, issues: ValidationIssue[]) {
  const dns = declarations.dns;
  const nameProblem = dns1123LabelProblem(dns.namespace);
  if (nameProblem) issues.push({ path: dns.path, field: 'dns.namespace', message: `namespace name ${nameProblem}`, fix: 'use the namespace of the cluster DNS pods, usually "kube-system"' });
  dns.ports.forEach((p, i) => issues.push(...dnsPortIssues(p, dns.path, `dns.ports[${i}]`)));
  const shape = selectorShapeProblem(dns.selector);
  if (shape) {
    issues.push({ path: dns.path, field: 'dns.labels', message: shape.message, fix: "give the DNS pods' labels as a map, e.g. { 'k8s-app': 'kube-dns' }" });
    return { namespace: dns.namespace, selector: normalizeSelector({}), ports: [] };
  }
  const selectorIssues = validateSelector(dns.selector, dns.path, 'dns.selector');
  issues.push(...selectorIssues);
  const selector = normalizeSelector(dns.selector);
  if (selectorIssues.length === 0 && isEmptySelector(selector)) {
    issues.push({ path: dns.path, field: 'dns.selector', message: 'the DNS selector is empty, so DNS egress would reach every pod of the DNS namespace', fix: "select the DNS pods, e.g. { matchLabels: { 'k8s-app': 'kube-dns' } }" });
  }
  if (dns.ports.length === 0) issues.push({ path: dns.path, field: 'dns.ports', message: 'no DNS ports given', fix: 'use [Port.udp(53), Port.tcp(53)]' });
  dns.ports.forEach((p, i) => issues.push(...validatePort(p, dns.path, `dns.ports[${i}]`)));
  return { namespace: dns.namespace, selector, ports: normalizePorts(dns.ports) };
}

/**
 * DNS egress is granted to every pod of every namespace: its ports must be exact ports of a DNS
 * protocol. Anything wider would open more than DNS to the DNS pods, from everywhere.
 */
function dnsPortIssues(port: PortSpec, path: string, field: string): ValidationIssue[] {
  const fix = 'list the DNS ports one by one, e.g. [Port.udp(53), Port.tcp(53)]';
  switch (port.kind) {
    case 'all':
      return [{ path, field, message: 'Port.all() would open every port and protocol of the DNS pods to every pod of every namespace', fix }];
    case 'protocol':
      return [{ path, field, message: `Port.all${titleCase(port.protocol)}() would open every ${port.protocol} port of the DNS pods to every pod of every namespace`, fix }];
    case 'range':
      return [{ path, field, message: `the range ${describePort(port)} would open more than the DNS port to every pod of every namespace`, fix }];
    case 'named':
      return [{
        path,
        field,
        message: `the named port ${describePort(port)} opens whatever port the DNS pods name so, to every pod of every namespace`,
        fix: `give the DNS port number, e.g. Port.${isProtocol(port.protocol) ? port.protocol.toLowerCase() : 'udp'}(53)`,
      }];
    case 'number':
      if (port.protocol === 'SCTP') return [{ path, field, message: `${describePort(port)}: DNS is served over UDP and TCP, not SCTP`, fix }];
      return [];
    default:
      return [];
  }
}

function titleCase(word: string): string {
  return `${word.charAt(0)}${word.slice(1).toLowerCase()}`;
}

/** A flow being merged: its two ends and every declaration of it, with the ports each gave. */
interface FlowDraft {
  readonly source: Endpoint;
  readonly destination: Endpoint;
  readonly origins: Map<string, DeclarationSite & { ports: readonly PortSpec[] }>;
}

function resolveFlows(declarations: readonly FlowDeclaration[], context: PeerContext, issues: ValidationIssue[]): ResolvedFlow[] {
  const merged = new PortsByKey<FlowDraft>();
  for (const flow of declarations) {
    const before = issues.length;
    if (flow.ports.length === 0) {
      issues.push({
        path: flow.path,
        field: `${flow.field}.ports`,
        message: 'no ports given',
        fix: 'list the ports, e.g. Port.tcp(8080); write Port.all() to allow every port explicitly',
      });
    }
    flow.ports.forEach((p, i) => issues.push(...validatePort(p, flow.path, `${flow.field}.ports[${i}]`)));
    const site = (role: 'source' | 'destination'): PeerSite => ({ path: flow.path, field: flow.peerSide === role ? `${flow.field}.peer` : flow.field, role });
    const sources = resolvePeer(flow.source, site('source'), context, issues);
    const destinations = resolvePeer(flow.destination, site('destination'), context, issues);
    if (issues.length > before) continue;
    issues.push(...namedPortIssues(flow, context));
    if (issues.length > before) continue;
    const notPods = destinations.find((d) => namespaceOfEndpoint(d) === undefined);
    if (notPods) {
      flow.ports.forEach((p, i) => {
        if (p.kind !== 'named') return;
        issues.push({
          path: flow.path,
          field: `${flow.field}.ports[${i}]`,
          message: `named port '${p.name}' cannot be resolved for ${notPods.kind === 'cidr' ? 'a CIDR destination' : describeEndpoint(notPods)}: names are looked up on the destination pod`,
          fix: 'give the port number, e.g. Port.tcp(443)',
        });
      });
      if (issues.length > before) continue;
    }
    // Naming every tenant (or declared by the platform) is the permission to cross tenants.
    const acrossTenants = flow.crossTenant || flow.platformRule === true || flow.source.kind === 'all-tenants' || flow.destination.kind === 'all-tenants';
    const ports = normalizePorts(flow.ports);
    for (const source of sources) {
      for (const destination of destinations) {
        if (!acrossTenants && !crossTenantAllowed(source, destination, flow, context, issues)) continue;
        const key = `${endpointKey(source)} -> ${endpointKey(destination)}`;
        const draft = merged.add(key, { source, destination, origins: new Map() }, ports);
        const originKey = `${flow.path}\u0000${flow.field}`;
        const earlier = draft.origins.get(originKey);
        draft.origins.set(originKey, { path: flow.path, field: flow.field, ports: [...(earlier?.ports ?? []), ...flow.ports] });
      }
    }
  }
  const flows = merged.sorted().map(({ value, ports }): ResolvedFlow => {
    const origins = [...value.origins.values()].sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.field, b.field));
    return {
      source: value.source,
      destination: value.destination,
      ports,
      declaredBy: [...new Set(origins.map((o) => o.path))].sort(compareStrings),
      origins: origins.map(({ path, field, ports: given }) => ({ path, field, ports: normalizePorts(given) })),
    };
  });
  for (const { value } of merged.sorted()) issues.push(...voidHttpRules(value));
  return flows;
}

/**
 * HTTP rules on a port that another declaration of the same flow allows without them would filter
 * nothing: the union allows every request on it. Refused, since that is never what the rules meant.
 */
function voidHttpRules(flow: FlowDraft): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const origins = [...flow.origins.values()];
  for (const origin of origins) {
    origin.ports.forEach((port) => {
      if (port.http === undefined) return;
      for (const other of origins) {
        const wider = other.ports.find((p) => p.http === undefined && portRelation(p, port) === 'covered');
        if (!wider) continue;
        const by = other === origin ? 'the same declaration' : `${other.field} of ${other.path}`;
        issues.push({
          path: origin.path,
          field: origin.field,
          message:
            `the HTTP rules on ${describePort(port)} toward ${describeEndpoint(flow.destination)} filter nothing: ` +
            `${by} allows ${describePort(wider)} without HTTP rules, so every request would pass`,
          fix: 'give both declarations the same HTTP rules, or remove the port without them',
        });
        return;
      }
    });
  }
  return issues;
}

/**
 * A named port of a flow to a workload whose container ports are known must name one of them, with
 * the same protocol: the CNI looks the name up on the destination pods, and finds nothing otherwise.
 */
function namedPortIssues(flow: FlowDeclaration, context: PeerContext): ValidationIssue[] {
  if (flow.destination.kind !== 'workload') return [];
  const declared = context.containerPorts.get(flow.destination.path);
  if (!declared) return [];
  const workload = `${flow.destination.namespace}/${flow.destination.workload}`;
  const named = declared.filter((p) => p.name !== undefined && p.name !== '');
  const known = named.length > 0 ? [...new Set(named.map((p) => `${p.name}/${p.protocol}`))].join(', ') : 'none';
  const issues: ValidationIssue[] = [];
  flow.ports.forEach((port, i) => {
    if (port.kind !== 'named') return;
    const field = `${flow.field}.ports[${i}]`;
    const sameName = named.filter((p) => p.name === port.name);
    if (sameName.length === 0) {
      issues.push({
        path: flow.path,
        field,
        message: `no container of workload ${workload} declares a port named '${port.name}' (its named ports: ${known})`,
        fix: 'use a name its containers declare, add the port to the container, or give the port number, e.g. Port.tcp(8080)',
      });
      return;
    }
    if (!sameName.some((p) => p.protocol === port.protocol)) {
      const other = sameName[0];
      issues.push({
        path: flow.path,
        field,
        message: `port '${port.name}' of workload ${workload} is ${other.protocol} (${other.field}), not ${port.protocol}`,
        fix: `give its protocol: Port.named('${port.name}', Protocol.${other.protocol})`,
      });
    }
  });
  return issues;
}

function resolveClusterNetworks(declarations: PlatformDeclarations, issues: ValidationIssue[]): ParsedCidr[] {
  const networks: ParsedCidr[] = [];
  declarations.clusterNetworks.forEach((text, i) => {
    const parsed = typeof text === 'string' ? parseCidr(text) : undefined;
    const field = `clusterNetworks[${i}]`;
    if (!parsed) {
      issues.push({ path: declarations.dns.path, field, message: `${describeValue(text)} is not a CIDR`, fix: "give the cluster's pod and service CIDRs, e.g. 10.244.0.0/16" });
    } else if (!isCanonical(parsed)) {
      issues.push({ path: declarations.dns.path, field, message: `'${text}' has host bits set beyond the /${parsed.prefix} prefix`, fix: `write the network address: ${formatCidr(maskCidr(parsed))}` });
    } else {
      networks.push(parsed);
    }
  });
  return networks;
}

function crossTenantAllowed(
  source: Endpoint,
  destination: Endpoint,
  flow: FlowDeclaration,
  context: PeerContext,
  issues: ValidationIssue[],
): boolean {
  const from = tenantOfEndpoint(source, context);
  const to = tenantOfEndpoint(destination, context);
  if (!from || !to || from === to || flow.crossTenant) return true;
  if (from.crossTenantTo.some((t) => t.id === to.id) || to.crossTenantFrom.some((t) => t.id === from.id)) return true;
  issues.push({
    path: flow.path,
    field: flow.field,
    message:
      `the flow from ${describeEndpoint(source)} (tenant '${from.name}') to ${describeEndpoint(destination)} ` +
      `(tenant '${to.name}') crosses tenants (ports ${flow.ports.map(describePort).join(', ')})`,
    fix:
      `if it is intended, allow it on the tenant: allowCrossTenant({ to: <the '${to.name}' TenantBoundary> }) on ${from.path}, ` +
      'or mark this one flow with .acrossTenants()',
  });
  return false;
}

/** Sorted by key; built with own properties, so that no key (`__proto__`) can reach the prototype. */
function sortRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareStrings(a, b)));
}
