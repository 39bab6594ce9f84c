/**
 * Resolution of the peers of flows and of platform rules: what a declared peer stands for, checked
 * against the platform (managed and external namespaces, workloads, tenants, cluster networks).
 */
import { formatCidr, ipv4Mapped, isCanonical, mappedIpv6, maskCidr, ParsedCidr, parseCidr, strictlyContains } from './cidr';
import { ContainerPortDeclaration, TenantDeclaration } from './declarations';
import { fqdnNameProblem, fqdnPatternProblem } from './fqdn';
import { ValidationIssue } from './issues';
import { dns1123LabelProblem, dns1123SubdomainProblem } from './names';
import { PeerSpec } from './peer';
import { Endpoint, ResolvedWorkload } from './resolved';
import { compareStrings, isEmptySelector, normalizeSelector, validateSelector } from './selector';
import { selectorShapeProblem } from './selector-shape';
import { describeValue } from './values';

/** What resolving a peer needs to know about the platform. */
export interface PeerContext {
  readonly clusterNetworks: readonly ParsedCidr[];
  /** Managed namespaces, by name, with the path that declares each. */
  readonly managed: Map<string, string>;
  readonly external: Set<string>;
  readonly tenantOfNamespace: Map<string, TenantDeclaration>;
  readonly workloads: Map<string, ResolvedWorkload>;
  /** Paths of every workload declared on this platform, valid or not. */
  readonly workloadPaths: Set<string>;
  /** The container ports of the workloads that know them (adopted cdk8s-plus workloads), by path. */
  readonly containerPorts: ReadonlyMap<string, readonly ContainerPortDeclaration[]>;
  readonly tenants: readonly TenantDeclaration[];
  /** Named CIDR ranges met so far, by name: the CIDR and where it was first named. Filled while resolving. */
  readonly namedRanges: Map<string, { readonly cidr: string; readonly path: string; readonly field: string }>;
}

/** Where a peer is declared: the construct path, the field for messages, and which end it is. */
export interface PeerSite {
  readonly path: string;
  readonly field: string;
  readonly role: 'source' | 'destination';
}

const NOT_A_PEER_FIX = 'pass a Workload, ZeroTrustNamespace, TenantBoundary, ExternalNamespace or a Peer value';

