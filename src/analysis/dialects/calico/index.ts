/**
 * Calico's policy model (https://docs.tigera.io/calico/latest/network-policy/): projectcalico.org/v3
 * NetworkPolicy, GlobalNetworkPolicy, their staged forms, Tier, NetworkSet and GlobalNetworkSet, and Kubernetes
 * NetworkPolicy as Calico applies it (tier `default`, order 1000). One network dialect reads them all, since
 * Calico evaluates them together in one ordered walk (`evaluate.ts`).
 *
 * Effects: a rule's Allow is `allow`, a rule's Deny is `deny`, the end-of-tier deny is `isolated`; when no tier
 * applies the dialect is `not-isolated` (the namespace profile allows); a Pass out of the last applying tier
 * reaches the profile and is `allow`.
 */
import { CompiledCalico } from './compile';
import { CalicoEvaluator, Evaluation, sourceRuleIndex } from './evaluate';
import { convertKubernetesPolicy } from './kubernetes-policy';
import {
  CALICO_API_VERSION,
  CalicoNetworkSet,
  CalicoPolicy,
  CalicoTier,
  GLOBAL_NETWORK_SET_KIND,
  GNP_KIND,
  NETWORK_SET_KIND,
  NP_KIND,
  STAGED_GNP_KIND,
  STAGED_KNP_KIND,
  STAGED_NP_KIND,
  TIER_KIND,
} from './model';
import { CalicoProbeSets } from './probe-sets';
import { readCalicoPolicy, readNetworkSet, readTier } from './read';
import { printCalicoSelector } from './selector';
import { EndpointUniverse } from '../../core/endpoint-universe';
import {
  CompileContext,
  CompiledPolicies,
  Decision,
  DecisionWords,
  describeProbe,
  Dialect,
  Direction,
  DirectionQuery,
  Effect,
  PolicyReader,
  ProbeSets,
  queryProbe,
  RuleMatch,
  RuleRef,
} from '../../dialect';
import { isRecord } from '../../manifests/fields';
import { ObjectKind } from '../../manifests/object-kinds';
import { ProbePort } from '../../types';
import { NETWORK_POLICY_KIND, parseNetworkPolicy } from '../kubernetes/network-policy';

export { CalicoEvaluator, Evaluation as CalicoEvaluation } from './evaluate';
export { parseCalicoSelector, matchesSelector, CalicoSelectorSyntaxError } from './selector';

export const CALICO_KINDS: readonly ObjectKind[] = [
  { apiVersion: CALICO_API_VERSION, kind: NP_KIND, namespaced: true },
  { apiVersion: CALICO_API_VERSION, kind: GNP_KIND, namespaced: false },
  { apiVersion: CALICO_API_VERSION, kind: STAGED_NP_KIND, namespaced: true },
  { apiVersion: CALICO_API_VERSION, kind: STAGED_GNP_KIND, namespaced: false },
  { apiVersion: CALICO_API_VERSION, kind: STAGED_KNP_KIND, namespaced: true },
  { apiVersion: CALICO_API_VERSION, kind: TIER_KIND, namespaced: false },
  { apiVersion: CALICO_API_VERSION, kind: NETWORK_SET_KIND, namespaced: true },
  { apiVersion: CALICO_API_VERSION, kind: GLOBAL_NETWORK_SET_KIND, namespaced: false },
];

const KUBERNETES_NP_KIND: ObjectKind = { apiVersion: 'networking.k8s.io/v1', kind: NETWORK_POLICY_KIND, namespaced: true };

function ruleRef(policy: CalicoPolicy, direction: Direction, index: number): RuleRef {
  const sourceIndex = sourceRuleIndex(policy, direction, index);
  return { policy: policy.ref, direction, index: sourceIndex, path: `spec.${direction === 'Ingress' ? 'ingress' : 'egress'}[${sourceIndex}]` };
}

function describePolicy(policy: CalicoPolicy): string {
  const order = policy.order === undefined ? 'no order' : `order ${policy.order}`;
  return `${policy.ref.kind} ${policy.ref.key} (tier ${policy.tier}, ${order})`;
}

