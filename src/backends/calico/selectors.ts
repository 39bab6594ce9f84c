/**
 * Calico selector expressions (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#selectors)
 * written from our label selectors. The only place that writes selector text, so that the quoting
 * rule holds everywhere:
 *
 * - a string literal is single-quoted, or double-quoted when the value holds a single quote. Calico
 *   has no escape inside literals: a literal ends at the next quote of its kind
 *   (libcalico-go/lib/selector/tokenizer). A value holding both kinds cannot be written, and is
 *   refused, never altered;
 * - a label key must be a whole Calico label token, `[a-zA-Z0-9_./-]{1,512}`, so that it can never
 *   end early and start an operator;
 * - terms are only ever joined with `&&`, with no parentheses to balance.
 *
 * Our model admits only Kubernetes label syntax, which holds neither quotes nor operators; these
 * checks are the renderer's own guard, so that a value reaching it by another road cannot change
 * what an expression means.
 */
import { NormalizedSelector, SelectorOperator } from '../../model/selector';

/** Namespace label Calico sets to the namespace's name (namespace selectors). */
export const NAMESPACE_NAME_KEY = 'projectcalico.org/name';
/** Pod label Calico sets to the pod's namespace (endpoint selectors). */
export const POD_NAMESPACE_KEY = 'projectcalico.org/namespace';
/** Pod label Calico sets on Kubernetes pods, and only on them. */
export const ORCHESTRATOR_KEY = 'projectcalico.org/orchestrator';
/** Label of the GlobalNetworkSets we emit, equal to the range's name. */
export const NETWORK_SET_KEY = 'zero-trust.cdk8s.io/network-set';

/**
 * Kubernetes pods: neither host endpoints nor network sets carry the orchestrator label, so a rule
 * selector with this term never matches addresses a (namespaced) NetworkSet lists. Calico's own
 * conversion of NetworkPolicy writes the same term.
 */
export const PODS = `${ORCHESTRATOR_KEY} == 'k8s'`;

/** Every endpoint in scope. */
export const ALL = 'all()';

/** Non-namespaced resources (GlobalNetworkSets), as the sole term of a rule's namespaceSelector. */
export const GLOBAL = 'global()';

/** A value or key that cannot be written into a selector; the renderer turns it into an issue. */
export class CalicoSelectorError extends Error {
  constructor(
    message: string,
    /** How to avoid it. */
    public readonly fix: string,
  ) {
    super(message);
    this.name = 'CalicoSelectorError';
  }
}

const LABEL_KEY = /^[a-zA-Z0-9_./-]{1,512}$/;

/** The label key as a selector token, or an error when Calico would not read it as one key. */
export function labelKey(key: string): string {
  if (typeof key !== 'string' || !LABEL_KEY.test(key)) {
    throw new CalicoSelectorError(
      `the label key ${JSON.stringify(key)} cannot be written in a Calico selector, whose keys are 1-512 of [a-zA-Z0-9_./-]`,
      'use a Kubernetes label key such as "app" or "app.kubernetes.io/name"',
    );
  }
  return key;
}

/** The value as a Calico string literal: single quotes, or double quotes when it holds a single quote. */
export function literal(value: string): string {
  if (typeof value !== 'string') {
    throw new CalicoSelectorError(`${String(value)} is not a string`, 'give label values as strings');
  }
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  throw new CalicoSelectorError(
    `the value ${JSON.stringify(value)} holds both quote characters, and Calico selector literals have no escape`,
    'use a Kubernetes label value (alphanumerics, "-", "_" and "."), which never holds a quote',
  );
}

/** `key == 'value'`. */
export function equals(key: string, value: string): string {
  return `${labelKey(key)} == ${literal(value)}`;
}

/** `key in {'a', 'b'}`, or `key == 'a'` for one value. */
export function oneOf(key: string, values: readonly string[]): string {
  if (values.length === 1) return equals(key, values[0]);
  return `${labelKey(key)} in {${values.map(literal).join(', ')}}`;
}

