/**
 * A fast multi-document YAML emitter whose output is byte-identical to cdk8s `Yaml.stringify(...docs)`
 * (the `yaml` library with `{ keepUndefined: true, lineWidth: 0, version: '1.1' }`) for JSON data.
 *
 * The library builds a node tree, resolves a tag per scalar and walks generic stringifiers; that costs
 * far more than the text itself for thousands of small manifests. This module writes the same block
 * layout directly and decides scalar styles with the library's own rules (stringifyString.js of
 * yaml 2.8/2.9), which are simple once `lineWidth: 0` switches folding off. Anything whose rendering is
 * not simple is delegated to the library, so exotic input costs speed, never correctness:
 * - a string containing a newline (block scalars, quoted-string line breaks) is rendered by the
 *   library in an equivalent position of a throw-away document and cut out of it;
 * - a non-finite number is rendered by the library on its own (number text does not depend on position);
 * - a whole document goes to the library when it is a bare scalar, reuses an object or array (the
 *   library then writes `&a1`/`*a1` anchors) or has a key longer than 1024 characters once rendered
 *   (the library then writes an explicit `? key` pair).
 *
 * One deliberate difference from cdk8s: the output is read back by Kubernetes, whose YAML reader
 * (go-yaml v2) takes more plain scalars for numbers and booleans than the library's YAML 1.1 schema
 * does (`0o17`, `0X1F`, `0B101`, `1e1_0`, …) and reads a bare `<<` key as a merge. Such strings are
 * quoted, on both paths, so that every string reads back as the same string. No manifest of ours
 * holds one, so the output stays byte-identical to cdk8s's for them.
 */
import * as YAML from 'yaml';
import { resolvePlainScalar } from '../analysis/input/go-yaml-scalars';

/** Plain JSON data: what `JSON.parse` returns. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

/** The options cdk8s passes to `YAML.stringify` for every document (node_modules/cdk8s/lib/yaml.js). */
const CDK8S_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

/** A RegExp that runs a predicate: the library only calls `test` on a tag's `test`. */
class Predicate extends RegExp {
  constructor(private readonly accepts: (text: string) => boolean) {
    super('');
  }

  override test(text: string): boolean {
    return this.accepts(text);
  }
}

const MERGE_KEY = '<<';

/**
 * True for a string that, written plain, go-yaml v2 would not read back as that string: one it
 * resolves to another type, a `<<` key (a merge), or one starting with a byte order mark, which
 * libyaml's scanner drops at the start of any line.
 */
function isAmbiguousForKubernetes(value: string): boolean {
  return value === MERGE_KEY || value.startsWith('\ufeff') || resolvePlainScalar(value).type !== 'str';
}

/**
 * The options for the library when it renders for us, and the reference the output equals: cdk8s's,
 * plus a tag that never identifies a value but whose test makes the library quote strings Kubernetes
 * would misread (stringifyString.js quotes a plain string that any default tag's test matches), and
 * without the merge tag, which would write the string `<<` bare.
 */
export const KUBERNETES_SAFE_YAML_OPTIONS: YAML.ToStringOptions & YAML.DocumentOptions & YAML.SchemaOptions & YAML.CreateNodeOptions = {
  ...CDK8S_OPTIONS,
  customTags: (tags) => [
    ...tags.filter((tag) => typeof tag === 'string' || tag.tag !== 'tag:yaml.org,2002:merge'),
    {
      tag: 'tag:cdk8s-zero-trust,2025:kubernetes-non-string',
      default: true,
      identify: () => false,
      test: new Predicate(isAmbiguousForKubernetes),
      resolve: (text: string) => text,
    },
  ],
};

/** The library's default indentation step. */
const STEP = '  ';

/** Rendered implicit keys longer than this become explicit `? key` pairs (stringifyPair.js). */
const MAX_IMPLICIT_KEY_LENGTH = 1024;

/** Characters that force double quotes whatever the rest of the string looks like (stringifyString.js). */
const FORCE_DOUBLE_QUOTES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;

