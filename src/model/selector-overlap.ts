import { LabelRequirement, NormalizedSelector, SelectorOperator } from './selector';

/**
 * Whether one selector selects the pods another selects, decided exactly from their terms.
 *
 * Label selector semantics (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/):
 * all terms are ANDed; `NotIn` and `DoesNotExist` hold for a pod without the key. Every term constrains
 * one key, so a selector is a product over keys of the states it allows for each key. For one key the
 * states that matter are: absent, each value either selector mentions for it, and "any other value".
 * A non-empty product is inside another exactly when, key by key, its states are inside the other's.
 */

/** A state of one key: absent, a mentioned value, or any value neither selector mentions. */
type KeyState = { readonly kind: 'absent' } | { readonly kind: 'value'; readonly value: string } | { readonly kind: 'other' };

const ABSENT: KeyState = { kind: 'absent' };
const OTHER: KeyState = { kind: 'other' };

/**
 * Whether `wide` selects every pod that `narrow` declares: every pod that `narrow` selects and that
 * carries no label `narrow` does not name. Such pods would receive `wide`'s flows besides their own.
 * So `app NotIn (x)` selects the declared pods of a workload `{ tier: db }` (they have no `app` label),
 * while `{ app: web }` does not select those of `{ tier: db }`. False when `narrow` selects nothing.
 */
export function coversDeclaredPods(wide: NormalizedSelector, narrow: NormalizedSelector): boolean {
  return covers(wide, narrow, true);
}

/** True when every pod `narrow` selects, whatever its other labels, is selected by `wide`. False when `narrow` selects nothing. */
export function coversSelector(wide: NormalizedSelector, narrow: NormalizedSelector): boolean {
  return covers(wide, narrow, false);
}

function covers(wide: NormalizedSelector, narrow: NormalizedSelector, unnamedAbsent: boolean): boolean {
  // The common case, workloads told apart by a label's value, needs no states: a pod of `narrow` has
  // another value than `wide` requires (and a `narrow` that selects nothing is no cover either).
  if (requireOtherValues(wide, narrow)) return false;
  const wideTerms = termsByKey(wide);
  const narrowTerms = termsByKey(narrow);
  const keys = new Set([...wideTerms.keys(), ...narrowTerms.keys()]);
  let result = true;
  for (const key of keys) {
    const own = narrowTerms.get(key);
    const states = statesOf(key, wideTerms, narrowTerms);
    // A key `narrow` does not name is absent on its declared pods, or anything at all on the pods it selects.
    const narrowAllows = own ? states.filter((s) => own.every((t) => holds(t, s))) : unnamedAbsent ? [ABSENT] : states;
    // Narrow selects nothing: nothing to capture, whatever `wide` is.
    if (narrowAllows.length === 0) return false;
    const wideOwn = wideTerms.get(key) ?? [];
    if (!narrowAllows.every((s) => wideOwn.every((t) => holds(t, s)))) result = false;
  }
  return result;
}

/** True when `a` and `b` require different values of some label in their `matchLabels`. */
function requireOtherValues(a: NormalizedSelector, b: NormalizedSelector): boolean {
  for (const key of Object.keys(a.matchLabels)) {
    if (Object.hasOwn(b.matchLabels, key) && b.matchLabels[key] !== a.matchLabels[key]) return true;
  }
  return false;
}

/** The states of `key` that can tell the selectors apart. */
function statesOf(key: string, ...selectors: ReadonlyMap<string, readonly LabelRequirement[]>[]): KeyState[] {
  const values = new Set<string>();
  for (const terms of selectors) for (const term of terms.get(key) ?? []) for (const v of term.values ?? []) values.add(v);
  return [ABSENT, OTHER, ...[...values].map((value): KeyState => ({ kind: 'value', value }))];
}

function holds(term: LabelRequirement, state: KeyState): boolean {
  const listed = state.kind === 'value' && (term.values ?? []).includes(state.value);
  switch (term.operator) {
    case SelectorOperator.EXISTS:
      return state.kind !== 'absent';
    case SelectorOperator.DOES_NOT_EXIST:
      return state.kind === 'absent';
    case SelectorOperator.IN:
      return listed;
    case SelectorOperator.NOT_IN:
      return !listed;
  }
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
