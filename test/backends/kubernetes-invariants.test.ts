/**
 * Property test of the Kubernetes backend: random small platforms, and invariants that every emitted
 * NetworkPolicy must satisfy whatever the program (rules from https://kubernetes.io/docs/concepts/services-networking/network-policies/).
 */
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  Backend,
  ExternalNamespace,
  formatIssue,
  IPeer,
  Manifest,
  NAMESPACE_NAME_LABEL,
  Peer,
  Port,
  Protocol,
  SelectorOperator,
  TenantBoundary,
  Workload,
  ZeroTrustApp,
  ZeroTrustNamespace,
  ZeroTrustPlatform,
  LabelRequirement,
} from '../../src';
import { K8sNetworkPolicy, K8sNetworkPolicyPeer } from '../../src/backends/kubernetes/types';
import { formatCidr, maskCidr } from '../../src/model/cidr';

// ---------------------------------------------------------------------------------------------------
// Programs as plain data, so that fast-check can print and shrink counterexamples.

interface WorkloadSpec {
  readonly labels: Record<string, string>;
  /** When set, the workload is declared with `selector` (labels + this expression) instead of `labels`. */
  readonly expression?: LabelRequirement;
}

interface NamespaceSpec {
  readonly allowDns: boolean;
  readonly allowSameNamespace: boolean;
  readonly createNamespace: boolean;
  readonly workloads: readonly WorkloadSpec[];
  /** Index of the tenant owning it (modulo the tenant count), or undefined. */
  readonly tenant?: number;
}

type PeerChoice =
  | { readonly kind: 'workload'; readonly index: number }
  | { readonly kind: 'namespace'; readonly index: number }
  | { readonly kind: 'external'; readonly index: number }
  | { readonly kind: 'externalPods'; readonly index: number; readonly labels: Record<string, string> }
  | { readonly kind: 'cidr'; readonly cidr: string; readonly except: readonly string[] }
  | { readonly kind: 'tenant'; readonly index: number };

interface FlowSpec {
  /** Index of the declaring workload among all workloads (modulo their count). */
  readonly workload: number;
  readonly method: 'allowTo' | 'allowFrom';
  readonly peer: PeerChoice;
  readonly ports: readonly Port[];
}

interface Program {
  readonly namespaces: readonly NamespaceSpec[];
  readonly tenants: readonly { readonly allowIntraTenant: boolean }[];
  readonly flows: readonly FlowSpec[];
}

const EXTERNAL = ['ingress-nginx', 'monitoring'];
const DNS_NAMESPACE = 'kube-system';

const labelsArb = fc.dictionary(fc.constantFrom('app', 'tier', 'example.com/role', 'app.kubernetes.io/name'), fc.constantFrom('a', 'b', 'web', 'x.y_z', ''), {
  minKeys: 1,
  maxKeys: 3,
});

