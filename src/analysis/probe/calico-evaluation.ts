/**
 * Probes under Calico (`--cni calico`), through the connectivity fold with the Calico dialect: NetworkPolicy
 * and projectcalico.org/v3 NetworkPolicy / GlobalNetworkPolicy walked through the tiers in order, each
 * direction ending in a rule's Allow or Deny, an end-of-tier deny, or the namespace profile
 * (https://docs.tigera.io/calico/latest/network-policy/policy-tiers/tiered-policy). Reasons name the tier, the
 * policy and the rule that decided, and the Pass rules (or tiers passing by default) on the way.
 *
 * What Calico Open Source does not judge is said, never guessed:
 *
 * - `http` and `dns`: Calico Open Source filters connections, not requests (application layer policy needs
 *   Envoy, and domain rules are Calico Enterprise only), so the probe is judged at L3/L4 and the reasons of the
 *   connection say so in `l7`;
 * - `{fqdn, ip}`: the lookup (UDP/53 to the cluster DNS) is a leg like any other, and the connection is judged
 *   by its address: no Calico Open Source rule matches a name;
 * - nodes and hostNetwork pods are not workload endpoints: only HostEndpoint objects, which the analyzer does
 *   not read, would police them (https://docs.tigera.io/calico/latest/reference/host-endpoints/).
 *
 * Staged policies never change the verdict; with staged policies in the input, each record also carries
 * `staged`: the verdict if they were enforced, with its reasons.
 */
import { connectionRequest } from './cilium-evaluation';
import { ProbeConnectivity } from './probe-universe';
import { lower, ReasonContext, ruleLabel, sideReasons, withContext } from './reasons';
import { Leg, ResolvedProbe } from './resolve-endpoints';
import { Probe, ProbeReason, ProbeResult, ProbeVerdict, ReasonEffect } from './types';
import { layerAdmits, LayerOutcome, SideOutcome } from '../connectivity';
import { Endpoint } from '../core/endpoints';
import { ConnectionProbe, Decision } from '../dialect';
import { calicoEvaluationOf, CalicoEvaluation } from '../dialects/calico';

/** Where Calico says what its open-source policy matches: addresses and ports, no HTTP or DNS names. */
export const CALICO_L4_DOC = 'https://docs.tigera.io/calico/latest/network-policy/policy-rules/policy-rules-overview';

type Outcome = CalicoEvaluation['outcome'];
type RuleOutcome = Extract<Outcome, { kind: 'rule' }>;
type CalicoPolicyOf = RuleOutcome['policy'];

function policyLabel(policy: CalicoPolicyOf): string {
  return `${policy.ref.kind} ${policy.ref.key}`;
}

/** `tier default, order 1000 (a Kubernetes NetworkPolicy)`: where a policy sits in Calico's walk. */
function placeOf(policy: CalicoPolicyOf): string {
  const order = policy.order === undefined ? 'no order' : `order ${policy.order}`;
  const origin = policy.fromKubernetes ? ' (a Kubernetes NetworkPolicy)' : policy.ref.kind === 'NetworkPolicy' ? ' (projectcalico.org/v3)' : '';
  return `tier ${policy.tier}, ${order}${origin}`;
}

/** The Pass rules and tier defaults the walk went through before it ended, as `pass` reasons. */
function passReasons(direction: 'ingress' | 'egress', evaluation: CalicoEvaluation): ProbeReason[] {
  return evaluation.steps.flatMap((step): ProbeReason[] => {
    if (step.action === 'tier-pass') {
      return [{ layer: 'cni', direction, effect: 'pass', detail: `no policy of tier ${step.tier} took an action; the tier's defaultAction Pass hands on to the next tier` }];
    }
    if (step.action !== 'Pass' || !step.policy) return [];
    const rules = direction === 'ingress' ? 'ingress' : 'egress';
    return [{ layer: 'cni', direction, policy: policyLabel(step.policy), rule: `${rules}[${step.ruleIndex!}]`, effect: 'pass', detail: `${placeOf(step.policy)}: Pass to the next tier` }];
  });
}

/** Under Calico, a node or a hostNetwork pod is no workload endpoint: no Calico policy applies to it here. */
function isHost(endpoint: Endpoint): boolean {
  return endpoint.kind === 'node' || (endpoint.kind === 'pod' && endpoint.hostNetwork === true);
}

