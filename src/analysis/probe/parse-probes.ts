/**
 * Validates probes (a probes file's value, or probes given in code) into typed records. Every problem of
 * every probe is collected, then thrown at once as `InvalidProbesError`.
 */
import { InvalidProbesError, ProbeProblem } from './errors';
import { EndpointRef, EXPECTATION_CNIS, ExpectationCni, HttpRequest, Probe, ProbeExpectation, PROBE_PROTOCOLS, PROBE_VERDICTS, ProbeProtocol, ProbeVerdict } from './types';
import { IpAddress, parseCidr, parseIpAddress } from '../core/ip-address';
import { dns1123LabelProblem, dns1123SubdomainProblem, isValidPortNumber } from '../core/label-syntax';
import { describeValue, isAbsent, isRecord, JsonObject } from '../manifests/fields';

/** The file name of probes given in code. */
export const PROBES_IN_CODE = '<probes>';

const PROBE_FIELDS = ['id', 'from', 'to', 'protocol', 'port', 'expected', 'tls', 'http', 'dns', 'icmp', 'clientMtls'] as const;
const ENDPOINT_FORMS = 'write "namespace/name" of a pod or workload, or one of {pod: "ns/name"}, {ip: ADDRESS}, {fqdn: NAME, ip: ADDRESS}, {service: "ns/name"}, {node: NAME}';
/** Echo request (RFC 792), what `ping` sends. */
const DEFAULT_ICMP = { type: 8, family: 'IPv4' } as const;

type Report = (field: string | undefined, problem: string, fix: string) => void;

/** `namespace/name` with Kubernetes syntax: a DNS-1123 label, then a DNS-1123 subdomain (or label, for Services). */
function parseNamespacedName(value: unknown, field: string, what: string, report: Report, nameRule: 'subdomain' | 'service' = 'subdomain'): { namespace: string; name: string } | undefined {
  if (typeof value !== 'string') {
    report(field, `must be "namespace/name" of a ${what}, got ${describeValue(value)}`, 'write it as a string, e.g. "alpha-web/frontend"');
    return undefined;
  }
  const parts = value.split('/');
  if (parts.length !== 2) {
    report(field, `"${value}" is not "namespace/name"`, `give the ${what}'s namespace and name, e.g. "alpha-web/frontend"`);
    return undefined;
  }
  const [namespace, name] = parts;
  const namespaceProblem = dns1123LabelProblem(namespace);
  if (namespaceProblem) {
    report(field, `namespace "${namespace}" ${namespaceProblem}`, 'give the namespace as Kubernetes spells it');
    return undefined;
  }
  const nameProblem = nameRule === 'service'
    ? (/^[a-z]/.test(name) ? dns1123LabelProblem(name) : 'must start with a letter (a Service name is a DNS-1035 label)')
    : dns1123SubdomainProblem(name);
  if (nameProblem) {
    report(field, `name "${name}" ${nameProblem}`, `give the ${what}'s name as Kubernetes spells it`);
    return undefined;
  }
  return { namespace, name };
}

function parseAddress(value: unknown, field: string, report: Report): { ip: IpAddress; text: string } | undefined {
  const ip = typeof value === 'string' ? parseIpAddress(value.trim()) : undefined;
  if (ip) return { ip, text: (value as string).trim() };
  const cidr = typeof value === 'string' && parseCidr(value) !== undefined;
  report(field, `must be one IPv4 or IPv6 address, got ${describeValue(value)}`, cidr ? 'give one address of the block, not a CIDR' : 'e.g. 203.0.113.7 or 2001:db8::7');
  return undefined;
}

/** A DNS name, compared case-insensitively and without a trailing dot: returned lowercased, the dot dropped. */
export function normalizeDnsName(value: string): string | undefined {
  const name = value.trim().toLowerCase().replace(/\.$/, '');
  if (name === '' || name.length > 253) return undefined;
  return name.split('.').every((label) => /^[a-z0-9_]([-a-z0-9_]{0,61}[a-z0-9_])?$/.test(label)) ? name : undefined;
}

function parseDnsName(value: unknown, field: string, report: Report): string | undefined {
  const name = typeof value === 'string' ? normalizeDnsName(value) : undefined;
  if (name === undefined) report(field, `must be a DNS name, got ${describeValue(value)}`, 'e.g. api.github.com');
  return name;
}

