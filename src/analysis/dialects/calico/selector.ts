/**
 * Calico selector expressions, parsed and evaluated as Calico does
 * (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#selectors; the tokenizer and
 * recursive-descent parser of https://github.com/projectcalico/calico/tree/master/libcalico-go/lib/selector).
 *
 * Grammar (highest precedence first: match operators, parentheses, `!`, `&&`, `||`):
 *
 * ```
 * or      := and ( '||' and )*
 * and     := unary ( '&&' unary )*
 * unary   := '!' unary | '(' or ')' | term
 * term    := 'all()' | 'global()' | 'has(' KEY ')'
 *          | KEY ( '==' | '!=' | 'contains' | 'starts with' | 'ends with' ) STRING
 *          | KEY ( 'in' | 'not in' ) '{' [ STRING ( ',' STRING )* ] '}'
 * KEY     := [a-zA-Z0-9_./-]+        (the tokenizer sets no length limit; label keys themselves are validated elsewhere)
 * STRING  := '...' | "..."          (no escapes: a literal ends at the next quote of its kind)
 * ```
 *
 * The empty selector (only spaces and tabs) is `all()`. The word operators (`in`, `not in`, `contains`,
 * `starts with`, `ends with`) are recognised only right after a key, by prefix, as upstream's tokenizer does
 * (libcalico-go/lib/selector/tokenizer/tokenizer.go); so `in == 'x'` compares the key `in`. Sets accept a
 * trailing comma (parser.go).
 *
 * Matching: `k != 'v'` and `k not in {...}` also match resources without `k`; `contains`, `starts with` and
 * `ends with` need the label. `global()` matches no labelled resource: it only marks a rule's
 * `namespaceSelector` as selecting non-namespaced resources, and the reader checks where it appears.
 */

export type SelectorNode =
  | { readonly kind: 'all' }
  | { readonly kind: 'global' }
  | { readonly kind: 'has'; readonly key: string }
  | { readonly kind: 'compare'; readonly key: string; readonly op: CompareOperator; readonly value: string }
  | { readonly kind: 'set'; readonly key: string; readonly negated: boolean; readonly values: readonly string[] }
  | { readonly kind: 'not'; readonly operand: SelectorNode }
  | { readonly kind: 'and'; readonly operands: readonly SelectorNode[] }
  | { readonly kind: 'or'; readonly operands: readonly SelectorNode[] };

export type CompareOperator = '==' | '!=' | 'contains' | 'starts with' | 'ends with';

/** A selector that Calico would refuse, with the zero-based character position of the problem. */
export class CalicoSelectorSyntaxError extends Error {
  constructor(
    /** What is wrong, without the position. */
    readonly problem: string,
    /** Zero-based index into the selector text. */
    readonly position: number,
  ) {
    super(`${problem} at character ${position + 1}`);
    this.name = 'CalicoSelectorSyntaxError';
  }
}

type TokenKind =
  | 'label' | 'string' | '(' | ')' | '{' | '}' | ',' | '==' | '!=' | '!' | '&&' | '||'
  | 'in' | 'not in' | 'contains' | 'starts with' | 'ends with' | 'all' | 'global' | 'has' | 'eof';

interface Token {
  readonly kind: TokenKind;
  /** The label key (label, has) or the literal's content (string). */
  readonly value?: string;
  readonly position: number;
}

/** Upstream skips spaces and tabs only; a newline inside a selector is an unexpected character. */
const WHITESPACE = /[ \t]/;
const KEY_CHAR = /[a-zA-Z0-9_./-]/;

/**
 * Operators that may only follow a label key, matched by prefix as upstream's tokenizer does (so a key may be
 * spelled `in` or `contains`: these words are operators only right after a key).
 */
const OPERATORS_AFTER_KEY: ReadonlyArray<readonly [RegExp, TokenKind]> = [
  [/contains/y, 'contains'],
  [/starts[ \t]*with/y, 'starts with'],
  [/ends[ \t]*with/y, 'ends with'],
  [/not[ \t]*in/y, 'not in'],
  [/in/y, 'in'],
];

/** The functions, recognised where a key could start; `has(` takes a key. */
const FUNCTIONS: ReadonlyArray<readonly [RegExp, TokenKind]> = [
  [/has\([ \t]*([a-zA-Z0-9_./-]+)[ \t]*\)/y, 'has'],
  [/all\([ \t]*\)/y, 'all'],
  [/global\([ \t]*\)/y, 'global'],
];