/**
 * The library's test for strings that cannot be plain (plainString in stringifyString.js), verbatim.
 * Leading indicators, lone `-`/`?`, `- `/`? ` prefixes, `: ` anywhere, ` #` anywhere, trailing
 * space/colon; the newline alternatives never fire here because multi-line strings go to the library.
 */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;

/** A line that would read as a document marker or directive (containsDocumentMarker in stringifyString.js). */
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

/**
 * Strings that a YAML 1.1 reader would resolve to something other than a string (`yes`, `0775`, `1e3`,
 * `.inf`, `~`, `2001-12-14`, `1:20`, ...) must be quoted. Rather than restating those rules, take
 * the test regexes from the schema the library itself uses for `version: '1.1'`, exactly as
 * plainString does (`tag.default && tag.tag !== str && tag.test`), so the two cannot drift apart.
 */
const IMPLICIT_NON_STRING_TESTS: readonly RegExp[] = (() => {
  const schema = new YAML.Document(null, CDK8S_OPTIONS).schema;
  const tags = [...schema.tags, ...(schema.compat ?? [])];
  const tests = tags
    .filter(tag => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test instanceof RegExp)
    .map(tag => tag.test as RegExp);
  // One alternation is much faster than a dozen separate tests; each source is anchored ^...$ on its
  // own, so joining them is equivalent as long as none of them relies on flags.
  return tests.every(re => re.flags === '')
    ? [new RegExp(tests.map(re => `(?:${re.source})`).join('|'))]
    : tests;
})();

/** Thrown inside a document to hand the whole document to the library. */
class NeedsLibrary extends Error {
  constructor(reason: string) {
    super(reason);
  }
}

/**
 * Renders documents as cdk8s `Yaml.stringify(...docs)` does (with the quoting above): each document in YAML block style,
 * separated by `---\n`. Throws on `undefined` anywhere (cdk8s would write `null`; our data never has
 * it, so it signals a bug) and on values that are not JSON (functions, symbols, bigints, class instances).
 */
export function stringifyYamlDocuments(docs: readonly JsonValue[]): string {
  const emitter = new Emitter();
  for (let i = 0; i < docs.length; i++) {
    if (i > 0) emitter.raw('---\n');
    try {
      stringifyDocument(docs[i], emitter);
    } catch (err) {
      if (err instanceof UnsupportedValue) {
        throw new Error(`stringifyYamlDocuments: document ${i}${describePath(docs[i], err.value)}: ${err.message}`);
      }
      throw err;
    }
  }
  return emitter.text();
}

function stringifyDocument(doc: JsonValue, emitter: Emitter): void {
  emitter.begin();
  try {
    emitter.document(doc);
    emitter.end();
  } catch (err) {
    if (err instanceof NeedsLibrary) {
      // The library would write undefined as null; keep the contract the same on both paths.
      assertJsonData(doc);
      emitter.raw(libraryDocument(doc));
      return;
    }
    throw err;
  }
}

/**
 * A whole document rendered by the library. One case of its output does not read back: a top-level
 * multi-line string with leading spaces on some line gets a block scalar with an indentation indicator
 * (`|1-`, `|+`) that does not parse, or parses as another string (yaml 2.8/2.9, cdk8s alike). Such a
 * string is written double-quoted instead.
 */
export function libraryDocument(doc: JsonValue): string {
  const text = YAML.stringify(doc, KUBERNETES_SAFE_YAML_OPTIONS);
  if (typeof doc === 'string' && doc.includes('\n')) {
    const reread = YAML.parseDocument(text, { version: '1.1' });
    if (reread.errors.length > 0 || reread.toJS() !== doc) return `${doubleQuoted(doc)}\n`;
  }
  return text;
}

/** Thrown for a value that is not JSON data; the path is worked out afterwards, off the fast path. */
class UnsupportedValue extends Error {
  constructor(readonly value: unknown, message: string) {
    super(message);
  }
}

/** `'\n'` followed by the indentation of each depth, built once: the emitter mostly pushes shared strings. */
const NEWLINE_INDENT: string[] = [];
function newlineIndent(depth: number): string {
  for (let d = NEWLINE_INDENT.length; d <= depth; d++) NEWLINE_INDENT.push('\n' + STEP.repeat(d));
  return NEWLINE_INDENT[depth];
}

