import { Composer, Document, Lexer, LineCounter, Parser, Schema, ScalarTag, YAMLError } from 'yaml';
import { resolvePlainScalar } from './go-yaml-scalars';
import { InputProblem, InputProblemSink, toJsonValue } from './yaml-to-json';

/**
 * Every plain scalar goes through go-yaml v2's resolution (see go-yaml-scalars.ts). One tag that accepts
 * every text is enough: the converter reads the resolved value, never the tag.
 */
class AnyText extends RegExp {
  constructor() {
    super('');
  }

  override test(): boolean {
    return true;
  }
}

const PLAIN_TAG: ScalarTag = {
  tag: 'tag:yaml.org,2002:plain-go-yaml-v2',
  default: true,
  test: new AnyText(),
  resolve: (text) => resolvePlainScalar(text).value,
};

/** `!!int 010`, `!!bool yes`...: resolved like plain scalars, and an error when the type differs (resolve.go's failf). */
function explicitTag(name: 'null' | 'bool' | 'int' | 'float'): ScalarTag {
  return {
    tag: `tag:yaml.org,2002:${name}`,
    resolve: (text, onError) => {
      const resolved = resolvePlainScalar(text);
      // An integer is accepted where a float is asked for (resolve.go converts it).
      if (resolved.type === name || (name === 'float' && resolved.type === 'int')) return resolved.value;
      onError(`cannot decode !!${resolved.type} \`${text}\` as a !!${name}`);
      return text;
    },
  };
}

const BINARY_TAG: ScalarTag = {
  tag: 'tag:yaml.org,2002:binary',
  resolve: (text, onError) => {
    const compact = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
      onError('!!binary value contains invalid base64 data');
      return text;
    }
    // go-yaml v2 decodes into a Go string, which JSON encoding then writes as UTF-8.
    return Buffer.from(compact, 'base64').toString('utf8');
  },
};

/**
 * The reader's schema: maps, sequences and strings from the failsafe schema, plus go-yaml v2's scalar
 * resolution. Merge keys (`<<`) and duplicate keys are handled by the converter, as go-yaml v2 does.
 */
const SCHEMA = new Schema({
  schema: 'failsafe',
  customTags: (tags) => [...tags, PLAIN_TAG, explicitTag('null'), explicitTag('bool'), explicitTag('int'), explicitTag('float'), BINARY_TAG],
  resolveKnownTags: false,
  merge: false,
});

const COMPOSER_OPTIONS = { version: '1.1', schema: SCHEMA, merge: false, uniqueKeys: false, strict: true } as const;

export interface YamlLimits {
  /** Deepest nesting of maps and sequences accepted, aliases expanded. */
  readonly maxDepth: number;
}

/** `invalid YAML: <reason> at line L, column C`, without the parser's code excerpt. */
function describeYamlError(error: YAMLError, lines: LineCounter): string {
  const { line, col } = lines.linePos(error.pos[0]);
  return `invalid YAML: ${error.message.split(':\n')[0]} at line ${line}, column ${col}`;
}

/**
 * Reads a multi-document YAML stream one document at a time, calling `onDocument` with each document's
 * JSON value (documents with problems are reported to `problems` instead). The nesting depth is checked
 * while parsing, before any tree is built, so a hostile `[[[[…` costs neither stack nor memory; when it
 * is exceeded the rest of the stream is not read.
 */
export function readYamlStream(
  text: string,
  limits: YamlLimits,
  onDocument: (documentIndex: number, value: unknown) => void,
  problems: InputProblemSink,
): void {
  const lines = new LineCounter();
  // Parser.parse() registers the first line itself; driving the parser lexeme by lexeme skips that.
  lines.addNewLine(0);
  const lexer = new Lexer();
  const parser = new Parser(lines.addNewLine);
  const composer = new Composer(COMPOSER_OPTIONS);
  let nextIndex = 0;
  const accept = (document: Document.Parsed): void => {
    const documentIndex = nextIndex++;
    if (document.errors.length > 0) {
      for (const error of document.errors) problems(documentIndex, { message: describeYamlError(error, lines) });
      return;
    }
    const found: InputProblem[] = [];
    const value = toJsonValue(document.contents, limits.maxDepth, found);
    if (found.length > 0) {
      for (const problem of found) problems(documentIndex, problem);
      return;
    }
    onDocument(documentIndex, value);
  };
  // The parser's stack holds the document, every open collection and the node being read: its length
  // bounds the nesting depth (two more than it, at most, for the document and a scalar).
  const maxStack = limits.maxDepth + 2;
  for (const lexeme of lexer.lex(text)) {
    for (const token of parser.next(lexeme)) {
      for (const document of composer.next(token)) accept(document);
    }
    if (parser.stack.length > maxStack) {
      // Documents before this one are complete; this one has not been handed to the composer yet.
      for (const document of composer.end(false, parser.offset)) accept(document);
      const { line, col } = lines.linePos(parser.offset);
      problems(nextIndex, {
        message: `invalid YAML: nested more than ${limits.maxDepth} levels deep at line ${line}, column ${col}; the rest of the input was not read`,
      });
      return;
    }
  }
  for (const token of parser.end()) {
    for (const document of composer.next(token)) accept(document);
  }
  for (const document of composer.end(false, text.length)) accept(document);
}
