/**
 * What a policy plan means, written out for the tests, independently of every backend and of the
 * analyzer: every pod of a managed namespace is isolated in both directions (the default-deny
 * baseline), and a direction allows a connection when a baseline, or a planned policy whose subject
 * holds the pod, has a rule whose peer holds the other end and whose ports hold the probe.
 * Pods of unmanaged namespaces and external addresses are not isolated.
 */
import { Baseline, PlannedPolicy, PolicyPlan } from '../../../src/model/plan';
import { PortSpec } from '../../../src/model/port';
import { Endpoint } from '../../../src/model/resolved';
import { NormalizedSelector } from '../../../src/model/selector';
import { EndpointOrigin, networkContains, parseNetwork, Probe, selectorMatches } from '../../backends/support/declared-intent';

function selects(selector: NormalizedSelector, labels: Readonly<Record<string, string>>): boolean {
  return selectorMatches({ matchLabels: selector.matchLabels, matchExpressions: selector.matchExpressions }, labels);
}

/** Whether a planned peer (a flow end) holds the endpoint. */
function peerHolds(peer: Endpoint, endpoint: EndpointOrigin): boolean {
  if (peer.kind === 'cidr') {
    // Pods have addresses too: a CIDR holds whatever address lies in it and outside its excepts.
    // Nodes are not part of the inventories this evaluator is used with.
    const addresses = endpoint.kind === 'address' ? [endpoint.address] : endpoint.kind === 'pod' ? endpoint.addresses : [];
    return addresses.some((a) => networkContains(parseNetwork(peer.cidr), a) && !peer.except.some((e) => networkContains(parseNetwork(e), a)));
  }
  // Names, entities and service accounts are not part of the random platforms: never held here.
  if (peer.kind === 'fqdn' || peer.kind === 'entity' || peer.kind === 'service-account') return false;
  if (endpoint.kind !== 'pod' || endpoint.namespace !== peer.namespace) return false;
  switch (peer.kind) {
    case 'workload':
    case 'pods':
      return selects(peer.selector, endpoint.labels);
    case 'namespace':
      return true;
  }
}

function portHolds(port: PortSpec, probe: Probe, destination: EndpointOrigin): boolean {
  if (port.kind === 'all') return true;
  if (port.protocol !== probe.protocol) return false;
  switch (port.kind) {
    case 'protocol':
      return true;
    case 'number':
      return port.port === probe.port;
    case 'range':
      return probe.port >= port.from && probe.port <= port.to;
    case 'named':
      return destination.kind === 'pod' && destination.ports.some((p) => p.name === port.name && p.protocol === probe.protocol && p.port === probe.port);
  }
}

function baselineAllows(baseline: Baseline, direction: 'ingress' | 'egress', subject: EndpointOrigin & { kind: 'pod' }, peer: EndpointOrigin, probe: Probe, destination: EndpointOrigin): boolean {
  switch (baseline.kind) {
    case 'default-deny':
      return false;
    case 'dns-egress':
      return (
        direction === 'egress' && peer.kind === 'pod' && peer.namespace === baseline.dns.namespace && selects(baseline.dns.selector, peer.labels)
        && baseline.dns.ports.some((p) => portHolds(p, probe, destination))
      );
    case 'same-namespace':
      return peer.kind === 'pod' && peer.namespace === subject.namespace;
    case 'intra-tenant':
      return peer.kind === 'pod' && baseline.namespaces.includes(peer.namespace);
  }
}

function policyAllows(policy: PlannedPolicy, subject: EndpointOrigin & { kind: 'pod' }, peer: EndpointOrigin, probe: Probe, destination: EndpointOrigin): boolean {
  if (policy.subject.kind === 'workload' && !selects(policy.subject.workload.selector, subject.labels)) return false;
  return policy.rules.some((rule) => peerHolds(rule.peer, peer) && rule.ports.some((p) => portHolds(p, probe, destination)));
}

/** One direction: the source's egress (peer = destination) or the destination's ingress (peer = source). */
function sideAllows(plan: PolicyPlan, direction: 'ingress' | 'egress', subject: EndpointOrigin, peer: EndpointOrigin, probe: Probe, destination: EndpointOrigin): boolean {
  if (subject.kind !== 'pod') return true;
  const planned = plan.namespaces.find((n) => n.namespace.name === subject.namespace);
  if (!planned) return true;
  return (
    planned.baselines.some((b) => baselineAllows(b, direction, subject, peer, probe, destination))
    || planned.policies.some((p) => p.direction === direction && policyAllows(p, subject, peer, probe, destination))
  );
}

/** Whether the plan allows the connection: the source's egress and the destination's ingress. */
export function planAllows(plan: PolicyPlan, source: EndpointOrigin, destination: EndpointOrigin, probe: Probe): boolean {
  return sideAllows(plan, 'egress', source, destination, probe, destination) && sideAllows(plan, 'ingress', destination, source, probe, destination);
}
