import { HttpRule, normalizeHttpRules, validateHttpRules } from './http';
import { ValidationIssue } from './issues';
import { portNameProblem } from './names';

import { describeValue } from './values';
import { isProtocol, Protocol } from '../vocabulary/protocol';
import { isValidPortNumber, PORT_MAX, PORT_MIN } from '../vocabulary/syntax';

export { Protocol } from '../vocabulary/protocol';

/**
 * Backend-neutral port data. "All ports" is its own kind so that it is always an explicit choice.
 * `http`, when present, restricts the requests allowed on the port (L7); validation accepts it only
 * on a single TCP port number.
 */
export type PortSpec = (
  | { readonly kind: 'all' }
  | { readonly kind: 'protocol'; readonly protocol: Protocol }
  | { readonly kind: 'number'; readonly protocol: Protocol; readonly port: number }
  | { readonly kind: 'range'; readonly protocol: Protocol; readonly from: number; readonly to: number }
  | { readonly kind: 'named'; readonly protocol: Protocol; readonly name: string }
) & { readonly http?: readonly HttpRule[] };

/**
 * A destination port (or ports) of a flow. Values are plain and need no scope:
 * `Port.tcp(5432)`, `Port.udp(53)`, `Port.tcpRange(8000, 8080)`, `Port.named('http')`, `Port.all()`.
 * The factories never throw: an invalid value (`Port.tcp(70000)`, `Port.tcp('80')` from JavaScript,
 * `Port.named('')`) is reported at synthesis as an issue of the flow (or `dns.ports` entry) that
 * uses it, with that construct path, together with every other issue.
 */
export class Port {
  /** One TCP port, 1–65535. */
  public static tcp(port: number): Port {
    return new Port({ kind: 'number', protocol: Protocol.TCP, port });
  }

  /** One UDP port, 1–65535. */
  public static udp(port: number): Port {
    return new Port({ kind: 'number', protocol: Protocol.UDP, port });
  }

  /** One SCTP port, 1–65535. */
  public static sctp(port: number): Port {
    return new Port({ kind: 'number', protocol: Protocol.SCTP, port });
  }

  /** An inclusive TCP port range. */
  public static tcpRange(from: number, to: number): Port {
    return new Port({ kind: 'range', protocol: Protocol.TCP, from, to });
  }

  /** An inclusive UDP port range. */
  public static udpRange(from: number, to: number): Port {
    return new Port({ kind: 'range', protocol: Protocol.UDP, from, to });
  }

  /** An inclusive SCTP port range. */
  public static sctpRange(from: number, to: number): Port {
    return new Port({ kind: 'range', protocol: Protocol.SCTP, from, to });
  }

  /**
   * A named container port of the destination pod, e.g. `Port.named('http')`. Resolved by the
   * CNI against the destination pod's `containers[].ports[].name` with the same protocol.
   */
  public static named(name: string, protocol: Protocol = Protocol.TCP): Port {
    return new Port({ kind: 'named', protocol, name });
  }

  /** Every TCP port (rendered as a protocol without a port, never as `port: 0`). */
  public static allTcp(): Port {
    return new Port({ kind: 'protocol', protocol: Protocol.TCP });
  }

  /** Every UDP port. */
  public static allUdp(): Port {
    return new Port({ kind: 'protocol', protocol: Protocol.UDP });
  }

  /** Every SCTP port. */
  public static allSctp(): Port {
    return new Port({ kind: 'protocol', protocol: Protocol.SCTP });
  }

  /** Every port and protocol. Must be asked for explicitly: a flow without ports is an error. */
  public static all(): Port {
    return new Port({ kind: 'all' });
  }

  public readonly spec: PortSpec;

  private constructor(spec: PortSpec) {
    // Frozen: a value checked at validation is the value rendered, even for JavaScript callers.
    this.spec = Object.freeze({ ...spec });
  }

  /**
   * This port, allowing only the HTTP requests that match one of `rules` (L7), e.g.
   * `Port.tcp(8080).http({ methods: [HttpMethod.GET], path: '/api/.*' })`. Only on a single TCP port
   * number. Backends that cannot filter requests refuse it at synthesis (they never allow the whole port).
   */
  public http(...rules: HttpRule[]): Port {
    // Copied and frozen like the spec: a rule changed after this call cannot change what was validated.
    const copied = rules.map((r) => (r !== null && typeof r === 'object' ? Object.freeze({ ...r }) : r));
    return new Port({ ...this.spec, http: Object.freeze([...(this.spec.http ?? []), ...copied]) });
  }

