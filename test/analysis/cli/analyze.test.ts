import * as fs from 'fs';
import { fixture, zt } from './run-cli';
import { ConnectivityReport, ConnectivitySummary } from '../../../src/analysis/types';
import { formatNotes } from '../../../src/cli/notes';

const BASIC = fixture('basic');

function verdictOf(report: ConnectivityReport, from: string, to: string, port: number) {
  return report.connections.find((c) => c.from === from && c.to === to && c.port === port);
}

/** `count` pods spread over 10 namespaces, as one JSON List document. */
function podList(count: number): string {
  const items = Array.from({ length: count }, (_, i) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: `ns${i % 10}` }, spec: { containers: [{ name: 'c', image: 'i' }] },
  }));
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

describe('zt analyze', () => {
  test('a directory is read recursively; the default table probes each pod\'s declared ports', async () => {
    const { code, stdout, stderr } = await zt(['analyze', BASIC]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('  1  alpha-data/backend\n  2  alpha-web/frontend\n');
    expect(stdout).toContain('8080/TCP: 1 of 2 connections allowed\nfrom \\ to             1\n1 alpha-data/backend  .\n2 alpha-web/frontend  X\n');
    expect(stdout).toContain('80/TCP: 2 of 2 connections allowed');
    expect(stdout).toContain('Legend:');
  });

  test('--format json is the report contract, with the policies that allowed each connection', async () => {
    const { code, stdout } = await zt(['analyze', BASIC, '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as ConnectivityReport;
    expect(report.pods).toEqual(['alpha-data/backend', 'alpha-web/frontend']);
    expect(report.connections).toHaveLength(4);
    expect(verdictOf(report, 'alpha-web/frontend', 'alpha-data/backend', 8080)).toEqual({
      from: 'alpha-web/frontend',
      to: 'alpha-data/backend',
      port: 8080,
      protocol: 'TCP',
      allowed: true,
      egressPolicies: [],
      ingressPolicies: ['alpha-data/backend-ingress'],
    });
    expect(verdictOf(report, 'alpha-data/backend', 'alpha-data/backend', 8080)?.allowed).toBe(false);
  });

  test('--port replaces the declared ports for every destination', async () => {
    const { code, stdout } = await zt(['analyze', BASIC, '--format', 'json', '--port', '8080', '--port', '53/udp']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as ConnectivityReport;
    expect(new Set(report.connections.map((c) => `${c.port}/${c.protocol}`))).toEqual(new Set(['8080/TCP', '53/UDP']));
    expect(report.connections).toHaveLength(2 * 2 * 2);
    expect(verdictOf(report, 'alpha-web/frontend', 'alpha-web/frontend', 8080)?.allowed).toBe(true);
  });

  test('--external adds endpoints matched by ipBlock only', async () => {
    const { code, stdout } = await zt(['analyze', BASIC, '--format', 'json', '--external', 'dns=10.0.0.10', '--port', '53/UDP']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as ConnectivityReport;
    expect(report.pods).toEqual(['alpha-data/backend', 'alpha-web/frontend', 'external:dns']);
    expect(verdictOf(report, 'alpha-data/backend', 'external:dns', 53)?.allowed).toBe(true);
  });

  test('markdown and dot formats', async () => {
    const markdown = await zt(['analyze', BASIC, '--format', 'markdown']);
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain('**3 of 4** probed connections allowed (2 endpoints, 2 ports).');
    expect(markdown.stdout).toContain('#### 8080/TCP: 1 of 2 allowed\n\n| From | Allowed to |\n| --- | --- |\n| `alpha-web/frontend` | `alpha-data/backend` |\n');
    const dot = await zt(['analyze', BASIC, '--format', 'dot']);
    expect(dot.code).toBe(0);
    expect(dot.stdout).toContain('"alpha-web/frontend" -> "alpha-data/backend" [label="8080/TCP"];');
    expect(dot.stdout).not.toContain('"alpha-data/backend" -> "alpha-data/backend"');
  });

  test('"-" reads standard input and gives the same result as the files', async () => {
    const text = ['namespaces', 'pods', 'policies'].map((f) => fs.readFileSync(fixture('basic', `${f}.yaml`), 'utf8')).join('\n---\n');
    const fromStdin = await zt(['analyze', '-', '--format', 'json'], { stdin: text });
    const fromFiles = await zt(['analyze', BASIC, '--format', 'json']);
    expect(fromStdin.code).toBe(0);
    expect(fromStdin.stdout).toBe(fromFiles.stdout);
  });

  test('--summary prints counts per namespace pair in every format', async () => {
    const table = await zt(['analyze', BASIC, '--summary']);
    expect(table.code).toBe(0);
    expect(table.stdout).toBe([
      '3 of 4 probed connections allowed (2 endpoints, 2 ports).',
      '',
      'FROM NAMESPACE  TO NAMESPACE  ALLOWED  EVALUATED',
      'alpha-data      alpha-web           1          1',
      'alpha-web       alpha-data          1          1',
      'alpha-web       alpha-web           1          1',
      '',
    ].join('\n'));
    const json = await zt(['analyze', BASIC, '--summary', '--format', 'json']);
    expect((JSON.parse(json.stdout) as ConnectivitySummary).evaluated).toBe(4);
    const markdown = await zt(['analyze', BASIC, '--summary', '--format', 'markdown']);
    expect(markdown.stdout).toContain('| `alpha-web` | `alpha-data` | 1 | 1 |');
    const dot = await zt(['analyze', BASIC, '--summary', '--format', 'dot']);
    expect(dot.stdout).toContain('"alpha-web" -> "alpha-data" [label="1 of 1"];');
  });

  test('more than 1,000,000 verdicts without --summary is refused with exit 2; --summary works', async () => {
    // 1001 pods × 1001 pods × 1 port = 1,002,001 verdicts: just over the limit.
    const stdin = podList(1001);
    const refused = await zt(['analyze', '-', '--port', '80'], { stdin });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('1,002,001 connections');
    expect(refused.stderr).toContain('Rerun with --summary');

    const summary = await zt(['analyze', '-', '--port', '80', '--summary', '--format', 'json'], { stdin });
    expect(summary.code).toBe(0);
    const parsed = JSON.parse(summary.stdout) as ConnectivitySummary;
    expect(parsed.evaluated).toBe(1001 * 1001);
    expect(parsed.allowed).toBe(1001 * 1001);
  });

  test('1000 pods × 1 port (exactly 1,000,000 verdicts) is still printed', async () => {
    const { code, stdout } = await zt(['analyze', '-', '--port', '80', '--format', 'markdown'], { stdin: podList(1000) });
    expect(code).toBe(0);
    expect(stdout).toContain('**1000000 of 1000000** probed connections allowed');
  });

  test('notes go to stderr, the report to stdout', async () => {
    const { code, stdout, stderr } = await zt(['analyze', fixture('notes.yaml'), '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveProperty('pods', ['undefined-ns/lonely']);
    expect(stderr).toBe([
      'note: namespace "undefined-ns" is referenced but not defined; assumed to exist with only the label kubernetes.io/metadata.name=undefined-ns',
      'note: ignored 1 object of kind v1/ConfigMap (not evaluated by the analyzer)',
      '',
    ].join('\n'));
  });

  test('many undefined namespaces are one note, not thousands', () => {
    const names = Array.from({ length: 12 }, (_, i) => `ns${i}`);
    const out = formatNotes({ assumedNamespaces: names, ignoredKinds: [] });
    expect(out.split('\n')).toHaveLength(2);
    expect(out).toContain('note: 12 namespaces are referenced but not defined (ns0, ns1,');
  });

  test('invalid manifests: every issue as `zt: file:document: field: message [object]` on stderr, exit 1, nothing on stdout', async () => {
    const { code, stdout, stderr } = await zt(['analyze', fixture('invalid')]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      `zt: ${fixture('invalid', 'bad-port.yaml')}:1: spec.ingress[0].ports[0].port: must be an integer between 1 and 65535, got 0 [NetworkPolicy alpha-web/broken]\n`,
    );
    expect(stderr).toMatch(new RegExp(`^zt: ${fixture('invalid', 'not-yaml.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:0: invalid YAML: .+ at line 3`, 'm'));
    expect(stderr).toMatch(/^zt: \d+ problems in the input; nothing was analyzed/m);
    // Every line is an error line.
    expect(stderr.split('\n').filter((line) => line !== '').every((line) => line.startsWith('zt: '))).toBe(true);
  });

  test('an unreadable path is bad input: exit 1', async () => {
    const { code, stderr } = await zt(['analyze', fixture('does-not-exist.yaml')]);
    expect(code).toBe(1);
    expect(stderr).toContain('does-not-exist.yaml:0: cannot read: ENOENT');
  });

  test('on a terminal, a status line is shown on stderr and erased before the output', async () => {
    const { code, stderr } = await zt(['analyze', BASIC], { tty: true });
    expect(code).toBe(0);
    expect(stderr).toContain('loaded 6 documents, 2 pods, 2 policies; evaluating…');
    // Every status is erased: the stream ends with a line-clear, so the shell prompt starts clean.
    expect(stderr.endsWith('\r\u001b[2K')).toBe(true);
  });

  test('no status line when stderr is not a terminal', async () => {
    const { stderr } = await zt(['analyze', BASIC], { tty: false });
    expect(stderr).not.toContain('evaluating');
  });
});
