/**
 * Probes under plain Kubernetes NetworkPolicy (`--cni kubernetes`), through the connectivity fold and the
 * Kubernetes dialect. What the API defines is applied as defined; what it leaves to the network plugin
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/) is evaluated every way a
 * conforming plugin may take it, fail-safe:
 *
 * - hostNetwork pods: a plugin may police them as pods, or (most do) treat their traffic as their node's,
 *   which selectors never match and only ipBlock on the node address can ("NetworkPolicy and hostNetwork pods");
 * - ipBlock and node addresses: whether an ipBlock matches a node's address is the plugin's choice (Calico
 *   matches it; Cilium does not by default);
 * - traffic between a pod and its own node is always allowed; when the input does not say where the pod
 *   runs (no `spec.nodeName`), it may run on that node or on another.
 *
 * When the readings agree, that is the verdict. When they do not, the verdict is the permissive one,
 * `allow`, marked implementation-defined, and an expectation never agrees with it: a check that a
 * connection is denied (or allowed) must not pass on a behaviour the cluster may not have.
 */
import { connectionRequest } from './cilium-evaluation';
import { ProbeConnectivity } from './probe-universe';
import { ownNodeReason, ReasonContext, sideReasons } from './reasons';
import { Leg, ResolvedProbe } from './resolve-endpoints';
import { ProbeReason, ProbeResult } from './types';
import { SideOutcome } from '../connectivity';
import { Endpoint } from '../core/endpoints';
import { ApplicationRequest } from '../dialect';

/** One reading of what NetworkPolicy leaves open; a field is set only where the leg depends on it. */
interface Reading {
  readonly hostNetwork?: 'pod' | 'host';
  readonly nodeAddresses?: boolean;
  /** Where the input does not say: whether the pod end runs on the node end. */
  readonly sameNode?: { readonly value: boolean; readonly pod: string; readonly node: string };
}

interface ReadingOutcome {
  readonly reading: Reading;
  readonly allowed: boolean;
  readonly reasons: readonly ProbeReason[];
}

/** A leg's verdict: defined, or depending on the plugin (or the placement) with the two readings that differ. */
export interface LegOutcome {
  readonly allowed: boolean;
  readonly reasons: readonly ProbeReason[];
  /** Set when the readings disagree: `allowed` is then true. */
  readonly implementationDefined?: string;
}

type Question = 'hostNetwork' | 'nodeAddresses' | 'sameNode';
const QUESTIONS: readonly Question[] = ['hostNetwork', 'nodeAddresses', 'sameNode'];

function answer(reading: Reading, question: Question): string | boolean | undefined {
  return question === 'sameNode' ? reading.sameNode?.value : reading[question];
}

function words(reading: Reading, question: Question): string {
  switch (question) {
    case 'hostNetwork':
      return reading.hostNetwork === 'pod' ? 'the plugin polices hostNetwork pods as pods' : 'the plugin treats hostNetwork pods as their node\'s host traffic';
    case 'nodeAddresses':
      return reading.nodeAddresses ? 'ipBlock rules match node addresses (as Calico does)' : 'ipBlock rules do not match node addresses (as Cilium does by default)';
    default: {
      const place = reading.sameNode!;
      return place.value ? `${place.pod} runs on ${place.node}` : `${place.pod} runs on another node than ${place.node}`;
    }
  }
}

/**
 * The answers that decide `outcome`: those whose other answer, all else being equal (a question one reading
 * does not depend on counts as equal), gives the other verdict. Falls back to the answers `other` does not share.
 */
function deciding(outcome: ReadingOutcome, other: Reading, outcomes: readonly ReadingOutcome[]): Question[] {
  const { reading } = outcome;
  const compatible = (candidate: Reading, except: Question): boolean => QUESTIONS.every((question) => {
    if (question === except) return true;
    const mine = answer(reading, question);
    const theirs = answer(candidate, question);
    return mine === undefined || theirs === undefined || mine === theirs;
  });
  const decisive = QUESTIONS.filter((question) => {
    const own = answer(reading, question);
    if (own === undefined) return false;
    return outcomes.some((candidate) => {
      const value = answer(candidate.reading, question);
      return value !== undefined && value !== own && candidate.allowed !== outcome.allowed && compatible(candidate.reading, question);
    });
  });
  if (decisive.length > 0) return decisive;
  return QUESTIONS.filter((question) => answer(reading, question) !== undefined && answer(other, question) !== answer(reading, question));
}

function differences(a: Reading, b: Reading): number {
  return QUESTIONS.filter((question) => answer(a, question) !== answer(b, question)).length;
}

/** Why the verdict is not defined: the reading that allows against the closest one that denies, with the answers that decide each. */
function explainDisagreement(allowing: ReadingOutcome, denying: ReadingOutcome, outcomes: readonly ReadingOutcome[]): string {
  const allowQuestions = deciding(allowing, denying.reading, outcomes);
  const denyQuestions = deciding(denying, allowing.reading, outcomes);
  const asked = new Set([...allowQuestions, ...denyQuestions]);
  const fixes: string[] = [];
  if (asked.has('hostNetwork') || asked.has('nodeAddresses')) {
    fixes.push('Kubernetes NetworkPolicy leaves this to the network plugin: evaluate with its dialect (--cni cilium or --cni calico)');
  }
  if (asked.has('sameNode')) fixes.push('the input does not say where the pod runs: give its spec.nodeName');
  const allowWords = allowQuestions.map((question) => words(allowing.reading, question));
  const denyWords = denyQuestions.map((question) => words(denying.reading, question));
  return `allowed if ${allowWords.join(' and ')}; denied if ${denyWords.join(' and ')}. ${fixes.join('; ')}.`;
}

