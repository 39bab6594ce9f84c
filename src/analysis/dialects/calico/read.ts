/**
 * Reads Calico v3 objects (https://docs.tigera.io/calico/latest/reference/resources/) and reports what the
 * API server (the CRD schemas) or Calico's validator (libcalico-go/lib/validator/v3/validator.go) would
 * refuse. The analyzer refuses to guess a verdict from a rejected object, as for NetworkPolicy.
 */
import {
  Action,
  CalicoNetworkSet,
  CalicoPolicy,
  CalicoRule,
  CalicoTier,
  DEFAULT_TIER,
  EntityRule,
  GLOBAL_NETWORK_SET_KIND,
  GNP_KIND,
  IcmpMatch,
  NETWORK_SET_KIND,
  PortMatch,
  RuleProtocol,
  ServiceAccountMatch,
  STAGED_GNP_KIND,
  STAGED_NP_KIND,
  TierDefaultAction,
} from './model';
import { CalicoSelectorSyntaxError, parseCalicoSelector, SelectorNode, usesGlobal } from './selector';
import { Cidr, parseCidr, parseIpAddress } from '../../core/ip-address';
import { Direction } from '../../dialect';
import { describeValue, isAbsent, isRecord, JsonObject, reportUnknownFields } from '../../manifests/fields';
import { DocumentIssues } from '../../manifests/issues';
import { ObjectIdentity } from '../../manifests/object-kinds';

const NP_SPEC_FIELDS = ['tier', 'order', 'selector', 'serviceAccountSelector', 'types', 'ingress', 'egress', 'performanceHints'];
const GNP_SPEC_FIELDS = [...NP_SPEC_FIELDS, 'namespaceSelector', 'doNotTrack', 'preDNAT', 'applyOnForward'];
const RULE_FIELDS = new Set(['action', 'protocol', 'notProtocol', 'icmp', 'notICMP', 'ipVersion', 'source', 'destination', 'http', 'metadata']);
const ENTITY_FIELDS = new Set(['nets', 'notNets', 'selector', 'notSelector', 'namespaceSelector', 'ports', 'notPorts', 'serviceAccounts', 'services']);
const ACTIONS: readonly Action[] = ['Allow', 'Deny', 'Log', 'Pass'];
const PROTOCOLS = ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite'] as const;
/** Protocols whose rules may name ports (validator.go: TCP, UDP, SCTP; UDPLite also carries ports). */
const PORT_PROTOCOLS: readonly RuleProtocol[] = ['TCP', 'UDP', 'SCTP', 'UDPLite', 6, 17, 132, 136];
/** DNS-1123 label: the name of a GNP, a Tier, or an NP (validator.go). */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAME_LENGTH = 253;

/** Where `global()` may appear: only as the whole of a rule's `namespaceSelector` (docs: selectors). */
type SelectorPlace = 'plain' | 'rule-namespace';

/** Parses one selector field; `''` and absent are `all()`. Reports syntax errors with the position. */
export function readSelector(value: unknown, field: string, issues: DocumentIssues, place: SelectorPlace = 'plain'): SelectorNode | undefined {
  if (typeof value !== 'string') {
    issues.add(field, `must be a selector string, got ${describeValue(value)}`);
    return undefined;
  }
  let node: SelectorNode;
  try {
    node = parseCalicoSelector(value);
  } catch (error) {
    if (error instanceof CalicoSelectorSyntaxError) {
      issues.add(field, `invalid selector ${JSON.stringify(value)}: ${error.message}`);
      return undefined;
    }
    throw error;
  }
  if (usesGlobal(node) && !(place === 'rule-namespace' && node.kind === 'global')) {
    issues.add(field, place === 'rule-namespace'
      ? 'global() must be the only term of a namespaceSelector'
      : 'global() is only valid as the whole namespaceSelector of a rule\'s source or destination');
    return undefined;
  }
  return node;
}

function optionalSelector(value: unknown, field: string, issues: DocumentIssues, place: SelectorPlace = 'plain'): { ok: boolean; node?: SelectorNode } {
  if (isAbsent(value)) return { ok: true };
  const node = readSelector(value, field, issues, place);
  return node ? { ok: true, node } : { ok: false };
}

