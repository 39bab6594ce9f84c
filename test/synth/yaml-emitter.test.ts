import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { resolvePlainScalar } from '../../src/analysis/input/go-yaml-scalars';
import { readYamlStream } from '../../src/analysis/input/yaml-stream';
import { InputProblem } from '../../src/analysis/input/yaml-to-json';
import { JsonValue, libraryDocument, stringifyYamlDocuments } from '../../src/synth/yaml-emitter';

/** What cdk8s writes to dist/*.k8s.yaml. */
function cdk8s(docs: readonly JsonValue[]): string {
  return Yaml.stringify(...docs);
}

/**
 * The reference: cdk8s's rendering by the library, quoting also what Kubernetes (go-yaml v2) would not
 * read as a string (and double-quoting the one top-level string the library writes unreadably).
 */
function reference(docs: readonly JsonValue[]): string {
  return docs.map(libraryDocument).join('---\n');
}

/** True when some string of the documents (key or value) is one that only the Kubernetes quoting rule quotes. */
function holdsKubernetesAmbiguousString(value: unknown): boolean {
  if (typeof value === 'string') return value === '<<' || value.startsWith('\ufeff') || resolvePlainScalar(value).type !== 'str';
  if (Array.isArray(value)) return value.some(holdsKubernetesAmbiguousString);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([key, item]) => holdsKubernetesAmbiguousString(key) || holdsKubernetesAmbiguousString(item));
  }
  return false;
}

/** A top-level multi-line string cdk8s writes as YAML that does not parse, or parses as another string (see libraryDocument). */
function cdk8sCannotReadBack(doc: JsonValue): boolean {
  if (typeof doc !== 'string') return false;
  const reread = YAML.parseDocument(cdk8s([doc]), { version: '1.1' });
  return reread.errors.length > 0 || reread.toJS() !== doc;
}

/** True when the documents hold a multi-line value the library writes as a block scalar that reads back differently. */
function holdsMisrenderedBlockScalar(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\n') && YAML.parse(YAML.stringify({ k: value }, { version: '1.1' }), { version: '1.1' }).k !== value;
  if (Array.isArray(value)) return value.some(holdsMisrenderedBlockScalar);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsMisrenderedBlockScalar);
  return false;
}

function expectSameAsCdk8s(docs: readonly JsonValue[]): void {
  const text = stringifyYamlDocuments(docs);
  // Where the library's own rendering does not read back, ours differs on purpose (and the round trip checks it).
  if (holdsMisrenderedBlockScalar(docs)) return;
  expect(text).toStrictEqual(reference(docs));
  if (!holdsKubernetesAmbiguousString(docs) && !docs.some(cdk8sCannotReadBack)) expect(text).toStrictEqual(cdk8s(docs));
}

/** Reads YAML back as the API server does (go-yaml v2 through sigs.k8s.io/yaml). */
function readAsKubernetes(text: string): unknown[] {
  const values: unknown[] = [];
  const problems: InputProblem[] = [];
  readYamlStream(text, { maxDepth: 1000 }, (_index, value) => values.push(value), (_index, problem) => problems.push(problem));
  expect(problems).toEqual([]);
  return values;
}

/**
 * Strings whose style the library decides by a specific rule: YAML 1.1 booleans, nulls, ints (octal, hex,
 * binary, underscores, sexagesimal), floats, timestamps, merge key, document markers, indicators,
 * `: ` / ` #`, surrounding blanks, quotes of either kind, control characters, unicode, newlines.
 */
