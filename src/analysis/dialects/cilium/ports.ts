/**
 * Ports and ICMP types of Cilium rules (https://docs.cilium.io/en/stable/security/policy/language/#layer-4-examples):
 * reading them as the CRD and the agent validate them (github.com/cilium/cilium `pkg/policy/api/l4.go`,
 * `rule_validation.go` PortProtocol.Validate, `pkg/iana/svcname.go`), and matching a probe.
 */
import { IcmpFieldSpec, PortProtocolSpec } from './model';
import { Protocol, PROTOCOLS } from '../../../vocabulary/protocol';
import { EndpointUniverse } from '../../core/endpoint-universe';
import { PortTargets } from '../../core/port-entry';
import { IcmpProbe } from '../../dialect';
import { describeValue, isAbsent, isRecord, reportUnknownFields } from '../../manifests/fields';
import { DocumentIssues } from '../../manifests/issues';
import { ProbePort } from '../../types';

/** The CRD pattern of `port` (anchored only at the start for the number, as upstream writes it). */
const PORT_SYNTAX = /^(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})|([a-zA-Z0-9]-?)*[a-zA-Z](-?[a-zA-Z0-9])*$/;
const PORT_FIELDS = new Set(['port', 'endPort', 'protocol']);
export const CILIUM_PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ANY'] as const;
export type CiliumProtocol = (typeof CILIUM_PROTOCOLS)[number];

/** An IANA service name as `iana.IsSvcName` accepts it: 1-15 alphanumerics and single inner dashes, with a letter. */
function isServiceName(text: string): boolean {
  return text.length >= 1 && text.length <= 15 && /^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$/.test(text) && /[a-zA-Z]/.test(text);
}

/** Go's `strconv.ParseUint(text, 0, 16)` on digits: a leading 0 means octal. Undefined when it fails. */
function parseGoUint16(text: string): number | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const octal = text.length > 1 && text.startsWith('0');
  if (octal && /[89]/.test(text)) return undefined;
  const value = Number.parseInt(text, octal ? 8 : 10);
  return value <= 65535 ? value : undefined;
}

/**
 * One `ports[]` entry of a PortRule: `port` is a string (a number, `0` for every port, or a port name),
 * `endPort` makes an inclusive range (ignored for names and when not above `port`), `protocol` defaults to
 * ANY = TCP, UDP and SCTP. With `dnsRules`, ranges are rejected.
 */
export function parsePortProtocol(
  value: unknown,
  index: number,
  field: string,
  issues: DocumentIssues,
  dnsRules: boolean,
): PortProtocolSpec | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be an object with port and protocol, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, PORT_FIELDS, field, issues);
  let valid = true;
  let protocol: CiliumProtocol = 'ANY';
  if (!isAbsent(value.protocol)) {
    if ((CILIUM_PROTOCOLS as readonly unknown[]).includes(value.protocol)) {
      protocol = value.protocol as CiliumProtocol;
    } else {
      issues.add(`${field}.protocol`, `must be one of ${CILIUM_PROTOCOLS.join(', ')} (ICMP goes in icmps), got ${describeValue(value.protocol)}`);
      valid = false;
    }
  }
  let endPort: number | undefined;
  if (!isAbsent(value.endPort)) {
    if (typeof value.endPort === 'number' && Number.isInteger(value.endPort) && value.endPort >= 0 && value.endPort <= 65535) {
      endPort = value.endPort;
    } else {
      issues.add(`${field}.endPort`, `must be an integer between 0 and 65535, got ${describeValue(value.endPort)}`);
      valid = false;
    }
  }
  let port: number | undefined;
  let name: string | undefined;
  const raw = value.port;
  if (typeof raw !== 'string') {
    issues.add(`${field}.port`, isAbsent(raw) ? 'is required (a quoted number, "0" for every port, or a port name)' : `must be a string (quote the number), got ${describeValue(raw)}`);
    valid = false;
  } else if (!PORT_SYNTAX.test(raw)) {
    issues.add(`${field}.port`, `must be a port number 0-65535 or a port name, got ${JSON.stringify(raw)}`);
    valid = false;
  } else if (isServiceName(raw)) {
    name = raw.toLowerCase();
  } else {
    port = parseGoUint16(raw);
    if (port === undefined) {
      issues.add(`${field}.port`, `unable to parse port ${JSON.stringify(raw)} (the Cilium agent reads a leading 0 as octal)`);
      valid = false;
    } else if (dnsRules && endPort !== undefined && endPort > port) {
      issues.add(`${field}.endPort`, 'DNS rules do not support port ranges');
      valid = false;
    }
  }
  if (!valid) return undefined;
  const protocols: readonly Protocol[] = protocol === 'ANY' ? PROTOCOLS : [protocol];
  const range = port !== undefined && port !== 0 && endPort !== undefined && endPort > port ? endPort : undefined;
  const portText = name ?? (port === 0 ? 'all ports' : range !== undefined ? `${port}-${range}` : `${port}`);
  return {
    index,
    protocols,
    ...(port !== undefined && port !== 0 ? { port } : {}),
    ...(range !== undefined ? { endPort: range } : {}),
    ...(name !== undefined ? { name } : {}),
    text: `${portText}/${protocol}`,
  };
}

/** Whether the entry's port is 0 (every port): L7 rules may not use it. */
export function isWildcardPort(spec: PortProtocolSpec): boolean {
  return spec.port === undefined && spec.name === undefined;
}

/**
 * The destinations for which a port entry admits the probe. A name resolves against the destination's
 * container ports, keeping the container port's protocol when the entry's is ANY (a name may narrow the
 * protocol, never contradict it).
 */