/** The endpoints a declared peer stands for; none, with an issue, when it is invalid. */
export function resolvePeer(spec: PeerSpec, site: PeerSite, context: PeerContext, issues: ValidationIssue[]): Endpoint[] {
  const { path, field } = site;
  const unknownNamespace = (name: string): ValidationIssue => {
    const problem = dns1123LabelProblem(name);
    if (problem) return { path, field, message: `namespace name ${problem}`, fix: 'give the exact name of a namespace this platform manages or declares external' };
    return {
      path,
      field,
      message: `namespace '${name}' is neither managed by this platform nor declared external`,
      fix: `declare it: new ZeroTrustNamespace(platform, '${name}', { name: '${name}' }) to manage it, or new ExternalNamespace(platform, '${name}', { name: '${name}' }) if it is managed elsewhere`,
    };
  };
  if (spec === null || typeof spec !== 'object') {
    issues.push({ path, field, message: `${describeValue(spec)} is not a peer`, fix: NOT_A_PEER_FIX });
    return [];
  }
  switch (spec.kind) {
    case 'workload': {
      if (!context.workloadPaths.has(spec.path)) {
        issues.push({
          path,
          field,
          message: `workload ${spec.namespace}/${spec.workload} (${spec.path}) is not declared on this platform`,
          fix: 'flows connect workloads of one ZeroTrustPlatform; declare the peer on this platform, or use Peer.pods() on an ExternalNamespace',
        });
        return [];
      }
      const workload = context.workloads.get(`${spec.namespace}/${spec.workload}`);
      // An invalid (or duplicate) workload has its own issue already; the flow is dropped with it.
      if (!workload || workload.path !== spec.path) return [];
      if (spec.identity === 'service-account') {
        if (workload.serviceAccount === undefined) {
          issues.push({
            path,
            field,
            message: `workload ${workload.namespace}/${workload.name} is used by its service account, but declares none`,
            fix: `set its service account: workload('${workload.name}', { ..., serviceAccount: '<name>' })`,
          });
          return [];
        }
        return [{ kind: 'service-account', namespace: workload.namespace, name: workload.serviceAccount, workload: { name: workload.name, selector: workload.selector } }];
      }
      return [{ kind: 'workload', namespace: workload.namespace, name: workload.name, selector: workload.selector, serviceAccount: workload.serviceAccount }];
    }
    case 'namespace': {
      if (context.managed.has(spec.namespace)) return [{ kind: 'namespace', namespace: spec.namespace, managed: true }];
      if (context.external.has(spec.namespace)) return [{ kind: 'namespace', namespace: spec.namespace, managed: false }];
      issues.push(unknownNamespace(spec.namespace));
      return [];
    }
    case 'pods': {
      if (context.managed.has(spec.namespace)) {
        issues.push({
          path,
          field,
          message: `Peer.pods() selects pods of '${spec.namespace}', which this platform manages`,
          fix: 'declare those pods as a workload: namespace.workload(id, { labels }) and pass the Workload as the peer, so both sides of the flow get their policy',
        });
        return [];
      }
      if (!context.external.has(spec.namespace)) {
        issues.push(unknownNamespace(spec.namespace));
        return [];
      }
      const shape = selectorShapeProblem(spec.selector);
      if (shape) {
        issues.push({ path, field: `${field}.selector${shape.at}`, message: shape.message, fix: shape.fix });
        return [];
      }
      const selectorIssues = validateSelector(spec.selector, path, `${field}.selector`);
      issues.push(...selectorIssues);
      const selector = normalizeSelector(spec.selector);
      if (selectorIssues.length === 0 && isEmptySelector(selector)) {
        issues.push({
          path,
          field: `${field}.selector`,
          message: `the selector is empty, so it would select every pod of '${spec.namespace}', not specific pods`,
          fix: `give labels, e.g. Peer.pods({ namespace: '${spec.namespace}', labels: { app: 'x' } }), or write Peer.namespace('${spec.namespace}') to allow every pod explicitly`,
        });
      }
      if (spec.serviceAccount !== undefined) {
        const problem = dns1123SubdomainProblem(spec.serviceAccount);
        if (problem) {
          issues.push({ path, field: `${field}.serviceAccount`, message: `service account name ${problem}`, fix: "give the pods' service account name exactly, e.g. 'istio-ingressgateway-service-account'" });
          return [];
        }
        return [{ kind: 'pods', namespace: spec.namespace, selector, serviceAccount: spec.serviceAccount }];
      }
      return [{ kind: 'pods', namespace: spec.namespace, selector }];
    }
    case 'service-account': {
      if (context.managed.has(spec.namespace)) {
        issues.push({
          path,
          field,
          message: `Peer.serviceAccount() names pods of '${spec.namespace}', which this platform manages`,
          fix: 'declare those pods as a workload with serviceAccount set, and pass workload.byServiceAccount() as the peer, so both sides of the flow get their policy',
        });
        return [];
      }
      if (!context.external.has(spec.namespace)) {
        issues.push(unknownNamespace(spec.namespace));
        return [];
      }
      const problem = dns1123SubdomainProblem(spec.name);
      if (problem) {
        issues.push({ path, field: `${field}.name`, message: `service account name ${problem}`, fix: "give the service account's name exactly, e.g. 'runner'" });
        return [];
      }
      return [{ kind: 'service-account', namespace: spec.namespace, name: spec.name }];
    }
    case 'cidr': {
      const resolved = resolveCidr(spec.cidr, spec.except, context.clusterNetworks, path, field, issues);
      if (spec.name === undefined) return resolved;
      return nameRange(resolved, spec.name, site, context, issues);
    }
    case 'tenant': {
      const tenant = context.tenants.find((t) => t.id === spec.id);
      if (!tenant) {
        issues.push({ path, field, message: `tenant '${spec.tenant}' is not declared on this platform`, fix: 'pass a TenantBoundary of the same ZeroTrustPlatform' });
        return [];
      }
      return namespacesOf(tenant.namespaces.filter((n) => context.managed.has(n)));
    }
    case 'all-tenants': {
      const names = [...context.tenantOfNamespace.keys()];
      if (names.length === 0) {
        issues.push({ path, field, message: 'Peer.allTenants() stands for the pods of every tenant, but the platform declares no tenant', fix: 'declare the tenants (TenantBoundary), or name the peers directly' });
        return [];
      }
      return namespacesOf(names);
    }
    case 'managed-namespaces':
      return namespacesOf([...context.managed.keys()]);
    case 'fqdn': {
      if (site.role === 'source') {
        issues.push({
          path,
          field,
          message: `the DNS name '${spec.value}' is a source: a name only tells which addresses a pod may connect to, not who connects`,
          fix: 'use DNS names as destinations (allowTo); for incoming connections use Peer.cidr() or Peer.world()',
        });
        return [];
      }
      const problem = spec.match === 'name' ? fqdnNameProblem(spec.value) : fqdnPatternProblem(spec.value);
      if (problem) {
        issues.push({ path, field, ...problem });
        return [];
      }
      return [{ kind: 'fqdn', match: spec.match, value: spec.value }];
    }
    case 'entity':
      return resolveEntity(spec, site, context, issues);
    default:
      issues.push({ path, field, message: `${describeValue(spec)} is not a peer`, fix: NOT_A_PEER_FIX });
      return [];
  }
}

