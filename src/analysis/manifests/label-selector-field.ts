import { describeValue, isAbsent, isRecord, reportUnknownFields } from './fields';
import { DocumentIssues } from './issues';
import { isSelectorOperator, LabelRequirement, LabelSelector, makeSelector, SelectorOperator } from '../core/label-selector';
import { labelKeyProblem, labelValueProblem } from '../core/label-syntax';

const SELECTOR_FIELDS = new Set(['matchLabels', 'matchExpressions']);
const EXPRESSION_FIELDS = new Set(['key', 'operator', 'values']);

function parseMatchLabels(value: unknown, field: string, issues: DocumentIssues, out: LabelRequirement[]): boolean {
  if (isAbsent(value)) return true;
  if (!isRecord(value)) {
    issues.add(field, `must be a map of label keys to values, got ${describeValue(value)}`);
    return false;
  }
  let valid = true;
  for (const [key, labelValue] of Object.entries(value)) {
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) {
      issues.add(`${field}.${key}`, `invalid label key "${key}": ${keyProblem}`);
      valid = false;
    }
    if (typeof labelValue !== 'string') {
      issues.add(`${field}.${key}`, `label value must be a string, got ${describeValue(labelValue)}`);
      valid = false;
      continue;
    }
    const valueProblem = labelValueProblem(labelValue);
    if (valueProblem) {
      issues.add(`${field}.${key}`, `invalid label value "${labelValue}": ${valueProblem}`);
      valid = false;
    }
    out.push({ key, operator: 'In', values: [labelValue] });
  }
  return valid;
}

/** How a dialect's selectors check and spell label keys: the API server's rules unless told otherwise. */
export interface SelectorKeys {
  /** Why a key is invalid, or undefined. */
  problem(key: string): string | undefined;
  /** The key as the dialect compares it (e.g. Cilium's `k8s:` source prefix). @default the key as written */
  normalize?(key: string): string;
}

const API_SERVER_KEYS: SelectorKeys = { problem: labelKeyProblem };

/** One `matchExpressions` entry, validated as the API server does (keys checked by `keys`). */
export function parseSelectorRequirement(
  value: unknown,
  field: string,
  issues: DocumentIssues,
  keys: SelectorKeys = API_SERVER_KEYS,
): LabelRequirement | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be an object with key, operator and values, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, EXPRESSION_FIELDS, field, issues);
  let valid = true;
  const key = value.key;
  if (typeof key !== 'string') {
    issues.add(`${field}.key`, isAbsent(key) ? 'is required' : `must be a string, got ${describeValue(key)}`);
    valid = false;
  } else {
    const keyProblem = keys.problem(key);
    if (keyProblem) {
      issues.add(`${field}.key`, `invalid label key "${key}": ${keyProblem}`);
      valid = false;
    }
  }
  const operator = value.operator;
  if (!isSelectorOperator(operator)) {
    const got = isAbsent(operator) ? 'it is missing' : `got ${JSON.stringify(operator)}`;
    issues.add(`${field}.operator`, `must be one of In, NotIn, Exists, DoesNotExist (case-sensitive); ${got}`);
    valid = false;
  }
  const rawValues = isAbsent(value.values) ? [] : value.values;
  const values: string[] = [];
  if (!Array.isArray(rawValues)) {
    issues.add(`${field}.values`, `must be a list of strings, got ${describeValue(rawValues)}`);
    valid = false;
  } else {
    rawValues.forEach((item, index) => {
      if (typeof item !== 'string') {
        issues.add(`${field}.values[${index}]`, `must be a string, got ${describeValue(item)}`);
        valid = false;
        return;
      }
      const problem = labelValueProblem(item);
      if (problem) {
        issues.add(`${field}.values[${index}]`, `invalid label value "${item}": ${problem}`);
        valid = false;
      }
      values.push(item);
    });
  }
  if ((operator === 'In' || operator === 'NotIn') && Array.isArray(rawValues) && rawValues.length === 0) {
    issues.add(`${field}.values`, `must be non-empty when operator is ${operator}`);
    valid = false;
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && Array.isArray(rawValues) && rawValues.length > 0) {
    issues.add(`${field}.values`, `must be empty when operator is ${operator}`);
    valid = false;
  }
  if (!valid) return undefined;
  const written = key as string;
  return { key: keys.normalize ? keys.normalize(written) : written, operator: operator as SelectorOperator, values: [...new Set(values)].sort() };
}

/**
 * Validates a metav1.LabelSelector as the API server does and compiles it.
 * Returns undefined when invalid (after reporting every problem found).
 */
export function parseLabelSelector(value: unknown, field: string, issues: DocumentIssues): LabelSelector | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be a label selector object, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, SELECTOR_FIELDS, field, issues);
  const requirements: LabelRequirement[] = [];
  let valid = parseMatchLabels(value.matchLabels, `${field}.matchLabels`, issues, requirements);
  const expressions = value.matchExpressions;
  if (!isAbsent(expressions)) {
    if (!Array.isArray(expressions)) {
      issues.add(`${field}.matchExpressions`, `must be a list, got ${describeValue(expressions)}`);
      valid = false;
    } else {
      expressions.forEach((expression, index) => {
        const requirement = parseSelectorRequirement(expression, `${field}.matchExpressions[${index}]`, issues);
        if (requirement) {
          requirements.push(requirement);
        } else {
          valid = false;
        }
      });
    }
  }
  return valid ? makeSelector(requirements) : undefined;
}
