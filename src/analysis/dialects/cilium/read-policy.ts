/**
 * Reads CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy objects (`spec` and/or `specs`) and reports
 * what the API server (the CRD schema) or the Cilium agent (github.com/cilium/cilium
 * `pkg/policy/api/rule_validation.go` Rule.Validate; a rejected policy is never enforced) would refuse.
 * The analyzer refuses to guess a verdict from such a policy, as it does for NetworkPolicy.
 */
import {
  CCNP_KIND,
  CiliumPolicy,
  CiliumRule,
  CNP_KIND,
  ENTITIES,
  EntityName,
  HttpRuleSpec,
  IcmpFieldSpec,
  L7Spec,
  NamePattern,
  PeerSpec,
  PortProtocolSpec,
  PortRuleSpec,
  RuleEntry,
  RuleListField,
} from './model';
import { fullMatchRegex, MATCH_NAME_SYNTAX, MATCH_PATTERN_CHARS, MATCH_PATTERN_SYNTAX, matchNameRegex, matchPatternRegex, MAX_FQDN_LENGTH } from './patterns';
import { isWildcardPort, parseIcmps, parsePortProtocol } from './ports';
import { CiliumSelector, parseCiliumSelector } from './selectors';
import { Cidr, cidrContainsAddress, parseCidr } from '../../core/ip-address';
import { LabelSelector } from '../../core/label-selector';
import { dns1123SubdomainProblem } from '../../core/label-syntax';
import { Direction } from '../../dialect';
import { describeValue, isAbsent, isRecord, JsonObject, reportUnknownFields } from '../../manifests/fields';
import { DocumentIssues } from '../../manifests/issues';
import { parseLabelSelector } from '../../manifests/label-selector-field';
import { ObjectIdentity } from '../../manifests/object-kinds';

const RULE_FIELDS = new Set(['endpointSelector', 'nodeSelector', 'ingress', 'ingressDeny', 'egress', 'egressDeny', 'enableDefaultDeny', 'labels', 'description', 'log']);
const INGRESS_PEERS = ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'fromNodes', 'fromGroups'] as const;
const EGRESS_PEERS = ['toEndpoints', 'toCIDR', 'toCIDRSet', 'toEntities', 'toNodes', 'toGroups', 'toServices'] as const;
const MAX_PORTS = 40;

const ENTRY_FIELDS: Readonly<Record<RuleListField, ReadonlySet<string>>> = {
  ingress: new Set([...INGRESS_PEERS, 'fromRequires', 'toPorts', 'icmps', 'authentication']),
  ingressDeny: new Set([...INGRESS_PEERS, 'fromRequires', 'toPorts', 'icmps']),
  egress: new Set([...EGRESS_PEERS, 'toFQDNs', 'toRequires', 'toPorts', 'icmps', 'authentication']),
  egressDeny: new Set([...EGRESS_PEERS, 'toRequires', 'toPorts', 'icmps']),
};

/** Context of one rule being read. */
interface RuleContext {
  readonly issues: DocumentIssues;
  /** The policy's namespace; undefined for a CCNP. */
  readonly namespace?: string;
  /** A host policy (`nodeSelector`): L7 rules only for DNS on egress. */
  readonly hostPolicy: boolean;
}

function list(value: unknown, field: string, issues: DocumentIssues): readonly unknown[] | undefined {
  if (!Array.isArray(value)) {
    issues.add(field, `must be a list, got ${describeValue(value)}`);
    return undefined;
  }
  return value;
}

function stringList(value: unknown, field: string, issues: DocumentIssues): string[] | undefined {
  const items = list(value, field, issues);
  if (!items) return undefined;
  let valid = true;
  items.forEach((item, index) => {
    if (typeof item !== 'string') {
      issues.add(`${field}[${index}]`, `must be a string, got ${describeValue(item)}`);
      valid = false;
    }
  });
  return valid ? (items as string[]) : undefined;
}

/** The CRD pattern of `serverNames` entries: an optional `*.` or `**.` prefix, then DNS labels. */
const SERVER_NAME_SYNTAX = /^(\*?\*\.)?([-a-zA-Z0-9_]+\.?)+$/;

