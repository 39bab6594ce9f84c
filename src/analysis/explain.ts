import { buildConnectivity, ComputedConnectivity, Connectivity, layerAdmits, SideOutcome } from './connectivity';
import { Decision, DecisionWords } from './dialect';
import { ManifestInput } from './manifests/documents';
import { AnalyzeOptions, Explanation, ExplainQuery, ProbePort, RuleReference, SideExplanation } from './types';

/**
 * One side of the explanation, from the folded outcome: the reasons of the decisions that decided it
 * (every layer's when the side is open, the refusing layers' when it is closed) and the rules that allowed it.
 */
function explainSide(side: SideOutcome): SideExplanation {
  const { direction, subject } = side;
  if (!side.applicable) {
    return {
      direction,
      endpoint: subject.id,
      applicable: false,
      selectingPolicies: [],
      isolated: false,
      allowed: true,
      allowedBy: [],
      reason: `${subject.id} is outside the cluster; no policy restricts its ${direction.toLowerCase()}.`,
    };
  }
  const words = new Map<Decision, DecisionWords>();
  const wordsOf = (decision: Decision): DecisionWords => {
    let found = words.get(decision);
    if (!found) {
      found = decision.describe();
      words.set(decision, found);
    }
    return found;
  };
  const allowedBy: RuleReference[] = [];
  if (side.allowed) {
    for (const layer of side.layers) {
      if (layer.effect !== 'allow') continue;
      for (const decision of layer.decisive) {
        const details = wordsOf(decision).matchDetails;
        decision.matches.forEach((match, index) => {
          allowedBy.push({ policy: match.rule.policy.key, ruleIndex: match.rule.index, detail: details[index] });
        });
      }
    }
  }
  const telling = side.allowed ? side.layers : side.layers.filter((layer) => !layerAdmits(layer.effect));
  const reasons = telling.flatMap((layer) => layer.decisive.map((decision) => wordsOf(decision).reason));
  return {
    direction,
    endpoint: subject.id,
    applicable: true,
    selectingPolicies: side.layers.flatMap((layer) => layer.decisions.flatMap((decision) => decision.selectingPolicies.map((policy) => policy.key))),
    isolated: side.isolated,
    allowed: side.allowed,
    allowedBy,
    reason: reasons.length > 0
      ? reasons.join(' ')
      : `No policy selects ${subject.id} for ${direction}, so its ${direction.toLowerCase()} is not restricted.`,
  };
}

/** Explains one connection of an already computed connectivity (from `computeConnectivity`). */
export function explainConnection(connectivity: Connectivity, query: ExplainQuery): Explanation {
  if (!(connectivity instanceof ComputedConnectivity)) {
    throw new Error('explainConnection needs a Connectivity returned by computeConnectivity');
  }
  const probe: ProbePort = { port: query.port, protocol: query.protocol ?? 'TCP' };
  // Validates the port and both endpoints (unknown ids throw with close matches).
  const evaluation = connectivity.evaluate(query.from, query.to, probe);
  return {
    from: evaluation.source.id,
    to: evaluation.destination.id,
    port: probe.port,
    protocol: probe.protocol,
    allowed: evaluation.allowed,
    egress: explainSide(evaluation.egress),
    ingress: explainSide(evaluation.ingress),
  };
}

/** Why a connection is allowed or denied: the rules on each side that admitted it, or why none did. */
export function explain(input: ManifestInput, query: ExplainQuery, options: AnalyzeOptions = {}): Explanation {
  return explainConnection(buildConnectivity(input, options), query);
}
