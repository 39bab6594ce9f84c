import { LabelRequirement, NormalizedSelector, SelectorOperator } from './selector';

/**
 * Whether `wide` selects every pod that `narrow` declares: every pod that `narrow` selects and that
 * carries no label `narrow` does not name. Such pods would receive `wide`'s flows besides their own.
 *
 * Label selector semantics (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/):
 * all terms are ANDed; `NotIn` and `DoesNotExist` hold for a pod without the key. So `app NotIn (x)`
 * selects the declared pods of a workload `{ tier: db }` (they have no `app` label), while `{ app: web }`
 * does not select those of `{ tier: db }`: a pod would need a label that neither declares.
 */
export function coversDeclaredPods(wide: NormalizedSelector, narrow: NormalizedSelector): boolean {
  const narrowTerms = termsByKey(narrow);
  for (const [key, terms] of termsByKey(wide)) {
    const own = narrowTerms.get(key);
    // A key `narrow` does not name is absent on its declared pods.
    if (!own ? !allowsAbsent(terms) : !terms.every((term) => implied(term, own))) return false;
  }
  return true;
}

/** True when every pod `narrow` selects, whatever its other labels, is selected by `wide` (decided from the terms). */
export function coversSelector(wide: NormalizedSelector, narrow: NormalizedSelector): boolean {
  const narrowTerms = termsByKey(narrow);
  for (const [key, terms] of termsByKey(wide)) {
    const own = narrowTerms.get(key) ?? [];
    // Each wide term must hold for every state of the key that narrow's terms leave possible.
    if (!terms.every((term) => implied(term, own))) return false;
  }
  return true;
}

/** `matchLabels` as `In` terms with one value, then the expressions, grouped by key. */
function termsByKey(selector: NormalizedSelector): Map<string, LabelRequirement[]> {
  const terms = new Map<string, LabelRequirement[]>();
  const add = (term: LabelRequirement) => {
    const list = terms.get(term.key) ?? [];
    list.push(term);
    terms.set(term.key, list);
  };
  for (const [key, value] of Object.entries(selector.matchLabels)) add({ key, operator: SelectorOperator.IN, values: [value] });
  selector.matchExpressions.forEach(add);
  return terms;
}

function allowsAbsent(terms: readonly LabelRequirement[]): boolean {
  return terms.every((t) => t.operator === SelectorOperator.NOT_IN || t.operator === SelectorOperator.DOES_NOT_EXIST);
}

/** Whether `term` holds for every state of its key that the terms `given` (all on that key) allow. */
function implied(term: LabelRequirement, given: readonly LabelRequirement[]): boolean {
  const values = term.values ?? [];
  const required = given.filter((t) => t.operator === SelectorOperator.IN).map((t) => t.values ?? []);
  const present = required.length > 0 || given.some((t) => t.operator === SelectorOperator.EXISTS);
  const absent = given.some((t) => t.operator === SelectorOperator.DOES_NOT_EXIST);
  // The possible values when present: the intersection of the In lists (unbounded when there is none).
  const possible = required.length > 0 ? required.reduce((acc, list) => acc.filter((v) => list.includes(v))) : undefined;
  switch (term.operator) {
    case SelectorOperator.EXISTS:
      return present;
    case SelectorOperator.DOES_NOT_EXIST:
      return absent;
    case SelectorOperator.IN:
      return possible !== undefined && possible.every((v) => values.includes(v));
    case SelectorOperator.NOT_IN:
      if (absent) return true;
      if (possible !== undefined) return possible.every((v) => !values.includes(v));
      // Unbounded values: only a NotIn of narrow that excludes at least these values implies it.
      return given.some((t) => t.operator === SelectorOperator.NOT_IN && values.every((v) => (t.values ?? []).includes(v)));
  }
}
