/**
 * Output layouts, chosen in one place (`ZeroTrustApp({ layout })`): the flat layout cdk8s itself
 * writes, and one folder per backend with a kustomization in each folder, the shared base at the top and
 * one entry point per target (`targets/<name>/`).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { buildExamplePlatform, exampleBackends, exampleKubernetesBackend } from '../../examples/example-platform';
import { Backend, OutputLayout, TenantBoundary, WRITTEN_FILES_LIST, ZeroTrustApp, ZeroTrustPlatform } from '../../src';
import { deliveryTargets } from '../../src/constructs/delivery-targets';
import { INVENTORY_FILE } from '../../src/intent/inventory-file';
import { removeTempDirs, tempOutdir } from '../constructs/support';

afterAll(removeTempDirs);

/** The example with its Kubernetes target alone (a flat layout holds one backend), or with the backends given. */
function synthExample(layout: OutputLayout, withAppChart = false, backends: readonly Backend[] = [exampleKubernetesBackend()]): string {
  const outdir = tempOutdir();
  const app = new ZeroTrustApp({ outdir, layout });
  buildExamplePlatform(app, { backends });
  if (withAppChart) new kplus.Deployment(new Chart(app, 'apps', { namespace: 'alpha-web' }), 'web', { containers: [{ image: 'nginx' }] });
  app.synth();
  return outdir;
}

/** The manifests written into `dir` (not the list of written files). */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const name = path.relative(dir, full);
    if (name !== WRITTEN_FILES_LIST) files[name] = fs.readFileSync(full, 'utf8');
  }
  return files;
}

