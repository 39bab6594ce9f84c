/**
 * Probes under Cilium (`--cni cilium`), through the connectivity fold with the Cilium dialects: NetworkPolicy
 * on Cilium identities and CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy, merged per endpoint, a deny
 * winning (https://docs.cilium.io/en/stable/network/kubernetes/policy/). What NetworkPolicy leaves to the plugin
 * is defined here: hostNetwork pods and nodes carry the node's identity (`host` / `remote-node`), CIDR rules
 * never match cluster endpoints, ICMP has rules of its own (`icmps`), and L7 rules judge the probe's request:
 *
 * - `http` against `rules.http` (method, path, host, headers), `tls` (an encrypted payload) never matching them;
 * - `dns: {query}` against `rules.dns`;
 * - `{fqdn, ip}`: the source's lookup of the name (UDP/53 to the cluster DNS, with the name as the query) is
 *   evaluated first; `toFQDNs` matches the address only when every lookup leg was allowed and went through a
 *   DNS proxy rule that allowed the name (https://docs.cilium.io/en/stable/security/policy/language/#dns-based).
 *
 * One thing stays open: where a pod without `spec.nodeName` runs, when the other end has a node's identity
 * (`host` seen from its own node, `remote-node` elsewhere; allow-localhost). Both placements are evaluated,
 * and when they disagree the verdict is `allow`, marked implementation-defined, as under `--cni kubernetes`.
 */
import { ProbeConnectivity } from './probe-universe';
import { ReasonContext, sideReasons } from './reasons';
import { Leg, ResolvedProbe } from './resolve-endpoints';
import { Probe, ProbeReason, ProbeResult } from './types';
import { ComputedConnectivity, ConnectionEvaluation, lookupSeenByDnsProxy } from '../connectivity';
import { Endpoint } from '../core/endpoints';
import { ApplicationRequest, ConnectionProbe } from '../dialect';

/** One leg's verdict, in both placements when the leg depends on one. */
interface CiliumLegOutcome {
  readonly allowed: boolean;
  readonly reasons: readonly ProbeReason[];
  /** Set when the placements disagree: `allowed` is then true. */
  readonly implementationDefined?: string;
  /** Every evaluation made (one per placement). */
  readonly evaluations: readonly ConnectionEvaluation<ConnectionProbe>[];
}

/** A managed pod whose node the input does not give, and the node-identity end it may run beside. */
function openPlacement(source: Endpoint, destination: Endpoint): { pod: Endpoint; node: Endpoint; podIsSource: boolean } | undefined {
  const unplaced = (endpoint: Endpoint): boolean => endpoint.kind === 'pod' && !endpoint.hostNetwork && endpoint.nodeName === undefined;
  const nodeIdentity = (endpoint: Endpoint): boolean =>
    (endpoint.kind === 'node' || (endpoint.kind === 'pod' && endpoint.hostNetwork === true)) && endpoint.nodeName !== undefined;
  if (unplaced(source) && nodeIdentity(destination)) return { pod: source, node: destination, podIsSource: true };
  if (unplaced(destination) && nodeIdentity(source)) return { pod: destination, node: source, podIsSource: false };
  return undefined;
}

function legProbe(leg: Leg): ConnectionProbe {
  return leg.icmp ?? { port: leg.port, protocol: leg.protocol };
}

function nodeLabel(node: Endpoint): string {
  return node.kind === 'node' ? node.id : `node:${node.nodeName!}`;
}

/** Evaluates one leg with its L7 request, in both placements of an unplaced pod beside a node identity. */
function evaluateLeg(computed: ComputedConnectivity, source: Endpoint, leg: Leg, request: ApplicationRequest | undefined): CiliumLegOutcome {
  const context: ReasonContext = { ...(leg.backend ? { backend: leg.backend, targetPort: leg.port } : {}), ...(leg.step ? { step: leg.step } : {}) };
  const probe = legProbe(leg);
  const judge = (from: Endpoint, to: Endpoint): { evaluation: ConnectionEvaluation<ConnectionProbe>; reasons: ProbeReason[] } => {
    const evaluation = computed.evaluateEndpoints(from, to, probe, request);
    return { evaluation, reasons: [...sideReasons(evaluation.egress, context), ...sideReasons(evaluation.ingress, context)] };
  };
  const elsewhere = judge(source, leg.destination);
  const place = openPlacement(source, leg.destination);
  if (!place) return { allowed: elsewhere.evaluation.allowed, reasons: elsewhere.reasons, evaluations: [elsewhere.evaluation] };
  // The same pod, placed on the node end's node: the node is then `host` to it, and allow-localhost applies.
  const placed: Endpoint = { ...place.pod, nodeName: place.node.nodeName };
  const beside = place.podIsSource ? judge(placed, leg.destination) : judge(source, placed);
  const evaluations = [elsewhere.evaluation, beside.evaluation];
  if (elsewhere.evaluation.allowed === beside.evaluation.allowed) {
    return { allowed: elsewhere.evaluation.allowed, reasons: elsewhere.reasons, evaluations };
  }
  const node = nodeLabel(place.node);
  const on = `${place.pod.id} runs on ${node}`;
  const off = `${place.pod.id} runs on another node than ${node}`;
  const [allowing, allowedIf, deniedIf] = beside.evaluation.allowed ? [beside, on, off] : [elsewhere, off, on];
  return {
    allowed: true,
    reasons: allowing.reasons,
    implementationDefined: `allowed if ${allowedIf}; denied if ${deniedIf}. the input does not say where the pod runs: give its spec.nodeName.`,
    evaluations,
  };
}

