import { InputProblemSink, MAX_PROBLEMS_PER_DOCUMENT } from './yaml-to-json';

/** Line and column (1-based) of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** One open object or array while scanning. */
interface Frame {
  /** Keys seen so far (objects only). */
  readonly keys?: Set<string>;
  /** The current key of an object, or the current index of an array. */
  at: string | number;
  expectingKey: boolean;
}

/** Field path of the frames below the top-level value, e.g. `spec.ports[0]`. */
function framePath(frames: readonly Frame[], from: number): string {
  let path = '';
  for (let i = from; i < frames.length; i++) {
    const at = frames[i].at;
    path += typeof at === 'number' ? `[${at}]` : path ? `.${at}` : at;
  }
  return path;
}

/** Index of the quote that closes the string opening at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  while (quote >= 0) {
    let backslashes = 0;
    for (let i = quote - 1; text.charCodeAt(i) === 0x5c; i--) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}

/**
 * Reads JSON text holding one value, a top-level array whose elements are the documents, or several
 * values one after the other (as `jq -c` prints them). Before `JSON.parse` builds anything, a scan
 * checks the nesting depth and rejects a key given twice in one object (JSON.parse would keep the last
 * one silently; the API server's strict decoding rejects it).
 *
 * With `strict` false, returns false without reporting anything when a character outside every value
 * cannot start an object or array (e.g. the `---` of a YAML stream), so the caller can read the text
 * another way; with `strict` true, that is reported as invalid JSON like any other syntax error.
 */
export function readJsonStream(
  text: string,
  options: { readonly maxDepth: number; readonly strict: boolean },
  onDocument: (documentIndex: number, value: unknown) => void,
  problems: InputProblemSink,
): boolean {
  const maxDepth = options.maxDepth;
  const values: { start: number; end: number }[] = [];
  const frames: Frame[] = [];
  /** Set when the text is one top-level array: its elements are the documents. */
  let arrayOfDocuments = false;
  let start = -1;
  /** Which document duplicate-key and depth problems belong to. */
  const documentOf = (): number => (arrayOfDocuments && values.length === 0 ? Number(frames[0]?.at ?? 0) : values.length);
  const pathFrom = (): number => (arrayOfDocuments && values.length === 0 ? 1 : 0);
  const rejected = new Set<number>();
  /** Duplicate keys found per document, to stop listing them past MAX_PROBLEMS_PER_DOCUMENT. */
  const duplicates = new Map<number, number>();
  const report: InputProblemSink = (documentIndex, problem) => {
    rejected.add(documentIndex);
    problems(documentIndex, problem);
  };
  let broken = false;
  let stopped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (frames.length === 0) {
      if (c === ' ' || c === '\n' || c === '\r' || c === '\t') continue;
      start = i;
      if (c !== '{' && c !== '[') {
        if (!options.strict) return false;
        // A scalar document or garbage: JSON.parse describes it.
        broken = true;
        break;
      }
    }
    if (c === '"') {
      const end = stringEnd(text, i);
      if (end < 0) {
        broken = true;
        break;
      }
      const top = frames[frames.length - 1];
      if (top?.keys && top.expectingKey) {
        const raw = text.slice(i + 1, end);
        let key = raw;
        if (raw.includes('\\')) {
          try {
            key = JSON.parse(text.slice(i, end + 1)) as string;
          } catch {
            broken = true;
            break;
          }
        }
        top.at = key;
        top.expectingKey = false;
        if (top.keys.has(key)) {
          const document = documentOf();
          const count = (duplicates.get(document) ?? 0) + 1;
          duplicates.set(document, count);
          if (count <= MAX_PROBLEMS_PER_DOCUMENT) {
            report(document, { path: framePath(frames, pathFrom()), message: `duplicate key '${key}'` });
          } else if (count === MAX_PROBLEMS_PER_DOCUMENT + 1) {
            report(document, { message: `more than ${MAX_PROBLEMS_PER_DOCUMENT} duplicate keys in this document; the others are not listed` });
          }
        }
        top.keys.add(key);
      }
      i = end;
    } else if (c === '{' || c === '[') {
      if (frames.length === 0 && c === '[' && values.length === 0) arrayOfDocuments = true;
      if (frames.length - (arrayOfDocuments && values.length === 0 ? 1 : 0) >= maxDepth) {
        const where = lineAndColumn(text, i);
        report(documentOf(), { message: `invalid JSON: nested more than ${maxDepth} levels deep at line ${where.line}, column ${where.column}; the rest of the input was not read` });
        stopped = true;
        break;
      }
      frames.push(c === '{' ? { keys: new Set(), at: '', expectingKey: true } : { at: 0, expectingKey: false });
    } else if (c === '}' || c === ']') {
      frames.pop();
      if (frames.length === 0) {
        values.push({ start, end: i + 1 });
        start = -1;
      }
    } else if (c === ',') {
      const top = frames[frames.length - 1];
      if (top?.keys) {
        top.expectingKey = true;
      } else if (top) {
        top.at = (top.at as number) + 1;
      }
    }
  }
  if (!stopped && (broken || frames.length > 0)) {
    // Unterminated: let JSON.parse say where.
    values.push({ start: Math.max(start, 0), end: text.length });
  }
  if (values.length > 1) arrayOfDocuments = false;
  values.forEach(({ start: from, end }, index) => {
    let value: unknown;
    try {
      value = JSON.parse(text.slice(from, end));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const position = /position (\d+)/.exec(message);
      const where = position ? lineAndColumn(text, from + Number(position[1])) : undefined;
      const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '');
      report(index, { message: `invalid JSON: ${reason}${where ? ` at line ${where.line}, column ${where.column}` : ''}` });
      return;
    }
    if (arrayOfDocuments && Array.isArray(value)) {
      value.forEach((item, documentIndex) => {
        if (!rejected.has(documentIndex)) onDocument(documentIndex, item);
      });
    } else if (!rejected.has(index)) {
      onDocument(index, value);
    }
  });
  return true;
}
