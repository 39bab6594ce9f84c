import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadManifestFiles } from '../../../src/analysis';
import { compileExclude } from '../../../src/analysis/input/directory';
import { formatByteSize, parseByteSize } from '../../../src/analysis/input/limits';
import { InputTooLargeError, readFileBoundedSync } from '../../../src/analysis/input/read-bounded';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-limits-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** An ordinary inventory of about `bytes` bytes: pods and the NetworkPolicies selecting them, over 50 namespaces. */
function ordinaryInventory(bytes: number): string {
  const documents: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const namespace = `ns${i % 50}`;
    const document = i % 2 === 0
      ? `apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${i}\n  namespace: ${namespace}\n  labels:\n    app: app-${i % 100}\n` +
        'spec:\n  containers:\n    - name: c\n      image: nginx:1.25\n      ports:\n        - containerPort: 8080\n          protocol: TCP\n'
      : `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np-${i}\n  namespace: ${namespace}\nspec:\n` +
        `  podSelector:\n    matchLabels:\n      app: app-${i % 100}\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n` +
        `        - podSelector:\n            matchLabels:\n              app: app-${(i + 1) % 100}\n      ports:\n        - port: 8080\n`;
    documents.push(document);
    size += document.length + 4;
  }
  return documents.join('---\n');
}

describe('input limits', () => {
  test('a 10 MB ordinary manifest loads under the default limits', () => {
    const file = path.join(dir, 'inventory.yaml');
    const text = ordinaryInventory(10 * 1024 * 1024);
    fs.writeFileSync(file, text);
    const loaded = loadManifestFiles([file]);
    expect(loaded.issues).toEqual([]);
    expect(loaded.documents.length).toBe(text.split('---\n').length);
  });

  test('maxInputBytes refuses a larger file before reading it, and stdin past the limit', () => {
    const file = path.join(dir, 'small.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n');
    expect(loadManifestFiles([file], { maxInputBytes: 10 }).issues).toEqual([{
      file,
      documentIndex: 0,
      message: 'the file is 51 bytes, over the 10 bytes input limit. Raise the limit with --max-input-size (maxInputBytes in the API) if the input is trusted',
    }]);
    const stdin = loadManifestFiles(['-'], { maxInputBytes: 10, readStdin: (max) => 'x'.repeat(max + 5) });
    expect(stdin.issues.map((issue) => issue.message)).toEqual([expect.stringMatching(/^standard input is 15 bytes, over the 10 bytes input limit/)]);
    // Multi-byte characters count as bytes, as on disk.
    expect(loadManifestFiles(['-'], { maxInputBytes: 10, readStdin: () => 'é'.repeat(6) }).issues).toHaveLength(1);
  });

  test('readFileBoundedSync reads up to the limit and refuses one byte more', () => {
    const file = path.join(dir, 'exact.txt');
    fs.writeFileSync(file, 'abcdé');
    expect(readFileBoundedSync(file, 6)).toBe('abcdé');
    expect(() => readFileBoundedSync(file, 5)).toThrow(InputTooLargeError);
  });

  test('a character device or FIFO is read in chunks and cut at the limit', () => {
    expect(() => readFileBoundedSync('/dev/zero', 3 * 1024 * 1024)).toThrow('more than the 3 MiB input limit (reading stopped there)');
  });

  test.each<[string, number | undefined]>([
    ['1', 1], ['1024', 1024], ['64M', 64 * 1024 ** 2], ['64MB', 64 * 1024 ** 2], ['64mib', 64 * 1024 ** 2], ['512k', 512 * 1024], ['1G', 1024 ** 3],
    ['1.5K', 1536], ['100B', 100], ['0', undefined], ['', undefined], ['-1', undefined], ['1T', undefined], ['M', undefined], ['1 2', undefined],
  ])('parseByteSize(%j) is %p', (text, bytes) => {
    expect(parseByteSize(text)).toBe(bytes);
  });

  test('formatByteSize', () => {
    expect([1, 100, 1024, 1536, 64 * 1024 ** 2, 70.3 * 1024 ** 2, 2 * 1024 ** 3].map(formatByteSize)).toEqual(
      ['1 byte', '100 bytes', '1 KiB', '1.5 KiB', '64 MiB', '70.3 MiB', '2 GiB']);
  });
});

describe('--exclude globs', () => {
  test.each<[string, string, string, boolean]>([
    ['*.values.yaml', 'chart/prod.values.yaml', 'prod.values.yaml', true],
    ['*.values.yaml', 'values.yaml', 'values.yaml', false],
    ['charts', 'charts', 'charts', true],
    ['charts', 'a/charts', 'charts', true],
    ['base/*.yaml', 'base/x.yaml', 'x.yaml', true],
    ['base/*.yaml', 'other/base/x.yaml', 'x.yaml', false],
    ['**/base/*.yaml', 'other/base/x.yaml', 'x.yaml', true],
    ['./base/', 'base', 'base', true],
    ['templates/**', 'templates/a/b.yaml', 'b.yaml', true],
    ['file?.yaml', 'file1.yaml', 'file1.yaml', true],
    ['file[!0-9].yaml', 'file1.yaml', 'file1.yaml', false],
    ['file[a-c].yaml', 'fileb.yaml', 'fileb.yaml', true],
    ['a.b', 'axb', 'axb', false],
  ])('%j on %j', (pattern, relative, name, excluded) => {
    const compiled = compileExclude(pattern);
    expect(compiled.regex.test(compiled.anchored ? relative : name)).toBe(excluded);
  });
});
