/**
 * Kubernetes NetworkPolicy (networking.k8s.io/v1) as the API server validates and defaults it
 * (https://kubernetes.io/docs/reference/kubernetes-api/networking-resources/network-policy-v1/).
 */
import { isProtocol, Protocol } from '../../../vocabulary/protocol';
import { Cidr, isStrictSubnet, parseCidr } from '../../core/ip-address';
import { LabelSelector } from '../../core/label-selector';
import { isValidPortNumber, portNameProblem } from '../../core/label-syntax';
import { PortEntry } from '../../core/port-entry';
import { Direction, PolicyRef } from '../../dialect';
import { describeValue, isAbsent, isRecord, JsonObject, reportUnknownFields } from '../../manifests/fields';
import { DocumentIssues } from '../../manifests/issues';
import { parseLabelSelector } from '../../manifests/label-selector-field';
import { ManifestSource } from '../../types';

export const NETWORK_POLICY_KIND = 'NetworkPolicy';

/** A `podSelector` and/or `namespaceSelector` peer. Absent selectors are undefined (see peer semantics). */
export interface SelectorPeer {
  readonly kind: 'selector';
  readonly index: number;
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
}

export interface IpBlockPeer {
  readonly kind: 'ipBlock';
  readonly index: number;
  readonly cidrText: string;
  readonly cidr: Cidr;
  readonly except: readonly Cidr[];
  readonly exceptText: readonly string[];
}

export type PolicyPeer = SelectorPeer | IpBlockPeer;

export interface PolicyPort extends PortEntry {
  /** Index in the rule's `ports`. */
  readonly index: number;
}

export interface PolicyRule {
  readonly direction: Direction;
  /** Index in `spec.ingress` / `spec.egress`. */
  readonly index: number;
  /** Undefined when `from`/`to` is empty or omitted: any peer. */
  readonly peers?: readonly PolicyPeer[];
  /** Undefined when `ports` is empty or omitted: any port and protocol. */
  readonly ports?: readonly PolicyPort[];
}

/** A validated NetworkPolicy with `policyTypes` defaulting applied. */
export interface NetworkPolicy extends PolicyRef {
  readonly kind: typeof NETWORK_POLICY_KIND;
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly source: ManifestSource;
  readonly podSelector: LabelSelector;
  /** Undefined when the policy does not apply to ingress; `[]` isolates without allowing anything. */
  readonly ingress?: readonly PolicyRule[];
  readonly egress?: readonly PolicyRule[];
}

const SPEC_FIELDS = new Set(['podSelector', 'policyTypes', 'ingress', 'egress']);
const INGRESS_RULE_FIELDS = new Set(['from', 'ports']);
const EGRESS_RULE_FIELDS = new Set(['to', 'ports']);
const PEER_FIELDS = new Set(['podSelector', 'namespaceSelector', 'ipBlock']);
const IPBLOCK_FIELDS = new Set(['cidr', 'except']);
const PORT_FIELDS = new Set(['protocol', 'port', 'endPort']);

/** Reads an optional list; null and absent mean empty. Returns undefined (after an issue) when it is not a list. */
function optionalList(value: unknown, field: string, issues: DocumentIssues): readonly unknown[] | undefined {
  if (isAbsent(value)) return [];
  if (!Array.isArray(value)) {
    issues.add(field, `must be a list, got ${describeValue(value)}`);
    return undefined;
  }
  return value;
}

/** A null list entry decodes to the zero value in the API server, i.e. an empty object. */
function entryObject(value: unknown, field: string, issues: DocumentIssues): JsonObject | undefined {
  if (isAbsent(value)) return {};
  if (!isRecord(value)) {
    issues.add(field, `must be an object, got ${describeValue(value)}`);
    return undefined;
  }
  return value;
}

function parseIpBlock(value: unknown, index: number, field: string, issues: DocumentIssues): IpBlockPeer | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be an object with cidr and except, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, IPBLOCK_FIELDS, field, issues);
  const cidrText = value.cidr;
  if (typeof cidrText !== 'string' || cidrText === '') {
    issues.add(`${field}.cidr`, isAbsent(cidrText) || cidrText === '' ? 'is required' : `must be a string, got ${describeValue(cidrText)}`);
    return undefined;
  }
  const cidr = parseCidr(cidrText);
  if (!cidr) {
    issues.add(`${field}.cidr`, `invalid CIDR "${cidrText}"`);
  }
  const exceptValues = optionalList(value.except, `${field}.except`, issues);
  if (!exceptValues) return undefined;
  const except: Cidr[] = [];
  const exceptText: string[] = [];
  let valid = cidr !== undefined;
  exceptValues.forEach((item, exceptIndex) => {
    const itemField = `${field}.except[${exceptIndex}]`;
    if (typeof item !== 'string') {
      issues.add(itemField, `must be a CIDR string, got ${describeValue(item)}`);
      valid = false;
      return;
    }
    const parsed = parseCidr(item);
    if (!parsed) {
      issues.add(itemField, `invalid CIDR "${item}"`);
      valid = false;
      return;
    }
    if (cidr && !isStrictSubnet(parsed, cidr)) {
      issues.add(itemField, `"${item}" must be strictly within cidr "${cidrText}" (same family, longer prefix)`);
      valid = false;
      return;
    }
    except.push(parsed);
    exceptText.push(item);
  });
  if (!valid || !cidr) return undefined;
  return { kind: 'ipBlock', index, cidrText, cidr, except, exceptText };
}

