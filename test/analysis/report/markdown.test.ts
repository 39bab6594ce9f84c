import { smallReport, thirtyPodReport, verdict } from './report-fixtures';
import { formatMarkdown } from '../../../src/analysis/report';

describe('formatMarkdown', () => {
  test('small report: summary line, then per port the allowed destinations of each source', () => {
    expect(formatMarkdown(smallReport())).toBe([
      '### Connectivity',
      '',
      '**3 of 6** probed connections allowed (3 endpoints, 2 ports).',
      '',
      '#### 80/TCP: 2 of 3 allowed',
      '',
      '| From | Allowed to |',
      '| --- | --- |',
      '| `alpha-data/backend` | `alpha-web/frontend` |',
      '| `alpha-web/frontend` | `alpha-web/frontend` |',
      '',
      '#### 8080/TCP: 1 of 3 allowed',
      '',
      '| From | Allowed to |',
      '| --- | --- |',
      '| `alpha-web/frontend` | `alpha-data/backend` |',
      '',
      'Sources not listed under a port are allowed to nothing on it.',
      '',
    ].join('\n'));
  });

  test('30 pods: namespaces whose pods share a row collapse to `ns/*`, and the abbreviation is explained', () => {
    const out = formatMarkdown(thirtyPodReport());
    expect(out).toContain('**309 of 990** probed connections allowed (30 endpoints, 2 ports).');
    expect(out).toContain('| `tenant-a/*` | `tenant-a/*` |\n| `tenant-b/*` | `tenant-b/*` |\n| `tenant-c/*` | `tenant-c/*` |\n');
    expect(out).toContain('| `tenant-a/api-0` | `tenant-a/db-1`, `tenant-b/db-1`, `tenant-c/db-1` |');
    expect(out).toContain('`ns/*` = every endpoint of namespace `ns`');
    expect(out.split('\n').length).toBeLessThan(40);
  });

  test('a namespace is not abbreviated when one of its pods differs', () => {
    const pods = ['a/p1', 'a/p2', 'b/q1', 'b/q2'];
    const connections = pods.flatMap((from) => pods.map((to) => verdict(from, to, 80, to.startsWith('b/') && from !== 'a/p2')));
    const out = formatMarkdown({ pods, connections });
    expect(out).toContain('| `a/p1` | `b/*` |\n| `b/*` | `b/*` |\n');
    expect(out).not.toContain('`a/*`');
    expect(out).not.toContain('a/p2');
  });

  test('a source reaching every one of more than three destinations says so', () => {
    const pods = ['a/1', 'b/2', 'c/3', 'd/4'];
    const connections = pods.flatMap((to) => [verdict('a/1', to, 80, true), verdict('b/2', to, 80, to === 'a/1')]);
    const out = formatMarkdown({ pods, connections });
    expect(out).toContain('| `a/1` | _every probed destination (4)_ |');
    expect(out).toContain('| `b/2` | `a/1` |');
  });

  test('ports with nothing allowed, no ports, no pods', () => {
    expect(formatMarkdown({ pods: ['a/x'], connections: [verdict('a/x', 'a/x', 80, false)] })).toContain('#### 80/TCP: 0 of 1 allowed\n\n_No connections allowed._');
    expect(formatMarkdown({ pods: ['a/x'], connections: [] })).toContain('_No ports probed');
    expect(formatMarkdown({ pods: [], connections: [] })).toContain('_The input defines no pods._');
  });

  test('pipes in an external name cannot break the table', () => {
    const out = formatMarkdown({ pods: ['a/x', 'external:a|b'], connections: [verdict('a/x', 'external:a|b', 443, true)] });
    expect(out).toContain('| `a/x` | `external:a\\|b` |');
  });
});
