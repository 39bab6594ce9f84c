/**
 * `zt observe generate`: a TypeScript module of our constructs from an aggregate of observed flows.
 * It declares exactly what was observed: each flow's own ports (no ranges, no wildcards), DNS names
 * that the client looked up, HTTP requests as exact paths when asked; flows seen fewer than
 * `minCount` times, dropped flows and traffic no construct can express are listed for review in
 * comments, never declared. The output is deterministic: the same aggregate gives the same bytes.
 */
import { compare } from './aggregate';
import { describePeer, ObservedAggregate, ObservedFlow, ObservedPeer, ObservedRequest, ObservedWorkload } from './observed';
import { formatCidr, parseCidr } from '../model/cidr';
import { fqdnNameProblem } from '../model/fqdn';
import { HttpMethod } from '../model/http';
import { dns1123LabelProblem } from '../model/names';

export type GeneratedBackend = 'kubernetes' | 'cilium' | 'calico';
export const GENERATED_BACKENDS: readonly GeneratedBackend[] = ['kubernetes', 'cilium', 'calico'];

/** Namespaces never managed by the generated platform: the system's, and the cluster DNS's. */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];

export interface GenerateOptions {
  /** Flows (and HTTP requests, and a namespace's DNS lookups) seen fewer times are listed for review, not declared. @default 2 */
  readonly minCount?: number;
  /** Declare the HTTP requests seen as L7 rules on their ports (Cilium). @default false */
  readonly l7?: boolean;
  /** A tenant per value of this namespace label (as Cilium reports it on the pods). */
  readonly tenantLabel?: string;
  /** A tenant per namespace name prefix: the part before the first `-` (`alpha-web` → `alpha`). */
  readonly tenantPrefix?: boolean;
  /** More namespaces the platform does not manage (they become ExternalNamespace peers). */
  readonly externalNamespaces?: readonly string[];
  /** @default cilium when DNS names or HTTP rules are declared, else kubernetes */
  readonly backends?: readonly GeneratedBackend[];
  /** `fqdn`: a looked-up external address by its DNS name; `cidr`: always by address (/32). @default fqdn */
  readonly externals?: 'fqdn' | 'cidr';
  /** The module the constructs are imported from. @default 'cdk8s-zero-trust' */
  readonly importFrom?: string;
  /** The aggregate's file name, for the header. */
  readonly sourceName?: string;
}

export interface GeneratedModule {
  readonly code: string;
  readonly backends: readonly GeneratedBackend[];
  /** Ports declared (flow × port). */
  readonly declared: number;
  /** Entries listed for review. */
  readonly review: number;
}

/** What stops the module from being generated (it would not synthesize, or would be wider than observed). */
export class GenerateError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`${problems.length} problem${problems.length === 1 ? '' : 's'} stop the generation:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'GenerateError';
  }
}

const RESERVED_WORDS = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false',
  'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try',
  'typeof', 'var', 'void', 'while', 'with', 'let', 'static', 'yield', 'await', 'implements', 'interface', 'package', 'private', 'protected',
  'public', 'arguments', 'eval', 'undefined', 'platform', 'app', 'outdir', 'module', 'require', 'exports', 'process',
  'Backend', 'ExternalNamespace', 'HttpMethod', 'OutputLayout', 'Peer', 'Port', 'TenantBoundary', 'ZeroTrustApp', 'ZeroTrustNamespace', 'ZeroTrustPlatform',
]);

/** Unique, valid JavaScript identifiers in camelCase. */
class Identifiers {
  private readonly taken = new Set<string>();

  public take(...parts: string[]): string {
    const words = parts.join('-').split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
    let base = words.map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())).join('') || 'item';
    if (/^[0-9]/.test(base)) base = `_${base}`;
    let name = base;
    for (let n = 2; this.taken.has(name) || RESERVED_WORDS.has(name); n++) name = `${base}${n}`;
    this.taken.add(name);
    return name;
  }
}

/** A TypeScript string literal in single quotes. */
export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}'`;
}

function objectKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : quote(key);
}