const expressionArb: fc.Arbitrary<LabelRequirement> = fc.oneof(
  fc.record({
    key: fc.constantFrom('env', 'track'),
    operator: fc.constantFrom(SelectorOperator.IN, SelectorOperator.NOT_IN),
    values: fc.uniqueArray(fc.constantFrom('prod', 'dev', 'canary'), { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ key: fc.constantFrom('env', 'track'), operator: fc.constantFrom(SelectorOperator.EXISTS, SelectorOperator.DOES_NOT_EXIST) }),
);

const workloadArb: fc.Arbitrary<WorkloadSpec> = fc.record({ labels: labelsArb, expression: fc.option(expressionArb, { nil: undefined }) }, { requiredKeys: ['labels'] });

const namespaceArb: fc.Arbitrary<NamespaceSpec> = fc.record(
  {
    allowDns: fc.boolean(),
    allowSameNamespace: fc.boolean(),
    createNamespace: fc.boolean(),
    workloads: fc.array(workloadArb, { minLength: 1, maxLength: 3 }),
    tenant: fc.option(fc.nat(3), { nil: undefined }),
  },
  { requiredKeys: ['allowDns', 'allowSameNamespace', 'createNamespace', 'workloads'] },
);

const portNumber = fc.integer({ min: 1, max: 65535 });
const portArb: fc.Arbitrary<Port> = fc.oneof(
  portNumber.map(Port.tcp),
  portNumber.map(Port.udp),
  portNumber.map(Port.sctp),
  fc.tuple(portNumber, portNumber).map(([x, y]) => Port.tcpRange(Math.min(x, y), Math.max(x, y))),
  fc.tuple(portNumber, fc.integer({ min: 0, max: 10 })).map(([x, d]) => Port.udpRange(Math.min(x, 65535 - d), Math.min(x, 65535 - d) + d)),
  fc.constantFrom('http', 'metrics', 'grpc-web', 'h2c').map((name) => Port.named(name)),
  fc.constantFrom('dns', 'syslog').map((name) => Port.named(name, Protocol.UDP)),
  fc.constantFrom(Port.allTcp(), Port.allUdp(), Port.allSctp(), Port.all()),
);

/** A canonical CIDR of either family, with 0-2 excepts strictly inside it (arithmetic, not bitwise: lint forbids it). */
const cidrArb: fc.Arbitrary<PeerChoice> = fc
  .tuple(fc.boolean(), fc.bigInt(0n, 2n ** 128n - 1n), fc.nat(128), fc.array(fc.tuple(fc.bigInt(0n, 2n ** 128n - 1n), fc.nat(127)), { maxLength: 2 }))
  .map(([v6, raw, rawPrefix, rawExcepts]) => {
    const family = v6 ? 6 : 4;
    const width = v6 ? 128 : 32;
    const address = raw % 2n ** BigInt(width);
    const prefix = rawPrefix % width; // < width, so that an except can be longer
    const outer = maskCidr({ family, address, prefix });
    const except = rawExcepts.map(([bits, extra]) => {
      const innerPrefix = prefix + 1 + (extra % (width - prefix));
      // The outer network's host bits are zero: adding fewer host bits stays inside it.
      const inside = outer.address + (bits % 2n ** BigInt(width - prefix));
      return formatCidr(maskCidr({ family, address: inside, prefix: innerPrefix }));
    });
    return { kind: 'cidr' as const, cidr: formatCidr(outer), except };
  });

const peerArb: fc.Arbitrary<PeerChoice> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('workload' as const), index: fc.nat() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('namespace' as const), index: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('external' as const), index: fc.nat() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('externalPods' as const), index: fc.nat(), labels: labelsArb }), weight: 2 },
  { arbitrary: cidrArb, weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('tenant' as const), index: fc.nat() }), weight: 1 },
);

const flowArb: fc.Arbitrary<FlowSpec> = fc.record({
  workload: fc.nat(),
  method: fc.constantFrom('allowTo' as const, 'allowFrom' as const),
  peer: peerArb,
  ports: fc.array(portArb, { minLength: 1, maxLength: 3 }),
});

const programArb: fc.Arbitrary<Program> = fc.record({
  namespaces: fc.array(namespaceArb, { minLength: 1, maxLength: 4 }),
  tenants: fc.array(fc.record({ allowIntraTenant: fc.boolean() }), { maxLength: 2 }),
  flows: fc.array(flowArb, { maxLength: 10 }),
});

// ---------------------------------------------------------------------------------------------------
// Building a program

interface Built {
  readonly platform: ZeroTrustPlatform;
  readonly managed: readonly string[];
  /** Per flow: the namespace and policy name that must exist for the declaring workload. */
  readonly expectedPolicies: readonly { namespace: string; name: string }[];
}

function build(program: Program, app = Testing.app()): Built {
  const platform = new ZeroTrustPlatform(app, 'platform', { backends: [Backend.KUBERNETES] });
  const externals = EXTERNAL.map((name) => new ExternalNamespace(platform, name));
  const namespaces = program.namespaces.map(
    (spec, i) =>
      new ZeroTrustNamespace(platform, `ns-${i}`, {
        name: `ns-${i}`,
        allowDns: spec.allowDns,
        allowSameNamespace: spec.allowSameNamespace,
        createNamespace: spec.createNamespace,
      }),
  );
  const workloads: Workload[] = [];
  program.namespaces.forEach((spec, i) => {
    spec.workloads.forEach((w, j) => {
      // A label unique to each workload keeps selectors of one namespace disjoint (overlaps are an error).
      const labels = { ...w.labels, 'test.zt/workload': `w${j}` };
      const options = w.expression ? { selector: { matchLabels: labels, matchExpressions: [w.expression] } } : { labels };
      workloads.push(namespaces[i].workload(`w${j}`, options));
    });
  });
  const tenants: TenantBoundary[] = [];
  program.tenants.forEach((t, k) => {
    const owned = namespaces.filter((_, i) => {
      const tenant = program.namespaces[i].tenant;
      return tenant !== undefined && tenant % program.tenants.length === k;
    });
    if (owned.length > 0) tenants.push(new TenantBoundary(platform, `t-${k}`, { namespaces: owned, allowIntraTenant: t.allowIntraTenant }));
  });

  const expectedPolicies: { namespace: string; name: string }[] = [];
  for (const flow of program.flows) {
    const declaring = workloads[flow.workload % workloads.length];
    const peer = toPeer(flow.peer, { workloads, namespaces, externals, tenants });
    if (!peer) continue;
    // Named ports cannot be resolved for a CIDR destination (an error): use numbers there.
    const toCidr = flow.method === 'allowTo' && flow.peer.kind === 'cidr';
    const usable = toCidr ? flow.ports.filter((p) => p.spec.kind !== 'named') : flow.ports;
    const ports = usable.length > 0 ? usable : [Port.tcp(443)];
    const declared = flow.method === 'allowTo' ? declaring.allowTo(peer, ...ports) : declaring.allowFrom(peer, ...ports);
    // Tenancy is tested elsewhere; here every flow may cross tenants.
    declared.acrossTenants();
    expectedPolicies.push({ namespace: declaring.namespace.name, name: `${declaring.name}-${flow.method === 'allowTo' ? 'egress' : 'ingress'}` });
  }
  return { platform, managed: namespaces.map((n) => n.name), expectedPolicies };
}