function sticky(pattern: RegExp, text: string, index: number): RegExpExecArray | null {
  pattern.lastIndex = index;
  return pattern.exec(text);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (WHITESPACE.test(c)) { i++; continue; }
    const start = i;
    switch (c) {
      case '(': case ')': case '{': case '}': case ',':
        tokens.push({ kind: c, position: start });
        i++;
        continue;
      case '"': case "'": {
        const end = text.indexOf(c, i + 1);
        if (end < 0) throw new CalicoSelectorSyntaxError(`unterminated string literal (no closing ${c})`, start);
        tokens.push({ kind: 'string', value: text.slice(i + 1, end), position: start });
        i = end + 1;
        continue;
      }
      case '=':
        if (text[i + 1] !== '=') throw new CalicoSelectorSyntaxError("expected '==' (a single '=' is not an operator)", start);
        tokens.push({ kind: '==', position: start });
        i += 2;
        continue;
      case '!':
        if (text[i + 1] === '=') {
          tokens.push({ kind: '!=', position: start });
          i += 2;
        } else {
          tokens.push({ kind: '!', position: start });
          i++;
        }
        continue;
      case '&': case '|':
        if (text[i + 1] !== c) throw new CalicoSelectorSyntaxError(`expected '${c}${c}'`, start);
        tokens.push({ kind: c === '&' ? '&&' : '||', position: start });
        i += 2;
        continue;
      default:
        break;
    }
    if (tokens.length > 0 && tokens[tokens.length - 1].kind === 'label') {
      const operator = OPERATORS_AFTER_KEY.map(([pattern, kind]) => ({ match: sticky(pattern, text, i), kind })).find(({ match }) => match);
      if (!operator) {
        throw new CalicoSelectorSyntaxError(
          `expected an operator after the label key '${tokens[tokens.length - 1].value}' ('==', '!=', 'in', 'not in', 'contains', 'starts with', 'ends with')`,
          start,
        );
      }
      tokens.push({ kind: operator.kind, position: start });
      i += operator.match![0].length;
      continue;
    }
    const call = FUNCTIONS.map(([pattern, kind]) => ({ match: sticky(pattern, text, i), kind })).find(({ match }) => match);
    if (call) {
      tokens.push({ kind: call.kind, ...(call.kind === 'has' ? { value: call.match![1] } : {}), position: start });
      i += call.match![0].length;
      continue;
    }
    const malformed = sticky(/(has|all|global)\(/y, text, i);
    if (malformed) {
      const expected = malformed[1] === 'has' ? 'has(<label key>)' : `${malformed[1]}()`;
      throw new CalicoSelectorSyntaxError(`malformed ${malformed[1]}(): expected ${expected}`, start);
    }
    let end = i;
    while (end < text.length && KEY_CHAR.test(text[end])) end++;
    if (end === i) throw new CalicoSelectorSyntaxError(`unexpected character ${JSON.stringify(c)}`, start);
    tokens.push({ kind: 'label', value: text.slice(i, end), position: start });
    i = end;
  }
  tokens.push({ kind: 'eof', position: text.length });
  return tokens;
}

const COMPARE_OPERATORS: readonly TokenKind[] = ['==', '!=', 'contains', 'starts with', 'ends with'];

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): SelectorNode {
    if (this.peek().kind === 'eof') return { kind: 'all' };
    const node = this.parseOr();
    const rest = this.peek();
    if (rest.kind !== 'eof') throw new CalicoSelectorSyntaxError(`unexpected ${describe(rest)} (expected '&&', '||' or the end)`, rest.position);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private parseOr(): SelectorNode {
    const operands = [this.parseAnd()];
    while (this.peek().kind === '||') {
      this.next();
      operands.push(this.parseAnd());
    }
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  }

  private parseAnd(): SelectorNode {
    const operands = [this.parseUnary()];
    while (this.peek().kind === '&&') {
      this.next();
      operands.push(this.parseUnary());
    }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  }

  private parseUnary(): SelectorNode {
    const token = this.next();
    switch (token.kind) {
      case '!':
        return { kind: 'not', operand: this.parseUnary() };
      case '(': {
        const inner = this.parseOr();
        const close = this.next();
        if (close.kind !== ')') throw new CalicoSelectorSyntaxError(`expected ')' to close the '(' at character ${token.position + 1}, got ${describe(close)}`, close.position);
        return inner;
      }
      case 'all':
        return { kind: 'all' };
      case 'global':
        return { kind: 'global' };
      case 'has':
        return { kind: 'has', key: token.value! };
      case 'label':
        return this.parseMatch(token);
      default:
        throw new CalicoSelectorSyntaxError(`expected a label key, has(), all(), global(), '!' or '(', got ${describe(token)}`, token.position);
    }
  }

  private parseMatch(keyToken: Token): SelectorNode {
    const key = keyToken.value!;
    const operator = this.next();
    if (COMPARE_OPERATORS.includes(operator.kind)) {
      const value = this.next();
      if (value.kind !== 'string') throw new CalicoSelectorSyntaxError(`expected a quoted string after '${operator.kind}', got ${describe(value)}`, value.position);
      return { kind: 'compare', key, op: operator.kind as CompareOperator, value: value.value! };
    }
    if (operator.kind === 'in' || operator.kind === 'not in') {
      const open = this.next();
      if (open.kind !== '{') throw new CalicoSelectorSyntaxError(`expected '{' after '${operator.kind}', got ${describe(open)}`, open.position);
      const values: string[] = [];
      if (this.peek().kind === '}') {
        this.next();
      } else {
        // Upstream accepts a trailing comma: `{'a', 'b',}`.
        for (;;) {
          const value = this.next();
          if (value.kind !== 'string') throw new CalicoSelectorSyntaxError(`expected a quoted string in the set, got ${describe(value)}`, value.position);
          values.push(value.value!);
          let separator = this.next();
          if (separator.kind === ',' && this.peek().kind === '}') separator = this.next();
          if (separator.kind === '}') break;
          if (separator.kind !== ',') throw new CalicoSelectorSyntaxError(`expected ',' or '}' in the set, got ${describe(separator)}`, separator.position);
        }
      }
      return { kind: 'set', key, negated: operator.kind === 'not in', values };
    }
    throw new CalicoSelectorSyntaxError(
      `expected an operator after the label key '${key}' ('==', '!=', 'in', 'not in', 'contains', 'starts with', 'ends with'), got ${describe(operator)}`,
      operator.position,
    );
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof': return 'the end of the selector';
    case 'label': return `'${token.value}'`;
    case 'string': return `the string ${JSON.stringify(token.value)}`;
    case 'has': return `'has(${token.value})'`;
    case 'all': return "'all()'";
    case 'global': return "'global()'";
    default: return `'${token.kind}'`;
  }
}