class CalicoDecision implements Decision {
  readonly effect: Effect;
  readonly matches: readonly RuleMatch[];
  readonly selectingPolicies;
  readonly nearMisses: readonly RuleRef[] = [];
  /** With staged policies in the input: the effect if they were applied ("would deny"); never enforced. */
  readonly stagedEffect?: Effect;
  /** With staged policies in the input: the decision if they were applied; never enforced. */
  readonly stagedDecision?: CalicoDecision;

  constructor(private readonly query: DirectionQuery, readonly evaluation: Evaluation, private readonly preview?: Evaluation) {
    const outcome = evaluation.outcome;
    this.selectingPolicies = [...evaluation.selecting].map((policy) => policy.ref).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (outcome.kind === 'rule') {
      this.effect = outcome.action === 'Allow' ? 'allow' : 'deny';
      this.matches = [{ rule: ruleRef(outcome.policy, this.query.direction, outcome.ruleIndex) }];
    } else if (outcome.kind === 'end-of-tier') {
      this.effect = 'isolated';
      this.matches = [];
    } else {
      this.effect = outcome.applyingTiers.length === 0 ? 'not-isolated' : outcome.allowed ? 'allow' : 'isolated';
      this.matches = [];
    }
    if (preview) {
      this.stagedDecision = new CalicoDecision(query, preview);
      this.stagedEffect = this.stagedDecision.effect;
    }
  }

  describe(): DecisionWords {
    const { direction, subject } = this.query;
    const outcome = this.evaluation.outcome;
    const probe = describeProbe(queryProbe(this.query));
    const passes = this.evaluation.steps.filter((step) => step.action === 'Pass' || step.action === 'tier-pass')
      .map((step) => (step.policy ? `${describePolicy(step.policy)} passed` : `tier ${step.tier} passed by its defaultAction`));
    const before = passes.length > 0 ? ` after ${passes.join(', ')}` : '';
    let reason: string;
    const matchDetails: string[] = [];
    if (outcome.kind === 'rule') {
      const ref = ruleRef(outcome.policy, direction, outcome.ruleIndex);
      reason = `Calico: ${outcome.action} by ${describePolicy(outcome.policy)} ${ref.path} for ${direction.toLowerCase()} ${probe}${before}`;
      const rule = (direction === 'Ingress' ? outcome.policy.ingress : outcome.policy.egress)[outcome.ruleIndex];
      const peer = direction === 'Ingress' ? rule.source : rule.destination;
      const parts = [`action ${rule.action}`];
      if (rule.protocol !== undefined) parts.push(`protocol ${rule.protocol}`);
      if (peer.selector) parts.push(`selector ${printCalicoSelector(peer.selector)}`);
      if (peer.namespaceSelector) parts.push(`namespaceSelector ${printCalicoSelector(peer.namespaceSelector)}`);
      if (peer.nets) parts.push('nets');
      if (peer.services) parts.push(`services ${peer.services.namespace ?? outcome.policy.namespace}/${peer.services.name}`);
      matchDetails.push(parts.join(', '));
    } else if (outcome.kind === 'end-of-tier') {
      reason = `Calico: no policy of tier ${outcome.tier} that selects ${subject.id} for ${direction.toLowerCase()} took an action on ${probe}${before}; `
        + 'the tier\'s end-of-tier deny drops it';
    } else if (outcome.applyingTiers.length === 0) {
      reason = `Calico: no enforced policy selects ${subject.id} for ${direction.toLowerCase()}; its namespace profile allows`;
    } else {
      reason = `Calico: every applying tier (${outcome.applyingTiers.join(', ')}) passed${before}; ${outcome.allowed ? 'the namespace profile allows' : 'no profile allows'}`;
    }
    if (this.preview) {
      const staged = this.stagedEffect;
      const enforced = this.effect === 'allow' || this.effect === 'not-isolated';
      const previewed = staged === 'allow' || staged === 'not-isolated';
      if (enforced && !previewed) reason += '. Staged policies would deny it';
      if (!enforced && previewed) reason += '. Staged policies would allow it';
    }
    return { reason, matchDetails };
  }
}