function parseCidrSetEntry(value: unknown, field: string, peersField: string, index: number, issues: DocumentIssues): PeerSpec | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be an object with cidr, cidrGroupRef or cidrGroupSelector, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, new Set(['cidr', 'cidrGroupRef', 'cidrGroupSelector', 'except']), field, issues);
  const given = ['cidr', 'cidrGroupRef', 'cidrGroupSelector'].filter((key) => !isAbsent(value[key]) && value[key] !== '');
  if (given.length !== 1) {
    issues.add(field, given.length === 0 ? 'one of cidr, cidrGroupRef, or cidrGroupSelector is required' : `more than one of cidr, cidrGroupRef, or cidrGroupSelector may not be set (got ${given.join(', ')})`);
    return undefined;
  }
  let valid = true;
  const exceptTexts = isAbsent(value.except) ? [] : stringList(value.except, `${field}.except`, issues);
  const except: Cidr[] = [];
  if (!exceptTexts) {
    valid = false;
  } else {
    exceptTexts.forEach((text, exceptIndex) => {
      const cidr = parseCidr(text);
      if (!cidr) {
        issues.add(`${field}.except[${exceptIndex}]`, `invalid CIDR ${JSON.stringify(text)}`);
        valid = false;
      } else {
        except.push(cidr);
      }
    });
  }
  if (given[0] === 'cidr') {
    const text = value.cidr;
    const cidr = typeof text === 'string' && text.includes('/') ? parseCidr(text) : undefined;
    if (!cidr) {
      issues.add(`${field}.cidr`, `must be a CIDR (address/prefix), got ${describeValue(text)}`);
      return undefined;
    }
    exceptTexts?.forEach((exceptText, exceptIndex) => {
      const exceptCidr = except[exceptIndex];
      // Only the except prefix's address must lie inside the CIDR (CIDRRule.Validate); an equal prefix is fine.
      if (exceptCidr && !cidrContainsAddress(cidr, { family: exceptCidr.family, value: exceptCidr.first })) {
        issues.add(`${field}.except[${exceptIndex}]`, `allow CIDR prefix ${text as string} does not contain exclude CIDR prefix ${exceptText}`);
        valid = false;
      }
    });
    if (!valid) return undefined;
    const exceptSuffix = exceptTexts && exceptTexts.length > 0 ? ` except ${exceptTexts.join(', ')}` : '';
    return { kind: 'cidr', field: peersField, index, text: `${text as string}${exceptSuffix}`, block: { cidr, except } };
  }
  if (given[0] === 'cidrGroupRef') {
    const name = value.cidrGroupRef;
    const problem = typeof name === 'string' ? dns1123SubdomainProblem(name) : `must be a string, got ${describeValue(name)}`;
    if (problem) {
      issues.add(`${field}.cidrGroupRef`, problem);
      return undefined;
    }
    if (!valid) return undefined;
    return { kind: 'cidrGroup', field: peersField, index, text: `CiliumCIDRGroup ${name as string}`, groupName: name as string, except };
  }
  // CIDR groups are selected by their Kubernetes labels, without label sources (ValidateAsK8sLabelSelector).
  const selector: LabelSelector | undefined = parseLabelSelector(value.cidrGroupSelector, `${field}.cidrGroupSelector`, issues);
  if (!selector || !valid) return undefined;
  return { kind: 'cidrGroup', field: peersField, index, text: 'CiliumCIDRGroups by selector', groupSelector: selector, except };
}

function parseNamePattern(value: unknown, index: number, field: string, issues: DocumentIssues): NamePattern | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be an object with matchName or matchPattern, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, new Set(['matchName', 'matchPattern']), field, issues);
  const hasName = !isAbsent(value.matchName);
  const hasPattern = !isAbsent(value.matchPattern);
  if (hasName === hasPattern) {
    issues.add(field, hasName ? 'must set only one of matchName and matchPattern' : 'must set matchName or matchPattern');
    return undefined;
  }
  const key = hasName ? 'matchName' : 'matchPattern';
  const text = value[key];
  if (typeof text !== 'string' || text.length > MAX_FQDN_LENGTH || !(hasName ? MATCH_NAME_SYNTAX : MATCH_PATTERN_SYNTAX).test(text)
    || (!hasName && !MATCH_PATTERN_CHARS.test(text))) {
    issues.add(`${field}.${key}`, `must be a DNS ${hasName ? 'name' : 'pattern'} of letters, digits, '-', '_', '.'${hasName ? '' : " and '*'"}, at most ${MAX_FQDN_LENGTH} characters; got ${describeValue(text)}`);
    return undefined;
  }
  return { index, text: `${key} ${text}`, regex: hasName ? matchNameRegex(text) : matchPatternRegex(text) };
}

