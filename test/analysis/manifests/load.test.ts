import * as path from 'path';
import { computeConnectivity, InvalidManifestsError, loadManifestFiles, loadManifestText } from '../../../src/analysis';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'analysis');
const fixture = (name: string): string => path.join(FIXTURES, name);

describe('loadManifestFiles', () => {
  test('reads directories recursively, sorted, only .yaml/.yml/.json, flattening JSON arrays and kind: List', () => {
    const loaded = loadManifestFiles([fixture('tree')]);
    expect(loaded.issues).toEqual([]);
    expect(loaded.documents.map((document) => [path.relative(FIXTURES, document.source.file), document.source.documentIndex, document.path ?? ''])).toEqual([
      ['tree/a-namespaces.yaml', 0, ''],
      ['tree/a-namespaces.yaml', 2, ''],
      ['tree/b-pods.json', 0, ''],
      ['tree/b-pods.json', 1, ''],
      ['tree/nested/c-list.json', 0, 'items[0]'],
      ['tree/nested/c-list.json', 0, 'items[1]'],
      ['tree/nested/d-worker.yml', 0, ''],
    ]);
  });

  test('the loaded tree analyzes end to end', () => {
    const connectivity = computeConnectivity(loadManifestFiles([fixture('tree')]));
    expect(connectivity.endpoints).toEqual(['payments/api', 'payments/report', 'shop/web']);
    expect(connectivity.notes).toEqual({ assumedNamespaces: [], ignoredKinds: [] });
    expect(connectivity.isAllowed('shop/web', 'payments/api', { port: 9000, protocol: 'TCP' })).toBe(true);
    expect(connectivity.isAllowed('payments/report', 'payments/api', { port: 9000, protocol: 'TCP' })).toBe(false);
  });

  test('a file named twice (directly and through its directory) is read once', () => {
    const loaded = loadManifestFiles([fixture('tree/nested/d-worker.yml'), fixture('tree'), fixture('tree/nested/d-worker.yml')]);
    expect(loaded.documents.filter((document) => document.source.file.endsWith('d-worker.yml'))).toHaveLength(1);
    expect(() => computeConnectivity(loaded)).not.toThrow();
  });

  test('reads stdin for "-" (YAML or JSON)', () => {
    const yaml = loadManifestFiles(['-'], { readStdin: () => 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n' });
    expect(yaml.documents.map((document) => document.source)).toEqual([{ file: '<stdin>', documentIndex: 0 }, { file: '<stdin>', documentIndex: 1 }]);
    const json = loadManifestFiles(['-'], { readStdin: () => '[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}]' });
    expect(json.documents).toEqual([{ source: { file: '<stdin>', documentIndex: 0 }, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } } }]);
  });

  test('broken YAML is an issue with the parser line, and the valid documents are kept', () => {
    const loaded = loadManifestFiles([fixture('broken.yaml')]);
    expect(loaded.documents).toHaveLength(1);
    expect(loaded.issues).toHaveLength(1);
    expect(loaded.issues[0]).toEqual({
      file: fixture('broken.yaml'),
      documentIndex: 1,
      message: expect.stringMatching(/^invalid YAML: .* at line 11, column 1$/),
    });
  });

  test('broken JSON is an issue with its line and column', () => {
    const loaded = loadManifestFiles([fixture('broken.json')]);
    expect(loaded.issues).toEqual([{ file: fixture('broken.json'), documentIndex: 0, message: expect.stringMatching(/^invalid JSON: .*line 4.*column/) }]);
  });

  test('a missing path is an issue, not an exception', () => {
    const loaded = loadManifestFiles([fixture('does-not-exist.yaml')]);
    expect(loaded.issues).toEqual([{ file: fixture('does-not-exist.yaml'), documentIndex: 0, message: expect.stringMatching(/^cannot read: .*ENOENT/) }]);
  });

  test('computeConnectivity reports load issues and document issues together', () => {
    let error: unknown;
    try {
      computeConnectivity(loadManifestFiles([fixture('broken.yaml'), fixture('invalid.yaml')]));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidManifestsError);
    const issues = (error as InvalidManifestsError).issues.map((issue) => ({ ...issue, file: path.relative(FIXTURES, issue.file) }));
    expect(issues).toEqual([
      { file: 'broken.yaml', documentIndex: 1, message: expect.stringMatching(/^invalid YAML/) },
      { file: 'invalid.yaml', documentIndex: 0, message: 'document must be an object, got string "just a string"' },
      { file: 'invalid.yaml', documentIndex: 1, field: 'kind', message: 'is required' },
      {
        file: 'invalid.yaml',
        documentIndex: 2,
        object: 'NetworkPolicy shop/bad-peer',
        field: 'spec.ingress[0].from[0]',
        message: 'ipBlock may not be combined with podSelector or namespaceSelector in the same peer',
      },
      {
        file: 'invalid.yaml',
        documentIndex: 2,
        object: 'NetworkPolicy shop/bad-peer',
        field: 'spec.ingress[0].ports[0].endPort',
        message: 'must be greater than or equal to port (8080), got 80',
      },
    ]);
    expect((error as Error).message).toContain('invalid.yaml:2: spec.ingress[0].ports[0].endPort: must be greater than or equal to port (8080), got 80 [NetworkPolicy shop/bad-peer]');
  });

  test('issues inside a kind: List name the item in the field', () => {
    let error: unknown;
    try {
      computeConnectivity([{ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, status: { podIP: 'x' } }] }]);
    } catch (caught) {
      error = caught;
    }
    expect((error as InvalidManifestsError).issues).toEqual([
      { file: '<memory>', documentIndex: 0, object: 'Pod default/p', field: 'items[0].status.podIP', message: 'invalid IP address "x"' },
    ]);
  });

  test('loadManifestText parses a string like a file', () => {
    const loaded = loadManifestText('apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nkind: [\n', '<yaml>');
    expect(loaded.documents).toEqual([{ source: { file: '<yaml>', documentIndex: 0 }, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } } }]);
    expect(loaded.issues).toEqual([{ file: '<yaml>', documentIndex: 1, message: expect.stringMatching(/^invalid YAML: .*line \d+, column \d+$/) }]);
    expect(loadManifestText('{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}', 'x.json').documents).toHaveLength(1);
  });
});