class CompiledCalicoPolicies implements CompiledPolicies {
  /** The set form's compilation, built on the first `probeSets` (a single `decide` does not need it). */
  private compiled?: CompiledCalico;

  constructor(readonly evaluator: CalicoEvaluator) {}

  decide(query: DirectionQuery): Decision {
    const evaluation = this.evaluator.evaluate(query);
    const hasStaged = this.evaluator.policies.some((policy) => policy.staged);
    return new CalicoDecision(query, evaluation, hasStaged ? this.evaluator.evaluate(query, true) : undefined);
  }

  probeSets(probe: ProbePort): ProbeSets {
    this.compiled ??= new CompiledCalico(this.evaluator);
    return new CalicoProbeSets(this.compiled, probe);
  }
}

/** The staged (previewed) effect of a decision of the Calico dialect; undefined for other dialects or without staged policies. */
export function stagedEffectOf(decision: Decision): Effect | undefined {
  return decision instanceof CalicoDecision ? decision.stagedEffect : undefined;
}

/**
 * The Calico evaluation behind a decision of the Calico dialect (tiers, the deciding policy and rule, the passes
 * before it) and, with staged policies in the input, the decision they would give; undefined for other dialects.
 */
export function calicoEvaluationOf(decision: Decision): { readonly evaluation: Evaluation; readonly staged?: Decision } | undefined {
  if (!(decision instanceof CalicoDecision)) return undefined;
  return { evaluation: decision.evaluation, ...(decision.stagedDecision ? { staged: decision.stagedDecision } : {}) };
}

export const calicoNetworkPolicy: Dialect = {
  name: 'Calico network policy',
  layer: 'network',
  kinds: [KUBERNETES_NP_KIND, ...CALICO_KINDS],
  reader(): PolicyReader {
    const policies: CalicoPolicy[] = [];
    const tiers: CalicoTier[] = [];
    const sets: CalicoNetworkSet[] = [];
    return {
      read(object, identity, issues) {
        switch (identity.kind) {
          case NETWORK_POLICY_KIND:
          case STAGED_KNP_KIND: {
            const isKubernetes = object.apiVersion !== CALICO_API_VERSION;
            let input = object;
            if (!isKubernetes && isRecord(object.spec)) {
              // The staged form adds `stagedAction` to the Kubernetes spec.
              const { stagedAction, ...spec } = object.spec;
              if (stagedAction !== undefined && !['Set', 'Delete', 'Learn', 'Ignore'].includes(stagedAction as string)) {
                issues.add('spec.stagedAction', 'must be one of Set, Delete, Learn, Ignore');
              }
              input = { ...object, spec };
            }
            if (!isKubernetes && identity.kind === NETWORK_POLICY_KIND) {
              const policy = readCalicoPolicy(object, identity, issues);
              if (policy) policies.push(policy);
              return;
            }
            const parsed = parseNetworkPolicy(input, { namespace: identity.namespace!, name: identity.name, source: identity.source }, issues);
            if (parsed) policies.push(convertKubernetesPolicy(parsed, !isKubernetes, identity.kind));
            return;
          }
          case TIER_KIND: {
            const tier = readTier(object, identity, issues);
            if (tier) tiers.push(tier);
            return;
          }
          case NETWORK_SET_KIND:
          case GLOBAL_NETWORK_SET_KIND: {
            const set = readNetworkSet(object, identity, issues);
            if (set) sets.push(set);
            return;
          }
          default: {
            const policy = readCalicoPolicy(object, identity, issues);
            if (policy) policies.push(policy);
          }
        }
      },
      compile(universe: EndpointUniverse, context?: CompileContext): CompiledPolicies {
        return new CompiledCalicoPolicies(new CalicoEvaluator(universe, policies, tiers, sets, context?.services ?? []));
      },
    };
  },
};
