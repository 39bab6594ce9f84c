import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InvalidProbesError, loadProbesFile, parseProbesText } from '../../../src/analysis';

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidProbesError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected InvalidProbesError');
}

describe('probes files', () => {
  test('YAML: a list, or {probes: [...]}', () => {
    const list = parseProbesText('- from: a/web\n  to: b/db\n  port: 5432\n', 'p.yaml');
    const wrapped = parseProbesText('probes:\n  - from: a/web\n    to: b/db\n    port: 5432\n', 'p.yaml');
    expect(wrapped).toEqual(list);
    expect(list.file).toBe('p.yaml');
    expect(list.probes).toHaveLength(1);
  });

  test('JSON: by the .json suffix or a leading [ or {', () => {
    const text = '[{"id": "x", "from": "a/web", "to": {"ip": "192.0.2.1"}, "port": 443}, {"from": "a/web", "to": "b/db", "port": 1}]';
    expect(parseProbesText(text, 'p.json').probes.map((probe) => probe.id)).toEqual(['x', '1']);
    expect(parseProbesText(text, '<stdin>').probes).toHaveLength(2);
    expect(parseProbesText('{"probes": [{"from": "a/web", "to": "b/db", "port": 1}]}', 'p.json').probes).toHaveLength(1);
  });

  test('syntax errors name the file (and, in a JSON list, the probe)', () => {
    expect(problems(() => parseProbesText('- from: [a\n', 'p.yaml'))).toEqual([expect.stringMatching(/^p\.yaml: invalid YAML: .* at line \d+, column \d+\. fix the syntax$/)]);
    expect(problems(() => parseProbesText('[{"from": "a/web", "from": "b/x"}]', 'p.json'))).toEqual(["p.json:0: from: duplicate key 'from'. fix the syntax"]);
  });

  test('several YAML documents are refused; an empty file holds no probes', () => {
    expect(problems(() => parseProbesText('- {from: a/b, to: a/c, port: 1}\n---\n- {from: a/b, to: a/c, port: 2}\n', 'p.yaml'))).toEqual([
      'p.yaml: holds 2 documents. put every probe in one list, in one document',
    ]);
    expect(problems(() => parseProbesText('', 'p.yaml'))).toEqual([
      'p.yaml: must hold a list of probes, got nothing. write a list of probes, or {probes: [...]}, each probe {from, to, port}',
    ]);
  });

  test('files: unreadable, or larger than the limit', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-probes-'));
    const file = path.join(dir, 'probes.yaml');
    fs.writeFileSync(file, '- {from: a/b, to: a/c, port: 1}\n');
    expect(loadProbesFile(file).probes).toHaveLength(1);
    expect(problems(() => loadProbesFile(file, 8))).toEqual([expect.stringMatching(/^.*probes\.yaml: the file is .*, more than the 8 bytes input limit\. split the probes, or raise --max-input-size$/)]);
    expect(problems(() => loadProbesFile(path.join(dir, 'missing.yaml')))).toEqual([expect.stringMatching(/missing\.yaml: cannot read: .*ENOENT.*\. give the path of a probes file$/)]);
    fs.rmSync(dir, { recursive: true });
  });
});
