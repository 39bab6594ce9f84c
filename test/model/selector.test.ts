import {
  isEmptySelector,
  LabelSelector,
  normalizeSelector,
  SelectorOperator,
  selectorKey,
  validateLabel,
  validateSelector,
} from '../../src/model/selector';

const PATH = 'platform/web/frontend';

describe('validateSelector', () => {
  test('accepts valid labels and every operator used correctly', () => {
    const selector: LabelSelector = {
      matchLabels: { 'app': 'web', 'app.kubernetes.io/part-of': 'shop', 'empty': '' },
      matchExpressions: [
        { key: 'tier', operator: SelectorOperator.IN, values: ['a', 'b'] },
        { key: 'env', operator: SelectorOperator.NOT_IN, values: ['dev'] },
        { key: 'canary', operator: SelectorOperator.EXISTS },
        { key: 'legacy', operator: SelectorOperator.DOES_NOT_EXIST },
        { key: 'x', operator: SelectorOperator.EXISTS, values: [] },
      ],
    };
    expect(validateSelector(selector, PATH, 'selector')).toEqual([]);
  });

  test('an invalid matchLabels key names the key in the field', () => {
    expect(validateSelector({ matchLabels: { 'bad key': 'v' } }, PATH, 'selector')).toEqual([
      {
        path: PATH,
        field: 'selector.matchLabels["bad key"]',
        message: "label key 'bad key' is invalid (alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric)",
        fix: 'use a valid label key such as "app" or "app.kubernetes.io/name"',
      },
    ]);
  });

  test('an invalid matchLabels value', () => {
    expect(validateSelector({ matchLabels: { app: 'web!' } }, PATH, 'labels')).toEqual([
      {
        path: PATH,
        field: 'labels.matchLabels["app"]',
        message: "label value 'web!' is invalid (alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric)",
        fix: 'use at most 63 alphanumerics, "-", "_" or "."',
      },
    ]);
  });

  test('an unknown operator is reported and its values are not checked further', () => {
    const issues = validateSelector({ matchExpressions: [{ key: 'app', operator: 'in' as SelectorOperator, values: ['-bad-'] }] }, PATH, 'selector');
    expect(issues).toEqual([
      {
        path: PATH,
        field: 'selector.matchExpressions[0].operator',
        message: "operator 'in' is not one of In, NotIn, Exists, DoesNotExist",
        fix: 'use SelectorOperator.IN, NOT_IN, EXISTS or DOES_NOT_EXIST',
      },
    ]);
  });

  test.each([SelectorOperator.IN, SelectorOperator.NOT_IN])('%s needs at least one value (missing or empty)', (operator) => {
    for (const values of [undefined, []]) {
      const issues = validateSelector({ matchExpressions: [{ key: 'app', operator, values }] }, PATH, 'selector');
      expect(issues).toHaveLength(1);
      expect(issues[0].field).toBe('selector.matchExpressions[0].values');
      expect(issues[0].message).toBe(`operator ${operator} needs at least one value`);
      expect(issues[0].fix).toContain(operator === SelectorOperator.IN ? 'use Exists' : 'use DoesNotExist');
    }
  });

  test.each([SelectorOperator.EXISTS, SelectorOperator.DOES_NOT_EXIST])('%s takes no values', (operator) => {
    expect(validateSelector({ matchExpressions: [{ key: 'app', operator, values: ['x'] }] }, PATH, 'selector')).toEqual([
      {
        path: PATH,
        field: 'selector.matchExpressions[0].values',
        message: `operator ${operator} takes no values`,
        fix: 'remove the values, or use In/NotIn to compare values',
      },
    ]);
  });

  test('expression keys and every expression value are checked, with indexes in the field', () => {
    const issues = validateSelector(
      {
        matchExpressions: [
          { key: 'ok', operator: SelectorOperator.EXISTS },
          { key: 'a/b/c', operator: SelectorOperator.IN, values: ['good', 'bad value', 'v'.repeat(64)] },
        ],
      },
      PATH,
      'selector',
    );
    expect(issues.map((i) => [i.field, i.message])).toEqual([
      ['selector.matchExpressions[1].key', "label key 'a/b/c' has more than one '/'"],
      ['selector.matchExpressions[1].values[1]', expect.stringContaining("label value 'bad value' is invalid")],
      ['selector.matchExpressions[1].values[2]', expect.stringContaining('is 64 characters long')],
    ]);
  });

  test('every problem is reported, not just the first', () => {
    const issues = validateSelector(
      { matchLabels: { '-a': 'x', 'b': '-y' }, matchExpressions: [{ key: 'c', operator: SelectorOperator.IN }, { key: 'd', operator: SelectorOperator.EXISTS, values: ['z'] }] },
      PATH,
      'selector',
    );
    expect(issues).toHaveLength(4);
  });

  test('the empty selector is valid syntax (emptiness is the resolver\'s concern)', () => {
    expect(validateSelector({}, PATH, 'selector')).toEqual([]);
  });
});