/**
 * Writes each document as a list of string pieces, mostly shared ones (keys, indentation), joined once
 * per document. Concatenating everything with `+=` builds millions of rope nodes that all survive to the
 * end, and collecting those cost more than everything else put together.
 */
class Emitter {
  /** Pieces of the current document; joined per document so that the pieces die young. */
  private readonly parts: string[] = [];
  private readonly docs: string[] = [];
  /** Objects and arrays seen in the current document: a second sighting means the library would write an alias. */
  private readonly seen = new Set<object>();

  begin(): void {
    this.seen.clear();
    this.parts.length = 0;
  }

  end(): void {
    this.docs.push(this.parts.join(''));
  }

  raw(text: string): void {
    this.docs.push(text);
  }

  text(): string {
    return this.docs.join('');
  }

  document(doc: JsonValue): void {
    if (doc === null || typeof doc !== 'object') {
      checkScalar(doc);
      // Top-level scalars have their own rules (document markers, forced block indentation); rare.
      throw new NeedsLibrary('top-level scalar');
    }
    if (Array.isArray(doc)) {
      this.visit(doc);
      if (doc.length === 0) this.parts.push('[]');
      else this.blockSeq(doc, 0);
    } else {
      const keys = this.objectKeys(doc);
      if (keys.length === 0) this.parts.push('{}');
      else this.blockMap(doc, keys, 0);
    }
    this.parts.push('\n');
  }

  /**
   * A non-empty map whose context indentation is `depth` steps: pairs on their own lines at that
   * indentation, keys and values rendered one step deeper (stringifyPair.js adds the step for both).
   */
  private blockMap(obj: { [k: string]: JsonValue }, keys: string[], depth: number): void {
    const parts = this.parts;
    const inner = depth + 1;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (i > 0) parts.push(newlineIndent(depth));
      const keyText = renderString(key, inner, true);
      if (keyText.length > MAX_IMPLICIT_KEY_LENGTH) throw new NeedsLibrary('explicit key');
      parts.push(keyText);
      const value = obj[key];
      if (value !== null && typeof value === 'object') {
        if (Array.isArray(value)) {
          this.visit(value);
          if (value.length === 0) {
            parts.push(': []');
          } else {
            parts.push(':', newlineIndent(inner));
            this.blockSeq(value, inner);
          }
        } else {
          const valueKeys = this.objectKeys(value);
          if (valueKeys.length === 0) {
            parts.push(': {}');
          } else {
            parts.push(':', newlineIndent(inner));
            this.blockMap(value, valueKeys, inner);
          }
        }
      } else {
        parts.push(': ', scalar(value, inner));
      }
    }
  }

  /** A non-empty sequence whose context indentation is `depth` steps: `- item` lines, items one step deeper. */
  private blockSeq(arr: JsonValue[], depth: number): void {
    const parts = this.parts;
    const inner = depth + 1;
    for (let i = 0; i < arr.length; i++) {
      if (i > 0) parts.push(newlineIndent(depth));
      const item = arr[i];
      if (item !== null && typeof item === 'object') {
        if (Array.isArray(item)) {
          this.visit(item);
          if (item.length === 0) {
            parts.push('- []');
          } else {
            parts.push('- ');
            this.blockSeq(item, inner);
          }
        } else {
          const itemKeys = this.objectKeys(item);
          if (itemKeys.length === 0) {
            parts.push('- {}');
          } else {
            parts.push('- ');
            this.blockMap(item, itemKeys, inner);
          }
        }
      } else {
        parts.push('- ', scalar(item, inner));
      }
    }
  }

  private objectKeys(obj: object): string[] {
    const proto: unknown = Object.getPrototypeOf(obj);
    // Dates, Maps, class instances etc. get their own tags or toJSON() treatment in the library.
    if (proto !== Object.prototype && proto !== null) throw unsupported(obj);
    this.visit(obj);
    return Object.keys(obj);
  }

  private visit(obj: object): void {
    const before = this.seen.size;
    // One hash lookup instead of has() + add(): this runs for every object and array.
    if (this.seen.add(obj).size === before) throw new NeedsLibrary('repeated reference');
  }
}