function parseEndpoint(value: unknown, field: string, report: Report): EndpointRef | undefined {
  if (typeof value === 'string') {
    const parsed = parseNamespacedName(value, field, 'pod or workload', report);
    return parsed && { kind: 'pod', ...parsed };
  }
  if (!isRecord(value)) {
    report(field, `must be an endpoint, got ${describeValue(value)}`, ENDPOINT_FORMS);
    return undefined;
  }
  const keys = Object.keys(value);
  if (keys.includes('fqdn')) {
    const unknown = keys.filter((key) => key !== 'fqdn' && key !== 'ip');
    if (unknown.length > 0 || !keys.includes('ip')) {
      report(field, unknown.length > 0 ? `unknown field ${unknown[0]} beside fqdn` : 'an fqdn needs the address it resolves to', 'write {fqdn: NAME, ip: ADDRESS}');
      return undefined;
    }
    const name = parseDnsName(value.fqdn, `${field}.fqdn`, report);
    const address = parseAddress(value.ip, `${field}.ip`, report);
    return name !== undefined && address ? { kind: 'fqdn', name, ...address } : undefined;
  }
  if (keys.length !== 1 || !['pod', 'ip', 'service', 'node'].includes(keys[0])) {
    report(field, keys.length === 0 ? 'is an empty object' : `has the fields ${keys.join(', ')}`, ENDPOINT_FORMS);
    return undefined;
  }
  const key = keys[0];
  const inner = `${field}.${key}`;
  switch (key) {
    case 'pod': {
      const parsed = parseNamespacedName(value.pod, inner, 'pod or workload', report);
      return parsed && { kind: 'pod', ...parsed };
    }
    case 'service': {
      const parsed = parseNamespacedName(value.service, inner, 'Service', report, 'service');
      return parsed && { kind: 'service', ...parsed };
    }
    case 'node': {
      const problem = typeof value.node === 'string' ? dns1123SubdomainProblem(value.node) : `must be a string, got ${describeValue(value.node)}`;
      if (problem) {
        report(inner, `node name ${problem}`, 'give the Node\'s metadata.name, e.g. node-1');
        return undefined;
      }
      return { kind: 'node', name: value.node as string };
    }
    default: {
      const address = parseAddress(value.ip, inner, report);
      return address && { kind: 'ip', ...address };
    }
  }
}

function parseProtocol(value: unknown, report: Report): ProbeProtocol | undefined {
  if (isAbsent(value)) return 'TCP';
  if ((PROBE_PROTOCOLS as readonly unknown[]).includes(value)) return value as ProbeProtocol;
  const upper = typeof value === 'string' ? value.toUpperCase() : undefined;
  const fix = upper !== undefined && (PROBE_PROTOCOLS as readonly string[]).includes(upper) ? `write it in uppercase: ${upper}` : `use one of ${PROBE_PROTOCOLS.join(', ')}`;
  report('protocol', `must be ${PROBE_PROTOCOLS.join(', ')}, got ${describeValue(value)}`, fix);
  return undefined;
}

function parsePort(value: unknown, protocol: ProbeProtocol | undefined, report: Report): number | string | undefined | null {
  if (protocol === 'ICMP') {
    if (!isAbsent(value)) report('port', 'ICMP has no ports', 'remove port; give the message type with icmp: {type, code}');
    return undefined;
  }
  if (isAbsent(value)) {
    report('port', 'is required', 'give the destination port: a number, or a named port of the destination');
    return null;
  }
  if (typeof value === 'number') {
    if (isValidPortNumber(value)) return value;
    report('port', `must be an integer between 1 and 65535, got ${value}`, 'give a port the destination listens on');
    return null;
  }
  if (typeof value === 'string' && /^[0-9]+$/.test(value)) {
    report('port', `"${value}" is a number written as a string`, `write it without quotes: port: ${value}`);
    return null;
  }
  if (typeof value === 'string' && !dns1123LabelProblem(value)) return value;
  report('port', `must be a port number or a port name, got ${describeValue(value)}`, 'give a number 1-65535, or the name of a container port (a service port through a Service)');
  return null;
}

