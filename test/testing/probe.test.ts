import '../../src/testing/setup';
import * as path from 'path';
import { App, Chart, Include, Testing } from 'cdk8s';
import { failureOf } from './failure-of';
import { manifests } from './manifests';
import { buildExamplePlatform } from '../../examples/example-platform';
import { Backend, Feature, InvalidProbesError, loadProbesFile, probe as probeFromIndex, ProbeInput, UnsupportedProbeError } from '../../src';
import { probe, toSatisfyProbes } from '../../src/testing';

const EXAMPLE_PROBES = path.join(__dirname, '..', '..', 'examples', 'example-platform', 'probes.yaml');
const EXAMPLE_MESH_PROBES = path.join(__dirname, '..', '..', 'examples', 'example-platform', 'mesh-probes.yaml');
const EXAMPLE_CLUSTER = path.join(__dirname, '..', '..', 'examples', 'example-platform', 'cluster.yaml');

/** The example platform with the facts of its cluster (the API server's address) beside it. */
function exampleWithCluster(): App {
  const app = Testing.app();
  buildExamplePlatform(app);
  new Include(new Chart(app, 'cluster'), 'facts', { url: EXAMPLE_CLUSTER });
  return app;
}

const AGREE: ProbeInput[] = [
  { id: 'web-to-api', from: 'alpha-web/frontend', to: 'alpha-data/backend', port: 8080, expected: 'allow' },
  { id: 'api-to-api', from: 'alpha-data/backend', to: 'alpha-data/backend', port: 8080, expected: 'deny' },
];
const DISAGREE: ProbeInput[] = [...AGREE, { id: 'wrong', from: 'alpha-data/backend', to: 'alpha-web/frontend', port: 80, expected: 'deny' }];

describe('probe()', () => {
  test('returns the records of zt probe --format json, for manifests', () => {
    const report = probe(manifests(), AGREE);
    expect(report).toMatchObject({ cni: 'kubernetes', mesh: 'none', summary: { probes: 2, allow: 1, deny: 1, failed: 0 } });
    expect(report.probes[0]).toMatchObject({ id: 'web-to-api', verdict: 'allow', ok: true });
    expect(probeFromIndex).toBe(probe);
  });

  test('accepts {probes: [...]} and a loaded probes file', () => {
    expect(probe(manifests(), { probes: AGREE }).summary.probes).toBe(2);
    for (const backend of ['kubernetes', 'cilium', 'calico'] as const) {
      const report = probe(exampleWithCluster(), loadProbesFile(EXAMPLE_PROBES), { backend, cni: backend });
      expect(report.cni).toBe(backend);
      expect(report.summary.failed).toBe(0);
      expect(report.summary.allow).toBeGreaterThan(0);
      expect(report.summary.deny).toBeGreaterThan(0);
    }
  });

  test('a platform with the mesh on: the chosen network output with the mesh layer on top; mesh: none leaves it out; backend: istio is the mesh alone', () => {
    const meshProbes = loadProbesFile(EXAMPLE_MESH_PROBES);
    for (const backend of ['kubernetes', 'cilium', 'calico'] as const) {
      const layered = probe(exampleWithCluster(), meshProbes, { backend, cni: backend });
      expect(layered).toMatchObject({ cni: backend, mesh: 'istio', summary: { failed: 0 } });
      const network = probe(exampleWithCluster(), meshProbes, { backend, cni: backend, mesh: 'none' });
      expect(network.mesh).toBe('none');
      expect(network.probes.filter((result) => result.ok === false).map((result) => result.id)).toEqual([
        'plaintext-alpha-frontend-to-backend', 'plaintext-ingress-to-alpha-frontend', 'plaintext-prometheus-scrapes-beta-database',
      ]);
    }
    // The mesh layer alone (no network policy): identities decide; egress and UDP are not the mesh's.
    const alone = probe(exampleWithCluster(), [
      { id: 'declared', from: 'alpha-web/frontend', to: 'alpha-web/backend', port: 8080, expected: 'allow' },
      { id: 'other-tenant', from: 'beta-web/frontend', to: 'alpha-web/backend', port: 8080, expected: 'deny' },
      { id: 'other-port', from: 'alpha-web/frontend', to: 'alpha-web/backend', port: 9091, expected: 'deny' },
      { id: 'plaintext', from: 'alpha-web/frontend', to: 'alpha-web/backend', port: 8080, clientMtls: false, expected: 'deny' },
      { id: 'egress-is-not-the-mesh-s', from: 'beta-web/backend', to: { ip: '203.0.113.10' }, port: 443, expected: 'allow' },
    ], { backend: 'istio' });
    expect(alone).toMatchObject({ cni: 'kubernetes', mesh: 'istio', summary: { failed: 0 } });
    expect(alone.probes[1].reasons).toContainEqual(expect.objectContaining({ layer: 'mesh', direction: 'ingress', policy: 'AuthorizationPolicy alpha-web/backend-ingress', effect: 'isolated' }));
  });

  test('the mesh backend is a layer, not an alternative: a network backend and Istio need no choice', () => {
    const app = Testing.app();
    const kubernetes = Backend.kubernetes({ omit: [Feature.FQDN, Feature.HTTP, Feature.DENY, Feature.CLUSTER_WIDE] });
    const platform = buildExamplePlatform(app, { backends: [kubernetes, Backend.istio()] });
    const report = probe(platform, [{ from: 'alpha-web/frontend', to: 'alpha-web/backend', port: 8080, clientMtls: false }]);
    expect(report).toMatchObject({ cni: 'kubernetes', mesh: 'istio', probes: [{ verdict: 'deny' }] });
  });

  test('a ZeroTrustPlatform needs no pods: its declared workloads are represented', () => {
    const app = Testing.app();
    const platform = buildExamplePlatform(app);
    expect(probe(platform, [{ from: 'alpha-web/frontend', to: 'alpha-web/backend', port: 8080 }], { backend: 'kubernetes' }).probes[0].verdict).toBe('allow');
    // The platform emits three targets: probing it means choosing one (or naming it by cni).
    expect(() => probe(platform, [{ from: 'alpha-web/frontend', to: 'alpha-web/backend', port: 8080 }])).toThrow(UnsupportedProbeError);
    expect(probe(platform, [{ from: 'alpha-web/frontend', to: 'alpha-web/backend', port: 8080 }], { cni: 'calico' })).toMatchObject({
      cni: 'calico', probes: [{ verdict: 'allow', reasons: expect.arrayContaining([expect.objectContaining({ policy: 'NetworkPolicy alpha-web/backend-ingress', effect: 'allow' })]) }],
    });
  });

  test('errors are typed: invalid probes, unsupported dialects', () => {
    expect(() => probe(manifests(), [{ from: 'x', to: 'y', port: 1 }])).toThrow(InvalidProbesError);
    // Cilium and Calico kinds together: --cni auto cannot tell the CNI.
    const both = [
      ...manifests(),
      { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'c', namespace: 'alpha-web' }, spec: { endpointSelector: {} } },
      { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'g' }, spec: { selector: 'all()' } },
    ];
    expect(() => probe(both, AGREE, { cni: 'auto' })).toThrow(UnsupportedProbeError);
  });

  test('cni calico on manifests: NetworkPolicy as Calico enforces it (tier default, order 1000)', () => {
    const report = probe(manifests(), AGREE, { cni: 'calico' });
    expect(report).toMatchObject({ cni: 'calico', summary: { failed: 0 } });
    expect(report.probes[0].reasons).toContainEqual(expect.objectContaining({ direction: 'ingress', effect: 'allow', detail: expect.stringContaining('tier default, order 1000 (a Kubernetes NetworkPolicy)') }));
  });

  test('cni cilium on manifests: NetworkPolicy as Cilium enforces it', () => {
    expect(probe(manifests(), AGREE, { cni: 'cilium' })).toMatchObject({ cni: 'cilium', summary: { failed: 0 } });
  });

  test('backend chooses a platform\'s output, and means nothing without one', () => {
    expect(() => probe(manifests(), AGREE, { backend: 'cilium' })).toThrow(
      "backend: 'cilium' chooses a platform's output, and the subject holds no ZeroTrustPlatform. Remove backend, or probe the platform (or the App holding it).");
  });
});