const TRICKY_STRINGS: readonly string[] = [
  '', ' ', '  ', '\t', 'a', 'plain text', 'frontend', 'TCP', 'networking.k8s.io/v1', '10.0.0.0/8', '203.0.113.0/24', 'fe80::1/64',
  'y', 'Y', 'n', 'N', 'yes', 'Yes', 'YES', 'yEs', 'no', 'No', 'NO', 'on', 'On', 'ON', 'oN', 'off', 'Off', 'OFF',
  'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL', 'nULL', '~', '~~',
  '0', '1', '-1', '+1', '007', '0775', '0778', '0o17', '0x1F', '0X1F', '0x', '0b101', '0b', '0b2', '1_000', '_1', '1__',
  '1.5', '.5', '5.', '.', '-.', '+.', '1e3', '1E3', '1e+3', '1.5e-3', 'e3', '1e', '.inf', '-.inf', '+.Inf', '.INF', 'inf', '.nan', '.NaN', '-.nan', 'NaN',
  '1:20', '190:20:30', '1:60', '-1:20', '1:20.5', '12:30:45', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5',
  '2001-12-14T21:59:43Z', '2001-1-1', '20011-12-14', '2001-12-14 ', '<<', '<', '<<<', '=',
  '---', '--- a', '---a', '...', '... a', 'a ---', '%', '%YAML', '@a', '`a', '&a', '*a', '!a', '!!str', '|', '>', "'", '"', '#', '#a',
  '-', '--', '-a', '- a', '-\t', '?', '??', '?a', '? a', ':', '::', ':a', 'a:', 'a: b', 'a:b', 'a :b', 'a\t: b', 'a:\tb', 'http://x',
  'a #b', 'a#b', 'a\t#b', ' a', 'a ', ' a ', '\ta', 'a\t', ',a', 'a,', '[a', 'a]', '{a', 'a}', 'a[b]', 'a{b}c',
  "it's", 'say "hi"', 'both \' and "', "'quoted'", '"quoted"', 'a\\b', '\\', '\\u0000', '\\n',
  '\u0000', 'a\u0007b', '\u000b', '\u001b', '\u0085', '\u00a0', 'a\u00a0b', '\u2028', '\u2029', '\u007f', '\u0080', '\u009f', '\r', 'a\rb', '\b\f',
  '\ud800', 'a\udfffb', '😀', 'é', 'ü', '日本語', '\ufeff', 'a\u200bb',
  'a\nb', '\n', '\n\n', 'a\n', 'a\n\n', '\na', ' a\nb', 'a \nb', 'a\n b', 'a\n\n\nb', 'a\nb\n', 'a\nb \n', 'a\n  ', '---\nx', 'x\n---', 'a: \nb',
  '# x\ny', "'\n'", '"\n"', '\'"\n', 'a\r\nb', 'a\u0000\nb', '- x\n- y', 'a\tb\n\tc', '%x\ny', '...\n',
];

/** Positions a string can take, which the library renders differently (keys, depth of indentation). */
function placements(s: string): JsonValue[] {
  return [
    s,
    [s],
    { k: s },
    { [s]: 'v' },
    { [s]: { [s]: s } },
    { a: [s, [s, { [s]: [s] }]] },
    [{ [s]: s, k: [{ x: s }] }],
    { [s]: [] },
    { [s]: {} },
    { [s]: null },
  ];
}

