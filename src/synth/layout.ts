import { Chart, Names, Yaml } from 'cdk8s';
import { JsonValue, stringifyYamlDocuments } from './yaml-emitter';
import { Manifest } from '../backends/manifest';
import { deliveryTargets, NAMESPACES_FOLDER, TARGETS_FOLDER } from '../constructs/delivery-targets';
import { NamespaceManifestsChart } from '../constructs/namespace-manifests-chart';
import { OutputLayout } from '../constructs/output-layout';
import { ZeroTrustPlatform } from '../constructs/platform';
import { GitOpsDelivery } from '../gitops/delivery';
import { intentInventory, platformsAmong } from '../intent/app-inventory';
import { formatInventory, INVENTORY_FILE } from '../intent/inventory-file';
import { ZeroTrustValidationError } from '../model/issues';
import { compareStrings } from '../model/selector';

export { OutputLayout } from '../constructs/output-layout';

/** One file to write. */
export interface SynthesizedFile {
  /** Relative to the output directory, with `/` between folders. */
  readonly fileName: string;
  readonly content: string;
}

export { NAMESPACES_FOLDER, TARGETS_FOLDER } from '../constructs/delivery-targets';
export const KUSTOMIZATION_FILE = 'kustomization.yaml';

/**
 * The files of an app's charts in a layout: the one place that decides where each object is written.
 * Throws a ZeroTrustValidationError (one line per clash, nothing written) when two files would get the same name.
 */
export function layoutFiles(charts: readonly Chart[], layout: OutputLayout, extension: string): SynthesizedFile[] {
  const files = [...(layout === OutputLayout.FLAT ? flatFiles(charts, extension) : folderFiles(charts, extension)), ...inventoryFiles(charts)];
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const file of files) {
    const other = seen.get(file.fileName);
    if (other !== undefined) clashes.push(`${other} and ${file.origin} would both be written to ${file.fileName}; rename one of them`);
    else seen.set(file.fileName, file.origin);
  }
  if (clashes.length > 0) throw new ZeroTrustValidationError([], clashes);
  return files.map(({ fileName, content }) => ({ fileName, content }));
}

interface PlacedFile extends SynthesizedFile {
  /** What the file holds, for collision messages: `charts web` / `charts platform/web`. */
  readonly origin: string;
}

function chartFileName(chart: Chart, extension: string): string {
  return `${Names.toDnsLabel(chart)}${extension}`;
}

/** Our manifests are plain JSON data: the fast writer gives the same bytes as cdk8s' Yaml.stringify. */
function yamlOf(objects: readonly Manifest[]): string {
  return stringifyYamlDocuments(objects as unknown as JsonValue[]);
}

function isOurs(chart: Chart): boolean {
  return NamespaceManifestsChart.isNamespaceManifestsChart(chart) || ZeroTrustPlatform.isZeroTrustPlatform(chart)
    || GitOpsDelivery.isGitOpsDelivery(chart);
}

function otherChartFile(chart: Chart, extension: string): PlacedFile {
  return { fileName: chartFileName(chart, extension), content: Yaml.stringify(...chart.toJson()), origin: `chart ${chart.node.path}` };
}

function flatFiles(charts: readonly Chart[], extension: string): PlacedFile[] {
  return charts.map((chart) =>
    isOurs(chart)
      ? { fileName: chartFileName(chart, extension), content: yamlOf(chart.toJson()), origin: `chart ${chart.node.path}` }
      : otherChartFile(chart, extension),
  );
}

/**
 * The folder layout: a folder per backend and per guardrails engine, `platform/` for the Namespaces, one
 * folder per GitOpsDelivery chart, and `targets/<name>/` per delivery target: the entry points, each listing
 * `platform/`, its backend's folder and the mesh's. The top kustomization lists only the app's other charts.
 * (A target cannot list the top folder: kustomize refuses a resource folder that contains the kustomization.)
 */
