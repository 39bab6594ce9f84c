import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { zt } from '../analysis/cli/run-cli';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'observe');
const SHOP = path.join(FIXTURES, 'shop.jsonl');

describe('zt observe (command line)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-observe-cli-'));
  const observed = path.join(dir, 'observed.json');

  test('import writes the aggregate and prints the summary; generate writes the module', async () => {
    const imported = await zt(['observe', 'import', SHOP, '--out', observed]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^Read 30 lines from 1 file/);
    expect(imported.stderr).toMatch(/note: wrote the aggregate to .*observed\.json/);
    const out = path.join(dir, 'gen', 'observed.ts');
    const generated = await zt(['observe', 'generate', '--observed', observed, '--external-namespace', 'ingress-nginx', '--tenant-label', 'tenant', '--out', out]);
    expect(generated.code).toBe(0);
    expect(generated.stderr).toMatch(/5 ports declared, 3 entries listed for review, backends cilium/);
    expect(fs.readFileSync(out, 'utf8')).toContain("from 'cdk8s-zero-trust';");
    const json = await zt(['observe', 'import', SHOP, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'ObservedFlows' });
  });

  test('invalid records: each on stderr with file and line, exit 1, nothing written', async () => {
    const out = path.join(dir, 'bad.json');
    const result = await zt(['observe', 'import', path.join(FIXTURES, 'bad.jsonl'), '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('zt: '))).toEqual([
      expect.stringMatching(/^zt: .*bad\.jsonl:2: flow\.l4: missing: .* Fix: /),
      expect.stringMatching(/^zt: .*bad\.jsonl:3: \(line\): not JSON/),
      expect.stringMatching(/^zt: .*bad\.jsonl:5: flow\.source\.labels: missing for the pod shop-web\/frontend-x/),
      'zt: 3 invalid flow records; nothing was written. Fix the export, or give --skip-invalid to skip them (counted in the summary).',
    ]);
    expect(fs.existsSync(out)).toBe(false);
    const skipped = await zt(['observe', 'import', path.join(FIXTURES, 'bad.jsonl'), '--skip-invalid']);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(/3 invalid records skipped/);
  });

  test('generate refuses what it cannot generate as observed (exit 1); usage errors exit 2', async () => {
    await zt(['observe', 'import', SHOP, '--out', observed]);
    const refused = await zt(['observe', 'generate', '--observed', observed, '--backend', 'kubernetes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/zt: the intent holds DNS names or HTTP rules, which kubernetes cannot express/);
    expect((await zt(['observe', 'generate'])).code).toBe(2);
    expect((await zt(['observe', 'generate', '--observed', observed, '--min-count', '0'])).code).toBe(2);
    expect((await zt(['observe', 'generate', '--observed', observed, '--tenant-label', 't', '--tenant-prefix'])).code).toBe(2);
    expect((await zt(['observe', 'generate', '--observed', path.join(dir, 'none.json')])).stderr).toMatch(/no such file; write it with zt observe import/);
    expect((await zt(['observe', 'check', SHOP])).code).toBe(2);
    const help = await zt(['observe', 'import', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/hubble observe --since 24h -o jsonpb/);
  });
});
