import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing, YamlOutputType } from 'cdk8s';
import { buildExamplePlatform } from '../../examples/example-platform';
import { INVENTORY_FILE } from '../../src/intent/inventory-file';
import { ZeroTrustApp } from '../../src/synth/zero-trust-app';

const DIST = path.join(__dirname, '..', '..', 'dist');

function exampleApp(outdir?: string): ZeroTrustApp {
  const app = new ZeroTrustApp({ outdir: outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'zt-example-')) });
  buildExamplePlatform(app);
  return app;
}

describe('example platform', () => {
  test.each(exampleApp().charts.map((c) => c.node.id))('chart %s matches its snapshot', (id) => {
    const chart = exampleApp().charts.find((c) => c.node.id === id)!;
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('writes one file per managed namespace plus the platform file, and the inventory of the intent', () => {
    const files = exampleApp().synthFiles().map((f) => f.fileName);
    expect(files.sort()).toEqual([
      'alpha-data.k8s.yaml',
      'alpha-web.k8s.yaml',
      'beta-data.k8s.yaml',
      'beta-web.k8s.yaml',
      'monitoring.k8s.yaml',
      'platform.k8s.yaml',
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
    exampleApp(fast).synth();
    const plainApp = new App({ outdir: plain, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    buildExamplePlatform(plainApp);
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
      fs.readdirSync(DIST).filter((f) => f.endsWith('.yaml') || f === INVENTORY_FILE).sort().map((f) => [f, fs.readFileSync(path.join(DIST, f), 'utf8')]),
    );
    expect(committed).toEqual(expected);
  });
});