function folderFiles(charts: readonly Chart[], extension: string): PlacedFile[] {
  const files: PlacedFile[] = [];
  const folders = new Map<string, string[]>();
  const addFolder = (folder: string): void => {
    if (!folders.has(folder)) folders.set(folder, []);
  };
  const place = (folder: string, name: string, objects: readonly Manifest[], origin: string): void => {
    if (objects.length === 0) return;
    files.push({ fileName: `${folder}/${name}`, content: yamlOf(objects), origin });
    folders.get(folder)!.push(name);
  };
  const others: string[] = [];
  const platforms: ZeroTrustPlatform[] = [];
  for (const chart of charts) {
    if (NamespaceManifestsChart.isNamespaceManifestsChart(chart)) continue; // written from its platform below
    if (GitOpsDelivery.isGitOpsDelivery(chart)) {
      // Applied once, to the cluster running Argo CD or Flux: in no target and not in the base.
      const folder = chart.folderName;
      addFolder(folder);
      place(folder, chartFileName(chart, extension), chart.toJson() as Manifest[], `the delivery chart ${chart.node.path}`);
      continue;
    }
    if (!ZeroTrustPlatform.isZeroTrustPlatform(chart)) {
      const file = otherChartFile(chart, extension);
      files.push(file);
      others.push(file.fileName);
      continue;
    }
    platforms.push(chart);
    const rendering = chart.renderOutput();
    const platformFile = chartFileName(chart, extension);
    const engines = rendering.guardrails.map((g) => g.engine);
    for (const folder of [NAMESPACES_FOLDER, ...rendering.backends.map((b) => b.backend), ...engines]) addFolder(folder);
    place(NAMESPACES_FOLDER, platformFile, rendering.namespaces, `the Namespaces of ${chart.node.path}`);
    for (const output of rendering.backends) {
      const origin = `backend ${output.backend} of ${chart.node.path}`;
      place(output.backend, platformFile, output.cluster, origin);
      for (const namespace of rendering.managedNamespaces) {
        place(output.backend, `${namespace}${extension}`, output.byNamespace.get(namespace) ?? [], origin);
      }
    }
    // Guardrails need their engine's CRDs: a folder of their own, applied once the engine is installed.
    for (const guardrails of rendering.guardrails) {
      place(guardrails.engine, platformFile, guardrails.objects, `the ${guardrails.engine} guardrails of ${chart.node.path}`);
    }
  }
  for (const [folder, names] of [...folders.entries()].sort(([a], [b]) => compareStrings(a, b))) {
    files.push({ fileName: `${folder}/${KUSTOMIZATION_FILE}`, content: kustomization([...names].sort(compareStrings)), origin: `the ${folder}/ folder` });
  }
  // Nothing of the platforms at the top: applying it can neither create a namespace without its policies
  // nor apply two alternatives at once.
  files.push({ fileName: KUSTOMIZATION_FILE, content: kustomization([...others].sort(compareStrings)), origin: 'the output folder' });
  for (const target of deliveryTargets(platforms)) {
    const resources = [NAMESPACES_FOLDER, ...target.folders].filter((f) => folders.has(f)).map((f) => `../../${f}`);
    files.push({ fileName: `${TARGETS_FOLDER}/${target.name}/${KUSTOMIZATION_FILE}`, content: kustomization(resources), origin: `the target ${target.name}` });
  }
  return files;
}

/**
 * The inventory of the declared intent (`zt-inventory.txt`), at the top of every layout, when the app has a
 * platform: what `zt analyze DIR` needs to show the declared workloads' connectivity without pod manifests.
 * No kustomization lists it, and its extension keeps deploy tools from applying it (see `intent/inventory-file`).
 */
function inventoryFiles(charts: readonly Chart[]): PlacedFile[] {
  const platforms = platformsAmong(charts);
  if (platforms.length === 0) return [];
  return [{ fileName: INVENTORY_FILE, content: formatInventory(intentInventory(platforms)), origin: 'the inventory of the declared intent' }];
}

/** A kustomization listing its resources (kustomize.config.k8s.io/v1beta1), so `kubectl apply -k` and GitOps tools take the folder as one unit. */
function kustomization(resources: readonly string[]): string {
  return stringifyYamlDocuments([{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources] }]);
}
