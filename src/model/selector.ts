import { ValidationIssue } from './issues';
import { labelKeyProblem, labelValueProblem } from './names';

/** Operators of a Kubernetes label selector requirement. */
export enum SelectorOperator {
  IN = 'In',
  NOT_IN = 'NotIn',
  EXISTS = 'Exists',
  DOES_NOT_EXIST = 'DoesNotExist',
}

/** One `matchExpressions` entry. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Required (non-empty) for In and NotIn; must be absent for Exists and DoesNotExist. */
  readonly values?: readonly string[];
}

/** A Kubernetes label selector: `matchLabels` and `matchExpressions`, all ANDed. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelRequirement[];
}

/** A selector normalised for rendering and comparison: sorted labels, sorted expressions. */
export interface NormalizedSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly LabelRequirement[];
}

/** True when the selector has no terms, i.e. selects every pod in scope. */
export function isEmptySelector(selector: NormalizedSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

/** Sorts keys and expressions so that equal selectors render and compare equally. */
export function normalizeSelector(selector: LabelSelector): NormalizedSelector {
  const matchLabels: Record<string, string> = {};
  for (const key of Object.keys(selector.matchLabels ?? {}).sort()) {
    matchLabels[key] = selector.matchLabels![key];
  }
  const matchExpressions = (selector.matchExpressions ?? [])
    .map((e) => ({
      key: e.key,
      operator: e.operator,
      ...(e.values !== undefined ? { values: [...new Set(e.values)].sort() } : {}),
    }))
    .sort((a, b) => compareStrings(selectorRequirementKey(a), selectorRequirementKey(b)));
  return { matchLabels, matchExpressions };
}

/** A canonical string for a normalised selector, for de-duplication and ordering. */
export function selectorKey(selector: NormalizedSelector): string {
  const labels = Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`);
  return [...labels, ...selector.matchExpressions.map(selectorRequirementKey)].join(',');
}

/** A canonical string for one requirement. */
export function selectorRequirementKey(e: LabelRequirement): string {
  return `${e.key} ${e.operator} (${(e.values ?? []).join('|')})`;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Checks label keys, values and expression operators; `field` prefixes every reported field. */
export function validateSelector(selector: LabelSelector, path: string, field: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    issues.push(...validateLabel(key, value, path, `${field}.matchLabels`));
  }
  (selector.matchExpressions ?? []).forEach((expression, i) => {
    const at = `${field}.matchExpressions[${i}]`;
    const keyProblem = labelKeyProblem(expression.key);
    if (keyProblem) {
      issues.push({ path, field: `${at}.key`, message: keyProblem, fix: 'use a valid label key such as "app" or "app.kubernetes.io/name"' });
    }
    const operators = Object.values(SelectorOperator) as string[];
    if (!operators.includes(expression.operator)) {
      issues.push({
        path,
        field: `${at}.operator`,
        message: `operator '${String(expression.operator)}' is not one of ${operators.join(', ')}`,
        fix: 'use SelectorOperator.IN, NOT_IN, EXISTS or DOES_NOT_EXIST',
      });
      return;
    }
    const needsValues = expression.operator === SelectorOperator.IN || expression.operator === SelectorOperator.NOT_IN;
    if (needsValues && (expression.values === undefined || expression.values.length === 0)) {
      issues.push({
        path,
        field: `${at}.values`,
        message: `operator ${expression.operator} needs at least one value`,
        fix: `list the values, or use ${expression.operator === SelectorOperator.IN ? 'Exists' : 'DoesNotExist'} to test only for the key`,
      });
    }
    if (!needsValues && expression.values !== undefined && expression.values.length > 0) {
      issues.push({
        path,
        field: `${at}.values`,
        message: `operator ${expression.operator} takes no values`,
        fix: 'remove the values, or use In/NotIn to compare values',
      });
    }
    (expression.values ?? []).forEach((value, j) => {
      const problem = labelValueProblem(value);
      if (problem) issues.push({ path, field: `${at}.values[${j}]`, message: problem, fix: 'use a valid label value' });
    });
  });
  return issues;
}

/** Checks one label key and value. */
export function validateLabel(key: string, value: string, path: string, field: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const keyProblem = labelKeyProblem(key);
  if (keyProblem) {
    issues.push({ path, field: `${field}["${key}"]`, message: keyProblem, fix: 'use a valid label key such as "app" or "app.kubernetes.io/name"' });
  }
  if (typeof value !== 'string') {
    issues.push({ path, field: `${field}["${key}"]`, message: `label value must be a string, got ${typeof value}`, fix: 'quote the value' });
    return issues;
  }
  const valueProblem = labelValueProblem(value);
  if (valueProblem) {
    issues.push({ path, field: `${field}["${key}"]`, message: valueProblem, fix: 'use at most 63 alphanumerics, "-", "_" or "."' });
  }
  return issues;
}
