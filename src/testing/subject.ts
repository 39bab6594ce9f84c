import { App, Chart } from 'cdk8s';
import { loadManifestText, ManifestInput } from '../analysis';

/** What the matchers and `connectivity()` accept: a cdk8s App or Chart, plain manifest objects, or YAML text. */
export type ConnectivitySubject = App | Chart | readonly unknown[] | string;

/** The file name that issues in YAML given as a string are reported under. */
export const YAML_STRING_SOURCE = '<yaml>';

/**
 * Turns a subject into analyzer input. Apps are detected structurally as well as with `instanceof`
 * because a project can end up with two copies of cdk8s (its own and ours), and `instanceof` fails
 * across copies; `Chart.isChart` already uses a global symbol for the same reason.
 */
export function toManifestInput(subject: unknown): ManifestInput {
  // Parsed exactly as a file would be, so a YAML string and the same file give the same verdicts.
  if (typeof subject === 'string') return loadManifestText(subject, YAML_STRING_SOURCE);
  if (Array.isArray(subject)) return subject;
  if (Chart.isChart(subject)) return subject.toJson();
  if (isApp(subject)) return subject.charts.flatMap((chart) => chart.toJson());
  throw new TypeError(
    `expected a cdk8s App or Chart, an array of manifest objects, or a YAML string; got ${describe(subject)}.`,
  );
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