function parsePeer(value: unknown, index: number, field: string, issues: DocumentIssues): PolicyPeer | undefined {
  const peer = entryObject(value, field, issues);
  if (!peer) return undefined;
  reportUnknownFields(peer, PEER_FIELDS, field, issues);
  const hasPodSelector = !isAbsent(peer.podSelector);
  const hasNamespaceSelector = !isAbsent(peer.namespaceSelector);
  const hasIpBlock = !isAbsent(peer.ipBlock);
  if (!hasPodSelector && !hasNamespaceSelector && !hasIpBlock) {
    issues.add(field, 'must specify a peer: podSelector, namespaceSelector and/or ipBlock');
    return undefined;
  }
  if (hasIpBlock) {
    if (hasPodSelector || hasNamespaceSelector) {
      issues.add(field, 'ipBlock may not be combined with podSelector or namespaceSelector in the same peer');
      return undefined;
    }
    return parseIpBlock(peer.ipBlock, index, `${field}.ipBlock`, issues);
  }
  const podSelector = hasPodSelector ? parseLabelSelector(peer.podSelector, `${field}.podSelector`, issues) : undefined;
  const namespaceSelector = hasNamespaceSelector ? parseLabelSelector(peer.namespaceSelector, `${field}.namespaceSelector`, issues) : undefined;
  if ((hasPodSelector && !podSelector) || (hasNamespaceSelector && !namespaceSelector)) return undefined;
  return {
    kind: 'selector',
    index,
    ...(podSelector ? { podSelector } : {}),
    ...(namespaceSelector ? { namespaceSelector } : {}),
  };
}

function parsePort(value: unknown, index: number, field: string, issues: DocumentIssues): PolicyPort | undefined {
  const entry = entryObject(value, field, issues);
  if (!entry) return undefined;
  reportUnknownFields(entry, PORT_FIELDS, field, issues);
  let valid = true;
  let protocol: Protocol = 'TCP';
  if (!isAbsent(entry.protocol)) {
    if (isProtocol(entry.protocol)) {
      protocol = entry.protocol;
    } else {
      issues.add(`${field}.protocol`, `must be TCP, UDP or SCTP (uppercase), got ${JSON.stringify(entry.protocol)}`);
      valid = false;
    }
  }
  let port: number | undefined;
  let portName: string | undefined;
  const rawPort = entry.port;
  if (typeof rawPort === 'number') {
    if (isValidPortNumber(rawPort)) {
      port = rawPort;
    } else {
      issues.add(`${field}.port`, `must be an integer between 1 and 65535, got ${rawPort}`);
      valid = false;
    }
  } else if (typeof rawPort === 'string') {
    const problem = portNameProblem(rawPort);
    if (problem) {
      issues.add(`${field}.port`, `invalid named port "${rawPort}": ${problem}`);
      valid = false;
    } else {
      portName = rawPort;
    }
  } else if (!isAbsent(rawPort)) {
    issues.add(`${field}.port`, `must be a port number or a port name, got ${describeValue(rawPort)}`);
    valid = false;
  }
  let endPort: number | undefined;
  if (!isAbsent(entry.endPort)) {
    const rawEnd = entry.endPort;
    if (!isValidPortNumber(rawEnd)) {
      issues.add(`${field}.endPort`, `must be an integer between 1 and 65535, got ${JSON.stringify(rawEnd)}`);
      valid = false;
    } else if (isAbsent(rawPort)) {
      issues.add(`${field}.endPort`, 'may not be specified without port');
      valid = false;
    } else if (typeof rawPort === 'string') {
      issues.add(`${field}.endPort`, 'may not be specified when port is a named port');
      valid = false;
    } else if (port !== undefined && rawEnd < port) {
      issues.add(`${field}.endPort`, `must be greater than or equal to port (${port}), got ${rawEnd}`);
      valid = false;
    } else {
      endPort = rawEnd;
    }
  }
  if (!valid) return undefined;
  return {
    index,
    protocol,
    ...(port !== undefined ? { port } : {}),
    ...(endPort !== undefined ? { endPort } : {}),
    ...(portName !== undefined ? { portName } : {}),
  };
}

