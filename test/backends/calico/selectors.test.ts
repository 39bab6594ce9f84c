import { and, CalicoSelectorError, labelKey, labelTerms, literal, namespacesNamed, oneOf, podSelector } from '../../../src/backends/calico/selectors';
import { normalizeSelector, SelectorOperator } from '../../../src/model/selector';

/**
 * The token stream Calico's selector tokenizer reads (libcalico-go/lib/selector/tokenizer): string
 * literals end at the next quote of their kind, with no escapes; label tokens are runs of
 * [a-zA-Z0-9_./-]; the rest are operators. Only what these tests need: enough to show that a value
 * stays one literal.
 */
function tokens(selector: string): string[] {
  const out: string[] = [];
  let rest = selector;
  while ((rest = rest.replace(/^[ \t]+/, '')).length > 0) {
    const quote = rest[0];
    if (quote === "'" || quote === '"') {
      const end = rest.indexOf(quote, 1);
      if (end < 0) throw new Error('unterminated string');
      out.push(`str(${rest.slice(1, end)})`);
      rest = rest.slice(end + 1);
      continue;
    }
    const op = /^(==|!=|&&|\|\||!|\(|\)|\{|\}|,)/.exec(rest);
    if (op) {
      out.push(op[1]);
      rest = rest.slice(op[1].length);
      continue;
    }
    const label = /^[a-zA-Z0-9_./-]+/.exec(rest);
    if (!label) throw new Error(`unexpected characters at ${rest}`);
    out.push(`label(${label[0]})`);
    rest = rest.slice(label[0].length);
  }
  return out;
}

describe('Calico selector expressions', () => {
  test('matchLabels and every operator, with the semantics of Kubernetes selectors', () => {
    const selector = normalizeSelector({
      matchLabels: { 'app': 'web', 'app.kubernetes.io/part-of': 'shop' },
      matchExpressions: [
        { key: 'tier', operator: SelectorOperator.IN, values: ['a', 'b'] },
        { key: 'track', operator: SelectorOperator.NOT_IN, values: ['canary'] },
        { key: 'team', operator: SelectorOperator.EXISTS },
        { key: 'legacy', operator: SelectorOperator.DOES_NOT_EXIST },
        { key: 'zone', operator: SelectorOperator.IN, values: ['eu'] },
      ],
    });
    expect(and(labelTerms(selector))).toBe(
      "app == 'web' && app.kubernetes.io/part-of == 'shop' && !has(legacy) && has(team) && tier in {'a', 'b'} && track not in {'canary'} && zone == 'eu'",
    );
  });

  test('pod selectors always hold the orchestrator term; an empty selector is all()', () => {
    expect(podSelector()).toBe("projectcalico.org/orchestrator == 'k8s'");
    expect(podSelector(normalizeSelector({ matchLabels: { app: 'db' } }))).toBe("projectcalico.org/orchestrator == 'k8s' && app == 'db'");
    expect(and([])).toBe('all()');
    expect(namespacesNamed(['a'])).toBe("projectcalico.org/name == 'a'");
    expect(namespacesNamed(['a', 'b'])).toBe("projectcalico.org/name in {'a', 'b'}");
  });

  test('a value is single-quoted, double-quoted when it holds a single quote, and refused when it holds both', () => {
    expect(literal('web')).toBe("'web'");
    expect(literal("it's")).toBe('"it\'s"');
    expect(() => literal('a\'"b')).toThrow(CalicoSelectorError);
    expect(() => literal('a\'"b')).toThrow(/both quote characters/);
  });

  test.each([
    "x' || all() || 'y",
    'x" || all() || "y',
    "x') || has(a",
    "x' && !has(app) && 'y",
    'a}, {b',
    "' || '",
  ])('a hostile value stays one string literal: %s', (value) => {
    const expression = oneOf('app', [value, 'other']);
    expect(tokens(expression)).toEqual(['label(app)', 'label(in)', '{', `str(${value})`, ',', 'str(other)', '}']);
    expect(tokens(and([PODS_TERM, `app == ${literal(value)}`]))).toEqual([...PODS_TOKENS, '&&', 'label(app)', '==', `str(${value})`]);
  });

  test('a value holding both quote kinds cannot be quoted, so it is refused rather than altered', () => {
    expect(() => oneOf('app', ['x\' || "y'])).toThrow(CalicoSelectorError);
  });

  test.each(['app) || all(', 'a b', '', 'app==x', 'x'.repeat(513), "app'"])('a key that is not one Calico label token is refused: %j', (key) => {
    expect(() => labelKey(key)).toThrow(CalicoSelectorError);
  });

  test('keys Calico sets itself are refused in workload selectors: they would test Calico\'s value', () => {
    expect(() => labelTerms(normalizeSelector({ matchLabels: { 'projectcalico.org/namespace': 'other' } }))).toThrow(/Calico sets itself/);
    expect(() => labelTerms(normalizeSelector({ matchExpressions: [{ key: 'projectcalico.org/orchestrator', operator: SelectorOperator.DOES_NOT_EXIST }] }))).toThrow(
      CalicoSelectorError,
    );
  });
});

const PODS_TERM = "projectcalico.org/orchestrator == 'k8s'";
const PODS_TOKENS = ['label(projectcalico.org/orchestrator)', '==', 'str(k8s)'];