function toPeer(
  choice: PeerChoice,
  scope: { workloads: Workload[]; namespaces: ZeroTrustNamespace[]; externals: ExternalNamespace[]; tenants: TenantBoundary[] },
): IPeer | undefined {
  switch (choice.kind) {
    case 'workload':
      return scope.workloads[choice.index % scope.workloads.length];
    case 'namespace':
      return scope.namespaces[choice.index % scope.namespaces.length];
    case 'external':
      return scope.externals[choice.index % scope.externals.length];
    case 'externalPods':
      return scope.externals[choice.index % scope.externals.length].pods({ labels: choice.labels });
    case 'cidr':
      return Peer.cidr(choice.cidr, { except: choice.except });
    case 'tenant':
      return scope.tenants.length === 0 ? undefined : scope.tenants[choice.index % scope.tenants.length];
  }
}

function manifestsOf(built: Built): Manifest[] {
  const issues = built.platform.validateIntent();
  if (issues.length > 0) throw new Error(`the generator produced an invalid program:\n${issues.map(formatIssue).join('\n')}`);
  return built.platform.manifests();
}

// ---------------------------------------------------------------------------------------------------
// Invariants

function peersOf(policy: K8sNetworkPolicy): K8sNetworkPolicyPeer[] {
  return [...(policy.spec.ingress ?? []).flatMap((r) => r.from), ...(policy.spec.egress ?? []).flatMap((r) => r.to)];
}

function checkInvariants(built: Built, manifests: readonly Manifest[]): void {
  const known = new Set([...built.managed, ...EXTERNAL, DNS_NAMESPACE]);
  const policies = manifests.filter((m): m is K8sNetworkPolicy => m.kind === 'NetworkPolicy');
  expect(manifests.every((m) => m.kind === 'NetworkPolicy' || m.kind === 'Namespace')).toBe(true);

  const names = new Set<string>();
  for (const policy of policies) {
    const where = `${policy.metadata.namespace}/${policy.metadata.name}`;
    const fail = (what: string): never => {
      throw new Error(`${where}: ${what}\n${JSON.stringify(policy.spec)}`);
    };

    // Names unique per namespace, policies only in managed namespaces.
    if (names.has(where)) fail('duplicate name in its namespace');
    names.add(where);
    if (!built.managed.includes(policy.metadata.namespace)) fail('emitted into a namespace the platform does not manage');

    // policyTypes always explicit, and rules only for listed directions.
    const types = policy.spec.policyTypes;
    if (!Array.isArray(types) || types.length === 0 || types.some((t) => t !== 'Ingress' && t !== 'Egress') || new Set(types).size !== types.length) {
      fail(`policyTypes not explicit: ${JSON.stringify(types)}`);
    }
    if (policy.spec.ingress !== undefined && !types.includes('Ingress')) fail('ingress rules without Ingress in policyTypes');
    if (policy.spec.egress !== undefined && !types.includes('Egress')) fail('egress rules without Egress in policyTypes');

    // A rule with an empty or absent peer list, or an empty ports list, would allow every peer / port.
    const rules = [
      ...(policy.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })),
      ...(policy.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports })),
    ];
    for (const rule of rules) {
      if (!Array.isArray(rule.peers) || rule.peers.length === 0) fail('a rule with no peers (allows every peer)');
      if (rule.ports !== undefined && rule.ports.length === 0) fail('a rule with ports: [] (allows every port)');
      for (const port of rule.ports ?? []) {
        if (!['TCP', 'UDP', 'SCTP'].includes(port.protocol)) fail(`protocol ${port.protocol}`);
        if (port.port === 0) fail('port: 0');
        if (typeof port.port === 'number' && !(Number.isInteger(port.port) && port.port >= 1 && port.port <= 65535)) fail(`port ${port.port}`);
        if (port.endPort !== undefined && !(typeof port.port === 'number' && port.endPort > port.port && port.endPort <= 65535)) fail(`endPort ${port.endPort} with port ${port.port}`);
        if (typeof port.port === 'string' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(port.port)) fail(`named port ${port.port}`);
      }
    }

    for (const peer of peersOf(policy)) {
      const keys = Object.keys(peer);
      if (keys.length === 0) fail('an empty peer {}');
      if (peer.ipBlock !== undefined) {
        if (keys.length !== 1) fail('ipBlock combined with a selector');
        continue;
      }
      if (peer.podSelector !== undefined && peer.namespaceSelector === undefined) {
        // `podSelector` alone means "pods of the policy's own namespace": only asked for by allow-same-namespace.
        if (policy.metadata.name !== 'allow-same-namespace' || JSON.stringify(peer) !== '{"podSelector":{}}') fail(`a podSelector peer without namespaceSelector: ${JSON.stringify(peer)}`);
        continue;
      }
      // Every namespace is selected by its immutable name label, and nothing else.
      const selector = peer.namespaceSelector;
      const labels = selector?.matchLabels ?? {};
      if (selector?.matchExpressions !== undefined || Object.keys(labels).length !== 1 || labels[NAMESPACE_NAME_LABEL] === undefined) {
        fail(`a namespaceSelector not by ${NAMESPACE_NAME_LABEL} only: ${JSON.stringify(selector)}`);
      }
      if (!known.has(labels[NAMESPACE_NAME_LABEL])) fail(`selects undeclared namespace ${labels[NAMESPACE_NAME_LABEL]}`);
      // A pod peer is one element with both selectors, never an empty pod selector.
      if (peer.podSelector !== undefined && Object.keys(peer.podSelector).length === 0) fail('podSelector: {} inside a namespace peer (every pod, but written as a pod peer)');
    }
  }

  // Every declared flow produced the declaring workload's policy.
  for (const expected of built.expectedPolicies) {
    if (!names.has(`${expected.namespace}/${expected.name}`)) throw new Error(`missing policy ${expected.namespace}/${expected.name}`);
  }
  // Every managed namespace is isolated both ways.
  for (const namespace of built.managed) {
    const deny = policies.find((p) => p.metadata.namespace === namespace && p.metadata.name === 'default-deny-all');
    expect(deny?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  }
}

