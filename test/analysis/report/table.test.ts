import { smallReport, thirtyPodReport, verdict } from './report-fixtures';
import { formatTable, MAX_ROW_LABEL } from '../../../src/analysis/report';

describe('formatTable', () => {
  test('small report: endpoint list, one matrix per port in numeric port order, legend', () => {
    expect(formatTable(smallReport())).toBe([
      'Endpoints:',
      '  1  alpha-data/backend',
      '  2  alpha-web/frontend',
      '  3  external:dns',
      '',
      '80/TCP: 2 of 3 connections allowed',
      'from \\ to             2',
      '1 alpha-data/backend  X',
      '2 alpha-web/frontend  X',
      '3 external:dns        .',
      '',
      '8080/TCP: 1 of 3 connections allowed',
      'from \\ to             1',
      '1 alpha-data/backend  .',
      '2 alpha-web/frontend  X',
      '3 external:dns        .',
      '',
      'Legend: X allowed, . denied, - not probed.',
      'Rows: sources. Columns: destinations, numbered as under Endpoints (read top to bottom).',
      '',
    ].join('\n'));
  });

  test('a pair missing from the report is shown as not probed, not as denied', () => {
    const out = formatTable({
      pods: ['a/x', 'a/y'],
      connections: [verdict('a/x', 'a/x', 80, true), verdict('a/x', 'a/y', 80, false), verdict('a/y', 'a/x', 80, true)],
    });
    expect(out).toContain('1 a/x      X.\n');
    expect(out).toContain('2 a/y      X-\n');
  });

  test('an endpoint missing from pods is still shown, after the listed ones', () => {
    const out = formatTable({ pods: ['a/x'], connections: [verdict('a/x', 'b/ghost', 80, true)] });
    expect(out).toContain('  1  a/x\n  2  b/ghost\n');
    expect(out).toContain('1 a/x      X\n');
  });

  test('input order of connections does not change the output', () => {
    const report = smallReport();
    const shuffled = { pods: report.pods, connections: [...report.connections].reverse() };
    expect(formatTable(shuffled)).toBe(formatTable(report));
  });

  test('verdicts with the same port number but different protocols get separate matrices, TCP first', () => {
    const out = formatTable({ pods: ['a/x'], connections: [verdict('a/x', 'a/x', 53, true, 'UDP'), verdict('a/x', 'a/x', 53, false, 'TCP')] });
    expect(out.indexOf('53/TCP: 0 of 1')).toBeGreaterThan(0);
    expect(out.indexOf('53/UDP: 1 of 1')).toBeGreaterThan(out.indexOf('53/TCP'));
  });

  test('no pods, and pods without probed ports, say so instead of printing an empty matrix', () => {
    expect(formatTable({ pods: [], connections: [] })).toBe('No endpoints: the input defines no pods.\n');
    const out = formatTable({ pods: ['a/x'], connections: [] });
    expect(out).toContain('  1  a/x');
    expect(out).toContain('No ports probed');
    expect(out).toContain('--port');
  });

  describe('30 pods', () => {
    const out = formatTable(thirtyPodReport());
    const lines = out.split('\n');

    test('every line fits in 90 columns although one pod name is 68 characters long', () => {
      const widest = Math.max(...lines.map((l) => l.length));
      expect(widest).toBeLessThanOrEqual(90);
      // The full name is still in the endpoint list; only matrix row labels are shortened.
      expect(lines).toContain(`  30  tenant-c/worker-${'x'.repeat(50)}-2`);
      expect(lines.some((l) => l.startsWith('30 ') && l.includes('…') && l.length <= 3 + MAX_ROW_LABEL + 2 + 35)).toBe(true);
    });

    test('column headers are endpoint numbers written vertically, grouped by five', () => {
      const header = lines.indexOf('8080/TCP: 300 of 900 connections allowed');
      expect(header).toBeGreaterThan(0);
      expect(lines[header + 1]).toMatch(/^from \\ to +1 11111 11112 22222 22223$/);
      expect(lines[header + 2]).toMatch(/^ +12345 67890 12345 67890 12345 67890$/);
      expect(lines[header + 3]).toMatch(/^ 1 tenant-a\/api-0 +XXXXX XXXXX \.\.\.\.\. \.\.\.\.\. \.\.\.\.\. \.\.\.\.\.$/);
      // Digits and cells line up: the matrix starts in the same column on every line.
      const start = lines[header + 2].indexOf('1');
      expect(lines[header + 3].indexOf('X')).toBe(start);
      expect(lines[header + 1].indexOf('1')).toBe(start + 9 + 1);
    });

    test('a matrix has only the destinations probed on its port', () => {
      const header = lines.indexOf('5432/TCP: 9 of 90 connections allowed');
      expect(lines[header + 1]).toMatch(/ 12$/);
      expect(lines[header + 2]).toMatch(/ 222$/);
      expect(lines[header + 3]).toMatch(/^ 1 tenant-a\/api-0 +XXX$/);
    });

    test('has the legend and every endpoint once in the endpoint list', () => {
      expect(out).toContain('Legend: X allowed, . denied, - not probed.');
      const listed = lines.slice(1, 31).map((l) => l.trim().split(/\s+/)[1]);
      expect(listed).toEqual(thirtyPodReport().pods);
    });
  });
});
