import { loadManifestText } from '../../../src/analysis';
import { ManifestIssue } from '../../../src/analysis/types';

/** The documents' values and the issues, for a YAML text read as the file `f.yaml`. */
function read(text: string): { values: unknown[]; issues: ManifestIssue[] } {
  const loaded = loadManifestText(text, 'f.yaml');
  return { values: loaded.documents.map((document) => document.object), issues: loaded.issues };
}

function valueOf(text: string): unknown {
  const { values, issues } = read(text);
  expect(issues).toEqual([]);
  return values[0];
}

/** `billion laughs`: nine levels of nine aliases, 9^9 strings once expanded. */
const BILLION_LAUGHS = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat('bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`))
  .join('\n');

describe('YAML as the API server reads it', () => {
  test('numbers and booleans in every position: values, list items, flow and block', () => {
    expect(valueOf('ports: [010, 0x1F, 0o17, 1_000, 08]\nflags:\n  - y\n  - off\n  - "yes"\nmode: 0644\n')).toEqual({
      ports: [8, 31, 15, 1000, 8],
      flags: [true, false, 'yes'],
      mode: 420,
    });
  });

  test('quoted, tagged and block scalars are strings unless tagged otherwise', () => {
    expect(valueOf('a: "010"\nb: \'on\'\nc: !!str 0x1F\nd: !!int "010"\ne: !!float 1\nf: |\n  yes\ng: !custom 12\n')).toEqual({
      a: '010', b: 'on', c: '0x1F', d: 8, e: 1, f: 'yes\n', g: '12',
    });
  });

  test('a tag that does not fit the value is an error, as go-yaml\'s "cannot decode"', () => {
    expect(read('a: !!int abc\n').issues).toEqual([
      { file: 'f.yaml', documentIndex: 0, message: expect.stringMatching(/^invalid YAML: cannot decode !!str `abc` as a !!int at line 1, column 4$/) },
    ]);
  });

  test('keys that are not strings become the text Kubernetes gives them; `y:` is the key "true"', () => {
    expect(valueOf('y: 1\n010: 2\n1.5: 3\n1e6: 4\nfalse: 5\n')).toEqual({ 'true': 1, '8': 2, '1.5': 3, '1e+06': 4, 'false': 5 });
  });

  test('a duplicate key is an error naming the document and the path', () => {
    const { values, issues } = read('a: 1\n---\nmetadata:\n  labels:\n    app: x\n    app: y\n');
    expect(values).toEqual([{ a: 1 }]);
    expect(issues).toEqual([{ file: 'f.yaml', documentIndex: 1, field: 'metadata.labels.app', message: "duplicate key 'app'" }]);
  });

  test('a document repeating one mistake 100,000 times reports 20 of them and says so', () => {
    const { issues } = read('a: 1\n'.repeat(100_000));
    expect(issues).toHaveLength(21);
    expect(issues[20].message).toBe('more than 20 problems in this document; the rest of it was not checked');
    const json = loadManifestText(`{${'"a": 1, '.repeat(100_000)}"b": 2}`, 'f.json').issues;
    expect(json).toHaveLength(21);
    expect(json[20].message).toBe('more than 20 duplicate keys in this document; the others are not listed');
  });

  test('keys that differ in YAML but not in JSON are duplicates too (010 and 8)', () => {
    expect(read('010: a\n8: b\n').issues).toEqual([{ file: 'f.yaml', documentIndex: 0, field: '8', message: "duplicate key '8'" }]);
  });

  test('merge keys: entries are added; one given twice (explicitly and through <<) is a duplicate', () => {
    expect(valueOf('base: &b {x: 1}\nm:\n  <<: *b\n  z: 2\nother:\n  <<: [{p: 1}, *b]\n')).toEqual({ base: { x: 1 }, m: { x: 1, z: 2 }, other: { p: 1, x: 1 } });
    expect(read('base: &b {x: 1}\nm:\n  x: 2\n  <<: *b\n').issues).toEqual([{ file: 'f.yaml', documentIndex: 0, field: 'm.x', message: "duplicate key 'x'" }]);
    expect(read('m:\n  <<: [1]\n').issues).toEqual([
      { file: 'f.yaml', documentIndex: 0, field: 'm.<<', message: 'map merge requires map or sequence of maps as the value' },
    ]);
    // A quoted "<<" is an ordinary key.
    expect(valueOf('"<<": x\n')).toEqual({ '<<': 'x' });
  });

  test('null and collection keys, .inf and .nan are errors', () => {
    expect(read('~: a\n').issues[0].message).toMatch(/^a null key .* is not allowed/);
    expect(read('? [a]\n: b\n').issues[0].message).toMatch(/^a list as a key is not allowed/);
    expect(read('port: .inf\n').issues).toEqual([
      { file: 'f.yaml', documentIndex: 0, field: 'port', message: expect.stringMatching(/^\.inf is not a number JSON can hold/) },
    ]);
  });

  test('__proto__ and constructor keys are own properties, not prototypes', () => {
    const value = valueOf('__proto__: {polluted: yes}\nconstructor: x\nmetadata:\n  labels:\n    __proto__: y\n') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor', 'metadata']);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('aliases are expanded; an anchor containing itself is an error', () => {
    expect(valueOf('a: &x {k: v}\nb: *x\n')).toEqual({ a: { k: 'v' }, b: { k: 'v' } });
    expect(read('a: &a [*a]\n').issues[0].message).toBe("anchor 'a' value contains itself");
    expect(read('a: *nope\n').issues[0].message).toMatch(/nope/);
  });

  test('billion laughs is refused as excessive aliasing, like the API server does', () => {
    const { values, issues } = read(`${BILLION_LAUGHS}\n---\nok: 1\n`);
    expect(values).toEqual([{ ok: 1 }]);
    expect(issues).toEqual([
      { file: 'f.yaml', documentIndex: 0, field: expect.any(String), message: expect.stringMatching(/^document contains excessive aliasing/) },
    ]);
  });

  test.each([
    ['flow lists', '['.repeat(3000) + ']'.repeat(3000)],
    ['flow maps', '{a: '.repeat(3000) + '1' + '}'.repeat(3000)],
    ['compact block lists', '- '.repeat(3000) + 'x'],
    ['indented block maps', Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' v'],
    ['100,000 levels', '['.repeat(100_000)],
  ])('nesting 3000+ deep (%s) is refused with a clear error, not a stack overflow', (_name, deep) => {
    const { values, issues } = read(`a: 1\n---\n${deep}\n---\nb: 2\n`);
    expect(values).toEqual([{ a: 1 }]);
    expect(issues).toEqual([
      { file: 'f.yaml', documentIndex: 1, message: expect.stringMatching(/^invalid YAML: nested more than 256 levels deep at line \d+, column \d+; the rest of the input was not read$/) },
    ]);
  });

  test('depth reached through aliases counts too', () => {
    const lines = ['a0: &a0 [x]'];
    for (let i = 1; i <= 60; i++) lines.push(`a${i}: &a${i} [*a${i - 1}]`);
    const loaded = loadManifestText(lines.join('\n'), 'f.yaml', { maxNestingDepth: 50 });
    expect(loaded.issues).toEqual([
      { file: 'f.yaml', documentIndex: 0, field: expect.stringMatching(/^a49(\[0\])+$/), message: 'nested more than 50 levels deep (aliases expanded)' },
    ]);
  });

  test('256 levels are fine, in flow and block style', () => {
    expect(read('['.repeat(255) + ']'.repeat(255)).issues).toEqual([]);
    expect(read(Array.from({ length: 128 }, (_, i) => `${' '.repeat(2 * i)}- k:`).join('\n') + ' v').issues).toEqual([]);
  });
});

describe('JSON as the API server reads it', () => {
  const readJson = (text: string): { values: unknown[]; issues: ManifestIssue[] } => {
    const loaded = loadManifestText(text, 'f.json');
    return { values: loaded.documents.map((document) => document.object), issues: loaded.issues };
  };

  test('a duplicate key is an error with its path, also inside a top-level array of documents', () => {
    expect(readJson('{"a": {"b": 1, "b": 2}}').issues).toEqual([{ file: 'f.json', documentIndex: 0, field: 'a.b', message: "duplicate key 'b'" }]);
    expect(readJson('[{"a": 1}, {"x": [{"k": 1, "k\\u0000": 2, "k": 3}]}]').issues).toEqual([
      { file: 'f.json', documentIndex: 1, field: 'x[0].k', message: "duplicate key 'k'" },
    ]);
  });

  test('nesting 3000+ deep is refused before JSON.parse', () => {
    expect(readJson('['.repeat(5000) + ']'.repeat(5000)).issues).toEqual([
      { file: 'f.json', documentIndex: 0, message: expect.stringMatching(/^invalid JSON: nested more than 256 levels deep at line 1, column 258;/) },
    ]);
  });

  test('strings with braces, quotes and escapes do not confuse the scan', () => {
    expect(readJson('{"a": "}{[\\"", "b\\\\": "\\\\", "c": "x"}').values).toEqual([{ 'a': '}{["', 'b\\': '\\', 'c': 'x' }]);
  });

  test('a syntax error names the line and column', () => {
    expect(readJson('{\n  "a": 1,\n}').issues).toEqual([{ file: 'f.json', documentIndex: 0, message: expect.stringMatching(/^invalid JSON: .* at line 3, column 1$/) }]);
  });
});
