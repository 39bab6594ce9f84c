import { ManifestIssue } from '../../../src/analysis';
import { DocumentIssues } from '../../../src/analysis/manifests/issues';
import { parseLabelSelector } from '../../../src/analysis/manifests/label-selector-field';

function parse(value: unknown): { selector: ReturnType<typeof parseLabelSelector>; issues: string[] } {
  const issues: ManifestIssue[] = [];
  const selector = parseLabelSelector(value, 'spec.podSelector', new DocumentIssues(issues, { file: 'f', documentIndex: 0 }, undefined));
  return { selector, issues: issues.map((issue) => `${issue.field}: ${issue.message}`) };
}

describe('reading a label selector field', () => {
  test('matchLabels become In requirements; expression values are sorted and de-duplicated', () => {
    expect(parse({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['b', 'a', 'b'] }] }).selector!.requirements).toEqual([
      { key: 'app', operator: 'In', values: ['web'] },
      { key: 'env', operator: 'NotIn', values: ['a', 'b'] },
    ]);
    expect(parse({ matchLabels: null, matchExpressions: null }).selector!.requirements).toEqual([]);
  });

  test('operators need the right number of values', () => {
    expect(parse({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }, { key: 'b', operator: 'Exists', values: ['x'] }] }).issues).toEqual([
      'spec.podSelector.matchExpressions[0].values: must be non-empty when operator is In',
      'spec.podSelector.matchExpressions[1].values: must be empty when operator is Exists',
    ]);
  });

  test('keys, values and shapes are validated', () => {
    expect(parse('app=web').issues).toEqual(['spec.podSelector: must be a label selector object, got a string ("app=web")']);
    expect(parse({ matchLabels: ['a'] }).issues).toEqual(['spec.podSelector.matchLabels: must be a map of label keys to values, got a list']);
    expect(parse({ matchLabels: { app: 1 } }).issues).toEqual(['spec.podSelector.matchLabels.app: label value must be a string, got a number (1)']);
    expect(parse({ matchExpressions: {} }).issues).toEqual(['spec.podSelector.matchExpressions: must be a list, got an object']);
    expect(parse({ matchExpressions: [{ operator: 'Exists', extra: 1 }] }).issues).toEqual([
      'spec.podSelector.matchExpressions[0].extra: unknown field (expected one of key, operator, values)',
      'spec.podSelector.matchExpressions[0].key: is required',
    ]);
    expect(parse({ matchExpressions: [{ key: 'a', operator: 'In', values: 'x' }] }).issues).toEqual([
      'spec.podSelector.matchExpressions[0].values: must be a list of strings, got a string ("x")',
    ]);
    expect(parse({ matchExpressions: [{ key: 'a', operator: 'In', values: [1, 'bad value'] }] }).issues).toEqual([
      'spec.podSelector.matchExpressions[0].values[0]: must be a string, got a number (1)',
      expect.stringMatching(/^spec\.podSelector\.matchExpressions\[0\]\.values\[1\]: invalid label value "bad value"/),
    ]);
    expect(parse({ matchExpressions: [{ key: 'a', operator: 'exists' }] }).issues).toEqual([
      'spec.podSelector.matchExpressions[0].operator: must be one of In, NotIn, Exists, DoesNotExist (case-sensitive); got "exists"',
    ]);
  });
});