// ---------------------------------------------------------------------------------------------------

describe('Kubernetes backend invariants on random platforms', () => {
  test('every emitted NetworkPolicy respects the invariants', () => {
    fc.assert(
      fc.property(programArb, (program) => {
        const built = build(program);
        checkInvariants(built, manifestsOf(built));
      }),
      { numRuns: 300 },
    );
  });

  test('output is identical across two renders of the same program (determinism)', () => {
    fc.assert(
      fc.property(programArb, (program) => {
        const first = build(program);
        const second = build(program);
        const json = JSON.stringify(manifestsOf(first));
        expect(JSON.stringify(manifestsOf(second))).toBe(json);
        // And the same platform renders the same objects again.
        expect(JSON.stringify(first.platform.manifests())).toBe(json);
      }),
      { numRuns: 150 },
    );
  });

  test('written files are identical across two builds of the same program', () => {
    fc.assert(
      fc.property(programArb, (program) => {
        const files = () => {
          const app = new ZeroTrustApp({ outdir: 'unused-never-written' });
          build(program, app);
          return app.synthFiles();
        };
        expect(files()).toEqual(files());
      }),
      { numRuns: 50 },
    );
  });

  test('the checker rejects the shapes it guards against (so a passing run means something)', () => {
    const built = build({ namespaces: [{ allowDns: true, allowSameNamespace: false, createNamespace: true, workloads: [{ labels: { app: 'a' } }] }], tenants: [], flows: [] });
    const good = manifestsOf(built);
    const withSpec = (spec: object): Manifest[] => [
      ...good,
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'bad', namespace: 'ns-0' }, spec } as Manifest,
    ];
    const bad: object[] = [
      { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{}] }] },
      { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
      { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }] }] },
      { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'zero-trust.cdk8s.io/tenant': 'x' } } }] }] },
      { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ protocol: 'TCP', port: 0 }] }] },
      { podSelector: {}, policyTypes: [], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] },
      { podSelector: {}, policyTypes: ['Ingress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] },
      { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [] }] },
      { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [] }] },
    ];
    expect(() => checkInvariants(built, good)).not.toThrow();
    for (const spec of bad) expect(() => checkInvariants(built, withSpec(spec))).toThrow();
    const duplicate = [...good, good.find((m) => m.kind === 'NetworkPolicy')!];
    expect(() => checkInvariants(built, duplicate)).toThrow(/duplicate name/);
  });
});