function readList(value: unknown, field: string, issues: DocumentIssues): readonly unknown[] | undefined {
  if (isAbsent(value)) return [];
  if (!Array.isArray(value)) {
    issues.add(field, `must be a list, got ${describeValue(value)}`);
    return undefined;
  }
  return value;
}

function readCidrs(value: unknown, field: string, issues: DocumentIssues): Cidr[] | undefined {
  const items = readList(value, field, issues);
  if (!items) return undefined;
  const cidrs: Cidr[] = [];
  let valid = true;
  items.forEach((item, index) => {
    // A bare address is a full-length prefix (docs: entity rule `nets`).
    const text = typeof item === 'string' ? (item.includes('/') ? item : `${item}/${item.includes(':') ? 128 : 32}`) : undefined;
    const cidr = text !== undefined ? parseCidr(text) : undefined;
    if (!cidr) {
      issues.add(`${field}[${index}]`, `must be a CIDR or an IP address, got ${describeValue(item)}`);
      valid = false;
      return;
    }
    const address = parseIpAddress(text!.slice(0, text!.indexOf('/')));
    if (address && address.family === cidr.family && address.value !== cidr.first) {
      issues.add(`${field}[${index}]`, `${JSON.stringify(item)} has host bits set; Calico needs a correctly masked CIDR`);
      valid = false;
      return;
    }
    cidrs.push(cidr);
  });
  return valid ? cidrs : undefined;
}

const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function readPorts(value: unknown, field: string, issues: DocumentIssues): PortMatch[] | undefined {
  const items = readList(value, field, issues);
  if (!items) return undefined;
  const ports: PortMatch[] = [];
  let valid = true;
  const validPort = (port: number): boolean => Number.isInteger(port) && port >= 0 && port <= 65535;
  items.forEach((given, index) => {
    const at = `${field}[${index}]`;
    // A port written as a string of digits is the same port as the number.
    const item = typeof given === 'string' && /^\d+$/.test(given) ? Number(given) : given;
    if (typeof item === 'number') {
      if (!validPort(item)) {
        issues.add(at, `must be a port 0-65535, got ${item}`);
        valid = false;
      } else {
        ports.push({ kind: 'range', min: item, max: item });
      }
      return;
    }
    if (typeof item !== 'string') {
      issues.add(at, `must be a port number, a 'min:max' range or a port name, got ${describeValue(item)}`);
      valid = false;
      return;
    }
    const range = /^(\d+):(\d+)$/.exec(item);
    if (range) {
      const min = Number(range[1]);
      const max = Number(range[2]);
      if (!validPort(min) || !validPort(max) || min > max) {
        issues.add(at, `invalid port range ${JSON.stringify(item)} (min and max in 0-65535, min <= max)`);
        valid = false;
      } else {
        ports.push({ kind: 'range', min, max });
      }
      return;
    }
    if (item.length > 15 || !PORT_NAME.test(item)) {
      issues.add(at, `invalid port name ${JSON.stringify(item)} (1-15 lowercase alphanumerics and '-')`);
      valid = false;
      return;
    }
    ports.push({ kind: 'named', name: item });
  });
  return valid ? ports : undefined;
}

function readProtocol(value: unknown, field: string, issues: DocumentIssues): { ok: boolean; protocol?: RuleProtocol } {
  if (isAbsent(value)) return { ok: true };
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) {
    const number = Number(value);
    if (Number.isInteger(number) && number >= 1 && number <= 255) return { ok: true, protocol: number };
  }
  const named = PROTOCOLS.find((protocol) => protocol === value);
  if (named) return { ok: true, protocol: named };
  issues.add(field, `must be one of ${PROTOCOLS.join(', ')} or a number 1-255, got ${describeValue(value)}`);
  return { ok: false };
}