function parseService(value: unknown, index: number, field: string, issues: DocumentIssues): PeerSpec | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be an object with k8sService or k8sServiceSelector, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, new Set(['k8sService', 'k8sServiceSelector']), field, issues);
  const byName = value.k8sService;
  const bySelector = value.k8sServiceSelector;
  let serviceName: string | undefined;
  let namespace: string | undefined;
  let serviceSelector: LabelSelector | undefined;
  let valid = true;
  const readText = (object: JsonObject, key: string, objectField: string): string | undefined => {
    const text = object[key];
    if (isAbsent(text) || text === '') return undefined;
    if (typeof text !== 'string') {
      issues.add(`${objectField}.${key}`, `must be a string, got ${describeValue(text)}`);
      valid = false;
      return undefined;
    }
    return text;
  };
  if (!isAbsent(byName)) {
    if (!isRecord(byName)) {
      issues.add(`${field}.k8sService`, `must be an object with serviceName and namespace, got ${describeValue(byName)}`);
      return undefined;
    }
    reportUnknownFields(byName, new Set(['serviceName', 'namespace']), `${field}.k8sService`, issues);
    serviceName = readText(byName, 'serviceName', `${field}.k8sService`);
    namespace = readText(byName, 'namespace', `${field}.k8sService`);
  }
  if (!isAbsent(bySelector)) {
    if (!isRecord(bySelector)) {
      issues.add(`${field}.k8sServiceSelector`, `must be an object with selector and namespace, got ${describeValue(bySelector)}`);
      return undefined;
    }
    reportUnknownFields(bySelector, new Set(['selector', 'namespace']), `${field}.k8sServiceSelector`, issues);
    if (isAbsent(bySelector.selector)) {
      issues.add(`${field}.k8sServiceSelector.selector`, 'is required');
      valid = false;
    } else {
      serviceSelector = parseLabelSelector(bySelector.selector, `${field}.k8sServiceSelector.selector`, issues);
      if (!serviceSelector) valid = false;
    }
    namespace = readText(bySelector, 'namespace', `${field}.k8sServiceSelector`) ?? namespace;
  }
  if (!valid) return undefined;
  const text = serviceName !== undefined ? `Service ${namespace ?? '?'}/${serviceName}` : `Services by selector${namespace !== undefined ? ` in ${namespace}` : ''}`;
  return {
    kind: 'service',
    field: 'toServices',
    index,
    text,
    ...(serviceName !== undefined ? { serviceName } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(serviceSelector ? { serviceSelector } : {}),
  };
}

