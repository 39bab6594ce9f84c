import { buildConnectivity, ComputedConnectivity, Connectivity } from './connectivity';
import { Endpoint } from './kubernetes/endpoints';
import { Direction, PolicyPeer, PolicyPort } from './kubernetes/network-policy';
import { evaluateSide, RuleMatch, SideEvaluation } from './kubernetes/rule-matching';
import { ManifestInput } from './manifests/documents';
import { AnalyzeOptions, Explanation, ExplainQuery, ProbePort, RuleReference, SideExplanation } from './types';

function describePeer(peer: PolicyPeer): string {
  if (peer.kind === 'ipBlock') {
    const except = peer.exceptText.length > 0 ? ` except ${peer.exceptText.join(', ')}` : '';
    return `ipBlock ${peer.cidrText}${except}`;
  }
  return [peer.namespaceSelector ? 'namespaceSelector' : undefined, peer.podSelector ? 'podSelector' : undefined]
    .filter((part) => part)
    .join('+');
}

function describePort(port: PolicyPort, probe: ProbePort): string {
  if (port.portName !== undefined) return `${port.portName} (${probe.port}/${port.protocol})`;
  if (port.port === undefined) return `all ${port.protocol} ports`;
  if (port.endPort !== undefined) return `${port.port}-${port.endPort}/${port.protocol}`;
  return `${port.port}/${port.protocol}`;
}

function describeMatch(match: RuleMatch, probe: ProbePort): string {
  const rule = match.rule.rule;
  const peersField = rule.direction === 'Ingress' ? 'from' : 'to';
  const peer = match.peerIndex === undefined || !rule.peers
    ? `any peer (no ${peersField})`
    : `${peersField}[${match.peerIndex}] (${describePeer(rule.peers.find((candidate) => candidate.index === match.peerIndex)!)})`;
  const port = match.portIndex === undefined || !rule.ports
    ? 'any port'
    : `ports[${match.portIndex}] ${describePort(rule.ports.find((candidate) => candidate.index === match.portIndex)!, probe)}`;
  return `${peer}, ${port}`;
}

function ruleName(direction: Direction, policy: string, index: number): string {
  return `${policy} ${direction === 'Ingress' ? 'ingress' : 'egress'}[${index}]`;
}

function sideReason(side: SideEvaluation, subject: Endpoint, peer: Endpoint, probe: ProbePort): string {
  const direction = side.direction.toLowerCase();
  if (!side.applicable) return `${subject.id} is outside the cluster; no policy restricts its ${direction}.`;
  if (!side.isolated) {
    return `No NetworkPolicy in namespace ${subject.namespace} selects ${subject.id} for ${side.direction}, so its ${direction} is not restricted.`;
  }
  const isolatedBy = `${subject.id} is isolated for ${direction} by ${side.selectingPolicies.join(', ')}`;
  if (side.allowed) {
    return `${isolatedBy}; allowed by ${side.matches.map((match) => ruleName(side.direction, match.rule.policy.key, match.rule.rule.index)).join(', ')}.`;
  }
  const rules = side.selectingPolicies.length === 1 ? 'its' : 'their';
  const misses = side.portMisses.map((rule) => ruleName(side.direction, rule.policy.key, rule.rule.index));
  const nearMiss = misses.length > 0 ? ` (${misses.join(', ')} ${misses.length === 1 ? 'matches' : 'match'} the peer but not the port)` : '';
  return `${isolatedBy}; none of ${rules} ${direction} rules admits ${peer.id} on ${probe.port}/${probe.protocol}${nearMiss}.`;
}

function explainSide(side: SideEvaluation, subject: Endpoint, peer: Endpoint, probe: ProbePort): SideExplanation {
  const allowedBy: RuleReference[] = side.isolated
    ? side.matches.map((match) => ({ policy: match.rule.policy.key, ruleIndex: match.rule.rule.index, detail: describeMatch(match, probe) }))
    : [];
  return {
    direction: side.direction,
    endpoint: subject.id,
    applicable: side.applicable,
    selectingPolicies: [...side.selectingPolicies],
    isolated: side.isolated,
    allowed: side.allowed,
    allowedBy,
    reason: sideReason(side, subject, peer, probe),
  };
}

/** Explains one connection of an already computed connectivity (from `computeConnectivity`). */
export function explainConnection(connectivity: Connectivity, query: ExplainQuery): Explanation {
  if (!(connectivity instanceof ComputedConnectivity)) {
    throw new Error('explainConnection needs a Connectivity returned by computeConnectivity');
  }
  const probe: ProbePort = { port: query.port, protocol: query.protocol ?? 'TCP' };
  // Validates the port and both endpoints (unknown ids throw with close matches).
  connectivity.verdict(query.from, query.to, probe);
  const source = connectivity.endpoint(query.from);
  const destination = connectivity.endpoint(query.to);
  const egress = evaluateSide(connectivity.model, 'Egress', source, destination, probe, destination);
  const ingress = evaluateSide(connectivity.model, 'Ingress', destination, source, probe, destination);
  return {
    from: source.id,
    to: destination.id,
    port: probe.port,
    protocol: probe.protocol,
    allowed: egress.allowed && ingress.allowed,
    egress: explainSide(egress, source, destination, probe),
    ingress: explainSide(ingress, destination, source, probe),
  };
}

/** Why a connection is allowed or denied: the rules on each side that admitted it, or why none did. */
export function explain(input: ManifestInput, query: ExplainQuery, options: AnalyzeOptions = {}): Explanation {
  return explainConnection(buildConnectivity(input, options), query);
}
