import { buildConnectivity, ComputedConnectivity, Connectivity, layerAdmits, SideOutcome } from './connectivity';
import { Decision, DecisionWords } from './dialect';
import { ManifestInput } from './manifests/documents';
import { findService, routeThrough, SERVICE_PREFIX, ServiceRouteError, unknownDestination } from './services';
import {
  AnalyzeOptions,
  Explanation,
  ExplainQuery,
  ProbePort,
  RuleReference,
  ServiceBackendExplanation,
  ServiceExplanation,
  SideExplanation,
} from './types';

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
          const policy = match.rule.policy;
          allowedBy.push({
            policy: policy.key,
            kind: policy.kind,
            ...(policy.namespace === undefined ? {} : { namespace: policy.namespace }),
            name: policy.name,
            ruleIndex: match.rule.index,
            detail: details[index],
          });
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

/** True for the result of `explainDestination` when the destination was a Service. */
export function isServiceExplanation(value: Explanation | ServiceExplanation): value is ServiceExplanation {
  return 'service' in value && 'backends' in value;
}

/**
 * Explains one connection whose destination may be a Service (`svc:NAME`, `svc:NAMESPACE/NAME`,
 * `NAMESPACE/NAME` when no pod has that id, a bare `NAME` in the source's namespace, or a cluster IP):
 * one pod-to-pod explanation per backend pod, on the `targetPort` the service port maps to. Throws
 * `UnknownEndpointError` for a destination that is neither, and `ServiceRouteError` for a Service that
 * cannot route the port.
 */
export function explainDestination(connectivity: Connectivity, query: ExplainQuery): Explanation | ServiceExplanation {
  if (!(connectivity instanceof ComputedConnectivity)) {
    throw new Error('explainDestination needs a Connectivity returned by computeConnectivity');
  }
  const services = connectivity.extras.services;
  const podIds = connectivity.endpoints;
  const isEndpoint = connectivity.universe.indexOf(query.to) !== undefined;
  if (connectivity.universe.indexOf(query.from) === undefined) {
    const asService = services.find((service) => query.from === service.id || query.from === `${SERVICE_PREFIX}${service.id}`);
    if (asService) {
      throw new ServiceRouteError(`the source ${query.from} is Service ${asService.id}: connections start at pods; give one of its pods as the source.`);
    }
  }
  if (services.length === 0 || (isEndpoint && !query.to.startsWith(SERVICE_PREFIX))) return explainConnection(connectivity, query);
  const source = connectivity.endpoint(query.from);
  const service = findService(services, query.to, source.namespace);
  if (!service) {
    if (isEndpoint) return explainConnection(connectivity, query);
    throw unknownDestination(query.to, podIds, services);
  }
  const probe: ProbePort = { port: query.port, protocol: query.protocol ?? 'TCP' };
  const route = routeThrough(service, probe, connectivity.universe.endpoints);
  const backends: ServiceBackendExplanation[] = route.backends.map((backend) => {
    if (backend.targetPort === undefined) return { endpoint: backend.endpoint.id, excluded: backend.excluded };
    const backendQuery = { from: source.id, to: backend.endpoint.id, port: backend.targetPort, protocol: probe.protocol };
    const explanation = explainConnection(connectivity, backendQuery);
    return { endpoint: backend.endpoint.id, targetPort: backend.targetPort, explanation };
  });
  const reached = backends.filter((backend) => backend.explanation);
  const allowed = reached.filter((backend) => backend.explanation!.allowed).length;
  const verdict = allowed === 0 ? 'denied' : allowed === reached.length ? 'allowed' : 'partial';
  return { from: source.id, service: service.id, port: probe.port, protocol: probe.protocol, verdict, backends };
}

/** `explainDestination` on manifests. */
export function explainTarget(input: ManifestInput, query: ExplainQuery, options: AnalyzeOptions = {}): Explanation | ServiceExplanation {
  return explainDestination(buildConnectivity(input, options), query);
}