/** The reasons of one Calico decision: the passes on the way, then the rule, end-of-tier or profile that ended the walk. */
export function calicoDecisionReasons(side: Pick<SideOutcome, 'direction' | 'subject'>, decision: Decision): ProbeReason[] {
  const direction = lower(side.direction);
  const subject = side.subject;
  const calico = calicoEvaluationOf(decision);
  if (!calico || (isHost(subject) && decision.effect === 'not-isolated')) {
    const detail = isHost(subject)
      ? `${subject.id} is a host (a node's network), not a Calico workload endpoint: only HostEndpoint objects would police it, and none is read, so its ${direction} is not restricted.`
      : decision.describe().reason;
    return [{ layer: 'cni', direction, effect: decision.effect === 'not-isolated' ? 'default' : decision.effect as ReasonEffect, detail }];
  }
  const { evaluation } = calico;
  const outcome = evaluation.outcome;
  const words = decision.describe();
  const passes = passReasons(direction, evaluation);
  switch (outcome.kind) {
    case 'rule': {
      const rule = (side.direction === 'Ingress' ? outcome.policy.ingress : outcome.policy.egress)[outcome.ruleIndex];
      const alp = rule.hasHttp ? '; its http match is not evaluated (Calico Open Source enforces no application layer policy): judged at L4' : '';
      const match = decision.matches[0];
      return [...passes, {
        layer: 'cni',
        direction,
        policy: policyLabel(outcome.policy),
        rule: match ? ruleLabel(match.rule) : `${direction}[${outcome.ruleIndex}]`,
        effect: outcome.action === 'Allow' ? 'allow' : 'deny',
        detail: `${placeOf(outcome.policy)}: ${words.matchDetails[0] ?? `action ${outcome.action}`}${alp}`,
      }];
    }
    case 'end-of-tier': {
      // The policies that made the tier apply to the subject: each isolates it; the first carries the words.
      const isolating = evaluation.selecting.filter((policy) => policy.tier === outcome.tier);
      return [...passes, ...isolating.map((policy, index): ProbeReason => ({
        layer: 'cni', direction, policy: policyLabel(policy), effect: 'isolated', ...(index === 0 ? { detail: words.reason } : {}),
      }))];
    }
    case 'profile': {
      if (outcome.applyingTiers.length === 0) return [{ layer: 'cni', direction, effect: 'default', detail: words.reason }];
      const profile = subject.namespace !== undefined ? `Profile kns.${subject.namespace}` : undefined;
      return [...passes, {
        layer: 'cni', direction, ...(profile ? { policy: profile } : {}), effect: outcome.allowed ? 'allow' : 'isolated', detail: words.reason,
      }];
    }
  }
}

/** The reasons of one direction: outside the cluster as for every dialect; else the Calico walk. */
function calicoSideReasons(side: SideOutcome, context: ReasonContext): ProbeReason[] {
  if (!side.applicable) return sideReasons(side, context);
  const decisions = networkLayers(side).flatMap((layer) => layer.decisions);
  const network = decisions.flatMap((decision) => calicoDecisionReasons(side, decision)).map((reason) => withContext(reason, context));
  return [...network, ...meshReasons(side, context)];
}

/** The network layer's outcomes of a side: the Calico walk. */
function networkLayers(side: SideOutcome): readonly LayerOutcome[] {
  return side.layers.filter((layer) => layer.layer !== 'mesh');
}

/** The mesh layer's reasons (`layer: mesh`), in the words every CNI gives them; none without a mesh. */
function meshReasons(side: SideOutcome, context: ReasonContext): ProbeReason[] {
  const mesh = side.layers.filter((layer) => layer.layer === 'mesh');
  return mesh.length === 0 ? [] : sideReasons({ ...side, layers: mesh }, context);
}

/**
 * One direction's effect if the staged policies were enforced; undefined without staged policies. The mesh
 * layer has no staged policies: its effect is the same either way.
 */
function stagedSide(side: SideOutcome): { allowed: boolean; decisions: readonly Decision[] } | undefined {
  if (!side.applicable) return undefined;
  const decisions = networkLayers(side).flatMap((layer) => layer.decisions);
  const staged = decisions.map((decision) => calicoEvaluationOf(decision)?.staged);
  if (staged.every((decision) => decision === undefined)) return undefined;
  const previewed = decisions.map((decision, index) => staged[index] ?? decision);
  const meshAdmits = side.layers.every((layer) => layer.layer !== 'mesh' || layerAdmits(layer.effect));
  return { allowed: meshAdmits && previewed.every((decision) => decision.effect === 'allow' || decision.effect === 'not-isolated'), decisions: previewed };
}

interface CalicoLegOutcome {
  readonly allowed: boolean;
  readonly reasons: readonly ProbeReason[];
  /** With staged policies in the input. */
  readonly staged?: { readonly allowed: boolean; readonly reasons: readonly ProbeReason[] };
}

function legProbe(leg: Leg): ConnectionProbe {
  return leg.icmp ?? { port: leg.port, protocol: leg.protocol };
}

/** What the probe asks that Calico Open Source cannot judge, said on the reasons of the connection (not of the lookup). */
function unjudged(probe: Probe): string | undefined {
  if (probe.http) return `http not checked: Calico Open Source filters connections, not HTTP requests, so the request is judged at L4 (${CALICO_L4_DOC})`;
  if (probe.dns) return `dns not checked: Calico Open Source has no DNS rules, so the query is judged at L4 (${CALICO_L4_DOC})`;
  return undefined;
}