/** Parses a selector; throws `CalicoSelectorSyntaxError` where Calico would refuse it. */
export function parseCalicoSelector(text: string): SelectorNode {
  return new Parser(tokenize(text)).parse();
}

/** A label map: a resource's labels, with the labels Calico adds (`projectcalico.org/namespace`, ...). */
export type Labels = ReadonlyMap<string, string>;

function label(labels: Labels, key: string): string | undefined {
  return labels.get(key);
}

/** Whether a labelled resource matches. `global()` matches none (see the header). */
export function matchesSelector(node: SelectorNode, labels: Labels): boolean {
  switch (node.kind) {
    case 'all': return true;
    case 'global': return false;
    case 'has': return label(labels, node.key) !== undefined;
    case 'compare': {
      const value = label(labels, node.key);
      switch (node.op) {
        case '==': return value === node.value;
        case '!=': return value !== node.value;
        case 'contains': return value !== undefined && value.includes(node.value);
        case 'starts with': return value !== undefined && value.startsWith(node.value);
        case 'ends with': return value !== undefined && value.endsWith(node.value);
      }
    }
    // eslint-disable-next-line no-fallthrough
    case 'set': {
      const value = label(labels, node.key);
      const member = value !== undefined && node.values.includes(value);
      return node.negated ? !member : member;
    }
    case 'not': return !matchesSelector(node.operand, labels);
    case 'and': return node.operands.every((operand) => matchesSelector(operand, labels));
    case 'or': return node.operands.some((operand) => matchesSelector(operand, labels));
  }
}

/** Whether `global()` appears anywhere in the selector. */
export function usesGlobal(node: SelectorNode): boolean {
  switch (node.kind) {
    case 'global': return true;
    case 'not': return usesGlobal(node.operand);
    case 'and': case 'or': return node.operands.some(usesGlobal);
    default: return false;
  }
}

/** Whether the selector is exactly `global()` (the only place Calico accepts it: a rule's `namespaceSelector`). */
export function isGlobalOnly(node: SelectorNode): boolean {
  return node.kind === 'global';
}

function quote(value: string): string {
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}

/** Canonical text of a selector, fully parenthesised where precedence would otherwise be needed, for reasons. */
export function printCalicoSelector(node: SelectorNode): string {
  switch (node.kind) {
    case 'all': return 'all()';
    case 'global': return 'global()';
    case 'has': return `has(${node.key})`;
    case 'compare': return `${node.key} ${node.op} ${quote(node.value)}`;
    case 'set': return `${node.key} ${node.negated ? 'not in' : 'in'} {${node.values.map(quote).join(', ')}}`;
    case 'not': {
      const inner = printCalicoSelector(node.operand);
      return node.operand.kind === 'and' || node.operand.kind === 'or' || node.operand.kind === 'compare' || node.operand.kind === 'set' ? `!(${inner})` : `!${inner}`;
    }
    case 'and': return node.operands.map((operand) => (operand.kind === 'or' ? `(${printCalicoSelector(operand)})` : printCalicoSelector(operand))).join(' && ');
    case 'or': return node.operands.map(printCalicoSelector).join(' || ');
  }
}
