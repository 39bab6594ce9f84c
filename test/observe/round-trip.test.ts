/**
 * Observed flows → generated code → synthesized policies → `zt observe check`: the generated module
 * compiles (tsc, strict), synthesizes, its output drops none of the flows it was generated from, the
 * analyzer finds nothing allowed beyond them, and a flow left out of the code is reported as dropped.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { analyze, loadManifestFiles } from '../../src';
import { observedEndpoints } from '../../src/observe/check';
import { GenerateOptions, generateModule } from '../../src/observe/generate';
import { importFlows } from '../../src/observe/import-flows';
import { ObservedAggregate, ObservedPeer } from '../../src/observe/observed';
import { zt } from '../analysis/cli/run-cli';

const ROOT = path.join(__dirname, '..', '..');
const SHOP = path.join(__dirname, '..', 'fixtures', 'observe', 'shop.jsonl');
// Inside the repository, so that the module imports the constructs from src/ as a user's would from the package.
const SCRATCH = fs.mkdtempSync(path.join(__dirname, '.generated-'));
afterAll(() => fs.rmSync(SCRATCH, { recursive: true, force: true }));

const aggregate = importFlows([SHOP]);
const BASE: GenerateOptions = { externalNamespaces: ['ingress-nginx'], tenantLabel: 'tenant', minCount: 1, importFrom: '../../../../src' };

interface Synthesized {
  readonly file: string;
  readonly dist: string;
}

/** Writes the module for `observed`, loads it, and synthesizes it into a folder-per-backend dist. */
function synthesize(name: string, observed: ObservedAggregate, options: GenerateOptions): Synthesized {
  const dir = path.join(SCRATCH, name);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'observed.ts');
  fs.writeFileSync(file, generateModule(observed, options).code);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(file) as { synthObserved(outdir: string): { synth(): void } };
  const dist = path.join(dir, 'dist');
  module.synthObserved(dist).synth();
  return { file, dist };
}

