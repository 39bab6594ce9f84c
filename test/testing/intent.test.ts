/**
 * `connectivity()` and `toAllowConnection` on the declared intent alone: a ZeroTrustPlatform, a
 * ZeroTrustApp or a plain App with platforms and no pods of its own get representative pods of the
 * declared workloads and peers. Real workload objects of the app win over them.
 */
import '../../src/testing/setup';
import { App, ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { buildExamplePlatform } from '../../examples/example-platform';
import { Backend, ExternalNamespace, Peer, Port, SelectorOperator, ZeroTrustApp, ZeroTrustNamespace, ZeroTrustPlatform, ZeroTrustValidationError } from '../../src';
import { connectivity } from '../../src/testing';
import { toAnalysisInput } from '../../src/testing/subject';

function allowedOf(subject: App | Chart): string[] {
  const report = connectivity(subject).report;
  return report.connections.filter((c) => c.allowed).map((c) => `${c.from} -> ${c.to} ${c.port}/${c.protocol}`).sort();
}

function newPlatform(app: App = Testing.app()): { app: App; platform: ZeroTrustPlatform } {
  return { app, platform: new ZeroTrustPlatform(app, 'platform', { backends: [Backend.KUBERNETES] }) };
}

describe('the example platform, without any pod manifest', () => {
  test('a ZeroTrustPlatform shows every declared workload and peer, under readable names', () => {
    const platform = buildExamplePlatform(Testing.app());
    expect(connectivity(platform).report.pods).toEqual([
      'alpha-data/database',
      'alpha-web/backend',
      'alpha-web/frontend',
      'beta-data/database',
      'beta-web/backend',
      'beta-web/frontend',
      'ingress-nginx/ingress-nginx',
      // The mesh is on: every meshed pod reaches istiod (15012), which the inventory represents.
      'istio-system/istiod',
      'kube-system/kube-dns',
      'monitoring/prometheus',
      'external:203.0.113.0-24',
    ]);
  });

  test('allows exactly the declared flows among the declared workloads', () => {
    const allowed = allowedOf(buildExamplePlatform(Testing.app()));
    const managed = allowed.filter((line) => !/^(ingress-nginx|kube-system|istio-system|external)/.test(line));
    const expected: string[] = [];
    for (const tenant of ['alpha', 'beta']) {
      expected.push(`${tenant}-web/frontend -> ${tenant}-web/backend 8080/TCP`, `${tenant}-web/backend -> ${tenant}-data/database 5432/TCP`);
      for (const pod of [`${tenant}-web/frontend`, `${tenant}-web/backend`, `${tenant}-data/database`]) expected.push(`monitoring/prometheus -> ${pod} 9090/TCP`);
    }
    for (const pod of ['alpha-web/frontend', 'alpha-web/backend', 'alpha-data/database', 'beta-web/frontend', 'beta-web/backend', 'beta-data/database', 'monitoring/prometheus']) {
      expected.push(`${pod} -> kube-system/kube-dns 53/TCP`, `${pod} -> kube-system/kube-dns 53/UDP`);
      // What the mesh needs (MeshStrictMtls): every meshed pod reaches istiod on 15012, Prometheus scrapes the sidecars.
      expected.push(`${pod} -> istio-system/istiod 15012/TCP`, `monitoring/prometheus -> ${pod} 15020/TCP`, `monitoring/prometheus -> ${pod} 15090/TCP`);
    }
    expected.push('alpha-web/backend -> external:203.0.113.0-24 443/TCP');
    expect(managed).toEqual(expected.sort());
    expect(allowed).toEqual(expect.arrayContaining([
      'ingress-nginx/ingress-nginx -> alpha-web/frontend 443/TCP',
      'ingress-nginx/ingress-nginx -> beta-web/frontend 443/TCP',
    ]));
    // Port 80 carries HTTP rules, which NetworkPolicy (analyzed by default) cannot say: the Kubernetes target leaves it out.
    expect(allowed.filter((line) => line.includes('/frontend 80/'))).toEqual([]);
    expect(allowed.filter((line) => / -> (alpha|beta)-web\/frontend (80|443)\//.test(line) && !line.startsWith('ingress-nginx/'))).toEqual([]);
  });

  test('toAllowConnection works on the platform, the ZeroTrustApp and a plain App alike', () => {
    const platform = buildExamplePlatform(Testing.app());
    const zeroTrustApp = new ZeroTrustApp({ outdir: 'unused' });
    buildExamplePlatform(zeroTrustApp);
    const plainApp = Testing.app();
    buildExamplePlatform(plainApp);
    for (const subject of [platform, zeroTrustApp, plainApp]) {
      expect(subject).toAllowConnection({ from: 'alpha-web/frontend', to: 'alpha-web/backend', port: 8080 });
      expect(subject).toAllowConnection({ from: 'ingress-nginx/ingress-nginx', to: 'beta-web/frontend', port: 443 });
      expect(subject).toAllowConnection({ from: 'alpha-web/backend', to: 'external:203.0.113.0-24', port: 443 });
      expect(subject).not.toAllowConnection({ from: 'beta-web/backend', to: 'external:203.0.113.0-24', port: 443 });
      expect(subject).not.toAllowConnection({ from: 'alpha-web/frontend', to: 'alpha-data/database', port: 5432 });
      expect(subject).not.toAllowConnection({ from: 'alpha-web/backend', to: 'beta-data/database', port: 5432 });
    }
    expect(connectivity(zeroTrustApp).text).toEqual(connectivity(platform).text);
    expect(connectivity(plainApp).text).toEqual(connectivity(platform).text);
  });

  test('connectivity matrix', () => {
    expect(connectivity(buildExamplePlatform(Testing.app()))).toMatchSnapshot();
  });
});

describe('representative pods and real workload objects', () => {
  test('an adopted cdk8s-plus workload appears under the name given to adopt, with its real ports', () => {
    const { app, platform } = newPlatform();
    const web = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    const chart = new Chart(app, 'apps', { namespace: 'web' });
    const deployment = new kplus.Deployment(chart, 'Api', { containers: [{ image: 'api', ports: [{ number: 8443, name: 'https' }] }] });
    const api = web.adopt(deployment, { name: 'api' });
    const client = web.workload('client', { labels: { app: 'client' } });
    client.allowTo(api, Port.named('https'));

    const report = connectivity(app).report;
    expect(report.pods).toContain('web/api');
    expect(report.pods.filter((id) => id.startsWith('web/'))).toEqual(['web/api', 'web/client']);
    expect(deployment.name).not.toBe('api');
    // The named port resolves on the real container port, 8443.
    expect(app).toAllowConnection({ from: 'web/client', to: 'web/api', port: 8443 });
    expect(app).not.toAllowConnection({ from: 'web/api', to: 'web/client', port: 8443 });
  });

  test('a real Pod that a declared workload selects replaces its representative and keeps its own name', () => {
    const { app, platform } = newPlatform();
    const web = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    const frontend = web.workload('frontend', { labels: { app: 'frontend' } });
    const backend = web.workload('backend', { labels: { app: 'backend' } });
    frontend.allowTo(backend, Port.tcp(8080));
    new ApiObject(new Chart(app, 'pods'), 'pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'backend-7d9f', namespace: 'web', labels: { app: 'backend', extra: 'yes' } },
      spec: { containers: [{ name: 'api', image: 'api', ports: [{ containerPort: 8080 }, { containerPort: 9000 }] }] },
    });
    const pods = connectivity(app).report.pods;
    expect(pods).toEqual(['kube-system/kube-dns', 'web/backend-7d9f', 'web/frontend']);
    expect(app).toAllowConnection({ from: 'web/frontend', to: 'web/backend-7d9f', port: 8080 });
    expect(app).not.toAllowConnection({ from: 'web/frontend', to: 'web/backend-7d9f', port: 9000 });
  });

  test('a real Deployment that a declared workload selects is shown under the workload name', () => {
    const { app, platform } = newPlatform();
    const web = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    web.workload('backend', { labels: { app: 'backend' } });
    new ApiObject(new Chart(app, 'pods'), 'deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'backend-deployment', namespace: 'web' },
      spec: { selector: { matchLabels: { app: 'backend' } }, template: { metadata: { labels: { app: 'backend' } }, spec: { containers: [{ name: 'api', image: 'api' }] } } },
    });
    expect(connectivity(app).report.pods).toEqual(['kube-system/kube-dns', 'web/backend']);
  });

  test('a workload whose selector selects two real objects keeps both under their own names', () => {
    const { app, platform } = newPlatform();
    const web = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    web.workload('backend', { labels: { app: 'backend' } });
    const chart = new Chart(app, 'pods');
    for (const name of ['backend-a', 'backend-b']) {
      new ApiObject(chart, name, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: 'web' },
        spec: { selector: { matchLabels: { app: 'backend' } }, template: { metadata: { labels: { app: 'backend' } }, spec: { containers: [{ name: 'api', image: 'api' }] } } },
      });
    }
    expect(connectivity(app).report.pods).toEqual(['kube-system/kube-dns', 'web/backend-a', 'web/backend-b']);
  });

  test('representative labels satisfy selectors with expressions; peers of a whole namespace get one pod', () => {
    const { app, platform } = newPlatform();
    const web = new ZeroTrustNamespace(platform, 'web', { name: 'web', allowDns: false });
    const monitoring = new ExternalNamespace(platform, 'monitoring');
    const api = web.workload('api', {
      selector: {
        matchLabels: { app: 'api' },
        matchExpressions: [
          { key: 'tier', operator: SelectorOperator.IN, values: ['backend', 'api'] },
          { key: 'track', operator: SelectorOperator.EXISTS },
          { key: 'canary', operator: SelectorOperator.DOES_NOT_EXIST },
        ],
      },
    });
    api.allowFrom(monitoring, Port.tcp(9090));
    api.allowFrom(Peer.cidr('198.51.100.0/24', { except: ['198.51.100.0/25'] }), Port.tcpRange(8000, 8010));
    const input = toAnalysisInput(app);
    expect(input.externals).toEqual({ '198.51.100.0-24': '198.51.100.128' });
    expect(connectivity(app).report.pods).toEqual(['monitoring/any-pod', 'web/api', 'external:198.51.100.0-24']);
    expect(app).toAllowConnection({ from: 'monitoring/any-pod', to: 'web/api', port: 9090 });
    expect(app).toAllowConnection({ from: 'external:198.51.100.0-24', to: 'web/api', port: 8000 });
    expect(app).toAllowConnection({ from: 'external:198.51.100.0-24', to: 'web/api', port: 8010 });
    expect(app).not.toAllowConnection({ from: 'external:198.51.100.0-24', to: 'web/api', port: 9090 });
    const probed = connectivity(app).report.connections.filter((c) => c.to === 'web/api').map((c) => c.port);
    expect([...new Set(probed)]).toEqual([8000, 8010, 9090]);
  });

  test('a named port gets one number from the dynamic range on every pod that declares it', () => {
    const { app, platform } = newPlatform();
    const web = new ZeroTrustNamespace(platform, 'web', { name: 'web', allowDns: false });
    const a = web.workload('a', { labels: { app: 'a' } });
    const b = web.workload('b', { labels: { app: 'b' } });
    a.allowTo(b, Port.named('metrics'));
    b.allowTo(a, Port.named('metrics'), Port.tcp(49152));
    expect(app).toAllowConnection({ from: 'web/a', to: 'web/b', port: 49153 });
    expect(app).toAllowConnection({ from: 'web/b', to: 'web/a', port: 49153 });
    expect(app).not.toAllowConnection({ from: 'web/a', to: 'web/b', port: 49152 });
  });

  test('an invalid intent fails with its validation issues', () => {
    const { platform } = newPlatform();
    new ZeroTrustNamespace(platform, 'Bad_Name', { name: 'Bad_Name' });
    expect(() => connectivity(platform)).toThrow(ZeroTrustValidationError);
  });

  test('a platform without a workload or peer still brings the DNS pod', () => {
    const { platform } = newPlatform();
    new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    expect(connectivity(platform).report.pods).toEqual(['kube-system/kube-dns']);
  });
});
