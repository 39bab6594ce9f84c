import * as fc from 'fast-check';
import { ManifestIssue } from '../../../src/analysis';
import { hasBit } from '../../../src/analysis/core/bitset';
import { LabelIndex } from '../../../src/analysis/core/label-index';
import { makeSelector, selectorMatches, LabelRequirement } from '../../../src/analysis/core/label-selector';
import { DocumentIssues } from '../../../src/analysis/manifests/issues';
import { parseLabelSelector } from '../../../src/analysis/manifests/label-selector-field';

function parse(value: unknown): { selector: ReturnType<typeof parseLabelSelector>; issues: ManifestIssue[] } {
  const issues: ManifestIssue[] = [];
  const selector = parseLabelSelector(value, 'sel', new DocumentIssues(issues, { file: 'f', documentIndex: 0 }, undefined));
  return { selector, issues };
}

const labels = (entries: Record<string, string>): Map<string, string> => new Map(Object.entries(entries));

describe('label selectors', () => {
  test('matchLabels and expressions are ANDed; the empty selector matches everything', () => {
    const { selector } = parse({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] });
    expect(selectorMatches(selector!, labels({ app: 'web' }))).toBe(true);
    expect(selectorMatches(selector!, labels({ app: 'web', env: 'dev' }))).toBe(false);
    expect(selectorMatches(selector!, labels({ env: 'prod' }))).toBe(false);
    expect(selectorMatches(parse({}).selector!, labels({}))).toBe(true);
  });

  test('equivalent selectors share a canonical form', () => {
    const a = parse({ matchLabels: { b: '1', a: '2' }, matchExpressions: [{ key: 'c', operator: 'In', values: ['y', 'x', 'x'] }] }).selector!;
    const b = parse({ matchExpressions: [{ key: 'c', operator: 'In', values: ['x', 'y'] }, { key: 'a', operator: 'In', values: ['2'] }], matchLabels: { b: '1' } }).selector!;
    expect(a.canonical).toBe(b.canonical);
  });

  test('reports every problem of a selector', () => {
    const { selector, issues } = parse({ matchLabels: { 'a/b/c': 'x' }, matchExpressions: [{ key: 'k', operator: 'Equals', values: ['v'] }, 'nope'], extra: 1 });
    expect(selector).toBeUndefined();
    expect(issues.map((issue) => issue.field)).toEqual(['sel.extra', 'sel.matchLabels.a/b/c', 'sel.matchExpressions[0].operator', 'sel.matchExpressions[1]']);
  });

  test('LabelIndex.select agrees with selectorMatches', () => {
    const labelSet = fc.dictionary(fc.constantFrom('app', 'env', 'tier'), fc.constantFrom('a', 'b', ''), { maxKeys: 3 });
    const requirement: fc.Arbitrary<LabelRequirement> = fc.oneof(
      fc.record({ key: fc.constantFrom('app', 'env', 'tier'), operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.uniqueArray(fc.constantFrom('a', 'b', ''), { minLength: 1 }) }),
      fc.record({ key: fc.constantFrom('app', 'env', 'tier'), operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const), values: fc.constant([]) }),
    );
    fc.assert(fc.property(fc.array(labelSet, { maxLength: 40 }), fc.array(requirement, { maxLength: 3 }), (objects, requirements) => {
      const members = objects.map((entries, index) => ({ index, labels: labels(entries) }));
      const selector = makeSelector(requirements.map((r) => ({ ...r, values: [...r.values].sort() })));
      const selected = new LabelIndex(objects.length + 5, members).select(selector);
      members.forEach((member) => expect(hasBit(selected, member.index)).toBe(selectorMatches(selector, member.labels)));
      // Indices outside the indexed objects are never selected, even by NotIn/DoesNotExist.
      for (let index = objects.length; index < objects.length + 5; index++) expect(hasBit(selected, index)).toBe(false);
    }));
  });
});