/** Type-checks files as the project compiles its own sources (strict, no unused locals). */
function typeErrors(files: readonly string[]): string[] {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const program = ts.createProgram([...files], { ...parsed.options, rootDir: ROOT, noEmit: true });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('round trip: observed flows → generated code → policies → zt observe check', () => {
  const kubernetes = synthesize('kubernetes', aggregate, { ...BASE, externals: 'cidr' });
  const cilium = synthesize('cilium', aggregate, { ...BASE, l7: true });

  test('the generated modules compile under the project\'s strict settings', () => {
    expect(typeErrors([kubernetes.file, cilium.file])).toEqual([]);
  }, 120_000);

  test('Kubernetes NetworkPolicy output: every observed flow and DNS lookup is allowed', async () => {
    expect(fs.readdirSync(kubernetes.dist).sort()).toEqual(['.zt-written', 'kubernetes', 'kustomization.yaml', 'platform', 'targets', 'zt-inventory.txt']);
    const result = await zt(['observe', 'check', SHOP, '--against', kubernetes.dist]);
    expect(result.stderr).not.toMatch(/^zt: /m);
    expect(result.stdout).toMatch(/^kubernetes \(.*\), under kubernetes: 8 flows replayed \(\d+ probes\), 0 would be dropped\.$/m);
    expect(result.code).toBe(0);
  });

  test('Cilium output with DNS names and HTTP rules: every observed flow and request is allowed', async () => {
    const text = fs.readFileSync(path.join(cilium.dist, 'cilium', 'shop-web.k8s.yaml'), 'utf8');
    expect(text).toContain('matchName: api.stripe.com');
    expect(text).toMatch(/method: DELETE/);
    const result = await zt(['observe', 'check', SHOP, '--against', cilium.dist, '--format', 'json']);
    expect(result.code).toBe(0);
    const { checks } = JSON.parse(result.stdout) as { checks: { cni: string; flows: number; dropped: unknown[] }[] };
    expect(checks.map((c) => [c.cni, c.flows, c.dropped.length])).toEqual([['cilium', 8, 0]]);
  });

  test('the analyzer finds nothing allowed beyond the observed flows (Kubernetes output, observed pods and addresses)', () => {
    const loaded = loadManifestFiles([path.join(kubernetes.dist, 'platform'), path.join(kubernetes.dist, 'kubernetes')]);
    const endpoints = observedEndpoints(aggregate, loaded);
    const podOf = new Map([...endpoints.pods].map(([id, pods]) => [id, pods[0]]));
    const externals: Record<string, string> = {};
    const name = (peer: ObservedPeer): string => {
      if (peer.kind === 'workload') return podOf.get(peer.workload)!;
      const key = `x${peer.ip.replace(/\W/g, '-')}`;
      externals[key] = peer.ip;
      return `external:${key}`;
    };
    const observed = new Set<string>();
    for (const flow of aggregate.flows) observed.add(`${name(flow.source)}|${name(flow.destination)}|${flow.port}/${flow.protocol}`);
    for (const dns of aggregate.dns) observed.add(`${podOf.get(dns.client)}|${podOf.get(dns.server)}|${dns.port}/${dns.protocol}`);
    const ports = [...new Set([...aggregate.flows, ...aggregate.dns].map((f) => `${f.port}/${f.protocol}`)), '80/TCP', '22/TCP', '9090/TCP']
      .map((p) => ({ port: Number(p.split('/')[0]), protocol: p.split('/')[1] as 'TCP' | 'UDP' }));
    const report = analyze({ documents: [...loaded.documents, ...endpoints.documents], issues: loaded.issues }, { cni: 'kubernetes', ports, externals });
    const unmanaged = (id: string): boolean => id.startsWith('ingress-nginx/') || id.startsWith('kube-system/') || id.startsWith('external:');
    const allowed = report.connections
      .filter((c) => c.allowed && !(unmanaged(c.from) && unmanaged(c.to)))
      .map((c) => `${c.from}|${c.to}|${c.port}/${c.protocol}`);
    expect(allowed.length).toBeGreaterThan(0);
    expect(allowed.filter((c) => !observed.has(c))).toEqual([]);
    // And each observed flow between endpoints is among them.
    expect([...observed].filter((c) => !allowed.includes(c))).toEqual([]);
  });

  test('a flow left out of the code is reported as dropped (exit 3), under each dialect', async () => {
    const isCut = (f: ObservedAggregate['flows'][number]): boolean =>
      f.source.kind === 'workload' && f.source.workload === 'shop-web/backend' && f.destination.kind === 'workload' && f.destination.workload === 'shop-data/postgres';
    expect(aggregate.flows.filter(isCut)).toHaveLength(1);
    const cut = { ...aggregate, flows: aggregate.flows.filter((f) => !isCut(f)) };
    for (const [name, options] of [['cut-kubernetes', { ...BASE, externals: 'cidr' }], ['cut-cilium', { ...BASE, l7: true }]] as const) {
      const { file, dist } = synthesize(name, cut, options);
      expect(fs.readFileSync(file, 'utf8')).not.toMatch(/shopWebBackend\.allowTo\(shopDataPostgres/);
      const result = await zt(['observe', 'check', SHOP, '--against', dist]);
      expect(result.code).toBe(3);
      expect(result.stdout).toMatch(/, 1 would be dropped\.\n/);
      expect(result.stdout).toMatch(/^shop-web\/backend -> shop-data\/postgres 5432\/TCP\s+3\s+shop-web\/zt-observed-backend -> shop-data\/zt-observed-postgres/m);
      expect(result.stderr).toMatch(/zt: 1 observed flow would be dropped/);
    }
  });

  test('flows below --min-count, left for review, are the ones check reports', async () => {
    const { dist } = synthesize('min-count-2', aggregate, { ...BASE, minCount: 2, l7: true });
    const result = await zt(['observe', 'check', SHOP, '--against', dist, '--cni', 'cilium']);
    expect(result.code).toBe(3);
    const flows = result.stdout.split('\n').filter((line) => / -> .* \d+\/(TCP|UDP)\s+\d+\s/.test(line)).map((line) => line.split(/\s{2,}/)[0]);
    expect(flows).toEqual(['shop-web/backend -> 198.51.100.7 443/TCP', 'shop-web/frontend -> shop-web/backend 8080/TCP']);
    expect(result.stdout).toMatch(/DELETE \/api\/cart/);
  });
});
