import { namespace, pod } from './fixtures';
import { evaluateProbes, UnsupportedProbeError } from '../../../src/analysis';
import { normalizeInput } from '../../../src/analysis/manifests/documents';
import { familyKinds, selectDialects } from '../../../src/analysis/probe/dialect-selection';

const cnp = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'p', namespace: 'a' }, spec: { endpointSelector: {}, ingress: [{ fromEntities: ['all'] }] } };
const gnp = { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'p' }, spec: {} };
const authz = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'p', namespace: 'a' }, spec: {} };

function select(objects: unknown[], cni?: 'auto' | 'kubernetes' | 'cilium' | 'calico', mesh?: 'auto' | 'none' | 'istio'): ReturnType<typeof selectDialects> {
  return selectDialects(familyKinds(normalizeInput(objects)), cni, mesh);
}

describe('dialect selection', () => {
  test('auto with Kubernetes kinds only: Kubernetes NetworkPolicy, no mesh', () => {
    const selection = select([namespace('a'), pod('a/web')]);
    expect(selection).toMatchObject({ cni: 'kubernetes', mesh: 'none', notes: [] });
    expect(selection.dialects.map((dialect) => dialect.name)).toEqual(['Kubernetes NetworkPolicy']);
  });

  test.each([
    ['--cni cilium', [namespace('a')], 'cilium'],
    ['--cni cilium, with Cilium kinds', [cnp], 'cilium'],
    ['auto with Cilium kinds', [cnp], 'auto'],
  ] as const)('%s: Cilium, NetworkPolicy as Cilium enforces it beside Cilium\'s own kinds', (_name, objects, cni) => {
    const selection = select([...objects], cni, 'auto');
    expect(selection).toMatchObject({ cni: 'cilium', mesh: 'none', notes: [] });
    expect(selection.dialects.map((dialect) => dialect.name)).toEqual(['Kubernetes NetworkPolicy (enforced by Cilium)', 'Cilium network policy']);
  });

  test.each([
    ['--cni calico', [namespace('a')], 'calico'],
    ['--cni calico, with Calico kinds', [gnp], 'calico'],
    ['auto with Calico kinds', [gnp], 'auto'],
  ] as const)('%s: Calico, NetworkPolicy and Calico\'s kinds in one tiered walk', (_name, objects, cni) => {
    const selection = select([...objects], cni, 'auto');
    expect(selection).toMatchObject({ cni: 'calico', mesh: 'none', notes: [] });
    expect(selection.dialects.map((dialect) => dialect.name)).toEqual(['Calico network policy']);
  });

  test.each([
    ['auto with both CNIs\' kinds', [cnp, gnp], 'auto', 'auto', /^the input holds both Cilium objects \(1 cilium\.io\/v2\/CiliumNetworkPolicy\) and Calico objects \(1 projectcalico\.org\/v3\/GlobalNetworkPolicy\), so --cni auto cannot tell the CNI\. Give --cni cilium, --cni calico or --cni kubernetes\.$/],
  ] as const)('%s: refused: the input cannot tell the CNI', (_name, objects, cni, mesh, message) => {
    expect(() => select([...objects], cni, mesh)).toThrow(UnsupportedProbeError);
    expect(() => select([...objects], cni, mesh)).toThrow(message);
  });

  test.each([
    ['--mesh istio', [], 'kubernetes', 'istio', 'kubernetes'],
    ['--mesh istio under --cni cilium', [], 'cilium', 'istio', 'cilium'],
    ['--mesh auto with Istio kinds', [authz], 'cilium', 'auto', 'cilium'],
  ] as const)('%s: Istio in the mesh layer, on top of the CNI', (_name, objects, cni, mesh, network) => {
    const selection = select([...objects], cni, mesh);
    expect(selection).toMatchObject({ cni: network, mesh: 'istio', notes: [] });
    expect(selection.dialects.map((dialect) => [dialect.name, dialect.layer])).toContainEqual(['Istio', 'mesh']);
    expect(selection.dialects.filter((dialect) => dialect.layer === 'network').length).toBeGreaterThan(0);
  });

  test('--mesh auto without Istio kinds and --mesh none: no mesh', () => {
    expect(select([], 'kubernetes', 'auto').mesh).toBe('none');
    expect(select([authz], 'kubernetes', 'none').mesh).toBe('none');
  });

  test('--cni kubernetes and --mesh none: other dialects\' objects are listed as not enforced, never dropped silently', () => {
    const selection = select([cnp, cnp, gnp, authz], 'kubernetes', 'none');
    expect(selection.notes).toEqual([
      'note: not enforced under --cni kubernetes: 2 cilium.io/v2/CiliumNetworkPolicy (Cilium objects; enforced with --cni cilium)',
      'note: not enforced under --cni kubernetes: 1 projectcalico.org/v3/GlobalNetworkPolicy (Calico objects; enforced with --cni calico)',
      'note: not enforced under --mesh none: 1 security.istio.io/v1/AuthorizationPolicy (Istio objects; enforced with --mesh istio)',
    ]);
    const report = evaluateProbes([namespace('a'), pod('a/web'), cnp, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a' } }],
      [{ from: 'a/web', to: 'a/web', port: 80 }], { cni: 'kubernetes' });
    expect(report.notes).toEqual([
      'note: not enforced under --cni kubernetes: 1 cilium.io/v2/CiliumNetworkPolicy (Cilium objects; enforced with --cni cilium)',
      'note: ignored 1 object of kind v1/ConfigMap (not evaluated by the analyzer)',
    ]);
  });

  test('--cni cilium with Calico kinds: they are listed as not enforced; Cilium\'s are enforced', () => {
    const selection = select([cnp, gnp], 'cilium', 'none');
    expect(selection.cni).toBe('cilium');
    expect(selection.notes).toEqual(['note: not enforced under --cni cilium: 1 projectcalico.org/v3/GlobalNetworkPolicy (Calico objects; enforced with --cni calico)']);
  });

  test('--cni calico with Cilium kinds: they are listed as not enforced; Calico\'s are enforced', () => {
    const selection = select([cnp, gnp], 'calico', 'none');
    expect(selection.cni).toBe('calico');
    expect(selection.notes).toEqual(['note: not enforced under --cni calico: 1 cilium.io/v2/CiliumNetworkPolicy (Cilium objects; enforced with --cni cilium)']);
  });
});

describe('--cni auto picks the CNI from the input', () => {
  const objects = [namespace('a'), pod('a/web'), pod('a/api')];
  const probes = [{ from: 'a/web', to: 'a/api', port: 80 }];

  test('Cilium kinds: the report is cilium, and the Cilium policy decides', () => {
    const denyWeb = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'deny', namespace: 'a' }, spec: { endpointSelector: {}, ingressDeny: [{ fromEndpoints: [{}] }], ingress: [{ fromEntities: ['all'] }] } };
    const report = evaluateProbes([...objects, denyWeb], probes);
    expect(report.cni).toBe('cilium');
    expect(report.probes[0]).toMatchObject({ verdict: 'deny', reasons: expect.arrayContaining([expect.objectContaining({ policy: 'CiliumNetworkPolicy a/deny', rule: 'ingressDeny[0]', effect: 'deny' })]) });
    expect(evaluateProbes([...objects, denyWeb], probes, { cni: 'cilium' })).toEqual(report);
  });

  test('a CiliumCIDRGroup alone is a Cilium kind too', () => {
    const group = { apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumCIDRGroup', metadata: { name: 'corp' }, spec: { externalCIDRs: ['198.51.100.0/24'] } };
    expect(evaluateProbes([...objects, group], probes).cni).toBe('cilium');
  });

  test('Calico kinds: the report is calico, and the Calico policy decides', () => {
    const denyWeb = { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'deny' }, spec: { selector: "app == 'api'", ingress: [{ action: 'Deny' }] } };
    const labelled = pod('a/api', { app: 'api' });
    const report = evaluateProbes([namespace('a'), pod('a/web'), labelled, denyWeb], probes);
    expect(report.cni).toBe('calico');
    expect(report.probes[0]).toMatchObject({ verdict: 'deny', reasons: expect.arrayContaining([expect.objectContaining({ policy: 'GlobalNetworkPolicy deny', rule: 'ingress[0]', effect: 'deny' })]) });
    expect(evaluateProbes([namespace('a'), pod('a/web'), labelled, denyWeb], probes, { cni: 'calico' })).toEqual(report);
  });

  test('no Cilium or Calico kinds: kubernetes', () => {
    expect(evaluateProbes(objects, probes).cni).toBe('kubernetes');
  });
});
