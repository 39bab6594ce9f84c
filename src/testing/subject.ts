import { App, Chart } from 'cdk8s';
import { loadManifestText, ManifestInput, UnsupportedProbeError } from '../analysis';
import { normalizeInput } from '../analysis/manifests/documents';
import { ProbePort } from '../analysis/types';
import { Manifest } from '../backends/manifest';
import { NamespaceManifestsChart } from '../constructs/namespace-manifests-chart';
import { ZeroTrustPlatform } from '../constructs/platform';
import { intentInventory, platformsAmong } from '../intent/app-inventory';
import { combineWithRepresentatives } from '../intent/combine';

/**
 * What the matchers and `connectivity()` accept: a cdk8s App (a ZeroTrustApp too) or Chart (a
 * ZeroTrustPlatform too), plain manifest objects, or YAML text.
 */
export type ConnectivitySubject = App | Chart | readonly unknown[] | string;

/** The file name that issues in YAML given as a string are reported under. */
export const YAML_STRING_SOURCE = '<yaml>';
/** The file name that issues in the representative endpoints of the declared intent are reported under. */
export const INTENT_SOURCE = '<intent>';

/** Analyzer input: the manifests, and the external addresses that stand for CIDR peers of the intent. */
export interface AnalysisInput {
  readonly input: ManifestInput;
  /** Name → IP; empty unless the subject holds a ZeroTrustPlatform with CIDR peers. */
  readonly externals: Readonly<Record<string, string>>;
  /** The ports flows open to each of those externals, probed when it is the destination. */
  readonly externalPorts: Readonly<Record<string, readonly ProbePort[]>>;
}

/**
 * Turns a subject into analyzer input. A ZeroTrustPlatform, or an App holding platforms, brings the
 * representative endpoints of its declared intent (one pod per declared workload, per peer selector,
 * for the DNS, and an address per CIDR peer), combined with the real objects of the app: a real Pod or
 * workload object that a representative pod's selector selects replaces it, and a declared workload
 * that selects exactly one real workload object shows it under the workload's name.
 *
 * Apps are detected structurally as well as with `instanceof` because a project can end up with two
 * copies of cdk8s (its own and ours), and `instanceof` fails across copies; `Chart.isChart` already
 * uses a global symbol for the same reason.
 */
export function toAnalysisInput(subject: unknown): AnalysisInput {
  // Parsed exactly as a file would be, so a YAML string and the same file give the same verdicts.
  if (typeof subject === 'string') return { input: loadManifestText(subject, YAML_STRING_SOURCE), externals: {}, externalPorts: {} };
  if (Array.isArray(subject)) return { input: subject, externals: {}, externalPorts: {} };
  if (ZeroTrustPlatform.isZeroTrustPlatform(subject)) return withIntent(subject.manifests(), [subject]);
  if (Chart.isChart(subject)) return { input: subject.toJson(), externals: {}, externalPorts: {} };
  if (isApp(subject)) return withIntent(subject.charts.flatMap((chart) => chart.toJson()), platformsAmong(subject.charts));
  throw new TypeError(
    `expected a cdk8s App or Chart, an array of manifest objects, or a YAML string; got ${describe(subject)}.`,
  );
}

/** Which backend's output of each platform to probe: `probe()`'s `backend` and `cni` options. */
export interface BackendChoice {
  readonly backend?: string;
  readonly cni?: string;
}

/**
 * The id of the backend of `platform` whose output is probed: `backend` when given (it must be one of the
 * platform's); else the platform's only backend; else the one whose id is `cni` (`kubernetes`, `cilium` or `calico`).
 * Throws `UnsupportedProbeError` naming the choices otherwise: two outputs of one platform are alternatives
 * (a folder each in the folder-per-backend layout), and which one a cluster runs is the user's to say.
 */
