import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing, YamlOutputType } from 'cdk8s';
import { buildExampleDelivery } from '../../examples/example-delivery';
import { buildExamplePlatform, exampleKubernetesBackend } from '../../examples/example-platform';
import { OutputLayout } from '../../src/constructs/output-layout';
import { INVENTORY_FILE } from '../../src/intent/inventory-file';
import { ZeroTrustApp } from '../../src/synth/zero-trust-app';

const DIST = path.join(__dirname, '..', '..', 'dist');

/** The example as `npm run synth` writes it: every target, one folder each, and its Argo CD delivery. */
function exampleApp(outdir?: string): ZeroTrustApp {
  const app = new ZeroTrustApp({ outdir: outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'zt-example-')), layout: OutputLayout.FOLDER_PER_BACKEND });
  buildExamplePlatform(app);
  buildExampleDelivery(app);
  return app;
}

/** The example with its Kubernetes target alone, in the flat layout cdk8s itself writes. */
function flatKubernetesExample(outdir: string): ZeroTrustApp {
  const app = new ZeroTrustApp({ outdir });
  buildExamplePlatform(app, { backends: [exampleKubernetesBackend()] });
  return app;
}

describe('example platform', () => {
  test.each(exampleApp().charts.map((c) => c.node.id))('chart %s matches its snapshot', (id) => {
    const chart = exampleApp().charts.find((c) => c.node.id === id)!;
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('writes a folder per backend with a file per managed namespace, the Namespaces in platform/, an entry point per target, the delivery, and the inventory of the intent', () => {
    const files = exampleApp().synthFiles().map((f) => f.fileName);
    const namespaces = ['alpha-data', 'alpha-web', 'beta-data', 'beta-web', 'monitoring'];
    expect(files.sort()).toEqual([
      // The cluster-wide deny of the metadata address (and, under Calico, the platform tier and the tenants'
      // isolation): only Cilium and Calico have cluster-scoped policies.
      ...namespaces.map((n) => `calico/${n}.k8s.yaml`).slice(0, 4), 'calico/kustomization.yaml', 'calico/monitoring.k8s.yaml', 'calico/platform.k8s.yaml',
      ...namespaces.map((n) => `cilium/${n}.k8s.yaml`).slice(0, 4), 'cilium/kustomization.yaml', 'cilium/monitoring.k8s.yaml', 'cilium/platform.k8s.yaml',
      'delivery/delivery.k8s.yaml', 'delivery/kustomization.yaml',
      // The mesh layer: the mesh-wide PeerAuthentication in the root namespace (platform.k8s.yaml), and per
      // namespace its allow-nothing and the ALLOW policies of its workloads.
      ...namespaces.map((n) => `istio/${n}.k8s.yaml`).slice(0, 4), 'istio/kustomization.yaml', 'istio/monitoring.k8s.yaml', 'istio/platform.k8s.yaml',
      ...namespaces.map((n) => `kubernetes/${n}.k8s.yaml`).slice(0, 4), 'kubernetes/kustomization.yaml', 'kubernetes/monitoring.k8s.yaml',
      'kustomization.yaml',
      'platform/kustomization.yaml',
      'platform/platform.k8s.yaml',
      'targets/calico/kustomization.yaml', 'targets/cilium/kustomization.yaml', 'targets/kubernetes/kustomization.yaml',
      'zt-inventory.txt',
    ]);
  });

  test('two synthesized programs are byte-identical', () => {
    const first = exampleApp().synthFiles();
    const second = exampleApp().synthFiles();
    expect(second).toEqual(first);
  });

  test('ZeroTrustApp writes the same bytes as a plain cdk8s App with FILE_PER_CHART, plus the inventory', () => {
    const fast = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-fast-'));
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-plain-'));
    flatKubernetesExample(fast).synth();
    const plainApp = new App({ outdir: plain, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    buildExamplePlatform(plainApp, { backends: [exampleKubernetesBackend()] });
    plainApp.synth();
    // The manifests only: ZeroTrustApp also writes its list of written files (.zt-written) and the inventory.
    const read = (dir: string) =>
      Object.fromEntries(fs.readdirSync(dir).filter((f) => !f.startsWith('.')).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
    const { [INVENTORY_FILE]: inventory, ...manifests } = read(fast);
    expect(manifests).toEqual(read(plain));
    expect(inventory).toContain('kind: ConnectivityInventory');
  });

  test('the committed dist/ is what the example synthesizes (run `npm run synth` after changing it)', () => {
    const expected = Object.fromEntries(exampleApp().synthFiles().map((f) => [f.fileName, f.content]));
    const committed = Object.fromEntries(
      (fs.readdirSync(DIST, { recursive: true }) as string[])
        .map((f) => f.split(path.sep).join('/'))
        .filter((f) => f.endsWith('.yaml') || f === INVENTORY_FILE)
        .sort()
        .map((f) => [f, fs.readFileSync(path.join(DIST, f), 'utf8')]),
    );
    expect(committed).toEqual(expected);
  });
});
