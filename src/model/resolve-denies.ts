/**
 * Explicit denies and restrictions of the platform: resolution, and the checks that relate them to
 * the allows. A deny wins over every allow on the backends that have denies, so an allow it covers
 * entirely would be dead (an error), and one it covers in part keeps the rest (the deny wins there).
 */
import { DenyDeclaration, RuleSubjectSpec } from './declarations';
import { describeEndpoint, endpointKey } from './endpoints';
import { ValidationIssue } from './issues';
import { dns1123LabelProblem } from './names';
import { combine, denyPeersRelation, portsRelation, subjectRelation } from './overlap';
import { describePort, normalizePorts, PortSpec, validatePort } from './port';
import { PeerContext, resolvePeer } from './resolve-peer';
import { DenyPeers, DenySubjects, Endpoint, ResolvedDeny, ResolvedDns, ResolvedFlow, ResolvedNamespace } from './resolved';
import { compareStrings } from './selector';
import { describeValue } from './values';

/** The denies and restrictions, sorted by name; none when one of them is invalid (with its issues). */
export function resolveDenies(declarations: readonly DenyDeclaration[], context: PeerContext, issues: ValidationIssue[]): ResolvedDeny[] {
  const denies: ResolvedDeny[] = [];
  const seen = new Map<string, ResolvedDeny>();
  for (const declaration of declarations) {
    const deny = resolveDeny(declaration, context, issues);
    if (!deny) continue;
    const key = JSON.stringify([deny.direction, deny.subjects, deny.peers, deny.ports]);
    const same = seen.get(key);
    if (same) {
      issues.push({
        path: deny.path,
        field: deny.field,
        message: `it denies exactly what ${same.path} (${same.field}) denies, so it overlaps nothing of its own`,
        fix: 'remove one of the two',
      });
      continue;
    }
    seen.set(key, deny);
    denies.push(deny);
  }
  return denies.sort((a, b) => compareStrings(a.name, b.name));
}

function resolveDeny(declaration: DenyDeclaration, context: PeerContext, issues: ValidationIssue[]): ResolvedDeny | undefined {
  const { path, field } = declaration;
  const before = issues.length;
  const nameProblem = dns1123LabelProblem(declaration.name);
  if (nameProblem) {
    issues.push({ path, field: 'id', message: `the rule's name ${nameProblem}`, fix: 'choose an id that is a lowercase DNS-1123 label, e.g. "deny-metadata": it names the policy' });
  }
  if (declaration.onlyFrom !== undefined && declaration.ports.length === 0) {
    issues.push({ path, field: `${field}.ports`, message: 'no ports given', fix: 'list the ports only onlyFrom may reach, e.g. ports: [Port.tcp(9090)]; Port.all() for every port' });
  }
  declaration.ports.forEach((port, i) => {
    issues.push(...validatePort(port, path, `${field}.ports[${i}]`));
    if (port?.http !== undefined) {
      issues.push({
        path,
        field: `${field}.ports[${i}].http`,
        message: 'a deny refuses connections, not requests: it cannot carry HTTP rules',
        fix: 'deny the port without .http(); to allow only some requests, give the allowing flow HTTP rules',
      });
    }
  });
  const subjects = resolveSubjects(declaration.subjects, path, `${field}.of`, context, issues);
  const peers = resolveDenyPeers(declaration, context, issues);
  if (issues.length > before || !subjects || !peers) return undefined;
  const ports: PortSpec[] = normalizePorts(declaration.ports.length === 0 ? [{ kind: 'all' }] : declaration.ports);
  return { name: declaration.name, path, field, direction: declaration.direction, subjects, peers, ports };
}

function resolveSubjects(
  spec: RuleSubjectSpec,
  path: string,
  field: string,
  context: PeerContext,
  issues: ValidationIssue[],
): DenySubjects | undefined {
  switch (spec?.kind) {
    case 'cluster':
      return { kind: 'cluster' };
    case 'managed-namespaces': {
      if (context.managed.size === 0) {
        issues.push({ path, field, message: 'the platform manages no namespace, so the rule would apply to no pod', fix: 'declare the namespaces first, or apply it to every pod with { clusterWide: true }' });
        return undefined;
      }
      return { kind: 'namespaces', namespaces: [...context.managed.keys()].sort(compareStrings) };
    }
    case 'tenant':
    case 'namespace':
    case 'workload': {
      const endpoints = resolvePeer(spec, { path, field, role: 'source' }, context, issues);
      if (endpoints.length === 0) return undefined;
      const first = endpoints[0];
      if (first.kind === 'workload') {
        return { kind: 'workload', workload: context.workloads.get(`${first.namespace}/${first.name}`)! };
      }
      const unmanaged = endpoints.find((e) => e.kind === 'namespace' && !e.managed);
      if (unmanaged) {
        issues.push({
          path,
          field,
          message: `the rule would apply to ${describeEndpoint(unmanaged)}, which this platform does not manage`,
          fix: 'apply it to managed namespaces, tenants or workloads, or cluster-wide with { clusterWide: true }',
        });
        return undefined;
      }
      return { kind: 'namespaces', namespaces: endpoints.map((e) => (e.kind === 'namespace' ? e.namespace : '')).sort(compareStrings) };
    }
    default:
      issues.push({ path, field, message: `${describeValue(spec)} cannot be the pods of a rule`, fix: 'pass a TenantBoundary, a ZeroTrustNamespace or a Workload of this platform' });
      return undefined;
  }
}