export function portProtocolTargets(spec: PortProtocolSpec, probe: ProbePort, universe: EndpointUniverse): PortTargets {
  if (!spec.protocols.includes(probe.protocol)) return 'none';
  if (spec.name !== undefined) return universe.namedPortTargets(spec.name, probe.protocol, probe.port);
  if (spec.port === undefined) return 'all';
  if (spec.endPort === undefined) return probe.port === spec.port ? 'all' : 'none';
  return probe.port >= spec.port && probe.port <= spec.endPort ? 'all' : 'none';
}

/** ICMP type names the CRD accepts, per family (github.com/cilium/cilium `pkg/policy/api/icmp.go`). */
const ICMP_TYPES: Readonly<Record<'IPv4' | 'IPv6', Readonly<Record<string, number>>>> = {
  IPv4: {
    EchoReply: 0,
    DestinationUnreachable: 3,
    Redirect: 5,
    Echo: 8,
    EchoRequest: 8,
    RouterAdvertisement: 9,
    RouterSelection: 10,
    TimeExceeded: 11,
    ParameterProblem: 12,
    Timestamp: 13,
    TimestampReply: 14,
    Photuris: 40,
    ExtendedEchoRequest: 42,
    ExtendedEchoReply: 43,
  },
  IPv6: {
    DestinationUnreachable: 1,
    PacketTooBig: 2,
    TimeExceeded: 3,
    ParameterProblem: 4,
    EchoRequest: 128,
    EchoReply: 129,
    MulticastListenerQuery: 130,
    MulticastListenerReport: 131,
    MulticastListenerDone: 132,
    RouterSolicitation: 133,
    RouterAdvertisement: 134,
    NeighborSolicitation: 135,
    NeighborAdvertisement: 136,
    RedirectMessage: 137,
    RouterRenumbering: 138,
    ICMPNodeInformationQuery: 139,
    ICMPNodeInformationResponse: 140,
    InverseNeighborDiscoverySolicitation: 141,
    InverseNeighborDiscoveryAdvertisement: 142,
    HomeAgentAddressDiscoveryRequest: 144,
    HomeAgentAddressDiscoveryReply: 145,
    MobilePrefixSolicitation: 146,
    MobilePrefixAdvertisement: 147,
    DuplicateAddressRequestCodeSuffix: 157,
    DuplicateAddressConfirmationCodeSuffix: 158,
    ExtendedEchoRequest: 160,
    ExtendedEchoReply: 161,
  },
};

const ICMP_RULE_FIELDS = new Set(['fields']);
const ICMP_FIELD_FIELDS = new Set(['type', 'family']);
const MAX_ICMP_FIELDS = 40;

/** `icmps`: a list of `{fields: [{type, family}]}`; a type is 0-255 or a name of its family (IPv4 by default). */
export function parseIcmps(value: readonly unknown[], field: string, issues: DocumentIssues): IcmpFieldSpec[] | undefined {
  let valid = true;
  const fields: IcmpFieldSpec[] = [];
  value.forEach((rule, ruleIndex) => {
    const ruleField = `${field}[${ruleIndex}]`;
    if (!isRecord(rule)) {
      issues.add(ruleField, `must be an object with fields, got ${describeValue(rule)}`);
      valid = false;
      return;
    }
    reportUnknownFields(rule, ICMP_RULE_FIELDS, ruleField, issues);
    const list = isAbsent(rule.fields) ? [] : rule.fields;
    if (!Array.isArray(list)) {
      issues.add(`${ruleField}.fields`, `must be a list, got ${describeValue(list)}`);
      valid = false;
      return;
    }
    if (list.length > MAX_ICMP_FIELDS) {
      issues.add(`${ruleField}.fields`, `may have at most ${MAX_ICMP_FIELDS} entries, got ${list.length}`);
      valid = false;
    }
    list.forEach((entry, index) => {
      const entryField = `${ruleField}.fields[${index}]`;
      if (!isRecord(entry)) {
        issues.add(entryField, `must be an object with type and family, got ${describeValue(entry)}`);
        valid = false;
        return;
      }
      reportUnknownFields(entry, ICMP_FIELD_FIELDS, entryField, issues);
      let family: 'IPv4' | 'IPv6' = 'IPv4';
      if (!isAbsent(entry.family)) {
        if (entry.family === 'IPv4' || entry.family === 'IPv6') {
          family = entry.family;
        } else {
          issues.add(`${entryField}.family`, `must be IPv4 or IPv6, got ${describeValue(entry.family)}`);
          valid = false;
          return;
        }
      }
      const type = entry.type;
      let number: number | undefined;
      if (typeof type === 'number' && Number.isInteger(type) && type >= 0 && type <= 255) {
        number = type;
      } else if (typeof type === 'string' && /^([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])$/.test(type)) {
        number = Number(type);
      } else if (typeof type === 'string' && Object.hasOwn(ICMP_TYPES[family], type)) {
        number = ICMP_TYPES[family][type];
      }
      if (number === undefined) {
        issues.add(`${entryField}.type`, isAbsent(type)
          ? 'is required'
          : `must be 0-255 or an ${family} ICMP type name (e.g. ${family === 'IPv4' ? 'EchoRequest' : 'EchoRequest'}), got ${describeValue(type)}`);
        valid = false;
        return;
      }
      fields.push({ rule: ruleIndex, index, type: number, family, text: `${typeof type === 'string' ? type : number}/${family}` });
    });
  });
  return valid ? fields : undefined;
}

/** ICMP rules match the type and family; the code is not matched (github.com/cilium/cilium `pkg/policy/api/icmp.go`). */
export function icmpFieldMatches(field: IcmpFieldSpec, probe: IcmpProbe): boolean {
  return field.type === probe.type && field.family === probe.family;
}