/** Reads the peer fields of one rule element; undefined peers = none given (L3 wildcard). */
function parsePeers(
  entry: JsonObject,
  entryField: string,
  direction: Direction,
  deny: boolean,
  context: RuleContext,
): { peers?: PeerSpec[]; valid: boolean } {
  const { issues } = context;
  const peerFields = direction === 'Ingress' ? [...INGRESS_PEERS] : [...EGRESS_PEERS, ...(deny ? [] : ['toFQDNs'])];
  let given = false;
  let valid = true;
  const nonEmpty: string[] = [];
  const peers: PeerSpec[] = [];
  for (const peersField of peerFields) {
    const raw = entry[peersField];
    if (isAbsent(raw)) continue;
    const field = `${entryField}.${peersField}`;
    const items = list(raw, field, issues);
    if (!items) {
      valid = false;
      continue;
    }
    given = true;
    if (items.length > 0) nonEmpty.push(peersField);
    items.forEach((item, index) => {
      const itemField = `${field}[${index}]`;
      switch (peersField) {
        case 'fromEndpoints':
        case 'toEndpoints':
        case 'fromNodes':
        case 'toNodes': {
          const selector = parseCiliumSelector(item, itemField, issues);
          if (!selector) {
            valid = false;
            return;
          }
          peers.push({ kind: peersField.endsWith('Nodes') ? 'nodes' : 'endpoints', field: peersField, index, selector });
          return;
        }
        case 'fromEntities':
        case 'toEntities':
          if (typeof item !== 'string' || !(ENTITIES as readonly string[]).includes(item)) {
            issues.add(itemField, `unsupported entity ${describeValue(item)}; one of ${ENTITIES.join(', ')}`);
            valid = false;
            return;
          }
          peers.push({ kind: 'entity', field: peersField, index, entity: item as EntityName });
          return;
        case 'fromCIDR':
        case 'toCIDR': {
          // The agent would take a bare IP (api.CIDR.Validate), but the CRD declares format "cidr": address/prefix.
          const cidr = typeof item === 'string' && item.includes('/') ? parseCidr(item) : undefined;
          if (!cidr) {
            issues.add(itemField, `must be a CIDR (address/prefix; write a single address as /32 or /128), got ${describeValue(item)}`);
            valid = false;
            return;
          }
          peers.push({ kind: 'cidr', field: peersField, index, text: item as string, block: { cidr, except: [] } });
          return;
        }
        case 'fromCIDRSet':
        case 'toCIDRSet': {
          const peer = parseCidrSetEntry(item, itemField, peersField, index, issues);
          if (peer) peers.push(peer); else valid = false;
          return;
        }
        case 'toFQDNs': {
          const pattern = parseNamePattern(item, index, itemField, issues);
          if (pattern) peers.push({ kind: 'fqdn', field: peersField, index, pattern }); else valid = false;
          return;
        }
        case 'toServices': {
          const peer = parseService(item, index, itemField, issues);
          if (peer) peers.push(peer); else valid = false;
          return;
        }
        default:
          if (!isRecord(item)) {
            issues.add(itemField, `must be an object, got ${describeValue(item)}`);
            valid = false;
            return;
          }
          peers.push({ kind: 'group', field: peersField, index });
      }
    });
  }
  if (nonEmpty.length > 1) {
    // IngressCommonRule/EgressCommonRule.Validate: one L3 peer kind per rule element.
    issues.add(entryField, `combining ${nonEmpty[0]} and ${nonEmpty[1]} is not supported yet; use separate rules`);
    valid = false;
  }
  return given ? { peers, valid } : { valid };
}

function parseHttpRule(value: unknown, index: number, field: string, issues: DocumentIssues): HttpRuleSpec | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be an object, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, new Set(['method', 'path', 'host', 'headers', 'headerMatches']), field, issues);
  let valid = true;
  const regex = (key: 'method' | 'path' | 'host'): RegExp | undefined => {
    const text = value[key];
    if (isAbsent(text) || text === '') return undefined;
    if (typeof text !== 'string') {
      issues.add(`${field}.${key}`, `must be a string, got ${describeValue(text)}`);
      valid = false;
      return undefined;
    }
    const compiled = fullMatchRegex(text);
    if (!compiled) {
      issues.add(`${field}.${key}`, `invalid regular expression ${JSON.stringify(text)}`);
      valid = false;
    }
    return compiled;
  };
  const method = regex('method');
  const path = regex('path');
  const host = regex('host');
  const headers: { name: string; value?: string; fromSecret?: boolean }[] = [];
  if (!isAbsent(value.headers)) {
    const texts = stringList(value.headers, `${field}.headers`, issues);
    if (!texts) valid = false;
    // `Name` requires the header; `Name value` (or `Name: value`) requires that exact value (github.com/cilium/cilium `pkg/envoy/server.go` getHTTPRule).
    for (const text of texts ?? []) {
      const space = text.indexOf(' ');
      if (space < 0) headers.push({ name: text.toLowerCase() });
      else headers.push({ name: text.slice(0, space).replace(/:+$/, '').toLowerCase(), value: text.slice(space + 1) });
    }
  }
  if (!isAbsent(value.headerMatches)) {
    const matches = list(value.headerMatches, `${field}.headerMatches`, issues);
    if (!matches) valid = false;
    matches?.forEach((match, matchIndex) => {
      const matchField = `${field}.headerMatches[${matchIndex}]`;
      if (!isRecord(match) || typeof match.name !== 'string' || match.name === '') {
        issues.add(matchField, 'must be an object with a non-empty name');
        valid = false;
        return;
      }
      reportUnknownFields(match, new Set(['name', 'value', 'secret', 'mismatch']), matchField, issues);
      if (!isAbsent(match.mismatch) && !['LOG', 'ADD', 'DELETE', 'REPLACE'].includes(match.mismatch as string)) {
        issues.add(`${matchField}.mismatch`, `must be one of LOG, ADD, DELETE, REPLACE, got ${describeValue(match.mismatch)}`);
        valid = false;
        return;
      }
      // With a mismatch action the request is let through (and the header logged or rewritten).
      if (!isAbsent(match.mismatch)) return;
      if (typeof match.value === 'string') headers.push({ name: match.name.toLowerCase(), value: match.value });
      else if (!isAbsent(match.secret)) headers.push({ name: match.name.toLowerCase(), fromSecret: true });
      else headers.push({ name: match.name.toLowerCase() });
    });
  }
  if (!valid) return undefined;
  const parts = (['method', 'path', 'host'] as const).filter((key) => typeof value[key] === 'string' && value[key] !== '').map((key) => `${key} ${value[key] as string}`);
  if (headers.length > 0) parts.push(`headers ${headers.map((header) => header.name).join(', ')}`);
  return {
    index,
    ...(method ? { method } : {}),
    ...(path ? { path } : {}),
    ...(host ? { host } : {}),
    headers,
    text: parts.length > 0 ? parts.join(' ') : 'any request',
  };
}