function scalar(value: JsonValue, depth: number): string {
  switch (typeof value) {
    case 'string': return renderString(value, depth, false);
    case 'number': return renderNumber(value);
    case 'boolean': return value ? 'true' : 'false';
    default:
      if (value === null) return 'null';
      throw unsupported(value);
  }
}

function checkScalar(value: unknown): void {
  if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw unsupported(value);
  }
}

function unsupported(value: unknown): UnsupportedValue {
  if (value === undefined) {
    return new UnsupportedValue(value, 'undefined is not JSON data; omit the key or use null');
  }
  const what = typeof value === 'object' && value !== null
    ? `an object of class ${(value as { constructor?: { name?: string } }).constructor?.name ?? '?'}`
    : `a ${typeof value}`;
  return new UnsupportedValue(value, `${what} is not JSON data`);
}

/** Finds where `target` sits in `doc`, for the error message only. */
function describePath(doc: unknown, target: unknown): string {
  const seen = new Set<object>();
  const search = (node: unknown, path: string): string | undefined => {
    if (node === target) return path;
    if (node === null || typeof node !== 'object' || seen.has(node)) return undefined;
    seen.add(node);
    const entries: [string, unknown][] = Array.isArray(node)
      ? Array.from(node, (v: unknown, i): [string, unknown] => [`${path}[${i}]`, v])
      : Object.keys(node).map((k): [string, unknown] => [path ? `${path}.${k}` : k, (node as Record<string, unknown>)[k]]);
    for (const [childPath, child] of entries) {
      const found = search(child, childPath);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const path = search(doc, '');
  return path ? ` at ${path}` : '';
}

/** Throws UnsupportedValue for the first value in `doc` that is not JSON data; shared and cyclic references are fine. */
function assertJsonData(doc: unknown, seen = new Set<object>()): void {
  if (doc === null || typeof doc !== 'object') {
    checkScalar(doc);
    return;
  }
  if (seen.has(doc)) return;
  seen.add(doc);
  if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) assertJsonData(doc[i], seen);
    return;
  }
  const proto: unknown = Object.getPrototypeOf(doc);
  if (proto !== Object.prototype && proto !== null) throw unsupported(doc);
  for (const key of Object.keys(doc)) assertJsonData((doc as Record<string, unknown>)[key], seen);
}

