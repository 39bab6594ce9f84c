/** The reasons of a probe: one per rule (or absence of one) that decided a direction, from the connectivity fold. */
import { istioDecisionReasons } from './istio-evaluation';
import { ProbeReason, ReasonEffect } from './types';
import { SideOutcome } from '../connectivity';
import { ApplicationRequest, Decision, Effect, queryProbe, RuleRef } from '../dialect';
import { ALLOW_LOCALHOST, CiliumDecision, CiliumMatch } from '../dialects/cilium/decision';
import { describeCiliumMatch } from '../dialects/cilium/words';

/** What a reason says about the leg it belongs to: the Service backend, its port, the DNS step. */
export interface ReasonContext {
  readonly backend?: string;
  readonly targetPort?: number;
  readonly step?: 'dns';
}

const EFFECTS: Readonly<Record<Effect, ReasonEffect>> = {
  'allow': 'allow',
  'deny': 'deny',
  'pass': 'pass',
  'isolated': 'isolated',
  'not-isolated': 'default',
};

/** Where Kubernetes says a pod's traffic with its own node is always allowed. */
export const OWN_NODE_DOC = 'https://kubernetes.io/docs/concepts/services-networking/network-policies/';

export function lower(direction: 'Ingress' | 'Egress'): 'ingress' | 'egress' {
  return direction === 'Ingress' ? 'ingress' : 'egress';
}

/** The reason with the leg it belongs to: the Service backend, its port, the DNS step. */
export function withContext(reason: ProbeReason, context: ReasonContext): ProbeReason {
  return {
    ...reason,
    ...(context.backend !== undefined ? { backend: context.backend } : {}),
    ...(context.targetPort !== undefined ? { targetPort: context.targetPort } : {}),
    ...(context.step !== undefined ? { step: context.step } : {}),
  };
}

/**
 * A rule as the contract names it: `ingress[0]`; a Cilium rule by its path without `spec.`
 * (`ingressDeny[0]`, `specs[1].egress[2]`).
 */
export function ruleLabel(rule: RuleRef): string {
  if (rule.path !== undefined) return rule.path.replace(/^spec\./, '');
  return `${rule.direction === 'Ingress' ? 'ingress' : 'egress'}[${rule.index}]`;
}

/** `GET /path (host h)`, `query NAME`, `TLS (SNI NAME)`: the request an L7 rule judged. */
function describeRequest(request: ApplicationRequest | undefined): string {
  if (request?.http) return `${request.http.method} ${request.http.path}${request.http.host !== undefined ? ` (host ${request.http.host})` : ''}`;
  if (request?.dns) return `query ${request.dns.query}`;
  if (request?.tls) return `TLS${request.tls.sni !== undefined ? ` (SNI ${request.tls.sni})` : ''}`;
  return 'the request';
}

/** What the L7 rules of a Cilium match did with the probe's request; undefined for a port without L7 rules. */
export function l7Text(match: CiliumMatch, request: ApplicationRequest | undefined): string | undefined {
  const outcome = match.l7;
  switch (outcome.kind) {
    case 'none':
      return undefined;
    case 'unchecked':
      return `${outcome.what} not checked: the probe gives no ${outcome.what.startsWith('rules.dns') ? 'dns query' : 'http request'}, so the connection is accepted and the proxy filters each request`;
    case 'matched':
      return `${outcome.what} matched ${describeRequest(request)}`;
    case 'refused':
      return `${outcome.what}: nothing matched, so ${outcome.what.startsWith('rules.dns') ? 'the query is answered REFUSED'
        : outcome.what.startsWith('rules.http') ? 'the request is answered HTTP 403' : 'the proxy refuses the connection'}`;
  }
}

function ciliumMatchReason(layer: 'cni' | 'mesh', direction: 'ingress' | 'egress', effect: ReasonEffect, decision: CiliumDecision, match: CiliumMatch): ProbeReason {
  const detail = describeCiliumMatch(match, queryProbe(decision.query));
  if (match.rule.policy === ALLOW_LOCALHOST) return { layer, direction, effect, detail };
  const l7 = l7Text(match, decision.query.request);
  return { layer, direction, policy: `${match.rule.policy.kind} ${match.rule.policy.key}`, rule: ruleLabel(match.rule), effect, detail, ...(l7 !== undefined ? { l7 } : {}) };
}

/** The reasons of one decision that decided its layer. */
function decisionReasons(layer: 'cni' | 'mesh', direction: 'ingress' | 'egress', decision: Decision): ProbeReason[] {
  const istio = istioDecisionReasons(layer, direction, decision);
  if (istio) return istio;
  const effect = EFFECTS[decision.effect];
  const cilium = decision instanceof CiliumDecision ? decision : undefined;
  const words = decision.describe();
  if (decision.effect === 'allow' || decision.effect === 'deny') {
    return decision.matches.map((match, index) => (cilium
      ? ciliumMatchReason(layer, direction, effect, cilium, match as CiliumMatch)
      : { layer, direction, policy: `${match.rule.policy.kind} ${match.rule.policy.key}`, rule: ruleLabel(match.rule), effect, detail: words.matchDetails[index] }));
  }
  if (cilium && cilium.refused.length > 0) {
    // Admitted at L3/L4 by rules whose L7 rules refused the request: each of them, with what it refused.
    return cilium.refused.map((match) => ciliumMatchReason(layer, direction, effect, cilium, match));
  }
  // Under Cilium, only the policies that make the subject default-deny isolate it (not those with enableDefaultDeny: false).
  const isolating = cilium ? cilium.isolatingPolicies : decision.selectingPolicies;
  if (decision.effect === 'isolated' && isolating.length > 0) {
    return isolating.map((policy, index) => ({ layer, direction, policy: `${policy.kind} ${policy.key}`, effect, ...(index === 0 ? { detail: words.reason } : {}) }));
  }
  return [{ layer, direction, effect, detail: words.reason }];
}

/** The reasons of one direction: for each layer, the decisions that gave its effect. */
export function sideReasons(side: SideOutcome, context: ReasonContext = {}): ProbeReason[] {
  const direction = lower(side.direction);
  const subject = side.subject;
  if (!side.applicable) {
    return [withContext({ layer: 'cni', direction, effect: 'default', detail: `${subject.id} is outside the cluster: no policy applies to its ${direction}.` }, context)];
  }
  const reasons: ProbeReason[] = [];
  for (const outcome of side.layers) {
    const layer = outcome.layer === 'mesh' ? 'mesh' : 'cni';
    if (outcome.effect === 'not-isolated') {
      // No dialect of the layer restricts the subject: one reason, in the words of each (under Cilium, NetworkPolicy's and Cilium's).
      const detail = subject.kind === 'node' && outcome.decisive.length === 1
        ? `No policy selects ${subject.id} (a node's host network), so its ${direction} is not restricted.`
        : outcome.decisive.map((decision) => decision.describe().reason).join(' ');
      reasons.push({ layer, direction, effect: 'default', detail });
      continue;
    }
    for (const decision of outcome.decisive) reasons.push(...decisionReasons(layer, direction, decision));
  }
  return reasons.map((reason) => withContext(reason, context));
}

/** A direction allowed because the pod talks to its own node: always allowed under NetworkPolicy. */
export function ownNodeReason(direction: 'Ingress' | 'Egress', pod: string, node: string, context: ReasonContext = {}): ProbeReason {
  return withContext({
    layer: 'cni',
    direction: lower(direction),
    effect: 'allow',
    detail: `${pod} runs on ${node}: traffic between a pod and its own node is always allowed (${OWN_NODE_DOC}).`,
  }, context);
}
