/** Small type guards for reading untyped manifest objects. */
import type { DocumentIssues } from './issues';

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `a string`, `a list`, `null`…: for "must be X, got Y" messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${JSON.stringify(value)})`;
}

/** YAML `key:` with nothing after it decodes to null, which the API server treats like an absent field. */
export function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/** Misspelt fields would otherwise be dropped and silently widen or narrow a rule; kubectl's strict field validation rejects them. */
export function reportUnknownFields(value: JsonObject, known: ReadonlySet<string>, field: string, issues: DocumentIssues): void {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) issues.add(`${field}.${key}`, `unknown field (expected one of ${[...known].join(', ')})`);
  }
}
