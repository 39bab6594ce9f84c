/**
 * The shape of labels and selectors given by JavaScript callers (or built from untyped data), checked
 * before their syntax: a string, a list or a `null` where a map or a list belongs would otherwise be
 * read character by character, or crash the syntax checks.
 */
import { describeValue, typeOfValue } from './values';

/** A shape problem: the field below the checked value (e.g. `.matchExpressions[0].values`), why, and the fix. */
export interface ShapeProblem {
  readonly at: string;
  readonly message: string;
  readonly fix: string;
}

const LABELS_FIX = "give the labels as a map of strings, e.g. { app: 'web' }";
const SELECTOR_FIX = "give a selector { matchLabels?, matchExpressions? }, e.g. { matchLabels: { app: 'web' } }";
const EXPRESSIONS_FIX = "give matchExpressions as a list of { key, operator, values? } with string keys and values, e.g. [{ key: 'tier', operator: SelectorOperator.IN, values: ['web'] }]";

/** True for an object that is neither a list nor null. */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Why `labels` is not a map of label keys to label values (its values are checked by the syntax rules). */
export function labelMapProblem(labels: unknown): ShapeProblem | undefined {
  if (isRecord(labels)) return undefined;
  return { at: '', message: `${describeValue(labels)} is not a map of labels (got ${typeOfValue(labels)})`, fix: LABELS_FIX };
}

/** Why `selector` is not a label selector `{ matchLabels?, matchExpressions? }`. */
export function selectorShapeProblem(selector: unknown): ShapeProblem | undefined {
  if (!isRecord(selector)) return { at: '', message: `${describeValue(selector)} is not a label selector (got ${typeOfValue(selector)})`, fix: SELECTOR_FIX };
  if (selector.matchLabels !== undefined) {
    const problem = labelMapProblem(selector.matchLabels);
    if (problem) return { ...problem, at: '.matchLabels' };
  }
  const expressions = selector.matchExpressions;
  if (expressions === undefined) return undefined;
  if (!Array.isArray(expressions)) return { at: '.matchExpressions', message: `${describeValue(expressions)} is not a list of requirements`, fix: EXPRESSIONS_FIX };
  for (const [i, expression] of expressions.entries()) {
    const at = `.matchExpressions[${i}]`;
    if (!isRecord(expression)) return { at, message: `${describeValue(expression)} is not a requirement { key, operator, values? }`, fix: EXPRESSIONS_FIX };
    if (typeof expression.key !== 'string') return { at: `${at}.key`, message: `the key must be a string, got ${typeOfValue(expression.key)}`, fix: EXPRESSIONS_FIX };
    const values = expression.values;
    if (values === undefined) continue;
    if (!Array.isArray(values)) return { at: `${at}.values`, message: `${describeValue(values)} is not a list of values`, fix: EXPRESSIONS_FIX };
    const bad = values.findIndex((v) => typeof v !== 'string');
    if (bad >= 0) return { at: `${at}.values[${bad}]`, message: `label value must be a string, got ${typeOfValue(values[bad])}`, fix: EXPRESSIONS_FIX };
  }
  return undefined;
}
