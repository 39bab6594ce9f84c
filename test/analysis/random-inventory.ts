/**
 * fast-check arbitraries for small random inventories of valid manifests, and a deliberately naive
 * reference evaluator written straight from semantics.md section 2 (no indexes, no bitsets), so property
 * tests can compare the optimised analyzer against it.
 */
import * as fc from 'fast-check';
import { AnalyzeOptions, ProbePort, Protocol } from '../../src/analysis';

type Obj = Record<string, unknown>;

const NAMESPACES = ['n1', 'n2', 'n3'];
const LABEL_VALUES: Record<string, string[]> = { app: ['a', 'b'], tier: ['x', 'y'] };
const CONTAINER_PORTS = [
  { containerPort: 80, name: 'http' },
  { containerPort: 81, protocol: 'UDP', name: 'http' },
  { containerPort: 53, protocol: 'UDP', name: 'dns' },
  { containerPort: 53, name: 'dns-tcp' },
  { containerPort: 82, protocol: 'SCTP' },
];
const IPS = ['10.0.0.1', '10.0.0.2', '10.0.0.5', '10.0.1.1'];

const labels: fc.Arbitrary<Record<string, string>> = fc.record(
  { app: fc.constantFrom(...LABEL_VALUES.app), tier: fc.constantFrom(...LABEL_VALUES.tier) },
  { requiredKeys: [] },
);

const expression: fc.Arbitrary<Obj> = fc.oneof(
  fc.record({ key: fc.constantFrom('app', 'tier', 'ns'), operator: fc.constantFrom('In', 'NotIn'), values: fc.subarray(['a', 'b', 'x', 'n1', 'n2'], { minLength: 1 }) }),
  fc.record({ key: fc.constantFrom('app', 'tier', 'ns'), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);

const selector: fc.Arbitrary<Obj> = fc.record(
  { matchLabels: labels, matchExpressions: fc.array(expression, { maxLength: 2 }) },
  { requiredKeys: [] },
);

const peer: fc.Arbitrary<Obj> = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: selector }),
  fc.record({ podSelector: selector, namespaceSelector: selector }),
  fc.constantFrom(
    { ipBlock: { cidr: '10.0.0.0/24' } },
    { ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.0.0/30'] } },
    { ipBlock: { cidr: '10.0.0.4/30' } },
  ),
);

const policyPort: fc.Arbitrary<Obj> = fc.oneof(
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP', 'SCTP'), port: fc.constantFrom(53, 80, 81, 82) }, { requiredKeys: ['port'] }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP'), port: fc.constantFrom('http', 'dns', 'dns-tcp') }, { requiredKeys: ['port'] }),
  fc.record({ protocol: fc.constantFrom('TCP', 'UDP', 'SCTP') }),
  fc.record({ port: fc.constant(53), endPort: fc.constantFrom(53, 80, 81) }),
);

function rule(peersKey: 'from' | 'to'): fc.Arbitrary<Obj> {
  return fc.record({ [peersKey]: fc.array(peer, { maxLength: 2 }), ports: fc.array(policyPort, { maxLength: 2 }) }, { requiredKeys: [] });
}

const policySpec: fc.Arbitrary<Obj> = fc.record({
  podSelector: selector,
  policyTypes: fc.constantFrom(['Ingress'], ['Egress'], ['Ingress', 'Egress'], []),
  ingress: fc.array(rule('from'), { maxLength: 2 }),
  egress: fc.array(rule('to'), { maxLength: 2 }),
}, { requiredKeys: ['podSelector'] });

export interface RandomCase {
  readonly objects: Obj[];
  readonly options: AnalyzeOptions;
}

export const inventoryCase: fc.Arbitrary<RandomCase> = fc.record({
  namespaceLabels: fc.tuple(labels, labels, labels),
  pods: fc.array(fc.record({
    ns: fc.constantFrom(...NAMESPACES),
    labels,
    ports: fc.subarray(CONTAINER_PORTS),
    ip: fc.option(fc.constantFrom(...IPS), { nil: undefined }),
    workload: fc.boolean(),
  }), { minLength: 1, maxLength: 6 }),
  policies: fc.array(fc.record({ ns: fc.constantFrom(...NAMESPACES), spec: policySpec }), { maxLength: 5 }),
  probeAll: fc.boolean(),
  external: fc.boolean(),
}).map(({ namespaceLabels, pods, policies, probeAll, external }) => {
  const objects: Obj[] = NAMESPACES.map((name, index) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: namespaceLabels[index] } }));
  pods.forEach((p, index) => {
    const podSpec = { containers: [{ name: 'c', image: 'i', ports: p.ports }] };
    objects.push(p.workload
      ? { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `p${index}`, namespace: p.ns }, spec: { template: { metadata: { labels: p.labels }, spec: podSpec } } }
      : { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${index}`, namespace: p.ns, labels: p.labels }, spec: podSpec, ...(p.ip ? { status: { podIP: p.ip } } : {}) });
  });
  policies.forEach((p, index) => objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np${index}`, namespace: p.ns }, spec: p.spec }));
  const options: AnalyzeOptions = {
    ...(probeAll ? { ports: [{ port: 53, protocol: 'UDP' }, { port: 80, protocol: 'TCP' }, { port: 81, protocol: 'UDP' }, { port: 82, protocol: 'SCTP' }] } : {}),
    ...(external ? { externals: { near: '10.0.0.3', far: '192.0.2.1' } } : {}),
  };
  return { objects, options };
});

// ---------------------------------------------------------------------------------------------------
// Reference evaluator.