/** The HTTP request of an `http` probe: GET / by default (POST for gRPC), the host of an `{fqdn}` destination by default. */
function httpRequest(probe: Probe, leg: Leg): ApplicationRequest['http'] {
  const http = probe.http!;
  const host = http.host ?? (probe.to.kind === 'fqdn' ? probe.to.name : undefined);
  return {
    method: http.method ?? (leg.grpc ? 'POST' : 'GET'),
    path: http.path ?? '/',
    ...(host !== undefined ? { host } : {}),
    headers: http.headers ?? {},
  };
}

/**
 * What a connection leg carries above L4, for the L7 and FQDN rules and the mesh (`clientMtls`); undefined when
 * the probe gives nothing.
 */
export function connectionRequest(probe: Probe, leg: Leg, lookupAllowed: boolean): ApplicationRequest | undefined {
  const request: ApplicationRequest = {
    ...(probe.clientMtls !== undefined ? { mtls: probe.clientMtls } : {}),
    ...(probe.http ? { http: httpRequest(probe, leg) } : {}),
    ...(probe.dns ? { dns: probe.dns } : {}),
    ...(probe.tls ? { tls: probe.tls } : {}),
    ...(probe.to.kind === 'fqdn' ? { fqdn: { name: probe.to.name, lookupAllowed } } : {}),
  };
  return Object.keys(request).length > 0 ? request : undefined;
}

function describeLeg(leg: Leg): string {
  if (leg.step === 'dns') return `the DNS lookup at ${leg.destination.id}: `;
  return leg.backend ? `backend ${leg.backend}: ` : '';
}

/**
 * A probe's record under Cilium: allowed when every leg is (the DNS lookup of an `{fqdn}`, and every backend
 * of a Service); denied as soon as one leg is denied in every placement; otherwise allowed and implementation-defined.
 */
export function evaluateCiliumProbe(connectivity: ProbeConnectivity, resolved: ResolvedProbe): ProbeResult {
  const { probe, source } = resolved;
  const computed = connectivity.withNodeAddresses;
  const lookups = resolved.lookup.map((leg) => ({
    leg,
    outcome: evaluateLeg(computed, source, leg, probe.to.kind === 'fqdn' ? { dns: { query: probe.to.name } } : undefined),
  }));
  // toFQDNs learns the address only from a lookup that a DNS proxy rule allowed: in every placement, at every resolver.
  const lookupAllowed = lookups.length > 0
    && lookups.every(({ outcome }) => outcome.evaluations.every((evaluation) => lookupSeenByDnsProxy(evaluation)));
  const connections = resolved.legs.map((leg) => {
    const outcome = evaluateLeg(computed, source, leg, connectionRequest(probe, leg, lookupAllowed));
    if (probe.to.kind !== 'fqdn' || lookupAllowed) return { leg, outcome };
    // Say why no toFQDNs rule matched: the address was never learned.
    const why = ` toFQDNs rules learn no address for ${probe.to.name}: ${lookups.length === 0
      ? `${source.id} does not look names up at the cluster DNS from a pod`
      : 'its lookup was not allowed by a DNS proxy rule (toPorts rules.dns on the DNS egress) that matches the name'}.`;
    const reasons = outcome.reasons.map((reason) => (reason.direction === 'egress' && reason.effect === 'isolated' && reason.detail !== undefined
      ? { ...reason, detail: `${reason.detail}${why}` }
      : reason));
    return { leg, outcome: { ...outcome, reasons } };
  });
  const legs = [...lookups, ...connections];
  const denied = legs.some(({ outcome }) => !outcome.allowed);
  const implementationDefined = denied
    ? ''
    : legs.filter(({ outcome }) => outcome.implementationDefined !== undefined).map(({ leg, outcome }) => `${describeLeg(leg)}${outcome.implementationDefined}`).join(' ');
  const verdict = denied ? 'deny' : 'allow';
  return {
    id: probe.id,
    from: resolved.from,
    to: resolved.to,
    protocol: probe.protocol,
    ...(resolved.port !== undefined ? { port: resolved.port } : {}),
    ...(probe.icmp ? { icmp: probe.icmp } : {}),
    verdict,
    ...(probe.expected ? { expected: probe.expected, ok: probe.expected === verdict && implementationDefined === '' } : {}),
    reasons: legs.flatMap(({ outcome }) => outcome.reasons),
    ...(implementationDefined !== '' ? { implementationDefined } : {}),
  };
}
