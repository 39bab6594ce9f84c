import { namespace, pod } from './fixtures';
import { evaluateProbes, UnsupportedProbeError } from '../../../src/analysis';
import { normalizeInput } from '../../../src/analysis/manifests/documents';
import { familyKinds, selectDialects } from '../../../src/analysis/probe/dialect-selection';

const cnp = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'p', namespace: 'a' }, spec: {} };
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
    ['--cni cilium', [], 'cilium', 'auto', /^--cni cilium asks for Cilium's policies, but --cni cilium is not implemented yet: the Cilium dialect comes with issue 9\. Rerun with --cni kubernetes/],
    ['--cni calico', [], 'calico', 'auto', /^--cni calico asks for Calico's policies, but --cni calico is not implemented yet: the Calico dialect comes with issue 9/],
    ['--mesh istio', [], 'kubernetes', 'istio', /^--mesh istio asks for Istio's policies, but --mesh istio is not implemented yet: the Istio dialect comes with issue 9\. Rerun with --mesh none/],
    ['auto with Cilium kinds', [cnp], 'auto', 'auto', /^the input holds Cilium objects \(1 cilium\.io\/v2\/CiliumNetworkPolicy\), so --cni auto enforces them, but --cni cilium is not implemented yet/],
    ['auto with Calico kinds', [gnp], 'auto', 'auto', /^the input holds Calico objects \(1 projectcalico\.org\/v3\/GlobalNetworkPolicy\), so --cni auto enforces them/],
    ['auto with both CNIs\' kinds', [cnp, gnp], 'auto', 'auto', /^the input holds both Cilium objects .* and Calico objects .*, so --cni auto cannot tell the CNI\. Give --cni cilium, --cni calico or --cni kubernetes\.$/],
    ['mesh auto with Istio kinds', [authz], 'kubernetes', 'auto', /^the input holds Istio objects \(1 security\.istio\.io\/v1\/AuthorizationPolicy\), so --mesh auto enforces them/],
  ] as const)('%s: refused with the issue that brings it', (_name, objects, cni, mesh, message) => {
    expect(() => select([...objects], cni, mesh)).toThrow(UnsupportedProbeError);
    expect(() => select([...objects], cni, mesh)).toThrow(message);
  });

  test('--cni kubernetes and --mesh none: other dialects\' objects are listed as not enforced, never dropped silently', () => {
    const selection = select([cnp, cnp, gnp, authz], 'kubernetes', 'none');
    expect(selection.notes).toEqual([
      'note: not enforced under --cni kubernetes: 2 cilium.io/v2/CiliumNetworkPolicy (Cilium objects; --cni cilium comes with issue 9)',
      'note: not enforced under --cni kubernetes: 1 projectcalico.org/v3/GlobalNetworkPolicy (Calico objects; --cni calico comes with issue 9)',
      'note: not enforced under --mesh none: 1 security.istio.io/v1/AuthorizationPolicy (Istio objects; --mesh istio comes with issue 9)',
    ]);
    const report = evaluateProbes([namespace('a'), pod('a/web'), cnp, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a' } }],
      [{ from: 'a/web', to: 'a/web', port: 80 }], { cni: 'kubernetes' });
    expect(report.notes).toEqual([
      'note: not enforced under --cni kubernetes: 1 cilium.io/v2/CiliumNetworkPolicy (Cilium objects; --cni cilium comes with issue 9)',
      'note: ignored 1 object of kind v1/ConfigMap (not evaluated by the analyzer)',
    ]);
  });
});
