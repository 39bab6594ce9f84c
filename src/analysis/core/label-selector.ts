/**
 * Kubernetes label selectors, compiled to requirements
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors).
 * Reading one from a manifest is `manifests/label-selector-field`.
 */

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export const SELECTOR_OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export function isSelectorOperator(value: unknown): value is SelectorOperator {
  return typeof value === 'string' && (SELECTOR_OPERATORS as readonly string[]).includes(value);
}

export interface LabelRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  /** Sorted and de-duplicated; empty for Exists/DoesNotExist. */
  readonly values: readonly string[];
}

/** A validated selector: `matchLabels` entries become `In` requirements with one value, all ANDed. */
export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  /** Equal for selectors that select the same objects by construction; used as a cache key. */
  readonly canonical: string;
}

export type Labels = ReadonlyMap<string, string>;

export function requirementMatches(requirement: LabelRequirement, labels: Labels): boolean {
  const value = labels.get(requirement.key);
  switch (requirement.operator) {
    case 'In': return value !== undefined && requirement.values.includes(value);
    // A missing key satisfies NotIn, as in apimachinery's Requirement.Matches.
    case 'NotIn': return value === undefined || !requirement.values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
  }
}

export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  return selector.requirements.every((requirement) => requirementMatches(requirement, labels));
}

export function makeSelector(requirements: readonly LabelRequirement[]): LabelSelector {
  const sorted = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
    || (a.operator < b.operator ? -1 : a.operator > b.operator ? 1 : 0)
    || (a.values.join('\u0000') < b.values.join('\u0000') ? -1 : 1));
  const canonical = JSON.stringify(sorted.map((r) => [r.key, r.operator, r.values]));
  return { requirements: sorted, canonical };
}
