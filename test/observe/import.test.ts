import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { importFlows, InvalidFlowsError, UnreadableFlowsError } from '../../src/observe/import-flows';
import { LineTooLongError, readFileLines } from '../../src/observe/lines';
import { formatObserved, readObservedFile } from '../../src/observe/observed-file';
import { formatObservedSummary } from '../../src/observe/summary';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'observe');
const SHOP = path.join(FIXTURES, 'shop.jsonl');
const BAD = path.join(FIXTURES, 'bad.jsonl');

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'zt-observe-'));
}

describe('zt observe import: aggregation', () => {
  const aggregate = importFlows([SHOP]);

  test('counts what it read: replies and other records are not flows', () => {
    expect(aggregate.counts).toMatchObject({ lines: 30, records: 28, replies: 3, notFlows: 2, otherVerdicts: 0, invalid: 0 });
  });

  test('workloads are keyed by their owner, selected by their stable labels (no pod hashes)', () => {
    const byId = Object.fromEntries(aggregate.workloads.map((w) => [w.id, w]));
    expect(Object.keys(byId)).toEqual(['ingress-nginx/ingress-nginx-controller', 'kube-system/coredns', 'shop-data/postgres', 'shop-web/backend', 'shop-web/frontend']);
    // Two backend pods of two ReplicaSets (two pod-template-hash values) are one workload.
    expect(byId['shop-web/backend']).toMatchObject({ kind: 'Deployment', labels: { app: 'backend', tier: 'api' }, serviceAccounts: ['backend'] });
    expect(byId['shop-web/backend'].labelSets).toEqual([{ app: 'backend', tier: 'api' }]);
    // StatefulSet labels that name one pod or one revision are left out.
    expect(byId['shop-data/postgres'].labels).toEqual({ app: 'postgres' });
    expect(aggregate.namespaces['shop-web']).toEqual({ 'kubernetes.io/metadata.name': 'shop-web', 'tenant': 'shop' });
  });

  test('flows: every port seen, externals by the DNS name the client looked up, else by address', () => {
    const rows = aggregate.flows.map((f) => [
      f.source.kind === 'workload' ? f.source.workload : f.source.kind,
      f.destination.kind === 'workload' ? f.destination.workload : f.destination.kind === 'external' ? `${f.destination.ip} ${f.destination.names.join(',')}`.trim() : `apiserver ${f.destination.ip}`,
      `${f.port}/${f.protocol}`,
      f.count,
    ]);
    expect(rows).toEqual([
      ['ingress-nginx/ingress-nginx-controller', 'shop-web/frontend', '8080/TCP', 3],
      ['shop-web/backend', 'shop-data/postgres', '5432/TCP', 3],
      ['shop-web/backend', 'apiserver 172.18.0.2', '6443/TCP', 2],
      ['shop-web/backend', '198.51.100.7', '443/TCP', 1],
      ['shop-web/backend', '203.0.113.10 api.stripe.com', '443/TCP', 2],
      ['shop-web/frontend', 'shop-web/backend', '8080/TCP', 8],
    ]);
    const http = aggregate.flows.find((f) => f.http)?.http;
    expect(http).toEqual([
      { method: 'DELETE', path: '/api/cart', count: 1 },
      { method: 'POST', path: '/api/cart', count: 2 },
      { method: 'GET', path: '/api/items', count: 2 },
    ]);
  });

  test('DNS lookups to the cluster DNS are DNS, not flows; dropped and unexpressible traffic are listed apart', () => {
    expect(aggregate.dns.map((d) => [d.client, d.server, `${d.port}/${d.protocol}`, d.count, d.names])).toEqual([
      ['shop-web/backend', 'kube-system/coredns', '53/UDP', 2, ['api.stripe.com']],
      ['shop-web/frontend', 'kube-system/coredns', '53/UDP', 2, []],
    ]);
    expect(aggregate.dropped).toEqual([expect.objectContaining({ source: { kind: 'workload', workload: 'shop-web/frontend' }, port: 5432, count: 1, dropReasons: { POLICY_DENIED: 1 } })]);
    expect(aggregate.notGenerated).toEqual([expect.objectContaining({ source: 'reserved:host (172.18.0.3)', destination: 'shop-web/frontend', port: 8080, reason: expect.stringMatching(/node itself/) })]);
  });

  test('the order of the records does not change the aggregate (exports of several nodes interleave)', () => {
    const dir = scratch();
    const lines = fs.readFileSync(SHOP, 'utf8').trimEnd().split('\n');
    const shuffled = lines.map((line, i) => ({ line, key: (i * 7919) % lines.length })).sort((a, b) => a.key - b.key).map((x) => x.line);
    expect(shuffled).not.toEqual(lines);
    const half = Math.floor(shuffled.length / 2);
    fs.writeFileSync(path.join(dir, 'a.jsonl'), `${shuffled.slice(0, half).join('\n')}\n`);
    fs.writeFileSync(path.join(dir, 'b.jsonl'), shuffled.slice(half).join('\r\n'));
    const other = importFlows([path.join(dir, 'a.jsonl'), path.join(dir, 'b.jsonl')]);
    expect({ ...other, counts: undefined }).toEqual({ ...aggregate, counts: undefined });
  });

  test('the aggregate file reads back as written, and the summary lists each part', () => {
    const dir = scratch();
    const file = path.join(dir, 'observed.json');
    fs.writeFileSync(file, formatObserved(aggregate));
    expect(readObservedFile(file)).toEqual(aggregate);
    const summary = formatObservedSummary(aggregate);
    expect(summary).toMatch(/^Read 30 lines from 1 file: 28 flow records \(3 replies/);
    for (const heading of ['Flows (forwarded)', 'DNS', 'Dropped', 'Not generated']) expect(summary).toContain(heading);
    expect(summary).toMatch(/shop-web\/backend\s+api\.stripe\.com \(203\.0\.113\.10\)\s+443\/TCP\s+2/);
    fs.writeFileSync(file, JSON.stringify({ ...aggregate, flows: [{ ...aggregate.flows[0], source: { kind: 'workload', workload: 'nowhere/x' } }] }));
    expect(() => readObservedFile(file)).toThrow(/flows\[0\]\.source: names a workload the file does not list/);
    fs.writeFileSync(file, '{"kind": "Something"}');
    expect(() => readObservedFile(file)).toThrow(/not an aggregate of observed flows/);
  });
});

describe('zt observe import: bad records', () => {
  test('each invalid record is reported with its file, line and field; nothing is aggregated', () => {
    let error: unknown;
    try {
      importFlows([BAD]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidFlowsError);
    const problems = (error as InvalidFlowsError).problems.map((p) => `${path.basename(p.file)}:${p.line}: ${p.field}`);
    expect(problems).toEqual(['bad.jsonl:2: flow.l4', 'bad.jsonl:3: (line)', 'bad.jsonl:5: flow.source.labels']);
  });

  test('--skip-invalid counts them and keeps the good records', () => {
    const aggregate = importFlows([BAD], { skipInvalid: true });
    expect(aggregate.counts.invalid).toBe(3);
    expect(aggregate.counts.invalidExamples[0]).toMatch(/bad\.jsonl:2: flow\.l4: missing/);
    expect(aggregate.flows).toHaveLength(1);
    expect(aggregate.flows[0].count).toBe(2);
  });

  test('a missing file and a directory are unreadable, by name', () => {
    expect(() => importFlows([path.join(FIXTURES, 'nope.jsonl')])).toThrow(UnreadableFlowsError);
    expect(() => importFlows([FIXTURES])).toThrow(/is a directory/);
  });
});

describe('reading lines in bounded chunks', () => {
  test('lines that cross the 1 MiB read boundary come back whole and numbered', () => {
    const dir = scratch();
    const file = path.join(dir, 'many.jsonl');
    const lines = Array.from({ length: 30_000 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(i % 150)}"}`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    expect(fs.statSync(file).size).toBeGreaterThan(2 * 1024 * 1024);
    const read = [...readFileLines(file)];
    expect(read.length).toBe(lines.length);
    expect(read.every((line, i) => line.number === i + 1 && line.text === lines[i])).toBe(true);
  });

  test('a line past the limit stops the reading with its number', () => {
    const dir = scratch();
    const file = path.join(dir, 'long.jsonl');
    fs.writeFileSync(file, `{"a":1}\n{"b":"${'y'.repeat(5000)}"}\n`);
    expect(() => [...readFileLines(file, 1000)]).toThrow(LineTooLongError);
    expect(() => [...readFileLines(file, 1000)]).toThrow(/line 2 is longer than/);
    expect(() => importFlows([file], { maxLineBytes: 1000 })).toThrow(/long\.jsonl: line 2 is longer than/);
  });
});