function labelsLiteral(labels: Readonly<Record<string, string>>): string {
  const entries = Object.keys(labels).sort().map((key) => `${objectKey(key)}: ${quote(labels[key])}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

/** One line of a comment: no line breaks from label values or paths. */
function commentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** A path as a regular expression that matches it alone (Cilium matches `path` in full). */
export function exactPathPattern(path: string): string {
  return path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const HTTP_METHODS = new Set<string>(Object.values(HttpMethod));

function times(n: number): string {
  return `${n.toLocaleString('en-US')} time${n === 1 ? '' : 's'}`;
}

function subset(small: Readonly<Record<string, string>>, big: Readonly<Record<string, string>>): boolean {
  return Object.keys(small).every((key) => Object.hasOwn(big, key) && big[key] === small[key]);
}

interface PortEntry {
  readonly protocol: string;
  readonly port: number;
  count: number;
  /** Every contributing flow's requests; undefined once a contributor had none (the port is then L4 only). */
  requests: ObservedRequest[] | undefined;
  truncated: boolean;
}

interface Group {
  readonly key: string;
  readonly local: string;
  readonly method: 'allowTo' | 'allowFrom';
  readonly peer: string;
  readonly description: string;
  readonly crossTenant: boolean;
  readonly fqdn: boolean;
  readonly ports: Map<string, PortEntry>;
}

/** The generated module for an aggregate. Throws `GenerateError`. */
export function generateModule(aggregate: ObservedAggregate, options: GenerateOptions = {}): GeneratedModule {
  const minCount = options.minCount ?? 2;
  const externalsBy = options.externals ?? 'fqdn';
  const problems: string[] = [];
  const review: string[] = [];
  const ids = new Identifiers();
  const unmanaged = new Set([...SYSTEM_NAMESPACES, aggregate.dnsServer.namespace, ...(options.externalNamespaces ?? [])]);
  const workloads = new Map(aggregate.workloads.map((w) => [w.id, w]));
  const isManaged = (w: ObservedWorkload): boolean => !unmanaged.has(w.namespace);

  // Namespaces, and which of them made DNS lookups often enough.
  const managedNamespaces = [...new Set(aggregate.workloads.filter(isManaged).map((w) => w.namespace))].sort(compare);
  const dnsLookups = new Map<string, number>();
  for (const entry of aggregate.dns) {
    const client = workloads.get(entry.client);
    if (client) dnsLookups.set(client.namespace, (dnsLookups.get(client.namespace) ?? 0) + entry.count);
  }
  const namespaceVar = new Map(managedNamespaces.map((ns) => [ns, ids.take(ns)]));
  const tenantOf = (namespace: string): string | undefined => {
    if (unmanaged.has(namespace)) return undefined;
    if (options.tenantLabel !== undefined) {
      const value = aggregate.namespaces[namespace]?.[options.tenantLabel];
      return value === undefined || value === '' ? undefined : value;
    }
    if (options.tenantPrefix) {
      const dash = namespace.indexOf('-');
      return dash > 0 ? namespace.slice(0, dash) : undefined;
    }
    return undefined;
  };
  const tenants = new Map<string, string[]>();
  for (const ns of managedNamespaces) {
    const tenant = tenantOf(ns);
    if (tenant === undefined) continue;
    if (dns1123LabelProblem(tenant) !== undefined) {
      problems.push(`namespace ${ns}: tenant '${tenant}' (from ${options.tenantLabel !== undefined ? `the label ${options.tenantLabel}` : 'the name prefix'}) is not a DNS-1123 label. Fix: use another --tenant-label, or no tenants`);
      continue;
    }
    tenants.set(tenant, [...(tenants.get(tenant) ?? []), ns]);
  }

  // Workloads: a managed one is declared; an unmanaged one is a peer in its ExternalNamespace.
  const workloadVar = new Map<string, string>();
  const externalNamespaceVar = new Map<string, string>();
  for (const w of aggregate.workloads) {
    if (isManaged(w)) workloadVar.set(w.id, ids.take(w.namespace, w.name));
  }
  for (const ns of managedNamespaces) {
    const inNamespace = aggregate.workloads.filter((w) => w.namespace === ns);
    for (const a of inNamespace) {
      if (Object.keys(a.labels).length === 0) {
        problems.push(`workload ${a.id}: its pods share no stable label, so no selector picks them out of the namespace (label sets seen: ${a.labelSets.map(labelsLiteral).join('; ')}). ` +
          'Fix: give its pods a common label (app.kubernetes.io/name), or declare it by hand');
        continue;
      }
      for (const b of inNamespace) {
        if (a === b) continue;
        const selected = b.labelSets.find((set) => subset(a.labels, set));
        if (selected) {
          problems.push(`workloads ${a.id} and ${b.id}: the selector of ${a.name} ${labelsLiteral(a.labels)} also selects pods of ${b.name} ${labelsLiteral(selected)}, ` +
            `so ${b.name} would receive ${a.name}'s flows. Fix: give the two workloads distinguishing labels, or merge them by hand`);
        }
      }
    }
  }

  const peerOf = (peer: ObservedPeer, side: 'source' | 'destination'): { expression: string; fqdn: boolean } | { unsupported: string } => {
    switch (peer.kind) {
      case 'workload': {
        const w = workloads.get(peer.workload)!;
        const local = workloadVar.get(w.id);
        if (local) return { expression: local, fqdn: false };
        if (Object.keys(w.labels).length === 0) return { unsupported: `the pods of ${w.id} share no stable label` };
        let ext = externalNamespaceVar.get(w.namespace);
        if (!ext) externalNamespaceVar.set(w.namespace, (ext = ids.take(w.namespace)));
        return { expression: `${ext}.pods({ labels: ${labelsLiteral(w.labels)} })`, fqdn: false };
      }
      case 'kube-apiserver': {
        const cidr = hostCidr(peer.ip);
        return cidr ? { expression: `Peer.kubeApiserver({ addresses: [${quote(cidr)}] })`, fqdn: false } : { unsupported: `${peer.ip} is not an address` };
      }
      case 'external': {
        const name = peer.names.find((n) => fqdnNameProblem(n) === undefined);
        if (side === 'destination' && externalsBy === 'fqdn' && name !== undefined) return { expression: `Peer.fqdn(${quote(name)})`, fqdn: true };
        const cidr = hostCidr(peer.ip);
        return cidr ? { expression: `Peer.cidr(${quote(cidr)})`, fqdn: false } : { unsupported: `${peer.ip} is not an address` };
      }
    }
  };

  // Flows, grouped by their two ends as the code names them: ports merge, as the platform merges them.
  const groups = new Map<string, Group>();
  for (const flow of aggregate.flows) {
    const source = peerOf(flow.source, 'source');
    const destination = peerOf(flow.destination, 'destination');
    const description = `${describePeer(flow.source)} -> ${describePeer(flow.destination)} ${flow.port}/${flow.protocol}`;
    if ('unsupported' in source || 'unsupported' in destination) {
      review.push(`${description}, seen ${times(flow.count)}: not declared: ${'unsupported' in source ? source.unsupported : (destination as { unsupported: string }).unsupported}`);
      continue;
    }
    const localSource = flow.source.kind === 'workload' && workloadVar.get(flow.source.workload);
    const localDestination = flow.destination.kind === 'workload' && workloadVar.get(flow.destination.workload);
    if (!localSource && !localDestination) {
      review.push(`${description}, seen ${times(flow.count)}: not declared: neither end is in a managed namespace, so no policy of this platform governs it`);
      continue;
    }
    const method = localSource ? 'allowTo' : 'allowFrom';
    const local = (localSource || localDestination) as string;
    const peer = localSource ? destination.expression : source.expression;
    const sourceTenant = flow.source.kind === 'workload' ? tenantOf(workloads.get(flow.source.workload)!.namespace) : undefined;
    const destinationTenant = flow.destination.kind === 'workload' ? tenantOf(workloads.get(flow.destination.workload)!.namespace) : undefined;
    const key = `${local}|${method}|${peer}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        local,
        method,
        peer,
        description: `${describePeer(flow.source)} -> ${flow.destination.kind === 'external' && destination.fqdn ? (flow.destination.names.find((n) => fqdnNameProblem(n) === undefined) ?? '') : describePeer(flow.destination)}`,
        crossTenant: sourceTenant !== undefined && destinationTenant !== undefined && sourceTenant !== destinationTenant,
        fqdn: destination.fqdn,
        ports: new Map(),
      };
      groups.set(key, group);
    }
    addPort(group, flow);
  }

  // Each port: declared when seen often enough; with --l7, as the HTTP requests seen often enough.
  const statements: string[] = [];
  let declared = 0;
  let needsCilium = false;
  const usesHttp = { value: false };
  for (const group of [...groups.values()].sort((a, b) => compare(a.key, b.key))) {
    const ports: string[] = [];
    const counts: string[] = [];
    for (const entry of [...group.ports.values()].sort((a, b) => compare(`${a.protocol}${String(a.port).padStart(5, '0')}`, `${b.protocol}${String(b.port).padStart(5, '0')}`))) {
      const l4 = `Port.${entry.protocol.toLowerCase()}(${entry.port})`;
      const seen = `${entry.port}/${entry.protocol} seen ${times(entry.count)}`;
      if (entry.count < minCount) {
        review.push(`${group.description} ${seen}: fewer than ${minCount}; to allow it: ${group.local}.${group.method}(${group.peer}, ${l4});`);
        continue;
      }
      if (options.l7 && entry.requests !== undefined && entry.protocol === 'TCP') {
        const rules = httpRules(entry, minCount, `${group.description} ${entry.port}/${entry.protocol}`, review);
        if (rules === undefined) {
          review.push(`${group.description} ${seen}: not declared: no HTTP request on it was seen ${minCount} times or more with a standard method`);
          continue;
        }
        if (entry.truncated) {
          review.push(`${group.description} ${seen}: more distinct HTTP requests than the aggregate keeps; the rules hold the first ones only. Review them, or drop --l7 for this port`);
        }
        usesHttp.value = true;
        needsCilium = true;
        ports.push(`${l4}.http(${rules.join(', ')})`);
      } else {
        ports.push(l4);
      }
      counts.push(seen);
      declared++;
    }
    if (ports.length === 0) continue;
    if (group.fqdn) needsCilium = true;
    const across = group.crossTenant ? '.acrossTenants()' : '';
    statements.push(`  // ${commentText(`${group.description}: ${counts.join(', ')}`)}\n  ${group.local}.${group.method}(${group.peer}, ${ports.join(', ')})${across};\n`);
  }

  for (const flow of aggregate.dropped) {
    review.push(`dropped: ${describePeer(flow.source)} -> ${describePeer(flow.destination)} ${flow.port}/${flow.protocol}, ${times(flow.count)} (${Object.keys(flow.dropReasons ?? {}).join(', ') || 'no reason given'}): not declared`);
  }
  for (const entry of aggregate.notGenerated) {
    review.push(`not generated: ${entry.source} -> ${entry.destination} ${entry.port !== undefined ? `${entry.port}/${entry.protocol}` : entry.protocol}, ${times(entry.count)}: ${entry.reason}`);
  }
  for (const ns of managedNamespaces) {
    const lookups = dnsLookups.get(ns) ?? 0;
    if (lookups > 0 && lookups < minCount) review.push(`DNS from ${ns}: ${times(lookups)}, fewer than ${minCount}: allowDns is off; set allowDns: true to allow it`);
  }

  const backends = chooseBackends(options.backends, needsCilium, problems);
  if (problems.length > 0) throw new GenerateError(problems);

  const dnsDefault = aggregate.dnsServer.namespace === 'kube-system' && JSON.stringify(aggregate.dnsServer.labels) === JSON.stringify({ 'k8s-app': 'kube-dns' });
  const body: string[] = [];
  body.push('  // Managed namespaces: every pod default-deny in both directions; DNS only where lookups were seen.\n');
  for (const ns of managedNamespaces) {
    const lookups = dnsLookups.get(ns) ?? 0;
    const dns = lookups >= minCount ? '' : ', allowDns: false';
    const why = lookups >= minCount ? '' : ` // ${lookups === 0 ? 'no DNS lookup seen' : `DNS seen ${times(lookups)} only`}`;
    body.push(`  const ${namespaceVar.get(ns)} = new ZeroTrustNamespace(platform, ${quote(ns)}, { name: ${quote(ns)}${dns} });${why}\n`);
  }
  if (tenants.size > 0) {
    body.push('\n  // Tenants\n');
    for (const tenant of [...tenants.keys()].sort(compare)) {
      const namespaces = tenants.get(tenant)!.map((ns) => namespaceVar.get(ns)!).join(', ');
      body.push(`  new TenantBoundary(platform, ${quote(`tenant-${tenant}`)}, { name: ${quote(tenant)}, namespaces: [${namespaces}] });\n`);
    }
  }
  const externalsUsed = [...externalNamespaceVar].filter(([, local]) => new RegExp(`\\b${local}\\b`).test(statements.join(''))).sort(([a], [b]) => compare(a, b));
  if (externalsUsed.length > 0) {
    body.push('\n  // Namespaces this platform does not manage, whose pods the flows reach\n');
    for (const [ns, local] of externalsUsed) {
      body.push(`  const ${local} = new ExternalNamespace(platform, ${quote(`external-${ns}`)}, { name: ${quote(ns)} });\n`);
    }
  }
  body.push('\n  // Workloads, selected by the stable labels all their pods carried\n');
  const referenced = statements.join('');
  for (const w of aggregate.workloads.filter(isManaged)) {
    const account = w.serviceAccounts.length === 1 ? `, serviceAccount: ${quote(w.serviceAccounts[0])}` : '';
    const kind = w.kind ? ` // ${w.kind}` : '';
    // A workload no declared flow names is still declared (its pods get default-deny), without an unused variable.
    const local = workloadVar.get(w.id)!;
    const binding = new RegExp(`\\b${local}\\b`).test(referenced) ? `const ${local} = ` : '';
    body.push(`  ${binding}${namespaceVar.get(w.namespace)}.workload(${quote(w.name)}, { labels: ${labelsLiteral(w.labels)}${account} });${kind}\n`);
  }
  body.push(`\n  // Flows seen at least ${times(minCount)}, with exactly the ports seen\n`);
  if (statements.length === 0) body.push('  // (none)\n');
  body.push(...statements);

  const imports = ['Backend', 'OutputLayout', 'Port', 'ZeroTrustApp', 'ZeroTrustNamespace', 'ZeroTrustPlatform'];
  if (/\bPeer\./.test(referenced)) imports.push('Peer');
  if (externalsUsed.length > 0) imports.push('ExternalNamespace');
  if (tenants.size > 0) imports.push('TenantBoundary');
  if (usesHttp.value) imports.push('HttpMethod');
  if (managedNamespaces.length === 0) problems.push('no workload of a managed namespace was observed: nothing to generate. Fix: give exports with pod-to-pod traffic, or fewer --external-namespace');
  if (problems.length > 0) throw new GenerateError(problems);

  const c = aggregate.counts;
  const header = [
    `// Generated by \`zt observe generate\`${options.sourceName ? ` from ${commentText(options.sourceName)}` : ''}: ${c.records.toLocaleString('en-US')} flow records`,
    `// observed in ${c.files.length} export${c.files.length === 1 ? '' : 's'}. Review it before enforcing: it declares the flows seen at least ${times(minCount)}`,
    '// with exactly the ports seen, and lists at the end what it left out (rarer flows, dropped flows,',
    '// traffic no construct expresses). Regenerate rather than edit, or keep it as your own code.',
  ].join('\n');
  const dnsOption = dnsDefault ? '' : `, dns: { namespace: ${quote(aggregate.dnsServer.namespace)}, labels: ${labelsLiteral(aggregate.dnsServer.labels)} }`;
  const lines: string[] = [
    `${header}\n`,
    `import { ${imports.sort(compare).join(', ')} } from ${quote(options.importFrom ?? 'cdk8s-zero-trust')};\n`,
    '\n',
    '/** The backends this intent was generated for. */\n',
    'export function observedBackends(): Backend[] {\n',
    `  return [${backends.map((b) => `Backend.${b}()`).join(', ')}];\n`,
    '}\n',
    '\n',
    '/** Declares the observed intent on `platform`. */\n',
    'export function declareObserved(platform: ZeroTrustPlatform): void {\n',
    ...body,
    '}\n',
    '\n',
    '/** The observed intent in an app of its own, written to `outdir` with a folder per backend. */\n',
    "export function synthObserved(outdir = 'dist'): ZeroTrustApp {\n",
    '  const app = new ZeroTrustApp({ outdir, layout: OutputLayout.FOLDER_PER_BACKEND });\n',
    `  declareObserved(new ZeroTrustPlatform(app, 'platform', { backends: observedBackends()${dnsOption} }));\n`,
    '  return app;\n',
    '}\n',
    '\n',
    'if (require.main === module) synthObserved(process.argv[2]).synthOrExit();\n',
  ];
  if (review.length > 0) {
    lines.push('\n', `// Review (${review.length}): observed, but not declared above.\n`);
    for (const entry of review) lines.push(`//   ${commentText(entry)}\n`);
  }
  return { code: lines.join(''), backends, declared, review: review.length };
}