  /** E.g. `8080/TCP`, `8000-8080/TCP`, `http/TCP`, `all TCP ports`, `all ports`. */
  public toString(): string {
    return describePort(this.spec);
  }
}

export function describePort(spec: PortSpec): string {
  switch (spec.kind) {
    case 'all':
      return 'all ports';
    case 'protocol':
      return `all ${spec.protocol} ports`;
    case 'number':
      return `${spec.port}/${spec.protocol}`;
    case 'range':
      return `${spec.from}-${spec.to}/${spec.protocol}`;
    case 'named':
      return `${spec.name}/${spec.protocol}`;
  }
}

/** A total order and identity for port specs. */
export function portKey(spec: PortSpec): string {
  switch (spec.kind) {
    case 'all':
      return '0';
    case 'protocol':
      return `1 ${spec.protocol}`;
    case 'number':
      return `2 ${spec.protocol} ${String(spec.port).padStart(5, '0')}`;
    case 'range':
      return `3 ${spec.protocol} ${String(spec.from).padStart(5, '0')} ${String(spec.to).padStart(5, '0')}`;
    case 'named':
      return `4 ${spec.protocol} ${spec.name}`;
  }
}

/**
 * Sorted, de-duplicated ports; `all` absorbs everything and a protocol-wide port absorbs that protocol.
 * Ports with the same number merge their HTTP rules; if one of them has none, every request is
 * allowed on it (the union of what was declared).
 */
export function normalizePorts(specs: readonly PortSpec[]): PortSpec[] {
  if (specs.some((s) => s.kind === 'all')) return [{ kind: 'all' }];
  const wholeProtocols = new Set(specs.filter((s) => s.kind === 'protocol').map((s) => s.protocol));
  const unique = new Map<string, PortSpec>();
  for (const given of specs) {
    // A one-port range is that port: both would render as the same entry.
    const spec: PortSpec = given.kind === 'range' && given.from === given.to ? withHttp({ kind: 'number', protocol: given.protocol, port: given.from }, given.http) : given;
    if (spec.kind !== 'protocol' && spec.kind !== 'all' && wholeProtocols.has(spec.protocol)) continue;
    const key = portKey(spec);
    const earlier = unique.get(key);
    const http = earlier ? (earlier.http && spec.http ? [...earlier.http, ...spec.http] : undefined) : spec.http;
    unique.set(key, withHttp(spec, http && normalizeHttpRules(http)));
  }
  return [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}

/** The port with exactly these HTTP rules (none: the field is absent). */
function withHttp(spec: PortSpec, http: readonly HttpRule[] | undefined): PortSpec {
  const { http: _dropped, ...l4 } = spec;
  return http === undefined ? (l4 as PortSpec) : { ...l4, http };
}

/** The port without its HTTP rules. */
export function l4Only(spec: PortSpec): PortSpec {
  return withHttp(spec, undefined);
}

/**
 * The spec of a Port value. Only JavaScript callers can pass something else (a number, a string, a
 * list); it cannot be recorded, so it fails at once, naming the construct path and the field.
 */
export function portSpecOf(port: unknown, path: string, field: string, example: string): PortSpec {
  if (port instanceof Port) return port.spec;
  const fix = typeof port === 'number'
    ? `use a Port value, e.g. Port.tcp(${port}) or Port.udp(${port})`
    : Array.isArray(port) ? 'pass the ports one by one, not as a list: allowTo(peer, Port.tcp(80), Port.tcp(443))' : `use a Port value, ${example}`;
  throw new TypeError(`[${path}] ${field}: ${describeValue(port)} is not a Port. Fix: ${fix}`);
}

/** A numeric string such as '80' (what JavaScript callers pass after reading text), as its number. */
function numericString(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() !== value || value === '') return undefined;
  const n = Number(value);
  return isValidPortNumber(n) && String(n) === value ? n : undefined;
}