describe('validateLabel', () => {
  test('a non-string value (from untyped callers) is reported', () => {
    expect(validateLabel('app', 5 as unknown as string, PATH, 'labels')).toEqual([
      { path: PATH, field: 'labels["app"]', message: 'label value must be a string, got number', fix: 'quote the value' },
    ]);
  });

  test('key and value problems are both reported', () => {
    expect(validateLabel('-k', '-v', PATH, 'labels').map((i) => i.message)).toEqual([
      expect.stringContaining("label key '-k' is invalid"),
      expect.stringContaining("label value '-v' is invalid"),
    ]);
  });
});

describe('normalizeSelector', () => {
  test('sorts labels by key, sorts and de-duplicates expression values, sorts expressions', () => {
    const normalized = normalizeSelector({
      matchLabels: { z: '1', a: '2', m: '3' },
      matchExpressions: [
        { key: 'tier', operator: SelectorOperator.IN, values: ['b', 'a', 'b'] },
        { key: 'env', operator: SelectorOperator.EXISTS },
        { key: 'env', operator: SelectorOperator.DOES_NOT_EXIST },
      ],
    });
    expect(Object.keys(normalized.matchLabels)).toEqual(['a', 'm', 'z']);
    expect(normalized.matchExpressions).toEqual([
      { key: 'env', operator: SelectorOperator.DOES_NOT_EXIST },
      { key: 'env', operator: SelectorOperator.EXISTS },
      { key: 'tier', operator: SelectorOperator.IN, values: ['a', 'b'] },
    ]);
  });

  test('fills absent parts with empty ones and never adds a values key', () => {
    expect(normalizeSelector({})).toEqual({ matchLabels: {}, matchExpressions: [] });
    const exists = normalizeSelector({ matchExpressions: [{ key: 'a', operator: SelectorOperator.EXISTS }] });
    expect('values' in exists.matchExpressions[0]).toBe(false);
  });

  test('does not modify its input', () => {
    const input = { matchLabels: { b: '1', a: '2' }, matchExpressions: [{ key: 'k', operator: SelectorOperator.IN, values: ['y', 'x'] }] };
    normalizeSelector(input);
    expect(Object.keys(input.matchLabels)).toEqual(['b', 'a']);
    expect(input.matchExpressions[0].values).toEqual(['y', 'x']);
  });

  test('isEmptySelector', () => {
    expect(isEmptySelector(normalizeSelector({}))).toBe(true);
    expect(isEmptySelector(normalizeSelector({ matchLabels: {}, matchExpressions: [] }))).toBe(true);
    expect(isEmptySelector(normalizeSelector({ matchLabels: { a: '' } }))).toBe(false);
    expect(isEmptySelector(normalizeSelector({ matchExpressions: [{ key: 'a', operator: SelectorOperator.EXISTS }] }))).toBe(false);
  });
});

describe('selectorKey (selector identity)', () => {
  const key = (s: LabelSelector) => selectorKey(normalizeSelector(s));

  test('equal selectors written in different orders have the same key', () => {
    expect(key({ matchLabels: { a: '1', b: '2' } })).toBe(key({ matchLabels: { b: '2', a: '1' } }));
    expect(
      key({
        matchExpressions: [
          { key: 'x', operator: SelectorOperator.IN, values: ['2', '1'] },
          { key: 'y', operator: SelectorOperator.EXISTS },
        ],
      }),
    ).toBe(
      key({
        matchExpressions: [
          { key: 'y', operator: SelectorOperator.EXISTS },
          { key: 'x', operator: SelectorOperator.IN, values: ['1', '2', '1'] },
        ],
      }),
    );
  });

  test('different selectors have different keys', () => {
    const keys = [
      key({}),
      key({ matchLabels: { a: '1' } }),
      key({ matchLabels: { a: '2' } }),
      key({ matchLabels: { a: '' } }),
      key({ matchLabels: { b: '1' } }),
      key({ matchLabels: { a: '1', b: '1' } }),
      key({ matchExpressions: [{ key: 'a', operator: SelectorOperator.IN, values: ['1'] }] }),
      key({ matchExpressions: [{ key: 'a', operator: SelectorOperator.NOT_IN, values: ['1'] }] }),
      key({ matchExpressions: [{ key: 'a', operator: SelectorOperator.IN, values: ['1', '2'] }] }),
      key({ matchExpressions: [{ key: 'a', operator: SelectorOperator.EXISTS }] }),
      key({ matchExpressions: [{ key: 'a', operator: SelectorOperator.DOES_NOT_EXIST }] }),
      key({ matchLabels: { a: '1' }, matchExpressions: [{ key: 'a', operator: SelectorOperator.EXISTS }] }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});