function hostCidr(ip: string): string | undefined {
  const parsed = parseCidr(`${ip}/${ip.includes(':') ? 128 : 32}`);
  return parsed ? formatCidr(parsed) : undefined;
}

function addPort(group: Group, flow: ObservedFlow): void {
  const key = `${flow.protocol}/${flow.port}`;
  let entry = group.ports.get(key);
  if (!entry) group.ports.set(key, (entry = { protocol: flow.protocol, port: flow.port, count: 0, requests: [], truncated: false }));
  entry.count += flow.count;
  entry.truncated ||= flow.httpTruncated === true;
  // A contributor without requests seen makes the port L4: Hubble saw its traffic without L7 visibility.
  if (!flow.http || flow.http.length === 0) entry.requests = undefined;
  else if (entry.requests !== undefined) entry.requests = mergeRequests(entry.requests, flow.http);
}

function mergeRequests(a: readonly ObservedRequest[], b: readonly ObservedRequest[]): ObservedRequest[] {
  const merged = new Map<string, ObservedRequest>();
  for (const r of [...a, ...b]) {
    const key = `${r.method} ${r.path}`;
    const earlier = merged.get(key);
    merged.set(key, earlier ? { ...earlier, count: earlier.count + r.count } : r);
  }
  return [...merged.values()];
}