function evaluateLeg(connectivity: ProbeConnectivity, source: Endpoint, leg: Leg, probe: Probe): CalicoLegOutcome {
  const context: ReasonContext = { ...(leg.backend ? { backend: leg.backend, targetPort: leg.port } : {}), ...(leg.step ? { step: leg.step } : {}) };
  // Calico's nets match any address, nodes' included (as NetworkPolicy ipBlock does under Calico). Calico's
  // dialect reads no request; the mesh layer, when on, judges the client's mTLS and the HTTP request.
  const request = leg.step === 'dns' ? undefined : connectionRequest(probe, leg, false);
  const evaluation = connectivity.withNodeAddresses.evaluateEndpoints(source, leg.destination, legProbe(leg), request);
  const l7 = leg.step === 'dns' ? undefined : unjudged(probe);
  const fqdn = leg.step !== 'dns' && probe.to.kind === 'fqdn'
    ? ` ${probe.to.name} is judged by its address ${probe.to.text}: Calico Open Source rules match addresses, not DNS names (domain rules are Calico Enterprise only).`
    : '';
  // Said once per direction, on the reason that ended the walk (the one with words, not a pass).
  const mark = (reasons: readonly ProbeReason[]): ProbeReason[] => reasons.map((reason) => {
    if (reason.effect === 'pass' || reason.detail === undefined || reason.layer === 'mesh') return reason;
    return {
      ...reason,
      ...(fqdn !== '' && reason.direction === 'egress' ? { detail: `${reason.detail}${reason.detail.endsWith('.') ? '' : '.'}${fqdn}` } : {}),
      ...(l7 !== undefined ? { l7 } : {}),
    };
  });
  const reasons = mark([...calicoSideReasons(evaluation.egress, context), ...calicoSideReasons(evaluation.ingress, context)]);
  const egress = stagedSide(evaluation.egress);
  const ingress = stagedSide(evaluation.ingress);
  if (!egress && !ingress) return { allowed: evaluation.allowed, reasons };
  const sideOf = (side: SideOutcome, staged: typeof egress): { allowed: boolean; reasons: ProbeReason[] } => {
    if (!staged) return { allowed: side.allowed, reasons: calicoSideReasons(side, context) };
    const stagedReasons = [
      ...staged.decisions.flatMap((decision) => calicoDecisionReasons(side, decision)).map((reason) => withContext(reason, context)),
      ...meshReasons(side, context),
    ];
    return { allowed: staged.allowed, reasons: stagedReasons };
  };
  const out = sideOf(evaluation.egress, egress);
  const into = sideOf(evaluation.ingress, ingress);
  return { allowed: evaluation.allowed, reasons, staged: { allowed: out.allowed && into.allowed, reasons: mark([...out.reasons, ...into.reasons]) } };
}

/**
 * The `note:` line of a run under Calico whose probes ask what Calico Open Source does not judge (`http`, `dns`, a
 * name), so that it is never passed over in silence; undefined when no probe does.
 */
export function calicoUncheckedNote(probes: readonly Probe[], mesh: 'none' | 'istio' = 'none'): string | undefined {
  const unchecked = probes.filter((probe) => probe.http || probe.dns || probe.to.kind === 'fqdn').map((probe) => probe.id);
  if (unchecked.length === 0) return undefined;
  // The mesh layer judges HTTP requests at the destination's sidecar on its own (istio-evaluation.ts).
  const byMesh = mesh === 'istio' ? ' (the mesh layer, --mesh istio, does check http)' : '';
  return `note: under --cni calico, http and dns are not checked${byMesh} and names are judged by their address (Calico Open Source filters connections, ` +
    `not requests; see each reason's l7 and detail): ${unchecked.join(', ')}`;
}

function verdictOf(allowed: boolean): ProbeVerdict {
  return allowed ? 'allow' : 'deny';
}

/**
 * A probe's record under Calico: allowed when every leg is (the DNS lookup of an `{fqdn}`, and every backend
 * of a Service). With staged policies in the input, `staged` gives the verdict they would give, by the same rule.
 */
export function evaluateCalicoProbe(connectivity: ProbeConnectivity, resolved: ResolvedProbe): ProbeResult {
  const { probe, source } = resolved;
  const legs = [...resolved.lookup, ...resolved.legs].map((leg) => evaluateLeg(connectivity, source, leg, probe));
  const verdict = verdictOf(legs.every((leg) => leg.allowed));
  const anyStaged = legs.some((leg) => leg.staged !== undefined);
  const staged = anyStaged
    ? {
      verdict: verdictOf(legs.every((leg) => (leg.staged ?? leg).allowed)),
      reasons: legs.flatMap((leg) => (leg.staged ?? leg).reasons),
    }
    : undefined;
  return {
    id: probe.id,
    from: resolved.from,
    to: resolved.to,
    protocol: probe.protocol,
    ...(resolved.port !== undefined ? { port: resolved.port } : {}),
    ...(probe.icmp ? { icmp: probe.icmp } : {}),
    verdict,
    ...(probe.expected ? { expected: probe.expected, ok: probe.expected === verdict } : {}),
    reasons: legs.flatMap((leg) => leg.reasons),
    ...(staged ? { staged } : {}),
  };
}
