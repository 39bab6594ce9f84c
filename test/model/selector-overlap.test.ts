import * as fc from 'fast-check';
import { LabelRequirement, NormalizedSelector, normalizeSelector, SelectorOperator } from '../../src/model/selector';
import { coversSelector, coversDeclaredPods } from '../../src/model/selector-overlap';

const { IN, NOT_IN, EXISTS, DOES_NOT_EXIST } = SelectorOperator;

function selector(matchLabels: Record<string, string>, ...matchExpressions: LabelRequirement[]): NormalizedSelector {
  return normalizeSelector({ matchLabels, matchExpressions });
}

describe('coversDeclaredPods', () => {
  test.each<[string, NormalizedSelector, NormalizedSelector, boolean]>([
    ['matchLabels that the other extends', selector({ app: 'web' }), selector({ app: 'web', role: 'admin' }), true],
    ['matchLabels on another key: needs a label neither declares', selector({ app: 'web' }), selector({ tier: 'db' }), false],
    ['the narrower one does not select the wider one\'s pods', selector({ app: 'web', role: 'admin' }), selector({ app: 'web' }), false],
    ['NotIn on a key the other lacks', selector({}, { key: 'app', operator: NOT_IN, values: ['x'] }), selector({ tier: 'db' }), true],
    ['DoesNotExist on a key the other lacks', selector({}, { key: 'canary', operator: DOES_NOT_EXIST }), selector({ app: 'db' }), true],
    ['DoesNotExist on a key the other requires', selector({}, { key: 'app', operator: DOES_NOT_EXIST }), selector({ app: 'db' }), false],
    ['Exists on a key the other requires', selector({}, { key: 'app', operator: EXISTS }), selector({ app: 'db' }), true],
    ['Exists on a key the other lacks', selector({}, { key: 'tier', operator: EXISTS }), selector({ app: 'db' }), false],
    ['In covering every value the other allows', selector({}, { key: 'env', operator: IN, values: ['prod', 'staging'] }), selector({ env: 'prod' }), true],
    ['In sharing one value only: a partial overlap on a named key', selector({}, { key: 'env', operator: IN, values: ['prod'] }), selector({}, { key: 'env', operator: IN, values: ['prod', 'staging'] }), false],
    ['NotIn excluding the value the other requires', selector({}, { key: 'env', operator: NOT_IN, values: ['prod'] }), selector({ env: 'prod' }), false],
    ['NotIn against the other\'s Exists: some values are left out', selector({}, { key: 'env', operator: NOT_IN, values: ['prod'] }), selector({}, { key: 'env', operator: EXISTS }), false],
    ['NotIn implied by the other\'s wider NotIn and another label', selector({}, { key: 'env', operator: NOT_IN, values: ['prod'] }), selector({ app: 'x' }, { key: 'env', operator: NOT_IN, values: ['prod', 'dev'] }), true],
  ])('%s', (_name, wide, narrow, expected) => {
    expect(coversDeclaredPods(wide, narrow)).toBe(expected);
  });
});

describe('coversSelector', () => {
  test.each<[string, NormalizedSelector, NormalizedSelector, boolean]>([
    ['matchLabels subset', selector({ app: 'web' }), selector({ app: 'web', role: 'admin' }), true],
    ['In covering the other\'s value', selector({}, { key: 'env', operator: IN, values: ['a', 'b'] }), selector({ env: 'a' }), true],
    ['In sharing one value only', selector({}, { key: 'env', operator: IN, values: ['prod'] }), selector({}, { key: 'env', operator: IN, values: ['prod', 'staging'] }), false],
    ['NotIn on a key the other lacks: its pods may carry the value', selector({}, { key: 'app', operator: NOT_IN, values: ['x'] }), selector({ tier: 'db' }), false],
    ['NotIn implied by a value', selector({}, { key: 'app', operator: NOT_IN, values: ['x'] }), selector({ app: 'y' }), true],
    ['NotIn implied by a wider NotIn', selector({}, { key: 'app', operator: NOT_IN, values: ['x'] }), selector({}, { key: 'app', operator: NOT_IN, values: ['x', 'y'] }), true],
    ['DoesNotExist implied by DoesNotExist', selector({}, { key: 'c', operator: DOES_NOT_EXIST }), selector({ app: 'a' }, { key: 'c', operator: DOES_NOT_EXIST }), true],
  ])('%s', (_name, wide, narrow, expected) => {
    expect(coversSelector(wide, narrow)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------------
// Against brute force over a small universe: keys a, b, c; values x, y, and `other` (any other value).

const KEYS = ['a', 'b', 'c'] as const;
const VALUES = ['x', 'y'] as const;
const STATES = [undefined, 'x', 'y', 'other'] as const;

const requirementArb: fc.Arbitrary<LabelRequirement> = fc.oneof(
  fc.record({
    key: fc.constantFrom(...KEYS),
    operator: fc.constantFrom(IN, NOT_IN),
    values: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1 }),
  }),
  fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom(EXISTS, DOES_NOT_EXIST) }),
);
const selectorArb: fc.Arbitrary<NormalizedSelector> = fc
  .record({
    matchLabels: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 2 }),
    matchExpressions: fc.array(requirementArb, { maxLength: 3 }),
  })
  .map((s) => normalizeSelector(s));

function matches(s: NormalizedSelector, labels: Record<string, string | undefined>): boolean {
  const labelTerms = Object.entries(s.matchLabels).every(([k, v]) => labels[k] === v);
  return labelTerms && s.matchExpressions.every((e) => {
    const value = labels[e.key];
    switch (e.operator) {
      case IN: return value !== undefined && e.values!.includes(value);
      case NOT_IN: return value === undefined || !e.values!.includes(value);
      case EXISTS: return value !== undefined;
      case DOES_NOT_EXIST: return value === undefined;
    }
  });
}

function* labelSets(): Generator<Record<string, string | undefined>> {
  for (const a of STATES) for (const b of STATES) for (const c of STATES) yield { a, b, c };
}

function named(s: NormalizedSelector): Set<string> {
  return new Set([...Object.keys(s.matchLabels), ...s.matchExpressions.map((e) => e.key)]);
}

test('coversDeclaredPods and coversSelector agree with brute force', () => {
  fc.assert(
    fc.property(selectorArb, selectorArb, (wide, narrow) => {
      const keys = named(narrow);
      const declared = [...labelSets()].filter((l) => matches(narrow, l) && KEYS.every((k) => keys.has(k) || l[k] === undefined));
      const all = [...labelSets()].filter((l) => matches(narrow, l));
      // A contradictory selector selects nothing: there is nothing to capture.
      if (declared.length === 0) {
        expect(coversDeclaredPods(wide, narrow)).toBe(false);
        return;
      }
      expect(coversDeclaredPods(wide, narrow)).toBe(declared.every((l) => matches(wide, l)));
      expect(coversSelector(wide, narrow)).toBe(all.every((l) => matches(wide, l)));
    }),
    {
      numRuns: Number(process.env.SELECTOR_OVERLAP_RUNS ?? 2000),
      // Found by an earlier run: narrow `b In (x, y), b NotIn (y)` is `b = x`, which `b = x` covers.
      examples: [[
        { matchLabels: { b: 'x' }, matchExpressions: [] },
        { matchLabels: {}, matchExpressions: [{ key: 'b', operator: IN, values: ['x', 'y'] }, { key: 'b', operator: NOT_IN, values: ['y'] }] },
      ]],
    },
  );
});
