import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { LoadedManifests, ManifestInput, SourcedDocument } from '../analysis';
import { ManifestIssue } from '../analysis/types';

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
  if (typeof subject === 'string') return parseYamlString(subject);
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

function parseYamlString(text: string): LoadedManifests {
  const documents: SourcedDocument[] = [];
  const issues: ManifestIssue[] = [];
  parseAllDocuments(text).forEach((document, documentIndex) => {
    const source = { file: YAML_STRING_SOURCE, documentIndex };
    if (document.errors.length > 0) {
      // The parser's message ends in a code excerpt that is noise in a one-line issue.
      for (const error of document.errors) issues.push({ ...source, message: `invalid YAML: ${error.message.split(':\n')[0]}` });
      return;
    }
    const object: unknown = document.toJS();
    if (object !== null && object !== undefined) documents.push({ source, object });
  });
  return { documents, issues };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return `${typeof value} ${String(value)}`;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== 'Object' ? `an instance of ${name}` : 'an object';
}