export function chooseBackend(platform: ZeroTrustPlatform, choice: BackendChoice): string {
  const ids = platform.backends.map((backend) => backend.id);
  const listed = ids.map((id) => `'${id}'`).join(', ');
  if (choice.backend !== undefined) {
    if (ids.includes(choice.backend)) return choice.backend;
    throw new UnsupportedProbeError(`backend: '${choice.backend}' is not a backend of platform ${platform.node.path} (its backends: ${listed}). Give one of them.`);
  }
  if (ids.length === 1) return ids[0];
  if (choice.cni !== undefined && ids.includes(choice.cni)) return choice.cni;
  throw new UnsupportedProbeError(
    `platform ${platform.node.path} emits the backends ${listed}, which are alternative outputs. ` +
      `Choose the one to probe with the backend option, e.g. { backend: '${ids[ids.length - 1]}' } (or cni: 'kubernetes' / 'cilium' / 'calico' picks the backend of that name).`,
  );
}

/** A platform's Namespace objects and one backend's objects, cluster-scoped first, then per managed namespace. */
interface ChosenOutput {
  readonly cluster: Manifest[];
  readonly byNamespace: ReadonlyMap<string, readonly Manifest[]>;
}

function backendManifests(platform: ZeroTrustPlatform, backend: string): ChosenOutput {
  const rendering = platform.renderOutput();
  const output = rendering.backends.find((candidate) => candidate.backend === backend)!;
  return { cluster: [...rendering.namespaces, ...output.cluster], byNamespace: output.byNamespace };
}

/**
 * `toAnalysisInput` with only the chosen backend's output of each platform (see `chooseBackend`): what
 * `probe()` and `toSatisfyProbes` evaluate. A subject without platforms is taken as it is, and then
 * `backend` is an error: there is no output to choose from.
 */
export function toProbeInput(subject: unknown, choice: BackendChoice): AnalysisInput {
  if (ZeroTrustPlatform.isZeroTrustPlatform(subject)) {
    const { cluster, byNamespace } = backendManifests(subject, chooseBackend(subject, choice));
    const namespaced = subject.renderOutput().managedNamespaces.flatMap((namespace) => byNamespace.get(namespace) ?? []);
    return withIntent([...cluster, ...namespaced], [subject]);
  }
  if (isApp(subject)) {
    const platforms = platformsAmong(subject.charts);
    if (platforms.length > 0) {
      const outputs = new Map(platforms.map((platform) => [platform, backendManifests(platform, chooseBackend(platform, choice))]));
      const manifests = subject.charts.flatMap((chart): unknown[] => {
        if (ZeroTrustPlatform.isZeroTrustPlatform(chart)) return outputs.get(chart)!.cluster;
        if (NamespaceManifestsChart.isNamespaceManifestsChart(chart) && ZeroTrustPlatform.isZeroTrustPlatform(chart.platform)) {
          return [...(outputs.get(chart.platform)?.byNamespace.get(chart.namespaceName) ?? [])];
        }
        return chart.toJson();
      });
      return withIntent(manifests, platforms);
    }
  }
  if (choice.backend !== undefined) {
    throw new UnsupportedProbeError(`backend: '${choice.backend}' chooses a platform's output, and the subject holds no ZeroTrustPlatform. Remove backend, or probe the platform (or the App holding it).`);
  }
  return toAnalysisInput(subject);
}

/** The manifests of `toAnalysisInput`, without the externals. */
export function toManifestInput(subject: unknown): ManifestInput {
  return toAnalysisInput(subject).input;
}

function withIntent(manifests: readonly unknown[], platforms: readonly ZeroTrustPlatform[]): AnalysisInput {
  if (platforms.length === 0) return { input: manifests, externals: {}, externalPorts: {} };
  const inventory = intentInventory(platforms);
  const real = normalizeInput(manifests);
  const representatives = normalizeInput(inventory.objects);
  const relabelled = representatives.documents.map((document) => ({ ...document, source: { ...document.source, file: INTENT_SOURCE } }));
  const combined = combineWithRepresentatives(real.documents, relabelled);
  return {
    input: { documents: combined.documents, issues: [...real.issues, ...combined.issues] },
    externals: inventory.externals,
    externalPorts: inventory.externalPorts,
  };
}

function isApp(value: unknown): value is App {
  if (value instanceof App) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { charts?: unknown; synthYaml?: unknown };
  return Array.isArray(candidate.charts) && typeof candidate.synthYaml === 'function';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return `${typeof value} ${String(value)}`;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== 'Object' ? `an instance of ${name}` : 'an object';
}
