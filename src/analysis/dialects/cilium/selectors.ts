/**
 * Cilium endpoint selectors (https://docs.cilium.io/en/stable/security/policy/language/#endpoints-based):
 * Kubernetes label selectors whose keys may carry a label source (`k8s:app`, `reserved:host`), plus the
 * namespace scoping the agent adds to them (github.com/cilium/cilium `pkg/k8s/apis/cilium.io/utils/utils.go`
 * `getEndpointSelector` and `ParseToCiliumRule`).
 */
import { labelKey, NAMESPACE_LABELS_PREFIX, parseSelectorKey, POD_NAMESPACE_LABEL, RESERVED, SOURCE_ANY, SOURCE_K8S, SOURCE_RESERVED } from './labels';
import { LabelRequirement, LabelSelector, makeSelector } from '../../core/label-selector';
import { labelKeyProblem, labelValueProblem } from '../../core/label-syntax';
import { describeValue, isAbsent, isRecord, reportUnknownFields } from '../../manifests/fields';
import { DocumentIssues } from '../../manifests/issues';
import { parseSelectorRequirement, SelectorKeys } from '../../manifests/label-selector-field';

/** A selector as written, keys normalized to `source:key` (no source = `any`). */
export interface CiliumSelector {
  /** `matchLabels`, normalized key → value. */
  readonly matchLabels: ReadonlyMap<string, string>;
  /** `matchExpressions`, normalized keys. */
  readonly expressions: readonly LabelRequirement[];
}

const SELECTOR_FIELDS = new Set(['matchLabels', 'matchExpressions']);

/** Problems of a selector key: the key after its source must be a Kubernetes label key (a reserved name for `reserved:`). */
function keyProblem(text: string): string | undefined {
  const { source, key } = parseSelectorKey(text);
  if (key === '') return 'must not be empty after its source';
  if (source === SOURCE_RESERVED) return undefined;
  return labelKeyProblem(key);
}

function normalizedKey(text: string): string {
  const { source, key } = parseSelectorKey(text);
  return labelKey(source, key);
}

/**
 * Validates a selector like the CRD schema and the agent (`EndpointSelector` sanitation: a Kubernetes label
 * selector once the source prefix is set aside) and normalizes its keys. Undefined when invalid, after
 * reporting every problem.
 */
export function parseCiliumSelector(value: unknown, field: string, issues: DocumentIssues): CiliumSelector | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be a label selector object, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, SELECTOR_FIELDS, field, issues);
  let valid = true;
  const matchLabels = new Map<string, string>();
  if (!isAbsent(value.matchLabels)) {
    if (!isRecord(value.matchLabels)) {
      issues.add(`${field}.matchLabels`, `must be a map of label keys to values, got ${describeValue(value.matchLabels)}`);
      valid = false;
    } else {
      for (const [key, labelValue] of Object.entries(value.matchLabels)) {
        const problem = keyProblem(key);
        if (problem) {
          issues.add(`${field}.matchLabels.${key}`, `invalid label key "${key}": ${problem}`);
          valid = false;
        }
        if (typeof labelValue !== 'string') {
          issues.add(`${field}.matchLabels.${key}`, `label value must be a string, got ${describeValue(labelValue)}`);
          valid = false;
          continue;
        }
        const valueProblem = labelValueProblem(labelValue);
        if (valueProblem) {
          issues.add(`${field}.matchLabels.${key}`, `invalid label value "${labelValue}": ${valueProblem}`);
          valid = false;
        }
        matchLabels.set(normalizedKey(key), labelValue);
      }
    }
  }
  const expressions: LabelRequirement[] = [];
  if (!isAbsent(value.matchExpressions)) {
    if (!Array.isArray(value.matchExpressions)) {
      issues.add(`${field}.matchExpressions`, `must be a list, got ${describeValue(value.matchExpressions)}`);
      valid = false;
    } else {
      value.matchExpressions.forEach((expression, index) => {
        const requirement = parseSelectorRequirement(expression, `${field}.matchExpressions[${index}]`, issues, CILIUM_KEYS);
        if (requirement) expressions.push(requirement); else valid = false;
      });
    }
  }
  return valid ? { matchLabels, expressions } : undefined;
}