/** `has(key)`: the label is present, whatever its value. */
export function has(key: string): string {
  return `has(${labelKey(key)})`;
}

/** Terms ANDed; no terms is `all()`. */
export function and(terms: readonly string[]): string {
  return terms.length === 0 ? ALL : terms.join(' && ');
}

/**
 * Keys Calico sets itself (`projectcalico.org/...`): a selector on one of them would test Calico's
 * value, not the pod's label of that name, so a workload selector may not use them.
 */
export function reservedKey(key: string): boolean {
  return key.startsWith('projectcalico.org/');
}

/**
 * The terms of a Kubernetes label selector, with its meaning: matchLabels `==`; In `in`; NotIn
 * `not in` (true when the key is absent, as in Kubernetes); Exists `has()`; DoesNotExist `!has()`.
 */
export function labelTerms(selector: NormalizedSelector): string[] {
  const terms: string[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels)) terms.push(equals(userKey(key), value));
  for (const e of selector.matchExpressions) {
    const key = labelKey(userKey(e.key));
    const values = e.values ?? [];
    switch (e.operator) {
      case SelectorOperator.IN:
        terms.push(oneOf(key, values));
        break;
      case SelectorOperator.NOT_IN:
        terms.push(`${key} not in {${values.map(literal).join(', ')}}`);
        break;
      case SelectorOperator.EXISTS:
        terms.push(has(key));
        break;
      case SelectorOperator.DOES_NOT_EXIST:
        terms.push(`!${has(key)}`);
        break;
      default:
        throw new CalicoSelectorError(`the operator ${JSON.stringify(e.operator)} has no Calico form`, 'use In, NotIn, Exists or DoesNotExist');
    }
  }
  return terms;
}

function userKey(key: string): string {
  if (reservedKey(key)) {
    throw new CalicoSelectorError(
      `the label '${key}' is one Calico sets itself, so a selector on it would test Calico's value, not the pod's label`,
      'select the pods by a label of their own, e.g. app or app.kubernetes.io/name',
    );
  }
  return key;
}

/**
 * Expressions already written, per selector object: the plan shares one selector object among every
 * rule toward a workload, and a thousand tenants write each many times. A selector that cannot be
 * written is not cached, so that each use reports it.
 */
const POD_SELECTORS = new WeakMap<NormalizedSelector, string>();
const LABEL_SELECTORS = new WeakMap<NormalizedSelector, string>();

/** Kubernetes pods (in scope) that a label selector picks, or every pod when none is given. */
export function podSelector(selector?: NormalizedSelector): string {
  if (!selector) return PODS;
  let written = POD_SELECTORS.get(selector);
  if (written === undefined) POD_SELECTORS.set(selector, (written = and([PODS, ...labelTerms(selector)])));
  return written;
}

/** The pods a label selector picks among those a policy applies to: its terms alone, `all()` for none. */
export function labelSelector(selector: NormalizedSelector): string {
  let written = LABEL_SELECTORS.get(selector);
  if (written === undefined) LABEL_SELECTORS.set(selector, (written = and(labelTerms(selector))));
  return written;
}

const NAMESPACES = new Map<string, string>();

/** The namespaces of these names (for a namespaceSelector). */
export function namespacesNamed(names: readonly string[]): string {
  if (names.length !== 1) return oneOf(NAMESPACE_NAME_KEY, names);
  let written = NAMESPACES.get(names[0]);
  if (written === undefined) {
    // Bounded: a long-lived process (a test run) renders many platforms.
    if (NAMESPACES.size >= 100_000) NAMESPACES.clear();
    NAMESPACES.set(names[0], (written = oneOf(NAMESPACE_NAME_KEY, names)));
  }
  return written;
}

/** The GlobalNetworkSet of a named range. */
export function networkSetNamed(name: string): string {
  return equals(NETWORK_SET_KEY, name);
}