/** Why `value` is no port number (1-65535), or undefined when it is one. `what` is e.g. `port` or `range start`. */
function portNumberProblem(value: unknown, what: string, factory: string): { message: string; fix: string } | undefined {
  if (isValidPortNumber(value)) return undefined;
  const range = `${PORT_MIN}-${PORT_MAX}`;
  const fixRange = `from ${PORT_MIN} to ${PORT_MAX}`;
  if (numericString(value) !== undefined) {
    return { message: `${what} ${describeValue(value)} is a string, not a number`, fix: `pass numbers, not strings: ${factory}` };
  }
  if (typeof value !== 'number') {
    return { message: `${what} ${describeValue(value)} is not a number`, fix: `pass a port number ${fixRange} to ${factory.replace(/\(.*$/, '()')}` };
  }
  if (Number.isNaN(value)) {
    return { message: `${what} is NaN, not a number`, fix: `pass a port number ${fixRange} (NaN often comes from parsing text that is not a number)` };
  }
  if (Number.isFinite(value) && !Number.isInteger(value) && value > PORT_MIN && value < PORT_MAX) {
    return { message: `${what} ${value} is not a whole number`, fix: `use a whole port number ${fixRange}` };
  }
  return { message: `${what} ${value} is outside ${range}`, fix: `use a port number ${fixRange}` };
}

/** Checks numbers, ranges, names and protocols of one port. */
export function validatePort(spec: PortSpec, path: string, field: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const protocolOk = spec.kind === 'all' || isProtocol(spec.protocol);
  if (!protocolOk) {
    issues.push({ path, field, message: `protocol ${describeValue(spec.protocol)} is not TCP, UDP or SCTP`, fix: 'use Protocol.TCP, Protocol.UDP or Protocol.SCTP' });
  }
  const lower = protocolOk && spec.kind !== 'all' ? spec.protocol.toLowerCase() : 'tcp';
  // How the call reads with numbers for numeric strings, for the fix of `Port.tcp('80')`.
  const asNumber = (v: unknown): string => String(numericString(v) ?? v);
  switch (spec.kind) {
    case 'number': {
      const problem = portNumberProblem(spec.port, 'port', `Port.${lower}(${asNumber(spec.port)})`);
      if (problem && spec.port === 0) problem.fix = 'use Port.all() or Port.allTcp() for every port; 0 is not a port';
      if (problem) issues.push({ path, field, ...problem });
      break;
    }
    case 'range': {
      for (const [end, n] of [['start', spec.from], ['end', spec.to]] as const) {
        const problem = portNumberProblem(n, `range ${end}`, `Port.${lower}Range(${asNumber(spec.from)}, ${asNumber(spec.to)})`);
        if (problem) issues.push({ path, field, message: problem.message, fix: problem.fix.replace('use a port number', 'use port numbers') });
      }
      if (isValidPortNumber(spec.from) && isValidPortNumber(spec.to) && spec.from > spec.to) {
        issues.push({
          path,
          field,
          message: `range ${spec.from}-${spec.to} is inverted`,
          fix: `write the lower port first: ${lower}Range(${spec.to}, ${spec.from})`,
        });
      }
      break;
    }
    case 'named': {
      const problem = portNameProblem(spec.name);
      if (problem) issues.push({ path, field, message: problem, fix: 'use the container port name exactly as declared in the pod spec (IANA service name syntax)' });
      break;
    }
    case 'all':
    case 'protocol':
      break;
    default:
      issues.push({ path, field, message: `${describeValue(spec)} is not a port`, fix: 'use a Port value, e.g. Port.tcp(443)' });
  }
  if (spec.http !== undefined) {
    if (spec.kind !== 'number' || spec.protocol !== 'TCP') {
      issues.push({
        path,
        field: `${field}.http`,
        message: `HTTP rules on ${describePort(spec)}: L7 rules need a single TCP port number`,
        fix: 'attach the rules to the port the server listens on, e.g. Port.tcp(8080).http(...)',
      });
    } else {
      issues.push(...validateHttpRules(spec.http, path, field));
    }
  }
  return issues;
}

/**
 * Values keyed by identity, each with the union of the ports added under its key (normalised), read
 * back in key order: how flows between the same two ends, and rules toward the same far end, merge.
 */
export class PortsByKey<T> {
  private readonly entries = new Map<string, { value: T; ports: PortSpec[] }>();

  /** Adds `ports` under `key`; the first value given for a key is kept and returned. */
  public add(key: string, value: T, ports: readonly PortSpec[]): T {
    const existing = this.entries.get(key);
    if (existing) {
      existing.ports = normalizePorts([...existing.ports, ...ports]);
      return existing.value;
    }
    this.entries.set(key, { value, ports: normalizePorts(ports) });
    return value;
  }

  /** Every entry, sorted by key. */
  public sorted(): { readonly key: string; readonly value: T; readonly ports: readonly PortSpec[] }[] {
    return [...this.entries.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, entry]) => ({ key, value: entry.value, ports: entry.ports }));
  }
}