/** Cilium's label keys: an optional source prefix (`k8s:`), compared without `k8s:`/`any:` differences as `normalizedKey` says. */
const CILIUM_KEYS: SelectorKeys = { problem: keyProblem, normalize: normalizedKey };

/** The selector's requirements as one generic selector over identity labels (`source:key` keys, `any:` aliases). */
export function toLabelSelector(selector: CiliumSelector): LabelSelector {
  // `reserved:all` in matchLabels selects every identity (github.com/cilium/cilium `pkg/policy/api/selector.go` Matches).
  if (selector.matchLabels.has(labelKey(SOURCE_RESERVED, RESERVED.all))) return makeSelector([]);
  const requirements: LabelRequirement[] = [...selector.matchLabels].map(([key, value]) => ({ key, operator: 'In', values: [value] }));
  return makeSelector([...requirements, ...selector.expressions]);
}

export function selectorHasKey(selector: CiliumSelector, key: string): boolean {
  return selector.matchLabels.has(key) || selector.expressions.some((expression) => expression.key === key);
}

export function selectorHasKeyPrefix(selector: CiliumSelector, prefix: string): boolean {
  return [...selector.matchLabels.keys()].some((key) => key.startsWith(prefix))
    || selector.expressions.some((expression) => expression.key.startsWith(prefix));
}

export const EMPTY_SELECTOR: CiliumSelector = { matchLabels: new Map(), expressions: [] };

const K8S_NAMESPACE_KEY = labelKey(SOURCE_K8S, POD_NAMESPACE_LABEL);
const ANY_NAMESPACE_KEY = labelKey(SOURCE_ANY, POD_NAMESPACE_LABEL);

/** True when the subject selector names `reserved:init`: its peer selectors then get no namespace restriction in a CCNP. */
export function matchesInit(subject: CiliumSelector | undefined): boolean {
  return subject !== undefined && selectorHasKey(subject, labelKey(SOURCE_RESERVED, RESERVED.init));
}

/**
 * A peer selector (`fromEndpoints`, `toEndpoints`, and with `addK8sPrefix` false `fromRequires`/`toRequires`)
 * with the namespace scoping of `getEndpointSelector`: selectors on `reserved:` keys are left alone; a selector
 * without an `io.kubernetes.pod.namespace` key is confined to the policy's namespace in a CNP (unless it names
 * namespace labels) or to pods (namespace key Exists) in a CCNP.
 */
export function scopePeerSelector(
  selector: CiliumSelector,
  policyNamespace: string | undefined,
  addK8sPrefix: boolean,
  initSubject: boolean,
): CiliumSelector {
  if (addK8sPrefix && selectorHasKeyPrefix(selector, `${SOURCE_RESERVED}:`)) return selector;
  if (selectorHasKey(selector, K8S_NAMESPACE_KEY) || selectorHasKey(selector, ANY_NAMESPACE_KEY)) return selector;
  if (policyNamespace === undefined) {
    if (initSubject) return selector;
    return { matchLabels: selector.matchLabels, expressions: [...selector.expressions, { key: K8S_NAMESPACE_KEY, operator: 'Exists', values: [] }] };
  }
  const namesNamespaceLabels = selectorHasKeyPrefix(selector, labelKey(SOURCE_K8S, NAMESPACE_LABELS_PREFIX))
    || selectorHasKeyPrefix(selector, labelKey(SOURCE_ANY, NAMESPACE_LABELS_PREFIX));
  if (namesNamespaceLabels) {
    return selector;
  }
  const matchLabels = new Map(selector.matchLabels);
  matchLabels.set(K8S_NAMESPACE_KEY, policyNamespace);
  return { matchLabels, expressions: selector.expressions };
}

/**
 * The subject selector of a CNP: always confined to the policy's namespace (`ParseToCiliumRule` sets
 * `k8s:io.kubernetes.pod.namespace` in matchLabels, replacing a different value the user gave there).
 */
export function scopeSubjectSelector(selector: CiliumSelector, policyNamespace: string | undefined): CiliumSelector {
  if (policyNamespace === undefined) return selector;
  const matchLabels = new Map(selector.matchLabels);
  matchLabels.set(K8S_NAMESPACE_KEY, policyNamespace);
  return { matchLabels, expressions: selector.expressions };
}
