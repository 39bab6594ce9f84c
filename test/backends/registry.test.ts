/**
 * The backend registry and the rendering step: backends are chosen explicitly, identified by a
 * unique DNS-1123 id, and their objects are placed by namespace; anything that would make the output
 * ambiguous when applied (two objects of one identity, an object without a name) fails synthesis.
 */
import { Testing } from 'cdk8s';
import { Backend, Manifest, PolicyPlan, PolicyRenderer, Port, ZeroTrustNamespace, ZeroTrustPlatform } from '../../src';

function platformWith(backends: unknown[]): ZeroTrustPlatform {
  const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backends: backends as Backend[] });
  const web = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
  web.workload('api', { labels: { app: 'api' } }).allowTo(web.workload('db', { labels: { app: 'db' } }), Port.tcp(5432));
  return platform;
}

function custom(id: string, render: (plan: PolicyPlan) => Manifest[]): Backend {
  const renderer: PolicyRenderer = { id, render: (plan) => ({ manifests: render(plan), issues: [] }) };
  return Backend.custom(renderer);
}

const issuesOf = (platform: ZeroTrustPlatform) => platform.validateIntent().map((i) => `${i.field}: ${i.message}. Fix: ${i.fix}`);

describe('Backend', () => {
  test('kubernetes() and KUBERNETES are the same dialect; custom() takes the renderer\'s id', () => {
    expect(Backend.kubernetes().id).toBe('kubernetes');
    expect(Backend.KUBERNETES.id).toBe('kubernetes');
    expect(custom('summary', () => []).id).toBe('summary');
    expect(platformWith([Backend.kubernetes()]).manifests()).toEqual(platformWith([Backend.KUBERNETES]).manifests());
  });

  test('a backend chosen twice, an id that cannot name a folder, and a value that is not a Backend are refused', () => {
    const platform = platformWith([Backend.kubernetes(), Backend.KUBERNETES, custom('My Summary', () => []), { id: 'x' }]);
    expect(issuesOf(platform)).toEqual([
      "backends[1]: backend 'kubernetes' is already chosen as backends[0]. Fix: list each backend once",
      'backends[2].id: backend id \'My Summary\' is not a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit). Fix: give the renderer an id that is a lowercase DNS-1123 label, e.g. "summary"',
      'backends[3]: [object Object] is not a Backend. Fix: use Backend.kubernetes(), or Backend.custom(renderer) for a renderer of your own',
    ]);
  });
});

describe('rendering', () => {
  test('cluster-scoped objects and objects of unmanaged namespaces go with the platform\'s cluster-scoped objects', () => {
    const extra = custom('mesh', () => [
      { apiVersion: 'example.dev/v1', kind: 'MeshPolicy', metadata: { name: 'root', namespace: 'istio-system' } },
      { apiVersion: 'example.dev/v1', kind: 'ClusterMeshPolicy', metadata: { name: 'all' } },
    ]);
    const app = Testing.app();
    const platform = new ZeroTrustPlatform(app, 'platform', { backends: [Backend.kubernetes(), extra] });
    new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    const output = platform.renderOutput();
    expect(output.backends[1].cluster.map((m) => m.metadata.name)).toEqual(['root', 'all']);
    expect([...output.backends[1].byNamespace.entries()]).toEqual([['web', []]]);
    expect(Testing.synth(platform).map((m: Manifest) => `${m.kind}/${m.metadata.name}`)).toEqual(['Namespace/web', 'MeshPolicy/root', 'ClusterMeshPolicy/all']);
  });

  test('two backends emitting one object (same group, kind, namespace and name) is an issue, not a silent overwrite', () => {
    const clash = custom('copycat', () => [
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny-all', namespace: 'web' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } },
    ]);
    expect(issuesOf(platformWith([Backend.kubernetes(), clash]))).toEqual([
      "backends[1]: backend 'copycat' emitted NetworkPolicy web/default-deny-all, which backend 'kubernetes' emits too; applying both, one would overwrite the other. Fix: remove one of the two backends, or give their objects distinct names",
      "backends[1]: backend 'copycat' emitted Namespace web, which the platform emits too; applying both, one would overwrite the other. Fix: remove one of the two backends, or give their objects distinct names",
    ]);
  });

  test('one backend emitting an object twice, or an object without a name, is a renderer bug reported as such', () => {
    const sloppy = custom('sloppy', () => [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'web' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'web' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '' } } as Manifest,
      { kind: 'ConfigMap', metadata: { name: 'y' } } as Manifest,
    ]);
    expect(issuesOf(platformWith([sloppy]))).toEqual([
      "backends[0]: backend 'sloppy' emitted ConfigMap web/x, which backend 'sloppy' emits too; applying both, one would overwrite the other. Fix: fix the renderer: each object once",
      "backends[0]: backend 'sloppy' emitted an object that (ConfigMap) has no metadata.name. Fix: fix the renderer: every object needs apiVersion, kind and metadata.name",
      "backends[0]: backend 'sloppy' emitted an object that has no apiVersion. Fix: fix the renderer: every object needs apiVersion, kind and metadata.name",
    ]);
  });
});
