import { formatIssues } from '../../../src/analysis/report';

describe('formatIssues', () => {
  test('one `file#doc: object field: message` line per issue, parts omitted when unknown', () => {
    expect(formatIssues([
      {
        file: 'policies.yaml', documentIndex: 2, object: 'NetworkPolicy alpha/web', field: 'spec.ingress[0].ports[0].port', message: 'must be 1-65535, got 0',
      },
      { file: '<stdin>', documentIndex: 0, message: 'YAML syntax error at line 3, column 1: bad indentation' },
      { file: 'a.yaml', documentIndex: 1, object: 'Pod alpha/x', message: 'metadata.name is missing' },
      { file: 'b.yaml', documentIndex: 0, field: 'kind', message: 'is missing' },
    ])).toBe([
      'policies.yaml#2: NetworkPolicy alpha/web spec.ingress[0].ports[0].port: must be 1-65535, got 0',
      '<stdin>#0: YAML syntax error at line 3, column 1: bad indentation',
      'a.yaml#1: Pod alpha/x: metadata.name is missing',
      'b.yaml#0: kind: is missing',
      '',
    ].join('\n'));
  });

  test('no issues, no output', () => {
    expect(formatIssues([])).toBe('');
  });
});