/** `toPorts[].rules`: exactly one L7 type (L7Rules.Validate); DNS on egress only, HTTP/Kafka not on host policies but DNS egress. */
function parseL7(value: unknown, field: string, direction: Direction, ports: readonly PortProtocolSpec[], context: RuleContext): L7Spec | undefined | 'invalid' {
  const { issues } = context;
  if (isAbsent(value)) return undefined;
  if (!isRecord(value)) {
    issues.add(field, `must be an object, got ${describeValue(value)}`);
    return 'invalid';
  }
  reportUnknownFields(value, new Set(['http', 'dns', 'kafka', 'l7proto', 'l7']), field, issues);
  const types = ['http', 'dns', 'kafka', 'l7proto'].filter((key) => !isAbsent(value[key]));
  if (!isAbsent(value.l7) && isAbsent(value.l7proto)) {
    issues.add(`${field}.l7`, "'l7' may only be specified when a 'l7proto' is also specified");
    return 'invalid';
  }
  if (types.length === 0) return undefined;
  if (types.length > 1) {
    issues.add(field, `multiple L7 protocol rule types specified in single rule (${types.join(', ')})`);
    return 'invalid';
  }
  const type = types[0];
  if (ports.some(isWildcardPort)) {
    issues.add(field, 'L7 rules can not be used when a port is 0');
    return 'invalid';
  }
  if (type === 'dns') {
    if (direction === 'Ingress') {
      issues.add(`${field}.dns`, 'DNS rules are not allowed on ingress');
      return 'invalid';
    }
    if (ports.length === 0) {
      issues.add(`${field}.dns`, 'port 53 must be specified for DNS rules');
      return 'invalid';
    }
    const items = list(value.dns, `${field}.dns`, issues);
    if (!items) return 'invalid';
    const patterns = items.map((item, index) => parseNamePattern(item, index, `${field}.dns[${index}]`, issues));
    if (patterns.some((pattern) => !pattern)) return 'invalid';
    return { kind: 'dns', rules: patterns as NamePattern[] };
  }
  if (context.hostPolicy) {
    issues.add(`${field}.${type}`, `L7 protocol ${type} is not supported on host policies (nodeSelector); only DNS on egress`);
    return 'invalid';
  }
  const notTcp = ports.find((port) => port.protocols.length !== 1 || port.protocols[0] !== 'TCP');
  if (notTcp) {
    issues.add(field, `L7 rules can only apply to TCP (not ${notTcp.text}) except for DNS rules`);
    return 'invalid';
  }
  if (type === 'http') {
    const items = list(value.http, `${field}.http`, issues);
    if (!items) return 'invalid';
    const rules = items.map((item, index) => parseHttpRule(item, index, `${field}.http[${index}]`, issues));
    if (rules.some((rule) => !rule)) return 'invalid';
    return { kind: 'http', rules: rules as HttpRuleSpec[] };
  }
  return { kind: 'other', name: type === 'l7proto' ? `l7proto ${String(value.l7proto)}` : type };
}