function parseExpected(value: unknown, report: Report): ProbeExpectation | undefined | null {
  if (isAbsent(value)) return undefined;
  if ((PROBE_VERDICTS as readonly unknown[]).includes(value)) return value as ProbeVerdict;
  if (isRecord(value)) {
    // Per CNI, for one probes file checked against several targets of one program: { kubernetes: deny, cilium: allow }.
    const byCni: Partial<Record<ExpectationCni, ProbeVerdict>> = {};
    let valid = true;
    for (const [key, verdict] of Object.entries(value)) {
      if (!(EXPECTATION_CNIS as readonly string[]).includes(key)) {
        report(`expected.${key}`, 'is not a CNI', `name the CNIs the expectation holds under: ${EXPECTATION_CNIS.join(', ')}`);
        valid = false;
      } else if (!(PROBE_VERDICTS as readonly unknown[]).includes(verdict)) {
        report(`expected.${key}`, `must be allow or deny, got ${describeValue(verdict)}`, `write ${key}: allow or ${key}: deny`);
        valid = false;
      } else {
        byCni[key as ExpectationCni] = verdict as ProbeVerdict;
      }
    }
    if (valid && Object.keys(byCni).length === 0) {
      report('expected', 'names no CNI', 'write expected: allow, expected: deny, or the verdict per CNI: { kubernetes: deny, cilium: allow }');
      return null;
    }
    return valid ? byCni : null;
  }
  report(
    'expected',
    `must be allow or deny, or a verdict per CNI, got ${describeValue(value)}`,
    'write expected: allow or expected: deny (or per CNI: { kubernetes: deny, cilium: allow }), or leave it out to only report the verdict',
  );
  return null;
}

/** An optional object field with known keys; null when it is invalid (after reporting). */
function optionalObject(value: unknown, field: string, keys: readonly string[], example: string, report: Report): JsonObject | undefined | null {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    report(field, `must be an object, got ${describeValue(value)}`, `write it as ${example}`);
    return null;
  }
  const unknown = Object.keys(value).filter((key) => !keys.includes(key));
  if (unknown.length > 0) {
    report(`${field}.${unknown[0]}`, 'unknown field', `use only ${keys.join(', ')}`);
    return null;
  }
  return value;
}

function parseTls(value: unknown, protocol: ProbeProtocol | undefined, report: Report): { sni?: string } | undefined | null {
  const tls = optionalObject(value, 'tls', ['sni'], '{} or {sni: NAME}', report);
  if (!tls) return tls;
  if (protocol !== undefined && protocol !== 'TCP') report('tls', `TLS runs over TCP, not ${protocol}`, 'remove tls, or use protocol TCP');
  if (isAbsent(tls.sni)) return {};
  const sni = parseDnsName(tls.sni, 'tls.sni', report);
  return sni === undefined ? null : { sni };
}

function parseHttp(value: unknown, protocol: ProbeProtocol | undefined, report: Report): HttpRequest | undefined | null {
  const http = optionalObject(value, 'http', ['method', 'path', 'host', 'headers'], '{method: GET, path: /, host: NAME, headers: {NAME: VALUE}}', report);
  if (!http) return http;
  let valid = true;
  if (protocol !== undefined && protocol !== 'TCP') {
    report('http', `HTTP runs over TCP, not ${protocol}`, 'remove http, or use protocol TCP');
    valid = false;
  }
  const request: { method?: string; path?: string; host?: string; headers?: Record<string, string> } = {};
  if (!isAbsent(http.method)) {
    if (typeof http.method === 'string' && /^[A-Z]+$/.test(http.method)) {
      request.method = http.method;
    } else {
      report('http.method', `must be an HTTP method in uppercase, got ${describeValue(http.method)}`, 'e.g. GET or POST');
      valid = false;
    }
  }
  if (!isAbsent(http.path)) {
    if (typeof http.path === 'string' && http.path.startsWith('/')) {
      request.path = http.path;
    } else {
      report('http.path', `must be a path starting with "/", got ${describeValue(http.path)}`, 'e.g. /public/index.html');
      valid = false;
    }
  }
  if (!isAbsent(http.host)) {
    if (typeof http.host === 'string' && http.host.trim() !== '') {
      request.host = http.host;
    } else {
      report('http.host', `must be a host name, got ${describeValue(http.host)}`, 'e.g. shop.example.com');
      valid = false;
    }
  }
  if (!isAbsent(http.headers)) {
    if (!isRecord(http.headers) || !Object.values(http.headers).every((header) => typeof header === 'string')) {
      report('http.headers', 'must be a map of header names to string values', 'e.g. headers: {x-user: alice}');
      valid = false;
    } else {
      request.headers = { ...(http.headers as Record<string, string>) };
    }
  }
  return valid ? request : null;
}