/**
 * The resolved range with its name, or nothing when the name is invalid or already names another
 * CIDR: a backend renders one address set per name, so one name must mean one range.
 */
function nameRange(resolved: Endpoint[], name: unknown, site: PeerSite, context: PeerContext, issues: ValidationIssue[]): Endpoint[] {
  const { path, field } = site;
  const problem = dns1123LabelProblem(name);
  if (problem) {
    issues.push({ path, field: `${field}.name`, message: `range name ${problem}`, fix: "name the range with a lowercase DNS-1123 label, e.g. 'partner-api', or leave the name out" });
    return [];
  }
  const text = name as string;
  return resolved.flatMap((endpoint): Endpoint[] => {
    if (endpoint.kind !== 'cidr') return [endpoint];
    const earlier = context.namedRanges.get(text);
    if (earlier && earlier.cidr !== endpoint.cidr) {
      issues.push({
        path,
        field: `${field}.name`,
        message: `the range name '${text}' already names ${earlier.cidr} (${earlier.field} of ${earlier.path}), not ${endpoint.cidr}`,
        fix: 'give each range a name of its own; the same name must always come with the same CIDR (excepts may differ)',
      });
      return [];
    }
    if (!earlier) context.namedRanges.set(text, { cidr: endpoint.cidr, path, field });
    return [{ ...endpoint, name: text }];
  });
}

function namespacesOf(names: readonly string[]): Endpoint[] {
  return [...names].sort(compareStrings).map((namespace) => ({ kind: 'namespace', namespace, managed: true }));
}

const ENTITIES: readonly string[] = ['kube-apiserver', 'local-node', 'remote-nodes', 'world', 'cluster'];

function resolveEntity(spec: PeerSpec & { kind: 'entity' }, site: PeerSite, context: PeerContext, issues: ValidationIssue[]): Endpoint[] {
  const { path, field } = site;
  if (!ENTITIES.includes(spec.entity)) {
    issues.push({ path, field, message: `${describeValue(spec.entity)} is not an entity`, fix: 'use Peer.kubeApiserver(), Peer.localNode(), Peer.remoteNodes(), Peer.world() or Peer.cluster()' });
    return [];
  }
  if (spec.entity !== 'kube-apiserver' || spec.addresses === undefined) return [{ kind: 'entity', entity: spec.entity, addresses: [] }];
  if (spec.addresses.length === 0) {
    issues.push({ path, field: `${field}.addresses`, message: 'the list of API server addresses is empty', fix: "give its endpoint addresses, e.g. ['172.18.0.2/32'], or omit addresses" });
    return [];
  }
  const before = issues.length;
  const addresses = spec.addresses.flatMap((text, i) => {
    const resolved = resolveCidr(text, [], context.clusterNetworks, path, `${field}.addresses[${i}]`, issues);
    return resolved.flatMap((e) => (e.kind === 'cidr' ? [e.cidr] : []));
  });
  if (issues.length > before) {
    // A ClusterIP lies in the Service network: say what the addresses must be.
    for (const issue of issues.slice(before)) {
      if (issue.message.includes('inside the cluster network')) {
        Object.assign(issue, { fix: 'give the API server endpoint addresses (kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes), not the ClusterIP of the kubernetes Service' });
      }
    }
    return [];
  }
  return [{ kind: 'entity', entity: 'kube-apiserver', addresses: [...new Set(addresses)].sort(compareStrings) }];
}

