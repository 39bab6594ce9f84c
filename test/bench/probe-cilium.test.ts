import { runCiliumHttpProbes, syntheticHttpCluster, syntheticHttpProbes } from '../../bench/probe-cilium';
import { evaluateProbes } from '../../src';

describe('the Cilium probe benchmark input', () => {
  test('is deterministic and valid, and its probes get both verdicts for the reasons intended', () => {
    expect(syntheticHttpProbes(5, 50)).toEqual(syntheticHttpProbes(5, 50));
    const report = evaluateProbes(syntheticHttpCluster(3), [
      { from: 'ns-0000/web-0', to: 'ns-0000/api-1', port: 8080, http: { method: 'GET', path: '/api/v1/items/42' } },
      { from: 'ns-0000/web-0', to: 'ns-0000/api-1', port: 8080, http: { method: 'POST', path: '/api/v1/orders' } },
      { from: 'ns-0000/web-0', to: 'ns-0002/api-1', port: 8080, http: { method: 'GET', path: '/healthz' } },
      { from: 'ns-0001/web-0', to: 'ns-0002/api-1', port: 8080, http: { method: 'GET', path: '/healthz' } },
    ], { cni: 'cilium' });
    // Another namespace's web pods are admitted only from namespaces labelled tier=frontend (ns-0000, ns-0002).
    expect(report.probes.map((result) => result.verdict)).toEqual(['allow', 'deny', 'allow', 'deny']);
  });

  test('runs at a small size', async () => {
    const run = await runCiliumHttpProbes(10, 200);
    expect(run).toMatchObject({ endpoints: 111, policies: 20, probes: 200 });
    expect(run.allow).toBeGreaterThan(0);
    expect(run.deny).toBeGreaterThan(0);
  });
});