function parseDns(value: unknown, protocol: ProbeProtocol | undefined, report: Report): { query: string } | undefined | null {
  const dns = optionalObject(value, 'dns', ['query'], '{query: NAME}', report);
  if (!dns) return dns;
  if (protocol !== undefined && protocol !== 'UDP' && protocol !== 'TCP') report('dns', `DNS runs over UDP or TCP, not ${protocol}`, 'use protocol UDP (or TCP)');
  if (isAbsent(dns.query)) {
    report('dns.query', 'is required', 'give the name looked up, e.g. dns: {query: api.github.com}');
    return null;
  }
  const query = parseDnsName(dns.query, 'dns.query', report);
  return query === undefined ? null : { query };
}

function parseIcmp(value: unknown, protocol: ProbeProtocol | undefined, report: Report): Probe['icmp'] | null {
  const icmp = optionalObject(value, 'icmp', ['type', 'code', 'family'], '{type: 8, code: 0, family: IPv4}', report);
  if (icmp === null) return null;
  if (icmp !== undefined && protocol !== undefined && protocol !== 'ICMP') {
    report('icmp', `is for protocol ICMP, not ${protocol}`, 'remove icmp, or set protocol: ICMP');
    return null;
  }
  if (protocol !== 'ICMP') return undefined;
  if (!icmp) return DEFAULT_ICMP;
  let valid = true;
  const byte = (field: 'type' | 'code'): number | undefined => {
    const v = icmp[field];
    if (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255) return v as number;
    report(`icmp.${field}`, `must be an integer between 0 and 255, got ${describeValue(v)}`, field === 'type' ? 'e.g. 8 (echo request)' : 'leave it out for any code');
    valid = false;
    return undefined;
  };
  const type = isAbsent(icmp.type) ? DEFAULT_ICMP.type : byte('type');
  const code = isAbsent(icmp.code) ? undefined : byte('code');
  let family: 'IPv4' | 'IPv6' = 'IPv4';
  if (!isAbsent(icmp.family)) {
    if (icmp.family === 'IPv4' || icmp.family === 'IPv6') {family = icmp.family;} else {
      report('icmp.family', `must be IPv4 or IPv6, got ${describeValue(icmp.family)}`, 'leave it out for IPv4');
      valid = false;
    }
  }
  if (!valid || type === undefined) return null;
  return { type, ...(code !== undefined ? { code } : {}), family };
}

/** The probe's id as written, when it is a usable one. */
function idOf(entry: JsonObject): string | undefined {
  return typeof entry.id === 'string' && entry.id.trim() !== '' && !/[\s]/.test(entry.id) ? entry.id : undefined;
}

