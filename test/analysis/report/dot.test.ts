import { smallReport, verdict } from './report-fixtures';
import { formatDot } from '../../../src/analysis/report';

describe('formatDot', () => {
  test('small report: clusters per namespace, externals outside, one edge per allowed pair', () => {
    expect(formatDot(smallReport())).toBe(`digraph connectivity {
  rankdir=LR;
  node [shape=box, fontname="Helvetica"];
  edge [fontname="Helvetica", fontsize=10];
  subgraph "cluster_alpha-data" {
    label="alpha-data";
    "alpha-data/backend" [label="backend"];
  }
  subgraph "cluster_alpha-web" {
    label="alpha-web";
    "alpha-web/frontend" [label="frontend"];
  }
  "external:dns" [label="external:dns", shape=ellipse];
  "alpha-data/backend" -> "alpha-web/frontend" [label="80/TCP"];
  "alpha-web/frontend" -> "alpha-data/backend" [label="8080/TCP"];
  "alpha-web/frontend" -> "alpha-web/frontend" [label="80/TCP"];
}
`);
  });

  test('ports of a pair are merged in numeric order, TCP before UDP, without duplicates', () => {
    const out = formatDot({
      pods: ['a/x', 'b/y'],
      connections: [
        verdict('a/x', 'b/y', 8080, true),
        verdict('a/x', 'b/y', 443, true),
        verdict('a/x', 'b/y', 53, true, 'UDP'),
        verdict('a/x', 'b/y', 53, true, 'TCP'),
        verdict('a/x', 'b/y', 443, true),
        verdict('a/x', 'b/y', 9090, false),
      ],
    });
    expect(out).toContain('"a/x" -> "b/y" [label="53/TCP, 53/UDP, 443/TCP, 8080/TCP"];');
    expect(out.match(/->/g)).toHaveLength(1);
  });

  test('quotes and backslashes in ids are escaped', () => {
    const out = formatDot({ pods: ['external:we"ird\\name'], connections: [] });
    expect(out).toContain('"external:we\\"ird\\\\name" [label="external:we\\"ird\\\\name", shape=ellipse];');
  });

  test('edges follow endpoint order, not input order', () => {
    const report = smallReport();
    expect(formatDot({ pods: report.pods, connections: [...report.connections].reverse() })).toBe(formatDot(report));
  });
});
