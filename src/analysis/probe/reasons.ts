/** The reasons of a probe: one per rule (or absence of one) that decided a direction, from the connectivity fold. */
import { ProbeReason, ReasonEffect } from './types';
import { SideOutcome } from '../connectivity';
import { Effect } from '../dialect';

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

function lower(direction: 'Ingress' | 'Egress'): 'ingress' | 'egress' {
  return direction === 'Ingress' ? 'ingress' : 'egress';
}

function withContext(reason: ProbeReason, context: ReasonContext): ProbeReason {
  return {
    ...reason,
    ...(context.backend !== undefined ? { backend: context.backend } : {}),
    ...(context.targetPort !== undefined ? { targetPort: context.targetPort } : {}),
    ...(context.step !== undefined ? { step: context.step } : {}),
  };
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
    for (const decision of outcome.decisive) {
      const effect = EFFECTS[decision.effect];
      if (subject.kind === 'node' && decision.effect === 'not-isolated') {
        reasons.push({ layer, direction, effect, detail: `No policy selects ${subject.id} (a node's host network), so its ${direction} is not restricted.` });
        continue;
      }
      const words = decision.describe();
      if (decision.effect === 'allow' || decision.effect === 'deny') {
        decision.matches.forEach((match, index) => {
          const rule = match.rule;
          reasons.push({ layer, direction, policy: `${rule.policy.kind} ${rule.policy.key}`, rule: `${direction}[${rule.index}]`, effect, detail: words.matchDetails[index] });
        });
      } else if (decision.effect === 'isolated' && decision.selectingPolicies.length > 0) {
        decision.selectingPolicies.forEach((policy, index) => {
          reasons.push({ layer, direction, policy: `${policy.kind} ${policy.key}`, effect, ...(index === 0 ? { detail: words.reason } : {}) });
        });
      } else {
        reasons.push({ layer, direction, effect, detail: words.reason });
      }
    }
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