function parseProbe(entry: unknown, index: number, file: string, problems: ProbeProblem[]): Probe | undefined {
  let label = String(index);
  const before = problems.length;
  const report: Report = (field, problem, fix) => problems.push({ file, probe: label, ...(field ? { field } : {}), problem, fix });
  if (!isRecord(entry)) {
    report(undefined, `a probe must be an object, got ${describeValue(entry)}`, 'write {from, to, port}, e.g. {from: alpha-web/frontend, to: alpha-data/database, port: 5432}');
    return undefined;
  }
  const id = idOf(entry);
  if (id !== undefined) {
    label = id;
  } else if (!isAbsent(entry.id)) {
    report('id', `must be a non-empty string without spaces, got ${describeValue(entry.id)}`, typeof entry.id === 'number' ? `quote it: id: "${entry.id}"` : 'e.g. id: web-to-db');
  }
  for (const key of Object.keys(entry)) {
    if (!(PROBE_FIELDS as readonly string[]).includes(key)) report(key, 'unknown field', `use only ${PROBE_FIELDS.join(', ')}`);
  }
  const from = isAbsent(entry.from) ? report('from', 'is required', `give the source: ${ENDPOINT_FORMS.replace('write ', '')}`) : parseEndpoint(entry.from, 'from', report);
  const to = isAbsent(entry.to) ? report('to', 'is required', `give the destination: ${ENDPOINT_FORMS.replace('write ', '')}`) : parseEndpoint(entry.to, 'to', report);
  if (from?.kind === 'service') report('from', 'a Service is not a source: connections start at pods', 'give one of its pods, e.g. "namespace/pod"');
  if (from?.kind === 'fqdn') report('from', 'an fqdn is a destination reached by name', 'give the source by its address: {ip: ADDRESS}');
  const protocol = parseProtocol(entry.protocol, report);
  const port = parsePort(entry.port, protocol, report);
  const expected = parseExpected(entry.expected, report);
  const tls = parseTls(entry.tls, protocol, report);
  const http = parseHttp(entry.http, protocol, report);
  const dns = parseDns(entry.dns, protocol, report);
  const icmp = parseIcmp(entry.icmp, protocol, report);
  if (!isAbsent(entry.clientMtls) && typeof entry.clientMtls !== 'boolean') {
    report('clientMtls', `must be true or false, got ${describeValue(entry.clientMtls)}`, 'leave it out for what Istio\'s auto mTLS does');
  }
  if (problems.length > before || !from || !to || !protocol) return undefined;
  return {
    id: label,
    index,
    from,
    to,
    protocol,
    ...(port !== undefined && port !== null ? { port } : {}),
    ...(typeof expected === 'string' ? { expected } : expected ? { expectedByCni: expected } : {}),
    ...(tls ? { tls } : {}),
    ...(http ? { http } : {}),
    ...(dns ? { dns } : {}),
    ...(icmp ? { icmp } : {}),
    ...(typeof entry.clientMtls === 'boolean' ? { clientMtls: entry.clientMtls } : {}),
  };
}

/** The list of a probes file's value: a list, or `{probes: [...]}`; undefined after reporting when it is neither. */
function probeList(value: unknown, file: string, problems: ProbeProblem[]): readonly unknown[] | undefined {
  const fix = 'write a list of probes, or {probes: [...]}, each probe {from, to, port}';
  if (Array.isArray(value)) return value;
  if (isRecord(value) && Object.prototype.hasOwnProperty.call(value, 'probes')) {
    const extra = Object.keys(value).filter((key) => key !== 'probes');
    if (extra.length > 0) problems.push({ file, field: extra[0], problem: 'unknown field beside probes', fix: 'keep only probes: [...] at the top' });
    if (Array.isArray(value.probes)) return extra.length > 0 ? undefined : value.probes;
    problems.push({ file, field: 'probes', problem: `must be a list, got ${describeValue(value.probes)}`, fix });
    return undefined;
  }
  problems.push({ file, problem: `must hold a list of probes, got ${isAbsent(value) ? 'nothing' : describeValue(value)}`, fix });
  return undefined;
}

/** Validates a probes file's value (a list, or `{probes: [...]}`); throws `InvalidProbesError` listing every problem. */
export function parseProbes(value: unknown, file: string = PROBES_IN_CODE): Probe[] {
  const problems: ProbeProblem[] = [];
  const list = probeList(value, file, problems);
  if (!list) throw new InvalidProbesError(problems);
  if (list.length === 0) {
    throw new InvalidProbesError([{ file, problem: 'holds no probes', fix: 'add at least one probe {from, to, port}' }]);
  }
  const probes: Probe[] = [];
  const firstWithId = new Map<string, number>();
  list.forEach((entry, index) => {
    const probe = parseProbe(entry, index, file, problems);
    if (!probe) return;
    const earlier = firstWithId.get(probe.id);
    if (earlier !== undefined) {
      problems.push({ file, probe: probe.id, field: 'id', problem: `probe ${index} has the same id as probe ${earlier}`, fix: 'give every probe its own id' });
      return;
    }
    firstWithId.set(probe.id, index);
    probes.push(probe);
  });
  if (problems.length > 0) throw new InvalidProbesError(problems);
  return probes;
}