function resolveDenyPeers(declaration: DenyDeclaration, context: PeerContext, issues: ValidationIssue[]): DenyPeers | undefined {
  const { path, field } = declaration;
  const role = declaration.direction === 'egress' ? 'destination' : 'source';
  if (declaration.onlyFrom !== undefined) {
    if (declaration.onlyFrom.length === 0) {
      issues.push({ path, field: `${field}.onlyFrom`, message: 'no peer may reach the ports', fix: 'list the namespaces or tenants that may, e.g. onlyFrom: [monitoring]; to refuse everyone, use denyIngress' });
      return undefined;
    }
    const namespaces = new Set<string>();
    declaration.onlyFrom.forEach((spec, i) => {
      const entryField = `${field}.onlyFrom[${i}]`;
      const kind = spec?.kind;
      if (kind !== 'namespace' && kind !== 'tenant' && kind !== 'all-tenants') {
        issues.push({
          path,
          field: entryField,
          message: `${kind === undefined ? describeValue(spec) : `a ${kind} peer`} cannot be an exception of a restriction`,
          fix: 'name whole namespaces or tenants (ZeroTrustNamespace, ExternalNamespace, TenantBoundary, Peer.namespace(), Peer.allTenants())',
        });
        return;
      }
      for (const endpoint of resolvePeer(spec, { path, field: entryField, role }, context, issues)) {
        if (endpoint.kind === 'namespace') namespaces.add(endpoint.namespace);
      }
    });
    return { kind: 'all-but', namespaces: [...namespaces].sort(compareStrings) };
  }
  const peerField = `${field}.peer`;
  const spec = declaration.peer!;
  if (spec?.kind === 'fqdn') {
    issues.push({
      path,
      field: peerField,
      message: `a deny cannot name the DNS name '${spec.value}': names are learnt from DNS answers and can only be allowed (Cilium has no toFQDNs in deny rules)`,
      fix: 'deny the addresses (Peer.cidr) or Peer.world(), and allow only the names that may be reached',
    });
    return undefined;
  }
  const before = issues.length;
  const endpoints = resolvePeer(spec, { path, field: peerField, role }, context, issues);
  for (const issue of issues.slice(before)) {
    if (issue.message.includes('inside the cluster network')) {
      // A CIDR never matches pods, so this deny would match nothing at all.
      Object.assign(issue, {
        message: `${issue.message}; a CIDR deny never matches pods, so it would overlap nothing`,
        fix: 'to deny pods, name their namespace, tenant or workload (or Peer.cluster())',
      });
    }
  }
  if (issues.length > before || endpoints.length === 0) return undefined;
  const unique = new Map(endpoints.map((e) => [endpointKey(e), e] as const));
  return { kind: 'only', endpoints: [...unique.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, e]) => e) };
}

/** The local end of a flow as a deny of `direction` sees it, and the far end. */
function sides(flow: ResolvedFlow, direction: 'ingress' | 'egress'): { local: Endpoint; far: Endpoint } {
  return direction === 'egress' ? { local: flow.source, far: flow.destination } : { local: flow.destination, far: flow.source };
}

/** How a deny relates to a flow: it applies to one of its ends, and refuses the other end on its ports. */
export function denyRelation(deny: ResolvedDeny, flow: ResolvedFlow) {
  const { local, far } = sides(flow, deny.direction);
  return combine(subjectRelation(deny.subjects, local), denyPeersRelation(deny.peers, far), portsRelation(deny.ports, flow.ports));
}

/** Flows that a deny refuses entirely: declared, but dead wherever the deny is enforced. */
export function deniedFlowIssues(flows: readonly ResolvedFlow[], denies: readonly ResolvedDeny[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const flow of flows) {
    const deny = denies.find((d) => denyRelation(d, flow) === 'covered');
    if (!deny) continue;
    for (const origin of flow.origins) {
      issues.push({
        path: origin.path,
        field: origin.field,
        message:
          `the flow from ${describeEndpoint(flow.source)} to ${describeEndpoint(flow.destination)} (${flow.ports.map(describePort).join(', ')}) ` +
          `is entirely refused by the deny ${deny.path} (${deny.field}), which wins over every allow`,
        fix: 'remove the flow, or narrow the deny (its peer, ports or the pods it applies to)',
      });
    }
  }
  return issues;
}

/**
 * Denies that may refuse the DNS queries the namespaces are promised (their DNS baseline): a deny
 * that conflicts with a baseline is refused rather than left to break name resolution.
 */
export function dnsConflictIssues(namespaces: readonly ResolvedNamespace[], dns: ResolvedDns, denies: readonly ResolvedDeny[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const querying = namespaces.filter((n) => n.allowDns);
  if (querying.length === 0) return issues;
  const servers: Endpoint[] = [{ kind: 'pods', namespace: dns.namespace, selector: dns.selector }];
  if (dns.nodeLocal) servers.push({ kind: 'cidr', cidr: dns.nodeLocal.cidr, except: [] });
  for (const deny of denies) {
    const hit = querying.filter((n) =>
      servers.some((server) => {
        const client: Endpoint = { kind: 'namespace', namespace: n.name, managed: true };
        const flow: ResolvedFlow = { source: client, destination: server, ports: dns.ports, declaredBy: [], origins: [] };
        return denyRelation(deny, flow) !== 'disjoint';
      }),
    );
    if (hit.length === 0) continue;
    issues.push({
      path: deny.path,
      field: deny.field,
      message:
        `it conflicts with the DNS baseline: it may refuse the DNS queries (${dns.ports.map(describePort).join(', ')}) that ` +
        `${hit.length === 1 ? 'namespace' : 'namespaces'} ${hit.map((n) => `'${n.name}'`).join(', ')} may send to the cluster DNS`,
      fix: 'narrow the deny so that it leaves the DNS servers and ports out, or set allowDns: false on the namespaces that must not resolve names',
    });
  }
  return issues;
}
