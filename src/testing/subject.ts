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

/** Which backend's output of each platform to probe: `probe()`'s `backend`, `cni` and `mesh` options. */
export interface BackendChoice {
  readonly backend?: string;
  readonly cni?: string;
  /** `none` leaves the mesh layer's output (`Backend.istio()`) out; otherwise it is probed with the chosen network output. */
  readonly mesh?: string;
}

/** Backends that render a layer on top of the network backends (the mesh), never an alternative to them. */
const MESH_BACKENDS: readonly string[] = ['istio'];

/**
 * The id of the backend of `platform` whose output is probed: `backend` when given (it must be one of the
 * platform's); else the platform's only network backend (the mesh's `istio` is a layer, not an alternative);
 * else the one whose id is `cni` (`kubernetes`, `cilium` or `calico`). Throws `UnsupportedProbeError` naming
 * the choices otherwise: two network outputs of one platform are alternatives (a folder each in the
 * folder-per-backend layout), and which one a cluster runs is the user's to say.
 */
export function chooseBackend(platform: ZeroTrustPlatform, choice: BackendChoice): string {
  const ids = platform.backends.map((backend) => backend.id);
  const listed = ids.map((id) => `'${id}'`).join(', ');
  if (choice.backend !== undefined) {
    if (ids.includes(choice.backend)) return choice.backend;
    throw new UnsupportedProbeError(`backend: '${choice.backend}' is not a backend of platform ${platform.node.path} (its backends: ${listed}). Give one of them.`);
  }
  const network = ids.filter((id) => !MESH_BACKENDS.includes(id));
  if (network.length === 1) return network[0];
  if (network.length === 0 && ids.length === 1) return ids[0];
  if (choice.cni !== undefined && network.includes(choice.cni)) return choice.cni;
  throw new UnsupportedProbeError(
    `platform ${platform.node.path} emits the backends ${listed}, which are alternative outputs. ` +
      `Choose the one to probe with the backend option, e.g. { backend: '${network[network.length - 1] ?? ids[ids.length - 1]}' } (or cni: 'kubernetes' / 'cilium' / 'calico' picks the backend of that name).`,
  );
}

/**
 * The backends whose output is probed: the chosen one, and the platform's mesh backend on top of a network
 * backend unless `mesh` is `none` (a connection passes only if both layers allow it). Choosing `backend:
 * 'istio'` probes the mesh layer alone.
 */
function chosenBackends(platform: ZeroTrustPlatform, choice: BackendChoice): string[] {
  const chosen = chooseBackend(platform, choice);
  if (MESH_BACKENDS.includes(chosen) || choice.mesh === 'none') return [chosen];
  const mesh = platform.backends.map((backend) => backend.id).filter((id) => MESH_BACKENDS.includes(id));
  return [chosen, ...mesh];
}

/** A platform's Namespace objects and the chosen backends' objects, cluster-scoped first, then per managed namespace. */
interface ChosenOutput {
  readonly cluster: Manifest[];
  readonly byNamespace: ReadonlyMap<string, readonly Manifest[]>;
}

function backendManifests(platform: ZeroTrustPlatform, backends: readonly string[]): ChosenOutput {
  const rendering = platform.renderOutput();
  const outputs = backends.map((backend) => rendering.backends.find((candidate) => candidate.backend === backend)!);
  const byNamespace = new Map<string, Manifest[]>();
  for (const output of outputs) {
    for (const [namespace, manifests] of output.byNamespace) byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), ...manifests]);
  }
  return { cluster: [...rendering.namespaces, ...outputs.flatMap((output) => output.cluster)], byNamespace };
}

/**
 * `toAnalysisInput` with only the chosen backends' output of each platform (see `chosenBackends`): what
 * `probe()` and `toSatisfyProbes` evaluate. A subject without platforms is taken as it is, and then
 * `backend` is an error: there is no output to choose from.
 */
export function toProbeInput(subject: unknown, choice: BackendChoice): AnalysisInput {
  if (ZeroTrustPlatform.isZeroTrustPlatform(subject)) {
    const { cluster, byNamespace } = backendManifests(subject, chosenBackends(subject, choice));
    const namespaced = subject.renderOutput().managedNamespaces.flatMap((namespace) => byNamespace.get(namespace) ?? []);
    return withIntent([...cluster, ...namespaced], [subject]);
  }
  if (isApp(subject)) {
    const platforms = platformsAmong(subject.charts);
    if (platforms.length > 0) {
      const outputs = new Map(platforms.map((platform) => [platform, backendManifests(platform, chosenBackends(platform, choice))]));
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