function parsePortRule(
  value: unknown,
  index: number,
  field: string,
  direction: Direction,
  deny: boolean,
  context: RuleContext,
): PortRuleSpec | undefined {
  const { issues } = context;
  if (!isRecord(value)) {
    issues.add(field, `must be an object with ports, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, deny ? new Set(['ports']) : new Set(['ports', 'rules', 'serverNames', 'terminatingTLS', 'originatingTLS', 'listener']), field, issues);
  let valid = true;
  const rawPorts = isAbsent(value.ports) ? [] : list(value.ports, `${field}.ports`, issues);
  if (!rawPorts) return undefined;
  if (rawPorts.length > MAX_PORTS) {
    issues.add(`${field}.ports`, `too many ports, the max is ${MAX_PORTS}`);
    valid = false;
  }
  const dnsRules = !deny && isRecord(value.rules) && !isAbsent(value.rules.dns);
  const ports: PortProtocolSpec[] = [];
  rawPorts.forEach((port, portIndex) => {
    const parsed = parsePortProtocol(port, portIndex, `${field}.ports[${portIndex}]`, issues, dnsRules);
    if (parsed) ports.push(parsed); else valid = false;
  });
  if (!valid) return undefined;
  if (deny) return { index, ports, terminatesTls: false };
  const l7 = parseL7(value.rules, `${field}.rules`, direction, ports, context);
  if (l7 === 'invalid') return undefined;
  let serverNames: NamePattern[] | undefined;
  if (!isAbsent(value.serverNames)) {
    const names = stringList(value.serverNames, `${field}.serverNames`, issues);
    if (!names) return undefined;
    const badName = names.findIndex((name) => !SERVER_NAME_SYNTAX.test(name));
    if (badName >= 0) {
      issues.add(`${field}.serverNames[${badName}]`, names[badName] === ''
        ? 'empty server name is not allowed'
        : `must be a DNS name with an optional *. or **. prefix, got ${JSON.stringify(names[badName])}`);
      return undefined;
    }
    if (l7 && isAbsent(value.terminatingTLS)) {
      issues.add(`${field}.serverNames`, 'ServerNames are not allowed with L7 rules without TLS termination');
      return undefined;
    }
    serverNames = names.map((name, nameIndex) => ({ index: nameIndex, text: name, regex: matchPatternRegex(name) }));
  }
  let listener: L7Spec | undefined;
  if (!isAbsent(value.listener)) {
    if (direction === 'Ingress') {
      issues.add(`${field}.listener`, 'Listener is not allowed on ingress');
      return undefined;
    }
    if (l7) {
      issues.add(`${field}.listener`, 'Listener is not allowed with L7 rules');
      return undefined;
    }
    const name = isRecord(value.listener) ? value.listener.name : undefined;
    listener = { kind: 'other', name: `listener ${typeof name === 'string' ? name : '?'}` };
  }
  for (const key of ['terminatingTLS', 'originatingTLS', 'listener']) {
    if (!isAbsent(value[key]) && !isRecord(value[key])) {
      issues.add(`${field}.${key}`, `must be an object, got ${describeValue(value[key])}`);
      return undefined;
    }
  }
  const effectiveL7 = l7 ?? listener;
  return {
    index,
    ports,
    ...(effectiveL7 ? { l7: effectiveL7 } : {}),
    ...(serverNames && serverNames.length > 0 ? { serverNames } : {}),
    terminatesTls: !isAbsent(value.terminatingTLS),
  };
}

function parseEntry(value: unknown, listField: RuleListField, index: number, field: string, context: RuleContext): RuleEntry | undefined {
  const { issues } = context;
  const direction: Direction = listField.startsWith('ingress') ? 'Ingress' : 'Egress';
  const deny = listField.endsWith('Deny');
  // A null element decodes to an empty rule, as for NetworkPolicy.
  const entry = isAbsent(value) ? {} : value;
  if (!isRecord(entry)) {
    issues.add(field, `must be an object, got ${describeValue(entry)}`);
    return undefined;
  }
  reportUnknownFields(entry, ENTRY_FIELDS[listField], field, issues);
  const { peers, valid: peersValid } = parsePeers(entry, field, direction, deny, context);
  let valid = peersValid;
  const requiresField = direction === 'Ingress' ? 'fromRequires' : 'toRequires';
  const requires: CiliumSelector[] = [];
  if (!isAbsent(entry[requiresField])) {
    const items = list(entry[requiresField], `${field}.${requiresField}`, issues);
    if (!items) valid = false;
    items?.forEach((item, requireIndex) => {
      const selector = parseCiliumSelector(item, `${field}.${requiresField}[${requireIndex}]`, issues);
      if (selector) requires.push(selector); else valid = false;
    });
  }
  if (!isAbsent(entry.authentication)) {
    const mode = isRecord(entry.authentication) ? entry.authentication.mode : undefined;
    if (!['disabled', 'required', 'test-always-fail'].includes(mode as string)) {
      issues.add(`${field}.authentication.mode`, `must be one of disabled, required, test-always-fail, got ${describeValue(mode)}`);
      valid = false;
    }
  }
  const rawPorts = isAbsent(entry.toPorts) ? [] : list(entry.toPorts, `${field}.toPorts`, issues);
  const rawIcmps = isAbsent(entry.icmps) ? [] : list(entry.icmps, `${field}.icmps`, issues);
  if (!rawPorts || !rawIcmps) return undefined;
  if (rawPorts.length > 0 && rawIcmps.length > 0) {
    issues.add(field, 'the ICMPs block may only be present without ToPorts. Define a separate rule to use ToPorts');
    valid = false;
  }
  const ports: PortRuleSpec[] = [];
  rawPorts.forEach((port, portIndex) => {
    const parsed = parsePortRule(port, portIndex, `${field}.toPorts[${portIndex}]`, direction, deny, context);
    if (parsed) ports.push(parsed); else valid = false;
  });
  const icmps: IcmpFieldSpec[] | undefined = parseIcmps(rawIcmps, `${field}.icmps`, issues);
  if (!icmps) valid = false;
  if (!valid) return undefined;
  const l4 = ports.length > 0 || (icmps ?? []).length > 0 ? { ports, icmps: icmps ?? [] } : undefined;
  return { direction, deny, list: listField, index, ...(peers ? { peers } : {}), requires, ...(l4 ? { l4 } : {}) };
}

function parseBool(value: unknown, field: string, issues: DocumentIssues): boolean | undefined | 'invalid' {
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'boolean') {
    issues.add(field, `must be a boolean, got ${describeValue(value)}`);
    return 'invalid';
  }
  return value;
}

function parseRule(value: unknown, field: string, kind: string, namespace: string | undefined, issues: DocumentIssues): CiliumRule | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be an object, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, RULE_FIELDS, field, issues);
  let valid = true;
  const hasEndpoints = !isAbsent(value.endpointSelector);
  const hasNodes = !isAbsent(value.nodeSelector);
  if (hasEndpoints === hasNodes) {
    issues.add(field, hasEndpoints ? 'rule cannot have both endpointSelector and nodeSelector' : 'rule must have one of endpointSelector or nodeSelector');
    return undefined;
  }
  if (hasNodes && kind === CNP_KIND) {
    issues.add(`${field}.nodeSelector`, 'is only allowed in a CiliumClusterwideNetworkPolicy (host policies are cluster-wide)');
    return undefined;
  }
  const selector = parseCiliumSelector(hasNodes ? value.nodeSelector : value.endpointSelector, `${field}.${hasNodes ? 'nodeSelector' : 'endpointSelector'}`, issues);
  if (!selector) valid = false;
  const context: RuleContext = { issues, ...(namespace !== undefined ? { namespace } : {}), hostPolicy: hasNodes };
  const lists = {} as Record<RuleListField, RuleEntry[]>;
  let anyRules = false;
  for (const listField of ['ingress', 'ingressDeny', 'egress', 'egressDeny'] as const) {
    lists[listField] = [];
    if (isAbsent(value[listField])) continue;
    const items = list(value[listField], `${field}.${listField}`, issues);
    if (!items) {
      valid = false;
      continue;
    }
    if (items.length > 0) anyRules = true;
    items.forEach((item, index) => {
      const entry = parseEntry(item, listField, index, `${field}.${listField}[${index}]`, context);
      if (entry) lists[listField].push(entry); else valid = false;
    });
  }
  if (!anyRules) {
    issues.add(field, 'rule must have at least one of ingress, ingressDeny, egress, egressDeny (an empty list does not count; `ingress: [{}]` isolates)');
    valid = false;
  }
  let ingressDefault: boolean | undefined;
  let egressDefault: boolean | undefined;
  if (!isAbsent(value.enableDefaultDeny)) {
    const enable = value.enableDefaultDeny;
    if (!isRecord(enable)) {
      issues.add(`${field}.enableDefaultDeny`, `must be an object with ingress and egress, got ${describeValue(enable)}`);
      valid = false;
    } else {
      reportUnknownFields(enable, new Set(['ingress', 'egress']), `${field}.enableDefaultDeny`, issues);
      const ingress = parseBool(enable.ingress, `${field}.enableDefaultDeny.ingress`, issues);
      const egress = parseBool(enable.egress, `${field}.enableDefaultDeny.egress`, issues);
      if (ingress === 'invalid' || egress === 'invalid') {valid = false;} else {
        ingressDefault = ingress;
        egressDefault = egress;
      }
    }
  }
  if (!isAbsent(value.description) && typeof value.description !== 'string') {
    issues.add(`${field}.description`, `must be a string, got ${describeValue(value.description)}`);
    valid = false;
  }
  if (!isAbsent(value.log)) {
    const log = value.log;
    const text = isRecord(log) ? log.value : undefined;
    if (!isRecord(log) || (!isAbsent(text) && (typeof text !== 'string' || text.length > 32 || /[\p{C}]/u.test(text)))) {
      issues.add(`${field}.log.value`, 'must be at most 32 printable characters');
      valid = false;
    }
  }
  if (!isAbsent(value.labels)) {
    const labels = list(value.labels, `${field}.labels`, issues);
    labels?.forEach((label, index) => {
      if (!isRecord(label) || typeof label.key !== 'string') {
        issues.add(`${field}.labels[${index}]`, 'must be an object with a string key');
        valid = false;
      }
    });
    if (!labels) valid = false;
  }
  if (!valid || !selector) return undefined;
  // Rule.Sanitize and computePolicyEnforcementAndRules (github.com/cilium/cilium `pkg/policy/repository.go`): a
  // direction is default-deny when the rule has allow or deny rules for it and enableDefaultDeny is not false.
  const hasIngress = lists.ingress.length + lists.ingressDeny.length > 0;
  const hasEgress = lists.egress.length + lists.egressDeny.length > 0;
  return {
    field,
    subject: { kind: hasNodes ? 'nodes' : 'endpoints', selector },
    ingress: lists.ingress,
    ingressDeny: lists.ingressDeny,
    egress: lists.egress,
    egressDeny: lists.egressDeny,
    defaultDeny: { ingress: hasIngress && ingressDefault !== false, egress: hasEgress && egressDefault !== false },
  };
}

/**
 * Reads one CNP (namespaced) or CCNP (cluster-scoped): `spec`, `specs` or both, each a rule. Undefined when
 * anything is invalid, after reporting every problem.
 */
export function parseCiliumPolicy(object: JsonObject, identity: ObjectIdentity, issues: DocumentIssues): CiliumPolicy | undefined {
  const kind = identity.kind === CNP_KIND ? CNP_KIND : CCNP_KIND;
  const rules: CiliumRule[] = [];
  let valid = true;
  if (isAbsent(object.spec) && isAbsent(object.specs)) {
    issues.add('spec', 'spec or specs is required (an empty policy is rejected)');
    return undefined;
  }
  if (!isAbsent(object.spec)) {
    const rule = parseRule(object.spec, 'spec', kind, identity.namespace, issues);
    if (rule) rules.push(rule); else valid = false;
  }
  if (!isAbsent(object.specs)) {
    const items = list(object.specs, 'specs', issues);
    if (!items) valid = false;
    items?.forEach((item, index) => {
      const rule = parseRule(item, `specs[${index}]`, kind, identity.namespace, issues);
      if (rule) rules.push(rule); else valid = false;
    });
  }
  if (!valid) return undefined;
  const namespace = kind === CNP_KIND ? identity.namespace : undefined;
  return {
    kind,
    ...(namespace !== undefined ? { namespace } : {}),
    name: identity.name,
    key: namespace !== undefined ? `${namespace}/${identity.name}` : identity.name,
    source: identity.source,
    rules,
  };
}