function readIcmp(value: unknown, field: string, issues: DocumentIssues): { ok: boolean; icmp?: IcmpMatch } {
  if (isAbsent(value)) return { ok: true };
  if (!isRecord(value)) {
    issues.add(field, `must be an object with type and code, got ${describeValue(value)}`);
    return { ok: false };
  }
  reportUnknownFields(value, new Set(['type', 'code']), field, issues);
  let ok = true;
  const number = (key: 'type' | 'code', max: number): number | undefined => {
    const item = value[key];
    if (isAbsent(item)) return undefined;
    if (typeof item !== 'number' || !Number.isInteger(item) || item < 0 || item > max) {
      issues.add(`${field}.${key}`, `must be an integer 0-${max}, got ${describeValue(item)}`);
      ok = false;
      return undefined;
    }
    return item;
  };
  const type = number('type', 254);
  const code = number('code', 255);
  if (code !== undefined && isAbsent(value.type)) {
    issues.add(`${field}.code`, 'ICMP code specified without an ICMP type');
    ok = false;
  }
  return ok ? { ok, icmp: { ...(type !== undefined ? { type } : {}), ...(code !== undefined ? { code } : {}) } } : { ok };
}

function readServiceAccounts(value: unknown, field: string, issues: DocumentIssues): { ok: boolean; match?: ServiceAccountMatch } {
  if (isAbsent(value)) return { ok: true };
  if (!isRecord(value)) {
    issues.add(field, `must be an object with names and/or selector, got ${describeValue(value)}`);
    return { ok: false };
  }
  reportUnknownFields(value, new Set(['names', 'selector']), field, issues);
  const names = readList(value.names, `${field}.names`, issues);
  let ok = names !== undefined;
  names?.forEach((name, index) => {
    if (typeof name !== 'string' || name === '') {
      issues.add(`${field}.names[${index}]`, `must be a service account name, got ${describeValue(name)}`);
      ok = false;
    }
  });
  const selector = optionalSelector(value.selector, `${field}.selector`, issues);
  if (!ok || !selector.ok) return { ok: false };
  const match: ServiceAccountMatch = {
    ...(names && names.length > 0 ? { names: names as string[] } : {}),
    ...(selector.node ? { selector: selector.node } : {}),
  };
  return { ok: true, match };
}