interface RefEndpoint {
  readonly id: string;
  readonly ns?: string;
  readonly labels: Record<string, string>;
  readonly ip?: string;
  readonly ports: readonly Obj[];
}

function ipv4(text: string): number {
  return text.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, prefix] = cidr.split('/');
  const size = 2 ** (32 - Number(prefix));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base) / size);
}

function selects(sel: Obj, target: Record<string, string>): boolean {
  const matchLabels = (sel.matchLabels ?? {}) as Record<string, string>;
  if (!Object.entries(matchLabels).every(([k, v]) => target[k] === v)) return false;
  return ((sel.matchExpressions ?? []) as Obj[]).every((e) => {
    const value = target[e.key as string];
    const values = (e.values ?? []) as string[];
    switch (e.operator) {
      case 'In': return value !== undefined && values.includes(value);
      case 'NotIn': return value === undefined || !values.includes(value);
      case 'Exists': return value !== undefined;
      default: return value === undefined;
    }
  });
}

export class ReferenceEvaluator {
  readonly endpoints: RefEndpoint[] = [];
  private readonly nsLabels = new Map<string, Record<string, string>>();
  private readonly policies: { ns: string; spec: Obj }[] = [];

  constructor(objects: readonly Obj[], externals: Readonly<Record<string, string>> = {}) {
    for (const o of objects) {
      const meta = o.metadata as Obj;
      if (o.kind === 'Namespace') this.nsLabels.set(meta.name as string, { ...(meta.labels as Record<string, string>), 'kubernetes.io/metadata.name': meta.name as string });
    }
    for (const o of objects) {
      const meta = o.metadata as Obj;
      const ns = (meta.namespace ?? 'default') as string;
      if (o.kind === 'Pod') {
        const spec = o.spec as { containers: { ports: Obj[] }[] };
        this.endpoints.push({ id: `${ns}/${meta.name}`, ns, labels: (meta.labels ?? {}) as Record<string, string>, ip: (o.status as Obj | undefined)?.podIP as string | undefined, ports: spec.containers.flatMap((c) => c.ports) });
      } else if (o.kind === 'Deployment') {
        const template = (o.spec as Obj).template as { metadata: Obj; spec: { containers: { ports: Obj[] }[] } };
        this.endpoints.push({ id: `${ns}/${meta.name}`, ns, labels: (template.metadata.labels ?? {}) as Record<string, string>, ports: template.spec.containers.flatMap((c) => c.ports) });
      } else if (o.kind === 'NetworkPolicy') {
        this.policies.push({ ns, spec: o.spec as Obj });
      }
    }
    for (const [name, ip] of Object.entries(externals)) this.endpoints.push({ id: `external:${name}`, labels: {}, ip, ports: [] });
  }

  allowed(fromId: string, toId: string, probe: ProbePort): boolean {
    const from = this.endpoints.find((e) => e.id === fromId)!;
    const to = this.endpoints.find((e) => e.id === toId)!;
    return this.side('Egress', from, to, probe, to) && this.side('Ingress', to, from, probe, to);
  }

  private side(direction: 'Ingress' | 'Egress', subject: RefEndpoint, other: RefEndpoint, probe: ProbePort, destination: RefEndpoint): boolean {
    if (subject.ns === undefined) return true;
    const rulesKey = direction === 'Ingress' ? 'ingress' : 'egress';
    const applying = this.policies.filter((p) => {
      const listed = (p.spec.policyTypes ?? []) as string[];
      // Defaulting looks at the egress rules whichever direction is being evaluated.
      const egressRules = (p.spec.egress ?? []) as Obj[];
      const types = listed.length > 0 ? listed : (egressRules.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
      return p.ns === subject.ns && selects(p.spec.podSelector as Obj, subject.labels) && types.includes(direction);
    });
    if (applying.length === 0) return true;
    return applying.some((p) => ((p.spec[rulesKey] ?? []) as Obj[]).some((r) => {
      const peers = (r[direction === 'Ingress' ? 'from' : 'to'] ?? []) as Obj[];
      const ports = (r.ports ?? []) as Obj[];
      return (peers.length === 0 || peers.some((peerSpec) => this.peerMatches(peerSpec, p.ns, other)))
        && (ports.length === 0 || ports.some((port) => portMatches(port, probe, destination)));
    }));
  }

  private peerMatches(peerSpec: Obj, policyNs: string, endpoint: RefEndpoint): boolean {
    if (peerSpec.ipBlock) {
      const block = peerSpec.ipBlock as { cidr: string; except?: string[] };
      return endpoint.ip !== undefined && inCidr(endpoint.ip, block.cidr) && !(block.except ?? []).some((e) => inCidr(endpoint.ip!, e));
    }
    if (endpoint.ns === undefined) return false;
    const nsOk = peerSpec.namespaceSelector
      ? selects(peerSpec.namespaceSelector as Obj, this.nsLabels.get(endpoint.ns) ?? { 'kubernetes.io/metadata.name': endpoint.ns })
      : endpoint.ns === policyNs;
    return nsOk && (!peerSpec.podSelector || selects(peerSpec.podSelector as Obj, endpoint.labels));
  }
}

function portMatches(port: Obj, probe: ProbePort, destination: RefEndpoint): boolean {
  const protocol = (port.protocol ?? 'TCP') as Protocol;
  if (protocol !== probe.protocol) return false;
  if (port.port === undefined) return true;
  if (typeof port.port === 'string') {
    return destination.ports.some((c) => c.name === port.port && (c.protocol ?? 'TCP') === protocol && c.containerPort === probe.port);
  }
  if (port.endPort !== undefined) return probe.port >= (port.port as number) && probe.port <= (port.endPort as number);
  return probe.port === port.port;
}
