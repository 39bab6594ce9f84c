/** `probe()` under `--mesh istio`: the mesh verdict layered on the CNI's, with reasons that say which layer denied. */
import { CUSTOM_ON_WEB, MESH_CLUSTER, MESH_PROBES } from './istio-fixture';
import { evaluateProbes, parseProbesText, ProbeReport, ProbeResult } from '../../../src/analysis/probe';

function run(objects: readonly Record<string, unknown>[], mesh: 'istio' | 'none' | 'auto' = 'istio', cni: 'kubernetes' | 'cilium' | 'calico' = 'kubernetes'): ProbeReport {
  return evaluateProbes(objects, parseProbesText(MESH_PROBES, 'probes.yaml'), { cni, mesh });
}

function byId(report: ProbeReport, id: string): ProbeResult {
  return report.probes.find((result) => result.id === id)!;
}

describe('probes under --mesh istio', () => {
  test.each(['kubernetes', 'cilium', 'calico'] as const)('every expectation holds over --cni %s', (cni) => {
    const report = run(MESH_CLUSTER, 'istio', cni);
    expect(report).toMatchObject({ cni, mesh: 'istio', summary: { probes: 6, failed: 0 } });
  });

  // Regression: under --cni calico the probe's clientMtls and HTTP request never reached the mesh layer (the
  // Calico leg passed no request), so a plaintext client was judged as if it spoke auto mTLS, and allowed.
  test('under --cni calico the mesh still reads clientMtls and the HTTP request; only the cni reasons say Calico does not check http', () => {
    const report = run(MESH_CLUSTER, 'istio', 'calico');
    expect(byId(report, 'api-without-mtls').verdict).toBe('deny');
    expect(byId(report, 'api-without-mtls').reasons.find((reason) => reason.layer === 'mesh' && reason.direction === 'ingress')?.detail).toContain('sends plaintext (clientMtls: false)');
    const post = byId(report, 'api-post');
    expect(post.verdict).toBe('deny');
    expect(post.reasons.filter((reason) => reason.layer === 'mesh').every((reason) => reason.l7 === undefined)).toBe(true);
    expect(report.notes).toContainEqual(expect.stringContaining('http and dns are not checked (the mesh layer, --mesh istio, does check http)'));
  });

  test('a plaintext client under STRICT: the mesh layer denies, naming the PeerAuthentication', () => {
    const result = byId(run(MESH_CLUSTER), 'plaintext-client');
    expect(result.verdict).toBe('deny');
    expect(result.reasons).toContainEqual(expect.objectContaining({
      layer: 'mesh', direction: 'ingress', policy: 'PeerAuthentication istio-system/default', rule: 'mtls', effect: 'deny',
    }));
    expect(result.reasons.filter((reason) => reason.layer === 'cni').every((reason) => reason.effect === 'default')).toBe(true);
  });

  test('clientMtls: false from a sidecar client is refused by STRICT', () => {
    const result = byId(run(MESH_CLUSTER), 'api-without-mtls');
    expect(result.reasons.find((reason) => reason.layer === 'mesh' && reason.direction === 'ingress')?.detail).toContain('sends plaintext (clientMtls: false)');
  });

  test('an HTTP request no ALLOW rule matches: isolated by the ALLOW policies that apply', () => {
    const result = byId(run(MESH_CLUSTER), 'api-post');
    const mesh = result.reasons.filter((reason) => reason.layer === 'mesh' && reason.direction === 'ingress');
    expect(mesh.map((reason) => [reason.policy, reason.effect])).toEqual([
      ['AuthorizationPolicy shop/allow-nothing', 'isolated'],
      ['AuthorizationPolicy shop/web', 'isolated'],
    ]);
  });

  test('the allowing rule is named, and the query string is not compared', () => {
    const result = byId(run(MESH_CLUSTER), 'api-get');
    expect(result.reasons).toContainEqual(expect.objectContaining({ layer: 'mesh', policy: 'AuthorizationPolicy shop/web', rule: 'rules[0]', effect: 'allow' }));
  });

  test('the network layer denies on its own: the reasons say the cni layer isolated it', () => {
    const result = byId(run(MESH_CLUSTER), 'legacy-to-api');
    expect(result.reasons).toContainEqual(expect.objectContaining({ layer: 'cni', direction: 'ingress', policy: 'NetworkPolicy shop/api-ingress', effect: 'isolated' }));
  });

  test('--mesh auto picks Istio from the input\'s kinds; --mesh none does not enforce it and notes it', () => {
    expect(run(MESH_CLUSTER, 'auto').mesh).toBe('istio');
    const none = run(MESH_CLUSTER, 'none');
    expect(none.mesh).toBe('none');
    expect(byId(none, 'api-post')).toMatchObject({ verdict: 'allow', ok: false });
    expect(none.notes).toContainEqual('note: not enforced under --mesh none: 2 security.istio.io/v1/AuthorizationPolicy, 1 security.istio.io/v1/PeerAuthentication (Istio objects; enforced with --mesh istio)');
  });

  test('a CUSTOM provider that may decide: deny, undetermined, and an expectation never agrees', () => {
    const report = evaluateProbes([...MESH_CLUSTER, CUSTOM_ON_WEB], parseProbesText(`
- {id: admin, from: shop/api, to: shop/web, port: 8080, http: {method: GET, path: /api/admin/users}, expected: allow}
- {id: admin-post, from: shop/api, to: shop/web, port: 8080, http: {method: POST, path: /api/admin/users}, expected: deny}
- {id: items, from: shop/api, to: shop/web, port: 8080, http: {method: GET, path: /api/items}, expected: allow}
`, 'probes.yaml'), { cni: 'kubernetes', mesh: 'istio' });
    const admin = byId(report, 'admin');
    expect(admin).toMatchObject({ verdict: 'deny', ok: false });
    expect(admin.undetermined).toMatch(/the external authorizer opa \(CUSTOM AuthorizationPolicy shop\/ext-authz\) decides/);
    // POST is denied by the ALLOW policies whatever the provider says: a certain deny.
    expect(byId(report, 'admin-post')).toMatchObject({ verdict: 'deny', ok: true });
    expect(byId(report, 'admin-post').undetermined).toBeUndefined();
    expect(byId(report, 'items')).toMatchObject({ verdict: 'allow', ok: true });
  });
});
