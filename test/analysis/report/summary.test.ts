import { formatSummary } from '../../../src/analysis/report';
import { ConnectivitySummary } from '../../../src/analysis/types';

const summary: ConnectivitySummary = {
  endpoints: 3000,
  ports: 2,
  evaluated: 18_000_000,
  allowed: 6_000_000,
  namespacePairs: [
    { from: 'tenant-a', to: 'tenant-a', allowed: 2_000_000, evaluated: 2_000_000 },
    { from: 'tenant-a', to: 'tenant-b', allowed: 5, evaluated: 2_000_000 },
  ],
};

describe('formatSummary', () => {
  test('table', () => {
    expect(formatSummary(summary, 'table')).toBe([
      '6000000 of 18000000 probed connections allowed (3000 endpoints, 2 ports).',
      '',
      'FROM NAMESPACE  TO NAMESPACE  ALLOWED  EVALUATED',
      'tenant-a        tenant-a      2000000    2000000',
      'tenant-a        tenant-b            5    2000000',
      '',
    ].join('\n'));
  });

  test('json keeps the contract key order', () => {
    const out = formatSummary(summary, 'json');
    expect(JSON.parse(out)).toEqual(summary);
    expect(out.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(out))).toEqual(['endpoints', 'ports', 'evaluated', 'allowed', 'namespacePairs']);
  });

  test('markdown', () => {
    expect(formatSummary(summary, 'markdown')).toBe([
      '### Connectivity summary',
      '',
      '**6000000 of 18000000** probed connections allowed (3000 endpoints, 2 ports).',
      '',
      '| From namespace | To namespace | Allowed | Evaluated |',
      '| --- | --- | ---: | ---: |',
      '| `tenant-a` | `tenant-a` | 2000000 | 2000000 |',
      '| `tenant-a` | `tenant-b` | 5 | 2000000 |',
      '',
    ].join('\n'));
  });

  test('dot draws namespaces and labels edges with counts', () => {
    const out = formatSummary(summary, 'dot');
    expect(out).toContain('  "tenant-a" -> "tenant-b" [label="5 of 2000000"];');
    expect(out.match(/^ {2}"tenant-[ab]";$/gm)).toHaveLength(2);
  });

  test('nothing allowed', () => {
    const none = { ...summary, allowed: 0, namespacePairs: [] };
    expect(formatSummary(none, 'table')).toContain('No namespace pair has an allowed connection.');
    expect(formatSummary(none, 'markdown')).toContain('_No namespace pair has an allowed connection._');
    expect(formatSummary({ ...none, endpoints: 1, ports: 1 }, 'table')).toContain('(1 endpoint, 1 port)');
  });
});