describe('stringifyYamlDocuments', () => {
  test.each(TRICKY_STRINGS.map(s => [JSON.stringify(s), s]))('string %s renders like cdk8s in every position', (_label, s) => {
    for (const doc of placements(s)) expectSameAsCdk8s([doc]);
  });

  test.each<[string, JsonValue[]]>([
    ['empty list of documents', []],
    ['empty object and array documents', [{}, [], {}]],
    ['scalar documents', [1, 'a', true, null, '', 'a\nb', '--- x']],
    ['numbers', [{ n: [0, -0, 1, -1, 42, 2 ** 53, 2 ** 53 + 2, 1e21, -1e21, 1.5, 0.1, 1e-7, 123.456e-20, Number.MAX_VALUE, Number.MIN_VALUE] }]],
    ['non-finite numbers', [{ n: [NaN, Infinity, -Infinity] }]],
    ['booleans and null', [{ t: true, f: false, z: null, list: [true, false, null] }]],
    ['empty collections everywhere', [{ a: {}, b: [], c: [{}, [], [[]], [{}]], d: { e: { f: [] } } }]],
    ['nested arrays', [[[1, 2], [3, [4, [5, []]]], [[]]]]],
    ['arrays of objects in objects in arrays', [{ a: [[{ b: 1, c: 2 }]], d: [{ e: [{ f: 1, g: [{ h: 'i' }] }] }] }]],
    ['integer-like keys (enumerated first by JS)', [{ b: 1, 2: 'two', 1: 'one', a: 3 }]],
    ['keys needing quotes', [{ 'yes': 1, '1': 2, 'a: b': 3, '- x': 4, '': 5, ' ': 6, '~': 7, '<<': 8, '---': 9, '...': 10, 'x\ny': 11 }]],
    ['document-marker keys below the top level', [{ a: { '---': 1, '...x': 2 }, b: [{ '---': 3 }] }]],
    ['long keys become explicit', [{ ['k'.repeat(1024)]: 1, ['k'.repeat(1025)]: { a: 1 } }, { ['"'.repeat(600)]: [1] }]],
    ['long values stay on one line', [{ v: 'word '.repeat(100) + 'end', q: '"' + 'x'.repeat(300) + ': y' }]],
    ['multi-line values at several depths', [{ a: 'l1\nl2', b: { c: ['x\ny', { d: ' lead\ntrail ' }] }, e: 'keep\n\n', f: '\n\nlead' }]],
    ['null prototype object', [Object.assign(Object.create(null) as Record<string, JsonValue>, { a: 1 })]],
  ])('%s', (_label, docs) => {
    expectSameAsCdk8s(docs);
  });

  test('a NetworkPolicy manifest', () => {
    expectSameAsCdk8s([
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'backend-ingress', namespace: 'alpha-web', labels: { 'app.kubernetes.io/managed-by': 'cdk8s' } },
        spec: {
          podSelector: { matchLabels: { app: 'backend' } },
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
        },
      },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'alpha-web' } },
    ]);
  });

  test('shared objects are written with anchors, as the library does', () => {
    const selector = { matchLabels: { app: 'web' } };
    const ports: JsonValue[] = [];
    expectSameAsCdk8s([{ a: selector, b: selector }, { a: ports, b: [ports] }, { fresh: selector }]);
  });

  test('rejects undefined with its location', () => {
    const doc = { spec: { ports: [{ port: 80 }, { port: undefined }] } } as unknown as JsonValue;
    expect(() => stringifyYamlDocuments([{}, doc])).toThrow(
      'stringifyYamlDocuments: document 1 at spec.ports[1].port: undefined is not JSON data; omit the key or use null',
    );
    expect(() => stringifyYamlDocuments([undefined as unknown as JsonValue])).toThrow(/document 0: undefined is not JSON data/);
    expect(() => stringifyYamlDocuments([[1, undefined] as unknown as JsonValue])).toThrow(/document 0 at \[1\]: undefined/);
    // Also when the document goes to the library as a whole (here: a shared object), which would write null.
    const shared = { a: 1 };
    const sharing = { x: shared, y: shared, z: { w: undefined } } as unknown as JsonValue;
    expect(() => stringifyYamlDocuments([sharing])).toThrow(/document 0 at z\.w: undefined is not JSON data/);
  });

  test('rejects values that are not JSON data', () => {
    expect(() => stringifyYamlDocuments([{ d: new Date(0) } as unknown as JsonValue])).toThrow(/at d: an object of class Date is not JSON data/);
    expect(() => stringifyYamlDocuments([{ f: () => 1 } as unknown as JsonValue])).toThrow(/at f: a function is not JSON data/);
    expect(() => stringifyYamlDocuments([{ b: 1n } as unknown as JsonValue])).toThrow(/at b: a bigint is not JSON data/);
  });

  test('a top-level string the library would write as an unreadable or wrong block scalar is double-quoted', () => {
    expect(YAML.parseDocument(cdk8s([' a\nb'])).errors).not.toEqual([]);
    expect(YAML.parse(cdk8s(['\n a']))).not.toBe('\n a');
    expect(stringifyYamlDocuments(['\n a', ' \n'])).toBe('"\\n a"\n---\n" \\n"\n');
    // The same bug below the top level: blank lines only.
    expect(YAML.parse(cdk8s([{ a: { b: '  \n\n' } }]))).not.toEqual({ a: { b: '  \n\n' } });
    expect(stringifyYamlDocuments([{ a: { b: '  \n\n' } }])).toBe('a:\n  b: "  \\n\\n"\n');
    expect(stringifyYamlDocuments([' a\nb', 'a\nb'])).toBe('" a\\nb"\n---\n|-\na\nb\n');
    expect(readAsKubernetes(stringifyYamlDocuments([' a\nb', 'a\nb']))).toEqual([' a\nb', 'a\nb']);
  });

  test.each([
    '0o17', '0O17', '0X1F', '0B101', '+0x1F', '0_x1F', '1e1_0', '.5_0', '1_000', '08', 'y', 'N', 'on', 'OFF', '~', '', '.inf', '-.Inf', '.NaN',
    '1:20', '0b101', '<<', '\ufeff', '\ufeffa',
  ])('%j is quoted as a key and as a value, so Kubernetes reads it back as that string', s => {
    const doc = { [s]: s, list: [s], nested: { [s]: [s] } };
    const text = stringifyYamlDocuments([doc]);
    expect(readAsKubernetes(text)).toEqual([doc]);
    expect(text).toContain(`- ${JSON.stringify(s)}`);
  });

  describe('property: byte-identical to cdk8s Yaml.stringify', () => {
    const YAML_CHARS = [
      'a', 'b', 'y', 'n', 'o', 'e', 'E', 'x', 'Y', 'N', 'O', 'T', 't', 'r', 'u', 'f', 'l', 's', '0', '1', '7', '8', '9', '_',
      ' ', ' ', '\t', '\n', '\r', ':', '-', '?', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`',
      '.', '+', '~', '<', '=', '\\', '/', '\u0000', '\u0085', '\u00a0', '\u2028', 'é', '😀', '\ud800',
    ];
    const WORDS = TRICKY_STRINGS.filter(s => s.length <= 12);

    const adversarialString: fc.Arbitrary<string> = fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...YAML_CHARS), maxLength: 10 }) },
      { weight: 3, arbitrary: fc.constantFrom(...WORDS) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS)).map(([a, b]) => a + b) },
      { weight: 1, arbitrary: fc.integer().map(String) },
      { weight: 1, arbitrary: fc.double().map(String) },
      { weight: 1, arbitrary: fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99)).map(([a, b, c]) => `${a}:${b}:${c}`) },
      { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map(d => d.toISOString().slice(0, 10 + (d.getTime() % 2 ? 0 : 9))) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
      { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    );

    const scalar: fc.Arbitrary<JsonValue> = fc.oneof(
      { weight: 6, arbitrary: adversarialString },
      { weight: 1, arbitrary: fc.integer() },
      { weight: 1, arbitrary: fc.double() },
      { weight: 1, arbitrary: fc.boolean() },
      { weight: 1, arbitrary: fc.constant(null) },
    );

    const { value: jsonValue } = fc.letrec<{ value: JsonValue }>(tie => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(adversarialString, tie('value'), { maxKeys: 4 }),
      ),
    }));

    const collection: fc.Arbitrary<JsonValue> = fc.oneof(
      fc.dictionary(adversarialString, jsonValue, { maxKeys: 5 }),
      fc.array(jsonValue, { maxLength: 4 }),
    );

    test('arbitrary JSON documents', () => {
      fc.assert(
        fc.property(fc.array(fc.oneof({ weight: 9, arbitrary: collection }, { weight: 1, arbitrary: scalar }), { maxLength: 3 }), docs => {
          expectSameAsCdk8s(docs);
        }),
        { numRuns: 4000 },
      );
    });

    test('one adversarial string as key and value at several depths', () => {
      fc.assert(
        fc.property(adversarialString, s => {
          expectSameAsCdk8s(placements(s));
        }),
        { numRuns: 3000 },
      );
    });

    /** Finite numbers only: `.inf` and `.nan` are not JSON, and the API server rejects them. */
    const finiteScalar: fc.Arbitrary<JsonValue> = fc.oneof(
      { weight: 6, arbitrary: adversarialString },
      { weight: 1, arbitrary: fc.integer() },
      { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
      { weight: 1, arbitrary: fc.boolean() },
      { weight: 1, arbitrary: fc.constant(null) },
    );
    const { value: finiteJson } = fc.letrec<{ value: JsonValue }>(tie => ({
      value: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        finiteScalar,
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(adversarialString, tie('value'), { maxKeys: 4 }),
      ),
    }));

    test('round trip: what we write, Kubernetes reads back as the same JSON', () => {
      fc.assert(
        fc.property(fc.array(finiteJson, { maxLength: 3 }), docs => {
          // JSON itself does not keep -0; the API server stores 0.
          const expected = JSON.parse(JSON.stringify(docs)) as unknown[];
          expect(readAsKubernetes(stringifyYamlDocuments(docs))).toEqual(expected);
        }),
        { numRuns: 500 },
      );
    });
  });
});