describe('toSatisfyProbes', () => {
  test('passes when every probe has its expected verdict; on an App too', () => {
    expect(manifests()).toSatisfyProbes(AGREE);
    expect(exampleWithCluster()).toSatisfyProbes(loadProbesFile(EXAMPLE_PROBES), { backend: 'cilium' });
    expect(exampleWithCluster()).toSatisfyProbes(loadProbesFile(EXAMPLE_PROBES), { backend: 'kubernetes' });
    expect(exampleWithCluster()).toSatisfyProbes(loadProbesFile(EXAMPLE_PROBES), { backend: 'calico' });
    expect(exampleWithCluster()).toSatisfyProbes(loadProbesFile(EXAMPLE_PROBES), { cni: 'calico' });
    // The shared probes hold without the mesh layer too; the mesh's own only with it.
    expect(exampleWithCluster()).toSatisfyProbes(loadProbesFile(EXAMPLE_PROBES), { backend: 'cilium', mesh: 'none' });
    expect(exampleWithCluster()).toSatisfyProbes(loadProbesFile(EXAMPLE_MESH_PROBES), { backend: 'calico', cni: 'calico' });
    expect(exampleWithCluster()).not.toSatisfyProbes(loadProbesFile(EXAMPLE_MESH_PROBES), { backend: 'calico', cni: 'calico', mesh: 'none' });
  });

  test('fails with the table of the probes that disagree', () => {
    const message = failureOf(() => expect(manifests()).toSatisfyProbes(DISAGREE));
    expect(message).toContain('1 of 3 probes disagree with their expected verdict:');
    expect(message).toContain('FAIL    wrong  alpha-data/backend  alpha-web/frontend');
    expect(message).not.toContain('web-to-api');
    expect(message).toContain('FAIL wrong: alpha-data/backend -> alpha-web/frontend 80/TCP: expected deny, verdict allow');
  });

  test('.not passes when some probe disagrees, and fails when all agree', () => {
    expect(manifests()).not.toSatisfyProbes(DISAGREE);
    expect(failureOf(() => expect(manifests()).not.toSatisfyProbes(AGREE))).toContain('Expected some probe to disagree with its expected verdict, but all 2 agree.');
  });

  test('every probe needs expected; invalid probes fail even under .not', () => {
    expect(() => expect(manifests()).toSatisfyProbes([{ id: 'bare', from: 'alpha-web/frontend', to: 'alpha-data/backend', port: 8080 }]))
      .toThrow('toSatisfyProbes: every probe needs expected: allow or deny; without it: bare.');
    expect(() => expect(manifests()).not.toSatisfyProbes([{ from: 'alpha-web/frontent', to: 'alpha-data/backend', port: 8080, expected: 'deny' }]))
      .toThrow(/toSatisfyProbes:\n<probes>:0: from: no pod or workload alpha-web\/frontent in the input\. did you mean alpha-web\/frontend\?/);
  });

  test('is exported for expect.extend', () => {
    expect(typeof toSatisfyProbes).toBe('function');
  });
});
