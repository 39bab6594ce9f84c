/**
 * Drift between declared manifests (a `dist/`) and a live cluster: objects declared but missing, declared but
 * changed (compared in the form of `comparableObject`, which says what is ignored), and extra: live objects of the
 * policy kinds that nothing declares.
 */
import { comparableObject } from './normalize';
import { canonicalJson } from '../diff/document-changes';
import { LoadedManifests, normalizeInput, SourcedDocument } from '../manifests/documents';
import { isRecord, JsonObject } from '../manifests/fields';
import { apiGroup } from '../manifests/inventory';

/** A kind drift compares. */
export interface DriftKind {
  readonly group: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Live objects of this kind that nothing declares are reported as extra (policy kinds). */
  readonly reportExtra: boolean;
}

export interface DriftObject {
  /** `Kind` and the API group (`''` for the core group). */
  readonly kind: string;
  readonly group: string;
  readonly namespace?: string;
  readonly name: string;
  /** Where it was declared, or read from (`cluster:<resource>`). */
  readonly file: string;
  readonly documentIndex: number;
}

/** One field that differs; `expected` (declared) or `actual` (live) is undefined where the field is absent. */
export interface FieldDifference {
  readonly path: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
}

export interface ChangedObject extends DriftObject {
  readonly differences: readonly FieldDifference[];
}

export interface DriftReport {
  /** Declared objects compared with the cluster. */
  readonly compared: number;
  readonly missing: readonly DriftObject[];
  readonly changed: readonly ChangedObject[];
  readonly extra: readonly DriftObject[];
  /** Declared objects of kinds that are not compared, counted per `apiVersion/kind`. */
  readonly notCompared: readonly { readonly kind: string; readonly count: number }[];
}

export interface DriftOptions {
  /** Namespaces whose objects are left out of the report. */
  readonly skipNamespace?: (namespace: string) => boolean;
  /** Live objects never reported as extra (those the platform creates itself), as `group/Kind|namespace|name`. */
  readonly builtIn?: ReadonlySet<string>;
}

/** Calico's own tiers, which every Calico cluster has (https://docs.tigera.io/calico/latest/reference/resources/tier). */
export const CALICO_BUILT_IN_TIERS = ['default', 'kube-admin', 'kube-baseline'].map((name) => `projectcalico.org/Tier||${name}`);

interface Identified {
  readonly key: string;
  readonly entry: DriftKind;
  readonly object: DriftObject;
  readonly value: JsonObject;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function identify(document: SourcedDocument, kinds: ReadonlyMap<string, DriftKind>): Identified | { readonly unknownKind: string } | undefined {
  const value = document.object;
  if (!isRecord(value)) return undefined;
  const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
  const kind = typeof value.kind === 'string' ? value.kind : '';
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  if (typeof metadata.name !== 'string') return undefined;
  const group = apiGroup(apiVersion);
  const entry = kinds.get(`${group}/${kind}`);
  if (!entry) return { unknownKind: `${apiVersion}/${kind}` };
  const namespace = entry.namespaced ? (typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : 'default') : undefined;
  return {
    key: `${group}/${kind}|${namespace ?? ''}|${metadata.name}`,
    entry,
    value,
    object: {
      kind,
      group,
      ...(namespace !== undefined ? { namespace } : {}),
      name: metadata.name,
      file: document.source.file,
      documentIndex: document.source.documentIndex,
    },
  };
}

const MAX_SHOWN = 120;

/** The fields where two comparable forms differ, depth first; lists of different lengths differ as a whole. */
export function fieldDifferences(expected: unknown, actual: unknown, path = ''): FieldDifference[] {
  if (canonicalJson(expected) === canonicalJson(actual)) return [];
  if (isRecord(expected) && isRecord(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    return keys.flatMap((key) => fieldDifferences(expected[key], actual[key], path ? `${path}.${key}` : key));
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length) {
    return expected.flatMap((item, index) => fieldDifferences(item, actual[index], `${path}[${index}]`));
  }
  return [{ path, ...(expected !== undefined ? { expected } : {}), ...(actual !== undefined ? { actual } : {}) }];
}

/** A value as one short line for tables. */
export function shortValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

function byIdentity(a: DriftObject, b: DriftObject): number {
  return compareText(a.group, b.group) || compareText(a.kind, b.kind) || compareText(a.namespace ?? '', b.namespace ?? '') || compareText(a.name, b.name);
}

/** Compares the declared objects of the kinds given with the live ones. */
export function driftReport(declared: LoadedManifests, live: LoadedManifests, kinds: readonly DriftKind[], options: DriftOptions = {}): DriftReport {
  const byKind = new Map(kinds.map((entry) => [`${entry.group}/${entry.kind}`, entry]));
  const skipped = (object: DriftObject): boolean => object.namespace !== undefined && (options.skipNamespace?.(object.namespace) ?? false);
  const notCompared = new Map<string, number>();
  const declaredObjects = new Map<string, Identified>();
  for (const document of normalizeInput(declared).documents) {
    const id = identify(document, byKind);
    if (id === undefined) continue;
    if ('unknownKind' in id) {
      notCompared.set(id.unknownKind, (notCompared.get(id.unknownKind) ?? 0) + 1);
      continue;
    }
    // The object identifies itself as a Namespace: skipping namespace x skips the Namespace x too.
    if (skipped(id.object) || (id.object.group === '' && id.object.kind === 'Namespace' && (options.skipNamespace?.(id.object.name) ?? false))) continue;
    declaredObjects.set(id.key, id);
  }
  const liveObjects = new Map<string, Identified>();
  for (const document of normalizeInput(live).documents) {
    const id = identify(document, byKind);
    if (id !== undefined && !('unknownKind' in id)) liveObjects.set(id.key, id);
  }

  const missing: DriftObject[] = [];
  const changed: ChangedObject[] = [];
  for (const [key, want] of declaredObjects) {
    const have = liveObjects.get(key);
    if (!have) {
      missing.push(want.object);
      continue;
    }
    const { group, namespaced } = want.entry;
    const differences = fieldDifferences(
      comparableObject(want.value, group, namespaced, want.value),
      comparableObject(have.value, group, namespaced, want.value),
    );
    if (differences.length > 0) changed.push({ ...want.object, differences });
  }
  const extra: DriftObject[] = [];
  for (const [key, have] of liveObjects) {
    if (!have.entry.reportExtra || declaredObjects.has(key) || skipped(have.object) || options.builtIn?.has(key)) continue;
    extra.push(have.object);
  }
  return {
    compared: declaredObjects.size,
    missing: missing.sort(byIdentity),
    changed: changed.sort(byIdentity),
    extra: extra.sort(byIdentity),
    notCompared: [...notCompared].sort(([a], [b]) => compareText(a, b)).map(([kind, count]) => ({ kind, count })),
  };
}
