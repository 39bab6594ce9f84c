import { ValidationIssue } from './issues';
import { portNameProblem } from './names';

import { isProtocol, Protocol } from '../vocabulary/protocol';
import { isValidPortNumber } from '../vocabulary/syntax';

export { Protocol } from '../vocabulary/protocol';

/** Backend-neutral port data. "All ports" is its own kind so that it is always an explicit choice. */
export type PortSpec =
  | { readonly kind: 'all' }
  | { readonly kind: 'protocol'; readonly protocol: Protocol }
  | { readonly kind: 'number'; readonly protocol: Protocol; readonly port: number }
  | { readonly kind: 'range'; readonly protocol: Protocol; readonly from: number; readonly to: number }
  | { readonly kind: 'named'; readonly protocol: Protocol; readonly name: string };

/**
 * A destination port (or ports) of a flow. Values are plain and need no scope:
 * `Port.tcp(5432)`, `Port.udp(53)`, `Port.tcpRange(8000, 8080)`, `Port.named('http')`, `Port.all()`.
 * Invalid values are reported at synthesis with the construct path of the flow that uses them.
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

  private constructor(public readonly spec: PortSpec) {}

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

/** Sorted, de-duplicated ports; `all` absorbs everything and a protocol-wide port absorbs that protocol. */
export function normalizePorts(specs: readonly PortSpec[]): PortSpec[] {
  if (specs.some((s) => s.kind === 'all')) return [{ kind: 'all' }];
  const wholeProtocols = new Set(specs.filter((s) => s.kind === 'protocol').map((s) => s.protocol));
  const unique = new Map<string, PortSpec>();
  for (const given of specs) {
    // A one-port range is that port: both would render as the same entry.
    const spec: PortSpec = given.kind === 'range' && given.from === given.to ? { kind: 'number', protocol: given.protocol, port: given.from } : given;
    if (spec.kind !== 'protocol' && spec.kind !== 'all' && wholeProtocols.has(spec.protocol)) continue;
    unique.set(portKey(spec), spec);
  }
  return [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
}

/** Checks numbers, ranges, names and protocols of one port. */
export function validatePort(spec: PortSpec, path: string, field: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (spec.kind !== 'all' && !isProtocol(spec.protocol)) {
    issues.push({ path, field, message: `protocol '${String(spec.protocol)}' is not TCP, UDP or SCTP`, fix: 'use Protocol.TCP, Protocol.UDP or Protocol.SCTP' });
  }
  switch (spec.kind) {
    case 'number':
      if (!isValidPortNumber(spec.port)) {
        issues.push({
          path,
          field,
          message: `port ${spec.port} is outside 1-65535`,
          fix: spec.port === 0 ? 'use Port.all() or Port.allTcp() for every port; 0 is not a port' : 'use a port number from 1 to 65535',
        });
      }
      break;
    case 'range':
      for (const [end, n] of [['start', spec.from], ['end', spec.to]] as const) {
        if (!isValidPortNumber(n)) {
          issues.push({ path, field, message: `range ${end} ${n} is outside 1-65535`, fix: 'use port numbers from 1 to 65535' });
        }
      }
      if (isValidPortNumber(spec.from) && isValidPortNumber(spec.to) && spec.from > spec.to) {
        issues.push({
          path,
          field,
          message: `range ${spec.from}-${spec.to} is inverted`,
          fix: `write the lower port first: ${spec.protocol.toLowerCase()}Range(${spec.to}, ${spec.from})`,
        });
      }
      break;
    case 'named': {
      const problem = portNameProblem(spec.name);
      if (problem) issues.push({ path, field, message: problem, fix: 'use the container port name exactly as declared in the pod spec (IANA service name syntax)' });
      break;
    }
    default:
      break;
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
