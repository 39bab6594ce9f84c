/**
 * The Calico selector grammar (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#selectors,
 * libcalico-go/lib/selector): a table of expressions against label maps, precedence, quoting, and refused inputs.
 */
import {
  CalicoSelectorSyntaxError, isGlobalOnly, Labels, matchesSelector, parseCalicoSelector, printCalicoSelector, usesGlobal,
} from '../../../../src/analysis/dialects/calico/selector';

const labels = (record: Record<string, string>): Labels => new Map(Object.entries(record));
const WEB: Labels = labels({ 'app': 'web', 'tier': 'frontend', 'projectcalico.org/namespace': 'prod', 'projectcalico.org/orchestrator': 'k8s' });
const DB: Labels = labels({ 'app': 'db', 'role': "o'brien", 'projectcalico.org/namespace': 'data' });
const BARE: Labels = labels({});

/** [selector, matches WEB, matches DB, matches BARE] */
const MATCHES: ReadonlyArray<readonly [string, boolean, boolean, boolean]> = [
  ['', true, true, true],
  ['   ', true, true, true],
  ['all()', true, true, true],
  ['all( )', true, true, true],
  ['!all()', false, false, false],
  ["app == 'web'", true, false, false],
  ['app == "web"', true, false, false],
  ["app=='web'", true, false, false],
  ["app != 'web'", false, true, true],
  ['has(app)', true, true, false],
  ['has( app )', true, true, false],
  ['!has(app)', false, false, true],
  ['! has(tier)', false, true, true],
  ["app in {'web', 'db'}", true, true, false],
  ["app in {'web'}", true, false, false],
  ['app in {}', false, false, false],
  ["app not in {'web'}", false, true, true],
  ['app not in {}', true, true, true],
  ["app contains 'e'", true, false, false],
  ["app starts with 'd'", false, true, false],
  ["app ends with 'eb'", true, false, false],
  ["app contains ''", true, true, false],
  ["role == \"o'brien\"", false, true, false],
  ["projectcalico.org/namespace == 'prod'", true, false, false],
  ["projectcalico.org/orchestrator == 'k8s'", true, false, false],
  ["app == 'web' && tier == 'frontend'", true, false, false],
  ["app == 'web' || app == 'db'", true, true, false],
  // Precedence: `!` over `&&` over `||`.
  ["!has(tier) || app == 'web' && has(tier)", true, true, true],
  ["!(has(tier) || app == 'web') && has(app)", false, true, false],
  ["has(app) && !has(tier) || has(tier) && app == 'db'", false, true, false],
  ["!app == 'web'", false, true, true],
  ['!!has(app)', true, true, false],
  ["((app == 'web'))", true, false, false],
  ['global()', false, false, false],
  // Word operators only right after a key: these are label keys.
  ["inside == 'x'", false, false, false],
  ["in == 'x'", false, false, false],
  ["contains contains 'x'", false, false, false],
  ["app in {'web',}", true, false, false],
  ["app notin {'web'}", false, true, true],
  ["app startswith 'w'", true, false, false],
  ["\tapp == 'web'\t", true, false, false],
  ['has(in.x)', false, false, false],
  ['has(constructor)', false, false, false],
  ["toString == 'x'", false, false, false],
];

describe('Calico selector matching', () => {
  test.each(MATCHES)('%j', (text, web, db, bare) => {
    const node = parseCalicoSelector(text);
    expect([matchesSelector(node, WEB), matchesSelector(node, DB), matchesSelector(node, BARE)]).toEqual([web, db, bare]);
  });

  test('prints canonically, and the printed form parses to the same tree', () => {
    for (const [text] of MATCHES) {
      const node = parseCalicoSelector(text);
      expect(parseCalicoSelector(printCalicoSelector(node))).toEqual(node);
    }
    expect(printCalicoSelector(parseCalicoSelector("!a == 'x' || b in {'1',\"2\"} && !(has(c) || all())")))
      .toBe("!(a == 'x') || b in {'1', '2'} && !(has(c) || all())");
  });

  test('parses precedence into the expected tree', () => {
    expect(parseCalicoSelector('!has(a) || has(b) && has(c)')).toEqual({
      kind: 'or',
      operands: [
        { kind: 'not', operand: { kind: 'has', key: 'a' } },
        { kind: 'and', operands: [{ kind: 'has', key: 'b' }, { kind: 'has', key: 'c' }] },
      ],
    });
  });

  test('global()', () => {
    expect(isGlobalOnly(parseCalicoSelector('global()'))).toBe(true);
    expect(usesGlobal(parseCalicoSelector('has(a) && !global()'))).toBe(true);
    expect(isGlobalOnly(parseCalicoSelector('has(a) && global()'))).toBe(false);
    expect(usesGlobal(parseCalicoSelector('has(a)'))).toBe(false);
  });
});

/** [selector, message fragment, zero-based position] */
const MALFORMED: ReadonlyArray<readonly [string, string, number]> = [
  ["app = 'web'", "expected '=='", 4],
  ['app == web', 'expected a quoted string', 7],
  ["app == 'web", 'unterminated string literal', 7],
  ["app == 'web' &", "expected '&&'", 13],
  ["app == 'web' | has(x)", "expected '||'", 13],
  ['has(app', 'malformed has(): expected has(<label key>)', 0],
  ['has()', 'malformed has()', 0],
  ['has(a b)', 'malformed has()', 0],
  ['all(x)', 'malformed all(): expected all()', 0],
  ['global(x)', 'malformed global()', 0],
  ['app', "expected an operator after the label key 'app'", 3],
  ['app has(x)', "expected an operator after the label key 'app'", 4],
  ["(app == 'x'", "expected ')'", 11],
  ["app == 'x')", "unexpected ')'", 10],
  ["app == 'x' has(b)", "unexpected 'has(b)'", 11],
  ["app == 'x' == 'y'", "unexpected '=='", 11],
  ["app in 'x'", "expected '{'", 7],
  ["app in {'x' 'y'}", "expected ',' or '}'", 12],
  ['app in {,}', 'expected a quoted string in the set', 8],
  ["app in {'x',,}", 'expected a quoted string in the set', 12],
  ["app == 'x'\n", 'unexpected character "\\n"', 10],
  ["app starts 'x'", "expected an operator after the label key 'app'", 4],
  ["app inx {'a'}", "expected '{' after 'in'", 6],
  ['app in {x}', 'expected a quoted string in the set', 8],
  ['&& has(a)', 'expected a label key', 0],
  ['has(a) &&', 'the end of the selector', 9],
  ['!', 'the end of the selector', 1],
  ['()', "expected a label key, has(), all(), global(), '!' or '(', got ')'", 1],
  ["app == 'x' @", 'unexpected character "@"', 11],
  ["a:b == 'x'", "expected an operator after the label key 'a'", 1],
  ['has(a) @', 'unexpected character "@"', 7],
];

describe('malformed Calico selectors', () => {
  test.each(MALFORMED)('%j', (text, fragment, position) => {
    let error: unknown;
    try {
      parseCalicoSelector(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CalicoSelectorSyntaxError);
    const syntax = error as CalicoSelectorSyntaxError;
    expect(syntax.message).toContain(fragment);
    expect(syntax.position).toBe(position);
    expect(syntax.message).toContain(`at character ${position + 1}`);
  });

  test('the tokenizer sets no key length limit (tokenizer.go findIdentifier)', () => {
    expect(matchesSelector(parseCalicoSelector(`has(${'k'.repeat(600)})`), labels({ ['k'.repeat(600)]: '' }))).toBe(true);
  });
});