/** Every issue with one CIDR of a CIDR list (clusterNetworks), or its parsed form. */
export function parseCanonicalCidr(text: unknown, path: string, field: string, issues: ValidationIssue[], example: string): ParsedCidr | undefined {
  const parsed = typeof text === 'string' ? parseCidr(text) : undefined;
  if (!parsed) {
    issues.push({ path, field, message: `${describeValue(text)} is not a CIDR`, fix: example });
    return undefined;
  }
  if (!isCanonical(parsed)) {
    issues.push({ path, field, message: `'${String(text)}' has host bits set beyond the /${parsed.prefix} prefix`, fix: `write the network address: ${formatCidr(maskCidr(parsed))}` });
    return undefined;
  }
  return parsed;
}

export function sameNetwork(a: ParsedCidr, b: ParsedCidr): boolean {
  return a.family === b.family && a.prefix === b.prefix && a.address === b.address;
}

export function resolveCidr(
  cidr: string,
  except: readonly string[],
  clusterNetworks: readonly ParsedCidr[],
  path: string,
  field: string,
  issues: ValidationIssue[],
): Endpoint[] {
  const parsed = typeof cidr === 'string' ? parseCidr(cidr) : undefined;
  if (!parsed) {
    issues.push({ path, field: `${field}.cidr`, message: `${describeValue(cidr)} is not a CIDR`, fix: 'write an IPv4 or IPv6 network with a prefix length, e.g. 203.0.113.0/24 or 203.0.113.7/32' });
    return [];
  }
  if (!isCanonical(parsed)) {
    issues.push({ path, field: `${field}.cidr`, message: `'${cidr}' has host bits set beyond the /${parsed.prefix} prefix`, fix: `write the network address: ${formatCidr(maskCidr(parsed))}` });
    return [];
  }
  const exceptions: string[] = [];
  let ok = true;
  except.forEach((text, i) => {
    const inner = typeof text === 'string' ? parseCidr(text) : undefined;
    if (!inner) {
      issues.push({ path, field: `${field}.except[${i}]`, message: `${describeValue(text)} is not a CIDR`, fix: 'write a network with a prefix length inside the cidr' });
      ok = false;
    } else if (!isCanonical(inner)) {
      issues.push({ path, field: `${field}.except[${i}]`, message: `'${text}' has host bits set beyond the /${inner.prefix} prefix`, fix: `write the network address: ${formatCidr(maskCidr(inner))}` });
      ok = false;
    } else if (!strictlyContains(parsed, inner)) {
      issues.push({
        path,
        field: `${field}.except[${i}]`,
        message: `'${text}' is not strictly inside '${cidr}'`,
        fix: 'an except must be a smaller network of the same address family inside the cidr; remove it or fix the cidr',
      });
      ok = false;
    } else {
      exceptions.push(formatCidr(inner));
    }
  });
  if (!ok) return [];
  // Pod IPs are matched by ipBlock on some CNIs (Calico): a CIDR peer must not reach pods around the
  // declared flows, tenants included. The cluster's networks are carved out of every CIDR peer. An
  // IPv4-mapped IPv6 peer is checked as the IPv4 network it stands for, and carved in its own form.
  const mapped = ipv4Mapped(parsed);
  for (const network of clusterNetworks) {
    const view = network.family === parsed.family ? parsed : network.family === 4 ? mapped : undefined;
    if (!view) continue;
    if (sameNetwork(network, view) || strictlyContains(network, view)) {
      issues.push({
        path,
        field: `${field}.cidr`,
        message: `'${cidr}' lies inside the cluster network ${formatCidr(network)}${view === parsed ? '' : ` (it is the IPv4-mapped form of ${formatCidr(view)})`}, so it addresses pods and services by IP`,
        fix: 'select pods with a workload, a namespace or Peer.pods(), which follow pods as their IPs change',
      });
      return [];
    }
    if (!strictlyContains(view, network)) continue;
    const carved = view === parsed ? network : mappedIpv6(network);
    const excepted = exceptions.some((e) => {
      const parsedExcept = parseCidr(e)!;
      return sameNetwork(parsedExcept, carved) || strictlyContains(parsedExcept, carved);
    });
    if (!excepted) exceptions.push(formatCidr(carved));
  }
  return [{ kind: 'cidr', cidr: formatCidr(parsed), except: [...new Set(exceptions)].sort(compareStrings) }];
}

/** The tenant owning the namespace of an endpoint made of pods. */
export function tenantOfEndpoint(endpoint: Endpoint, context: PeerContext): TenantDeclaration | undefined {
  switch (endpoint.kind) {
    case 'workload':
    case 'namespace':
    case 'pods':
    case 'service-account':
      return context.tenantOfNamespace.get(endpoint.namespace);
    default:
      return undefined;
  }
}