/** Where the pod end and the node end of a leg are known to run: true/false, or undefined when the input does not say. */
function placement(source: Endpoint, destination: Endpoint): { pod: Endpoint; node: Endpoint; known?: boolean } | undefined {
  const [pod, node] = source.kind === 'pod' && destination.kind === 'node'
    ? [source, destination]
    : destination.kind === 'pod' && source.kind === 'node' ? [destination, source] : [undefined, undefined];
  if (!pod || !node) return undefined;
  if (pod.nodeName !== undefined && node.nodeName !== undefined) return { pod, node, known: pod.nodeName === node.nodeName };
  return { pod, node };
}

function directionReasons(side: SideOutcome, ownNode: boolean, context: ReasonContext): { allowed: boolean; reasons: ProbeReason[] } {
  if (!ownNode) return { allowed: side.allowed, reasons: sideReasons(side, context) };
  const pod = side.subject;
  return { allowed: true, reasons: [ownNodeReason(side.direction, pod.id, side.peer.id, context)] };
}

/** Evaluates one leg in every reading it depends on; `request` is for the mesh layer (NetworkPolicy ignores it). */
export function evaluateLeg(connectivity: ProbeConnectivity, source: Endpoint, leg: Leg, request?: ApplicationRequest): LegOutcome {
  const context: ReasonContext = { ...(leg.backend ? { backend: leg.backend, targetPort: leg.port } : {}), ...(leg.step ? { step: leg.step } : {}) };
  const outcomes: ReadingOutcome[] = [];
  const hostReadings = source.hostNetwork || leg.destination.hostNetwork ? (['pod', 'host'] as const) : [undefined];
  for (const hostNetwork of hostReadings) {
    const from = hostNetwork === 'host' && source.hostNetwork ? connectivity.hostOf(source) : source;
    const to = hostNetwork === 'host' && leg.destination.hostNetwork ? connectivity.hostOf(leg.destination) : leg.destination;
    const nodeEnd = from.kind === 'node' || to.kind === 'node';
    const place = placement(from, to);
    const sameNodeReadings: (boolean | undefined)[] = !place ? [undefined] : place.known !== undefined ? [place.known] : [false, true];
    for (const nodeAddresses of nodeEnd ? [true, false] : [undefined]) {
      const computed = nodeAddresses === false ? connectivity.withoutNodeAddresses() : connectivity.withNodeAddresses;
      const endpoints = computed.universe.endpoints;
      const evaluation = computed.evaluateEndpoints(endpoints[from.index], endpoints[to.index], { port: leg.port, protocol: leg.protocol }, request);
      for (const sameNode of sameNodeReadings) {
        const unknownPlacement = place && place.known === undefined && sameNode !== undefined;
        const reading: Reading = {
          ...(hostNetwork ? { hostNetwork } : {}),
          ...(nodeAddresses !== undefined ? { nodeAddresses } : {}),
          ...(unknownPlacement ? { sameNode: { value: sameNode, pod: place.pod.id, node: place.node.id } } : {}),
        };
        const egress = directionReasons(evaluation.egress, sameNode === true && from.kind === 'pod', context);
        const ingress = directionReasons(evaluation.ingress, sameNode === true && to.kind === 'pod', context);
        outcomes.push({ reading, allowed: egress.allowed && ingress.allowed, reasons: [...egress.reasons, ...ingress.reasons] });
      }
    }
  }
  const allowing = outcomes.filter((outcome) => outcome.allowed);
  if (allowing.length === 0 || allowing.length === outcomes.length) return { allowed: outcomes[0].allowed, reasons: outcomes[0].reasons };
  const chosen = allowing[0];
  const denying = outcomes
    .filter((outcome) => !outcome.allowed)
    .sort((a, b) => differences(chosen.reading, a.reading) - differences(chosen.reading, b.reading))[0];
  return { allowed: true, reasons: chosen.reasons, implementationDefined: explainDisagreement(chosen, denying, outcomes) };
}

/**
 * A probe's record: allowed when every leg is (the DNS lookup, and every backend of a Service); denied as
 * soon as one leg is denied in every reading; otherwise allowed and implementation-defined.
 */
export function evaluateKubernetesProbe(connectivity: ProbeConnectivity, resolved: ResolvedProbe): ProbeResult {
  const { probe } = resolved;
  const legs = [
    ...resolved.lookup.map((leg) => ({ leg, outcome: evaluateLeg(connectivity, resolved.source, leg) })),
    ...resolved.legs.map((leg) => ({ leg, outcome: evaluateLeg(connectivity, resolved.source, leg, connectionRequest(probe, leg, false)) })),
  ];
  const denied = legs.some(({ outcome }) => !outcome.allowed);
  const undefinedLegs = denied ? [] : legs.filter(({ outcome }) => outcome.implementationDefined !== undefined);
  const implementationDefined = undefinedLegs
    .map(({ leg, outcome }) => `${leg.step === 'dns' ? `the DNS lookup at ${leg.destination.id}: ` : leg.backend ? `backend ${leg.backend}: ` : ''}${outcome.implementationDefined}`)
    .join(' ');
  const verdict = denied ? 'deny' : 'allow';
  return {
    id: probe.id,
    from: resolved.from,
    to: resolved.to,
    protocol: probe.protocol,
    port: resolved.port,
    verdict,
    ...(probe.expected ? { expected: probe.expected, ok: probe.expected === verdict && implementationDefined === '' } : {}),
    reasons: legs.flatMap(({ outcome }) => outcome.reasons),
    ...(implementationDefined !== '' ? { implementationDefined } : {}),
  };
}