function kubectlAvailable(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `kind namespace/name` of every object `kubectl kustomize` renders from a folder, in its order. */
function kustomizedInOrder(dir: string): string[] {
  const output = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  return output.split(/^---$/m).filter((doc) => doc.trim() !== '').map((doc) => {
    const kind = /^kind: (.+)$/m.exec(doc)?.[1];
    const name = /^ {2}name: (.+)$/m.exec(doc)?.[1];
    const namespace = /^ {2}namespace: (.+)$/m.exec(doc)?.[1];
    return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
  });
}

/** The same, sorted. */
function kustomized(dir: string): string[] {
  return kustomizedInOrder(dir).sort();
}

/** `kind namespace/name` of every object in the YAML files of a folder (not its kustomization); '' for the top folder's own files. */
function objectsIn(files: Record<string, string>, folder: string): string[] {
  return Object.entries(files)
    .filter(([name]) => (folder === '' ? !name.includes('/') : name.startsWith(`${folder}/`)) && name.endsWith('.k8s.yaml'))
    .flatMap(([, text]) => text.split(/^---$/m).filter((doc) => doc.trim() !== ''))
    .map((doc) => {
      const kind = /^kind: (.+)$/m.exec(doc)?.[1];
      const name = /^ {2}name: (.+)$/m.exec(doc)?.[1];
      const namespace = /^ {2}namespace: (.+)$/m.exec(doc)?.[1];
      return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
    })
    .sort();
}

describe('OutputLayout.FOLDER_PER_BACKEND', () => {
  test('one folder per backend, the Namespaces in platform/, a kustomization in each folder, one entry point per target', () => {
    const files = tree(synthExample(OutputLayout.FOLDER_PER_BACKEND, true, exampleBackends()));
    expect(Object.keys(files).sort()).toEqual([
      'apps.k8s.yaml',
      'calico/alpha-data.k8s.yaml',
      'calico/alpha-web.k8s.yaml',
      'calico/beta-data.k8s.yaml',
      'calico/beta-web.k8s.yaml',
      'calico/kustomization.yaml',
      'calico/monitoring.k8s.yaml',
      'calico/platform.k8s.yaml',
      'cilium/alpha-data.k8s.yaml',
      'cilium/alpha-web.k8s.yaml',
      'cilium/beta-data.k8s.yaml',
      'cilium/beta-web.k8s.yaml',
      'cilium/kustomization.yaml',
      'cilium/monitoring.k8s.yaml',
      'cilium/platform.k8s.yaml',
      'istio/alpha-data.k8s.yaml',
      'istio/alpha-web.k8s.yaml',
      'istio/beta-data.k8s.yaml',
      'istio/beta-web.k8s.yaml',
      'istio/kustomization.yaml',
      'istio/monitoring.k8s.yaml',
      'istio/platform.k8s.yaml',
      'kubernetes/alpha-data.k8s.yaml',
      'kubernetes/alpha-web.k8s.yaml',
      'kubernetes/beta-data.k8s.yaml',
      'kubernetes/beta-web.k8s.yaml',
      'kubernetes/kustomization.yaml',
      'kubernetes/monitoring.k8s.yaml',
      'kustomization.yaml',
      'platform/kustomization.yaml',
      'platform/platform.k8s.yaml',
      'targets/calico/kustomization.yaml',
      'targets/cilium/kustomization.yaml',
      'targets/kubernetes/kustomization.yaml',
      'zt-inventory.txt',
    ]);
    // The top lists the app's other charts only: never the alternatives, never a namespace without its policies.
    expect(files['kustomization.yaml']).toBe('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - apps.k8s.yaml\n');
    expect(files['platform/kustomization.yaml']).toBe('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - platform.k8s.yaml\n');
    expect(files['targets/cilium/kustomization.yaml']).toBe('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../platform\n  - ../../cilium\n  - ../../istio\n');
  });

  test('the mesh is a layer of every target; a mesh alone is a target of its own', () => {
    const backend = (id: string, column?: 'istio') => ({ id, _column: column }) as unknown as Backend;
    const platform = (backends: Backend[]) => ({ backends }) as unknown as Parameters<typeof deliveryTargets>[0][number];
    expect(deliveryTargets([platform([backend('kubernetes'), backend('istio', 'istio'), backend('cilium')])])).toEqual([
      { name: 'cilium', folders: ['cilium', 'istio'] },
      { name: 'kubernetes', folders: ['kubernetes', 'istio'] },
    ]);
    expect(deliveryTargets([platform([backend('istio', 'istio')])])).toEqual([{ name: 'istio', folders: ['istio'] }]);
    expect(deliveryTargets([])).toEqual([]);
  });

  test('every platform of the app renders every target, or its namespaces would come without policies', () => {
    const app = new ZeroTrustApp({ outdir: tempOutdir(), layout: OutputLayout.FOLDER_PER_BACKEND });
    new TenantBoundary(new ZeroTrustPlatform(app, 'one', { backends: [Backend.kubernetes(), Backend.cilium()] }), 'alpha', { namespaces: ['alpha-web'] });
    new TenantBoundary(new ZeroTrustPlatform(app, 'two', { backends: [Backend.kubernetes()] }), 'beta', { namespaces: ['beta-web'] });
    expect(() => app.synthFiles()).toThrow(
      "[two] backends: the app's target 'cilium' (targets/cilium/) applies the Namespaces of every platform, and this platform has no backend 'cilium' (one has), " +
      "so its namespaces would have no policies there. Fix: give every platform of the app the same network backends (add the 'cilium' backend here), or synthesize the platforms in separate apps",
    );
    // The flat layout has no targets: the same app is fine there.
    const flat = new ZeroTrustApp({ outdir: tempOutdir() });
    new TenantBoundary(new ZeroTrustPlatform(flat, 'one', { backends: [Backend.kubernetes(), Backend.cilium()] }), 'alpha', { namespaces: ['alpha-web'] });
    new TenantBoundary(new ZeroTrustPlatform(flat, 'two', { backends: [Backend.kubernetes()] }), 'beta', { namespaces: ['beta-web'] });
    expect(flat.synthFiles().length).toBeGreaterThan(0);
  });

  test('a backend named after a folder of the layout is refused', () => {
    const app = new ZeroTrustApp({ outdir: tempOutdir(), layout: OutputLayout.FOLDER_PER_BACKEND });
    const renderer = { id: 'targets', render: () => ({ manifests: [], issues: [] }) };
    new TenantBoundary(new ZeroTrustPlatform(app, 'platform', { backends: [Backend.kubernetes(), Backend.custom(renderer)] }), 'alpha', { namespaces: ['alpha-web'] });
    expect(() => app.synthFiles()).toThrow("[platform] backends[1].id: backend id 'targets' is a folder of the folder-per-backend layout (platform/, targets/). Fix: give the renderer another id");
  });

  test('the files hold the same objects, byte for byte, as the flat layout', () => {
    const flat = tree(synthExample(OutputLayout.FLAT));
    const folders = tree(synthExample(OutputLayout.FOLDER_PER_BACKEND));
    // With one backend, each namespace file is the flat one moved into the backend's folder.
    for (const [name, content] of Object.entries(flat)) {
      if (name === INVENTORY_FILE) {
        expect(folders[name]).toBe(content);
        continue;
      }
      const moved = name === 'platform.k8s.yaml' ? `platform/${name}` : `kubernetes/${name}`;
      expect([moved, folders[moved]]).toEqual([moved, content]);
    }
  });

  test('the same program writes the same bytes', () => {
    expect(tree(synthExample(OutputLayout.FOLDER_PER_BACKEND))).toEqual(tree(synthExample(OutputLayout.FOLDER_PER_BACKEND)));
  });

  const withKubectl = kubectlAvailable() ? test : test.skip;
  if (!kubectlAvailable()) {
    // Say so plainly: the kustomizations are then checked only by their text.
    console.warn('kubectl is not on PATH: the `kubectl kustomize` checks of the folder layout are skipped');
  }
  withKubectl('kubectl kustomize builds each folder; each target builds the Namespaces, its backend and the mesh, the top the other charts', () => {
    const outdir = synthExample(OutputLayout.FOLDER_PER_BACKEND, true, exampleBackends());
    const files = tree(outdir);
    for (const folder of ['platform', 'kubernetes', 'calico', 'cilium', 'istio']) {
      expect(kustomized(path.join(outdir, folder))).toEqual(objectsIn(files, folder));
    }
    const top = kustomized(outdir);
    expect(objectsIn(files, '')).toEqual([expect.stringMatching(/^Deployment alpha-web\/apps-web-/)]);
    expect(top).toEqual(objectsIn(files, ''));
    for (const target of ['kubernetes', 'calico', 'cilium']) {
      const built = kustomized(path.join(outdir, 'targets', target));
      // The mesh layer goes with every network target.
      expect([target, built]).toEqual([target, [...objectsIn(files, 'platform'), ...objectsIn(files, target), ...objectsIn(files, 'istio')].sort()]);
      // kustomize writes the Namespaces first, so a plain `kubectl apply -k` creates them before their policies.
      const order = kustomizedInOrder(path.join(outdir, 'targets', target));
      const namespaces = order.filter((o) => o.startsWith('Namespace '));
      expect(order.slice(0, namespaces.length)).toEqual(namespaces);
      expect(namespaces.length).toBe(5);
    }
    // targets/ is a folder of alternatives, not a unit: building it fails rather than applying every target.
    expect(() => execFileSync('kubectl', ['kustomize', path.join(outdir, 'targets')], { stdio: 'pipe' })).toThrow();
    // The inventory's representative Pods are never part of what gets applied.
    expect(files[INVENTORY_FILE]).toContain('kind: Pod');
    expect([...top, ...kustomized(path.join(outdir, 'targets', 'cilium'))].filter((object) => object.startsWith('Pod '))).toEqual([]);
  });
});

describe('OutputLayout.FLAT', () => {
  test('is the default: one file per chart at the top, as cdk8s writes them', () => {
    const outdir = synthExample(OutputLayout.FLAT);
    const files = Object.keys(tree(outdir)).sort();
    expect(files).toEqual([
      'alpha-data.k8s.yaml', 'alpha-web.k8s.yaml', 'beta-data.k8s.yaml', 'beta-web.k8s.yaml', 'monitoring.k8s.yaml', 'platform.k8s.yaml', INVENTORY_FILE,
    ]);
    expect(JSON.parse(fs.readFileSync(path.join(outdir, WRITTEN_FILES_LIST), 'utf8')).files).toEqual(files);
    expect(new ZeroTrustApp({ outdir: tempOutdir() }).layout).toBe(OutputLayout.FLAT);
  });

  test('an app without a platform has no intent, so no inventory file', () => {
    const app = new ZeroTrustApp({ outdir: tempOutdir() });
    new kplus.Deployment(new Chart(app, 'apps', { namespace: 'web' }), 'web', { containers: [{ image: 'nginx' }] });
    expect(app.synthFiles().map((file) => file.fileName)).toEqual(['apps.k8s.yaml']);
  });
});