/** HTTP rules for the requests seen often enough with a standard method: one rule per path with its methods. */
function httpRules(entry: PortEntry, minCount: number, description: string, review: string[]): string[] | undefined {
  const byPath = new Map<string, Set<string>>();
  for (const request of entry.requests ?? []) {
    if (!HTTP_METHODS.has(request.method)) {
      review.push(`${description} ${request.method} ${request.path}, seen ${times(request.count)}: not declared: ${request.method} is not a method HttpMethod names`);
      continue;
    }
    if (request.count < minCount) {
      review.push(`${description} ${request.method} ${request.path}, seen ${times(request.count)}: fewer than ${minCount}, not declared`);
      continue;
    }
    const methods = byPath.get(request.path) ?? new Set<string>();
    methods.add(request.method);
    byPath.set(request.path, methods);
  }
  if (byPath.size === 0) return undefined;
  return [...byPath.keys()].sort(compare).map((path) => {
    const methods = [...byPath.get(path)!].sort(compare).map((m) => `HttpMethod.${m}`).join(', ');
    return `{ methods: [${methods}], path: ${quote(exactPathPattern(path))} }`;
  });
}

function chooseBackends(given: readonly GeneratedBackend[] | undefined, needsCilium: boolean, problems: string[]): GeneratedBackend[] {
  if (given === undefined || given.length === 0) return needsCilium ? ['cilium'] : ['kubernetes'];
  const backends = [...new Set(given)].sort((a, b) => GENERATED_BACKENDS.indexOf(a) - GENERATED_BACKENDS.indexOf(b));
  const refusing = backends.filter((b) => b !== 'cilium');
  if (needsCilium && refusing.length > 0) {
    problems.push(`the intent holds DNS names or HTTP rules, which ${refusing.join(' and ')} cannot express. ` +
      'Fix: --backend cilium alone, or --externals cidr (addresses instead of names) and no --l7');
  }
  return backends;
}