function readEntity(value: unknown, field: string, issues: DocumentIssues): EntityRule | undefined {
  if (isAbsent(value)) return {};
  if (!isRecord(value)) {
    issues.add(field, `must be an object, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, ENTITY_FIELDS, field, issues);
  const nets = isAbsent(value.nets) ? [] : readCidrs(value.nets, `${field}.nets`, issues);
  const notNets = isAbsent(value.notNets) ? [] : readCidrs(value.notNets, `${field}.notNets`, issues);
  const selector = optionalSelector(value.selector, `${field}.selector`, issues);
  const notSelector = optionalSelector(value.notSelector, `${field}.notSelector`, issues);
  const namespaceSelector = optionalSelector(value.namespaceSelector, `${field}.namespaceSelector`, issues, 'rule-namespace');
  const ports = isAbsent(value.ports) ? [] : readPorts(value.ports, `${field}.ports`, issues);
  const notPorts = isAbsent(value.notPorts) ? [] : readPorts(value.notPorts, `${field}.notPorts`, issues);
  const serviceAccounts = readServiceAccounts(value.serviceAccounts, `${field}.serviceAccounts`, issues);
  let services: EntityRule['services'];
  let servicesOk = true;
  if (!isAbsent(value.services)) {
    const raw = value.services;
    if (!isRecord(raw) || typeof raw.name !== 'string' || raw.name === '' || !(isAbsent(raw.namespace) || typeof raw.namespace === 'string')) {
      issues.add(`${field}.services`, `must be {name, namespace?} with a non-empty name, got ${describeValue(raw)}`);
      servicesOk = false;
    } else {
      reportUnknownFields(raw, new Set(['name', 'namespace']), `${field}.services`, issues);
      services = { name: raw.name, ...(typeof raw.namespace === 'string' && raw.namespace !== '' ? { namespace: raw.namespace } : {}) };
    }
  }
  if (!nets || !notNets || !ports || !notPorts) return undefined;
  if (!selector.ok || !notSelector.ok || !namespaceSelector.ok || !serviceAccounts.ok || !servicesOk) return undefined;
  return {
    ...(nets.length > 0 ? { nets } : {}),
    ...(notNets.length > 0 ? { notNets } : {}),
    ...(selector.node ? { selector: selector.node } : {}),
    ...(notSelector.node ? { notSelector: notSelector.node } : {}),
    ...(namespaceSelector.node ? { namespaceSelector: namespaceSelector.node } : {}),
    ...(ports.length > 0 ? { ports } : {}),
    ...(notPorts.length > 0 ? { notPorts } : {}),
    ...(serviceAccounts.match ? { serviceAccounts: serviceAccounts.match } : {}),
    ...(services ? { services } : {}),
  };
}

/**
 * A GlobalNetworkPolicy's `services` must name their namespace: a global policy has none to default to
 * (libcalico-go validator.go validateGlobalNetworkPolicySpec, "must specify a namespace").
 */
function servicesHaveNamespaces(
  ingress: readonly CalicoRule[] | undefined, egress: readonly CalicoRule[] | undefined, issues: DocumentIssues,
): boolean {
  let ok = true;
  for (const [rules, list] of [[ingress, 'ingress'], [egress, 'egress']] as const) {
    (rules ?? []).forEach((rule, index) => {
      for (const side of ['source', 'destination'] as const) {
        if (rule[side].services && rule[side].services.namespace === undefined) {
          issues.add(`spec.${list}[${index}].${side}.services.namespace`,
            'is required in a GlobalNetworkPolicy (it has no namespace to default to); name the Service\'s namespace');
          ok = false;
        }
      }
    });
  }
  return ok;
}

function hasPorts(entity: EntityRule): boolean {
  return entity.ports !== undefined || entity.notPorts !== undefined;
}

function readRule(value: unknown, direction: Direction, field: string, issues: DocumentIssues): CalicoRule | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be an object, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, RULE_FIELDS, field, issues);
  let ok = true;
  const action = ACTIONS.find((candidate) => candidate === value.action);
  if (!action) {
    issues.add(`${field}.action`, isAbsent(value.action) ? `is required (one of ${ACTIONS.join(', ')})` : `must be one of ${ACTIONS.join(', ')}, got ${describeValue(value.action)}`);
    ok = false;
  }
  const protocol = readProtocol(value.protocol, `${field}.protocol`, issues);
  const notProtocol = readProtocol(value.notProtocol, `${field}.notProtocol`, issues);
  const icmp = readIcmp(value.icmp, `${field}.icmp`, issues);
  const notICMP = readIcmp(value.notICMP, `${field}.notICMP`, issues);
  let ipVersion: 4 | 6 | undefined;
  if (!isAbsent(value.ipVersion)) {
    if (value.ipVersion === 4 || value.ipVersion === 6) {
      ipVersion = value.ipVersion;
    } else {
      issues.add(`${field}.ipVersion`, `must be 4 or 6, got ${describeValue(value.ipVersion)}`);
      ok = false;
    }
  }
  const source = readEntity(value.source, `${field}.source`, issues);
  const destination = readEntity(value.destination, `${field}.destination`, issues);
  if (!ok || !action || !protocol.ok || !notProtocol.ok || !icmp.ok || !notICMP.ok || !source || !destination) return undefined;

  // Cross-field checks (validator.go validateRule).
  let valid = true;
  const problem = (at: string, message: string): void => {
    issues.add(at, message);
    valid = false;
  };
  for (const [side, entity] of [['source', source], ['destination', destination]] as const) {
    if (hasPorts(entity) && (protocol.protocol === undefined || !PORT_PROTOCOLS.includes(protocol.protocol))) {
      problem(`${field}.${side}`, 'ports and notPorts need protocol TCP, UDP or SCTP on the rule');
    }
    const families = new Set([...(entity.nets ?? []), ...(entity.notNets ?? [])].map((cidr) => cidr.family));
    if (families.size > 1) problem(`${field}.${side}`, 'nets and notNets cannot mix IPv4 and IPv6 in one rule');
    if (ipVersion !== undefined && families.size === 1 && !families.has(ipVersion)) problem(`${field}.${side}`, `the CIDRs are not IPv${ipVersion} (ipVersion ${ipVersion})`);
    if (entity.services) {
      if (direction === 'Egress' && side === 'source') problem(`${field}.source.services`, 'egress rules cannot match a source service');
      if (direction === 'Ingress' && side === 'destination') problem(`${field}.destination.services`, 'ingress rules cannot match a destination service');
      const others = direction === 'Egress'
        ? (['selector', 'notSelector', 'namespaceSelector', 'serviceAccounts', 'nets', 'notNets', 'ports', 'notPorts'] as const)
        : (['selector', 'notSelector', 'namespaceSelector', 'serviceAccounts', 'nets', 'notNets'] as const);
      const clash = others.filter((key) => entity[key] !== undefined);
      if (clash.length > 0) problem(`${field}.${side}.services`, `cannot be combined with ${clash.join(', ')}`);
    }
  }
  for (const [key, match] of [['icmp', icmp.icmp], ['notICMP', notICMP.icmp]] as const) {
    if (match && protocol.protocol !== 'ICMP' && protocol.protocol !== 'ICMPv6' && protocol.protocol !== 1 && protocol.protocol !== 58) {
      problem(`${field}.${key}`, 'needs protocol ICMP or ICMPv6');
    }
  }
  if (ipVersion === 4 && (protocol.protocol === 'ICMPv6' || protocol.protocol === 58)) problem(`${field}.ipVersion`, 'ICMPv6 needs ipVersion 6');
  if (ipVersion === 6 && (protocol.protocol === 'ICMP' || protocol.protocol === 1)) problem(`${field}.ipVersion`, 'ICMP needs ipVersion 4');
  const hasHttp = !isAbsent(value.http);
  if (hasHttp && (direction !== 'Ingress' || action !== 'Allow')) problem(`${field}.http`, 'HTTP match is only valid on ingress Allow rules');
  if (!valid) return undefined;
  return {
    action,
    ...(protocol.protocol !== undefined ? { protocol: protocol.protocol } : {}),
    ...(notProtocol.protocol !== undefined ? { notProtocol: notProtocol.protocol } : {}),
    ...(icmp.icmp ? { icmp: icmp.icmp } : {}),
    ...(notICMP.icmp ? { notICMP: notICMP.icmp } : {}),
    ...(ipVersion !== undefined ? { ipVersion } : {}),
    source,
    destination,
    hasHttp,
  };
}

function readRules(value: unknown, direction: Direction, field: string, issues: DocumentIssues): CalicoRule[] | undefined {
  const items = readList(value, field, issues);
  if (!items) return undefined;
  const rules: CalicoRule[] = [];
  let valid = true;
  items.forEach((item, index) => {
    const rule = readRule(item, direction, `${field}[${index}]`, issues);
    if (rule) rules.push(rule); else valid = false;
  });
  return valid ? rules : undefined;
}

/** `types` as Calico defaults it: Egress alone when there are only egress rules, else Ingress (plus Egress with egress rules). */
export function defaultTypes(hasIngress: boolean, hasEgress: boolean): Set<Direction> {
  if (hasEgress && !hasIngress) return new Set(['Egress']);
  return new Set(hasEgress ? ['Ingress', 'Egress'] : ['Ingress']);
}

function readTypes(
  value: unknown, ingress: readonly CalicoRule[], egress: readonly CalicoRule[], issues: DocumentIssues,
): Set<Direction> | undefined {
  if (isAbsent(value) || (Array.isArray(value) && value.length === 0)) return defaultTypes(ingress.length > 0, egress.length > 0);
  if (!Array.isArray(value)) {
    issues.add('spec.types', `must be a list of Ingress and/or Egress, got ${describeValue(value)}`);
    return undefined;
  }
  const types = new Set<Direction>();
  let valid = true;
  value.forEach((item, index) => {
    if (item !== 'Ingress' && item !== 'Egress') {
      issues.add(`spec.types[${index}]`, `must be Ingress or Egress, got ${describeValue(item)}`);
      valid = false;
    } else if (types.has(item)) {
      issues.add(`spec.types[${index}]`, `duplicate type ${item}`);
      valid = false;
    } else {
      types.add(item);
    }
  });
  if (valid && ingress.length > 0 && !types.has('Ingress')) issues.add('spec.ingress', 'ingress rules need Ingress in types');
  if (valid && egress.length > 0 && !types.has('Egress')) issues.add('spec.egress', 'egress rules need Egress in types');
  if ((ingress.length > 0 && !types.has('Ingress')) || (egress.length > 0 && !types.has('Egress'))) valid = false;
  return valid ? types : undefined;
}

function readBoolean(value: unknown, field: string, issues: DocumentIssues): boolean | undefined {
  if (isAbsent(value)) return false;
  if (typeof value !== 'boolean') {
    issues.add(field, `must be true or false, got ${describeValue(value)}`);
    return undefined;
  }
  return value;
}

function checkName(name: string, kind: string, issues: DocumentIssues): boolean {
  // Before v3.32 a policy outside the default tier had to be named `<tier>.<name>`; from v3.32 any DNS-1123
  // label will do (projectcalico/calico#11232). We accept the dotted form as older releases wrote it.
  const parts = name.split('.');
  if (name.length > MAX_NAME_LENGTH || !parts.every((part) => DNS1123_LABEL.test(part))) {
    issues.add('metadata.name', `${kind} name ${JSON.stringify(name)} must be a DNS-1123 label (lowercase alphanumerics and '-'), optionally tier-prefixed`);
    return false;
  }
  return true;
}

/** Reads a NetworkPolicy, GlobalNetworkPolicy or their staged forms. */
export function readCalicoPolicy(object: JsonObject, identity: ObjectIdentity, issues: DocumentIssues): CalicoPolicy | undefined {
  const spec = isAbsent(object.spec) ? {} : object.spec;
  if (!isRecord(spec)) {
    issues.add('spec', `must be an object, got ${describeValue(spec)}`);
    return undefined;
  }
  const global = identity.kind === GNP_KIND || identity.kind === STAGED_GNP_KIND;
  const staged = identity.kind === STAGED_NP_KIND || identity.kind === STAGED_GNP_KIND;
  const fields = new Set([...(global ? GNP_SPEC_FIELDS : NP_SPEC_FIELDS), ...(staged ? ['stagedAction'] : [])]);
  reportUnknownFields(spec, fields, 'spec', issues);
  let ok = checkName(identity.name, identity.kind, issues);

  let tier = DEFAULT_TIER;
  if (!isAbsent(spec.tier) && spec.tier !== '') {
    if (typeof spec.tier !== 'string' || !DNS1123_LABEL.test(spec.tier)) {
      issues.add('spec.tier', `must be a tier name (a DNS-1123 label), got ${describeValue(spec.tier)}`);
      ok = false;
    } else {
      tier = spec.tier;
    }
  }
  let order: number | undefined;
  if (!isAbsent(spec.order)) {
    if (typeof spec.order !== 'number' || !Number.isFinite(spec.order)) {
      issues.add('spec.order', `must be a number, got ${describeValue(spec.order)}`);
      ok = false;
    } else {
      order = spec.order;
    }
  }
  if (staged && !isAbsent(spec.stagedAction) && !['Set', 'Delete', 'Learn', 'Ignore'].includes(spec.stagedAction as string)) {
    issues.add('spec.stagedAction', `must be one of Set, Delete, Learn, Ignore, got ${describeValue(spec.stagedAction)}`);
    ok = false;
  }
  const selector = isAbsent(spec.selector) ? { kind: 'all' as const } : readSelector(spec.selector, 'spec.selector', issues);
  const serviceAccountSelector = isAbsent(spec.serviceAccountSelector) ? { kind: 'all' as const } : readSelector(spec.serviceAccountSelector, 'spec.serviceAccountSelector', issues);
  const namespaceSelector = global ? optionalSelector(spec.namespaceSelector, 'spec.namespaceSelector', issues) : { ok: true };
  const ingress = readRules(spec.ingress, 'Ingress', 'spec.ingress', issues);
  const egress = readRules(spec.egress, 'Egress', 'spec.egress', issues);
  if (global && !servicesHaveNamespaces(ingress, egress, issues)) return undefined;
  const doNotTrack = global ? readBoolean(spec.doNotTrack, 'spec.doNotTrack', issues) : false;
  const preDNAT = global ? readBoolean(spec.preDNAT, 'spec.preDNAT', issues) : false;
  const applyOnForward = global ? readBoolean(spec.applyOnForward, 'spec.applyOnForward', issues) : false;
  if (!selector || !serviceAccountSelector || !namespaceSelector.ok || !ingress || !egress) return undefined;
  if (doNotTrack === undefined || preDNAT === undefined || applyOnForward === undefined) return undefined;
  const types = readTypes(spec.types, ingress, egress, issues);
  if (!types) return undefined;
  // Host-endpoint options (validator.go validateGlobalNetworkPolicySpec).
  if (doNotTrack && preDNAT) { issues.add('spec', 'doNotTrack and preDNAT cannot both be true'); ok = false; }
  if ((doNotTrack || preDNAT) && !applyOnForward) { issues.add('spec.applyOnForward', `must be true when ${doNotTrack ? 'doNotTrack' : 'preDNAT'} is true`); ok = false; }
  if (preDNAT && (egress.length > 0 || types.has('Egress'))) { issues.add('spec.egress', 'preDNAT policies cannot have egress rules or the Egress type'); ok = false; }
  if (!ok) return undefined;
  const key = identity.namespace !== undefined ? `${identity.namespace}/${identity.name}` : identity.name;
  return {
    ref: { kind: identity.kind, ...(identity.namespace !== undefined ? { namespace: identity.namespace } : {}), name: identity.name, key },
    ...(identity.namespace !== undefined ? { namespace: identity.namespace } : {}),
    staged,
    fromKubernetes: false,
    tier,
    ...(order !== undefined ? { order } : {}),
    selector,
    serviceAccountSelector,
    ...(namespaceSelector.node ? { namespaceSelector: namespaceSelector.node } : {}),
    types,
    ingress,
    egress,
    doNotTrack,
    preDNAT,
    applyOnForward,
  };
}

/** Reads a Tier: `order` (absent: last) and `defaultAction` (Deny or Pass, default Deny). */
export function readTier(object: JsonObject, identity: ObjectIdentity, issues: DocumentIssues): CalicoTier | undefined {
  const spec = isAbsent(object.spec) ? {} : object.spec;
  if (!isRecord(spec)) {
    issues.add('spec', `must be an object, got ${describeValue(spec)}`);
    return undefined;
  }
  reportUnknownFields(spec, new Set(['order', 'defaultAction']), 'spec', issues);
  let ok = true;
  if (!DNS1123_LABEL.test(identity.name)) {
    issues.add('metadata.name', `Tier name ${JSON.stringify(identity.name)} must be a DNS-1123 label`);
    ok = false;
  }
  let order: number | undefined;
  if (!isAbsent(spec.order)) {
    if (typeof spec.order !== 'number' || !Number.isFinite(spec.order)) {
      issues.add('spec.order', `must be a number, got ${describeValue(spec.order)}`);
      ok = false;
    } else {
      order = spec.order;
    }
  }
  let defaultAction: TierDefaultAction = 'Deny';
  if (!isAbsent(spec.defaultAction)) {
    if (spec.defaultAction !== 'Deny' && spec.defaultAction !== 'Pass') {
      issues.add('spec.defaultAction', `must be Deny or Pass, got ${describeValue(spec.defaultAction)}`);
      ok = false;
    } else {
      defaultAction = spec.defaultAction;
    }
  }
  if (!ok) return undefined;
  return { name: identity.name, ...(order !== undefined ? { order } : {}), defaultAction };
}

/** Reads a NetworkSet or GlobalNetworkSet: its labels (from metadata) and `spec.nets`. */
export function readNetworkSet(object: JsonObject, identity: ObjectIdentity, issues: DocumentIssues): CalicoNetworkSet | undefined {
  const spec = isAbsent(object.spec) ? {} : object.spec;
  if (!isRecord(spec)) {
    issues.add('spec', `must be an object, got ${describeValue(spec)}`);
    return undefined;
  }
  // `allowedEgressDomains` is Calico Enterprise; it is read but has no effect here.
  reportUnknownFields(spec, new Set(['nets', 'allowedEgressDomains']), 'spec', issues);
  const nets = isAbsent(spec.nets) ? [] : readCidrs(spec.nets, 'spec.nets', issues);
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const labels = new Map<string, string>();
  if (isRecord(metadata.labels)) {
    for (const [key, value] of Object.entries(metadata.labels)) if (typeof value === 'string') labels.set(key, value);
  }
  if (!nets) return undefined;
  const kind = identity.kind === NETWORK_SET_KIND ? NETWORK_SET_KIND : GLOBAL_NETWORK_SET_KIND;
  return { kind, ...(identity.namespace !== undefined ? { namespace: identity.namespace } : {}), name: identity.name, labels, nets };
}