function renderNumber(value: number): string {
  if (!Number.isFinite(value)) return libraryTopLevelScalar(value);
  // stringifyNumber.js: JSON text, except that -0 keeps its sign.
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

/**
 * A string scalar as the library renders it with context indentation `depth` steps (only significant for
 * multi-line strings), as an implicit mapping key or as a value / sequence item.
 */
function renderString(value: string, depth: number, implicitKey: boolean): string {
  let text = SINGLE_LINE_CACHE.get(value);
  if (text === undefined) {
    if (value.includes('\n')) return libraryNestedString(value, depth, implicitKey);
    text = renderSingleLine(value);
    if (SINGLE_LINE_CACHE.size >= MAX_CACHED_STRINGS) SINGLE_LINE_CACHE.clear();
    SINGLE_LINE_CACHE.set(value, text);
  }
  // A top-level key that looks like a document marker would end the document when read back.
  if (implicitKey && depth === 1 && text === value && DOCUMENT_MARKER.test(value)) return quoted(value);
  return text;
}

/**
 * Renderings of single-line strings, which do not depend on position except for the document-marker
 * rule above. Keys, kinds, protocols and label values repeat across manifests, so a lookup saves
 * three regex scans; the bound keeps unique names from growing it without limit.
 */
const SINGLE_LINE_CACHE = new Map<string, string>();
const MAX_CACHED_STRINGS = 10_000;

function renderSingleLine(value: string): string {
  if (FORCE_DOUBLE_QUOTES.test(value)) return doubleQuoted(value);
  if (NOT_PLAIN.test(value) || looksLikeNonString(value)) return quoted(value);
  return value;
}

function looksLikeNonString(value: string): boolean {
  for (const re of IMPLICIT_NON_STRING_TESTS) {
    if (re.test(value)) return true;
  }
  return isAmbiguousForKubernetes(value);
}

/** quotedString with `singleQuote: null`: single quotes only when that avoids escaping a `"`. */
function quoted(value: string): string {
  // Single-line only, so none of singleQuotedString's newline handling applies.
  if (value.includes('"') && !value.includes("'")) return `'${value}'`;
  return doubleQuoted(value);
}

/**
 * doubleQuotedString for a single-line string: JSON text with YAML's shorter escapes for some
 * control characters. Ported loop rather than a regex so that `\\u0000` (an escaped backslash followed
 * by text) is not mistaken for an escape.
 */
function doubleQuoted(value: string): string {
  const json = JSON.stringify(value);
  let str = '';
  let start = 0;
  for (let i = 0; i < json.length; i++) {
    if (json[i] !== '\\') continue;
    if (json[i + 1] !== 'u') {
      i += 1;
      continue;
    }
    str += json.slice(start, i);
    const code = json.substring(i + 2, i + 6);
    switch (code) {
      case '0000': str += '\\0'; break;
      case '0007': str += '\\a'; break;
      case '000b': str += '\\v'; break;
      case '001b': str += '\\e'; break;
      case '0085': str += '\\N'; break;
      case '00a0': str += '\\_'; break;
      case '2028': str += '\\L'; break;
      case '2029': str += '\\P'; break;
      default:
        str += code.startsWith('00') ? '\\x' + code.substring(2) : json.substring(i, i + 6);
    }
    i += 5;
    start = i + 1;
  }
  return start ? str + json.slice(start) : json;
}

function libraryTopLevelScalar(value: number): string {
  const text = YAML.stringify(value, KUBERNETES_SAFE_YAML_OPTIONS);
  return text.slice(0, -1);
}

/**
 * Renders `value` with the library at the same context indentation and role by nesting it in
 * single-key maps (`k:` per level) and cutting it out of the output. A string's rendering depends only
 * on the context indentation and on whether it is an implicit key, not on whether its parent is a map
 * or a sequence, so this matches its real position.
 */
function libraryNestedString(value: string, depth: number, implicitKey: boolean): string {
  let prefix = '';
  for (let level = 0; level < depth - 1; level++) prefix += STEP.repeat(level) + 'k:\n';
  let doc: unknown;
  let suffix: string;
  if (implicitKey) {
    doc = { [value]: 0 };
    prefix += STEP.repeat(depth - 1);
    suffix = ': 0\n';
  } else {
    doc = { k: value };
    prefix += STEP.repeat(depth - 1) + 'k: ';
    suffix = '\n';
  }
  for (let level = 0; level < depth - 1; level++) doc = { k: doc };
  const text = YAML.stringify(doc, KUBERNETES_SAFE_YAML_OPTIONS);
  if (implicitKey && text.startsWith('? ', prefix.length)) throw new NeedsLibrary('explicit key');
  if (!text.startsWith(prefix) || !text.endsWith(suffix)) {
    throw new Error(`yaml-emitter: unexpected library output for ${JSON.stringify(value)}: ${JSON.stringify(text)}`);
  }
  // A string of blank lines (`"  \n\n"`) gets a block scalar whose first line's spaces read back as
  // indentation (yaml 2.8/2.9, cdk8s alike), so a block scalar is kept only if it reads back.
  if (!implicitKey && !readsBackAt(text, depth, value)) return doubleQuoted(value);
  return text.slice(prefix.length, text.length - suffix.length);
}

/** True when `text`, the nested single-key maps of libraryNestedString, reads back with `value` at its bottom. */
function readsBackAt(text: string, depth: number, value: string): boolean {
  const reread = YAML.parseDocument(text, { version: '1.1' });
  if (reread.errors.length > 0) return false;
  let node: unknown = reread.toJS();
  for (let level = 0; level < depth; level++) node = (node as { k?: unknown } | null)?.k;
  return node === value;
}