function parseRule(value: unknown, direction: Direction, index: number, field: string, issues: DocumentIssues): PolicyRule | undefined {
  const rule = entryObject(value, field, issues);
  if (!rule) return undefined;
  const peersField = direction === 'Ingress' ? 'from' : 'to';
  reportUnknownFields(rule, direction === 'Ingress' ? INGRESS_RULE_FIELDS : EGRESS_RULE_FIELDS, field, issues);
  let valid = true;
  const rawPeers = optionalList(rule[peersField], `${field}.${peersField}`, issues);
  const peers: PolicyPeer[] = [];
  if (!rawPeers) {
    valid = false;
  } else {
    rawPeers.forEach((peer, peerIndex) => {
      const parsed = parsePeer(peer, peerIndex, `${field}.${peersField}[${peerIndex}]`, issues);
      if (parsed) peers.push(parsed); else valid = false;
    });
  }
  const rawPorts = optionalList(rule.ports, `${field}.ports`, issues);
  const ports: PolicyPort[] = [];
  if (!rawPorts) {
    valid = false;
  } else {
    rawPorts.forEach((port, portIndex) => {
      const parsed = parsePort(port, portIndex, `${field}.ports[${portIndex}]`, issues);
      if (parsed) ports.push(parsed); else valid = false;
    });
  }
  if (!valid) return undefined;
  // An empty list and an omitted one decode the same way in the API server: both mean "any".
  return {
    direction,
    index,
    ...(peers.length > 0 ? { peers } : {}),
    ...(ports.length > 0 ? { ports } : {}),
  };
}

function parseRules(value: unknown, direction: Direction, field: string, issues: DocumentIssues): PolicyRule[] | undefined {
  const list = optionalList(value, field, issues);
  if (!list) return undefined;
  const rules: PolicyRule[] = [];
  let valid = true;
  list.forEach((rule, index) => {
    const parsed = parseRule(rule, direction, index, `${field}[${index}]`, issues);
    if (parsed) rules.push(parsed); else valid = false;
  });
  return valid ? rules : undefined;
}

function parsePolicyTypes(value: unknown, issues: DocumentIssues): Direction[] | undefined {
  const list = optionalList(value, 'spec.policyTypes', issues);
  if (!list) return undefined;
  let valid = true;
  if (list.length > 2) {
    issues.add('spec.policyTypes', `may have at most 2 entries, got ${list.length}`);
    valid = false;
  }
  const types: Direction[] = [];
  list.forEach((item, index) => {
    if (item === 'Ingress' || item === 'Egress') {
      types.push(item);
    } else {
      issues.add(`spec.policyTypes[${index}]`, `must be Ingress or Egress, got ${JSON.stringify(item)}`);
      valid = false;
    }
  });
  return valid ? types : undefined;
}

export interface PolicyIdentity {
  readonly namespace: string;
  readonly name: string;
  readonly source: ManifestSource;
}

/**
 * Validates a NetworkPolicy's spec like the API server and applies `policyTypes` defaulting: when absent,
 * Ingress, plus Egress if there are egress rules
 * (https://kubernetes.io/docs/reference/kubernetes-api/networking-resources/network-policy-v1/#NetworkPolicySpec).
 * Returns undefined when anything is invalid, after reporting every problem.
 */
export function parseNetworkPolicy(object: JsonObject, identity: PolicyIdentity, issues: DocumentIssues): NetworkPolicy | undefined {
  const spec = object.spec;
  if (!isRecord(spec)) {
    issues.add('spec', isAbsent(spec) ? 'is required' : `must be an object, got ${describeValue(spec)}`);
    return undefined;
  }
  reportUnknownFields(spec, SPEC_FIELDS, 'spec', issues);
  let podSelector: LabelSelector | undefined;
  if (isAbsent(spec.podSelector)) {
    // The schema marks it required; a missing selector would otherwise silently isolate the whole namespace.
    issues.add('spec.podSelector', 'is required (use {} to select every pod in the namespace)');
  } else {
    podSelector = parseLabelSelector(spec.podSelector, 'spec.podSelector', issues);
  }
  const policyTypes = parsePolicyTypes(spec.policyTypes, issues);
  const ingressRules = parseRules(spec.ingress, 'Ingress', 'spec.ingress', issues);
  const egressRules = parseRules(spec.egress, 'Egress', 'spec.egress', issues);
  if (!podSelector || !policyTypes || !ingressRules || !egressRules) return undefined;

  const effectiveTypes: Direction[] = policyTypes.length > 0
    ? policyTypes
    : (egressRules.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
  return {
    kind: NETWORK_POLICY_KIND,
    key: `${identity.namespace}/${identity.name}`,
    namespace: identity.namespace,
    name: identity.name,
    source: identity.source,
    podSelector,
    ...(effectiveTypes.includes('Ingress') ? { ingress: ingressRules } : {}),
    ...(effectiveTypes.includes('Egress') ? { egress: egressRules } : {}),
  };
}
