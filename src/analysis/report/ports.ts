import { ConnectionVerdict, ConnectivityReport, ProbePort, Protocol } from '../types';

/** `80/TCP`: the one spelling of a port used by every formatter and by the CLI's `--port`. */
export function portLabel(port: ProbePort): string {
  return `${port.port}/${port.protocol}`;
}

const PROTOCOL_ORDER: Record<Protocol, number> = { TCP: 0, UDP: 1, SCTP: 2 };

/** Numeric port first, so `53/UDP` sits next to `53/TCP` rather than after every TCP port. */
export function comparePorts(a: ProbePort, b: ProbePort): number {
  return a.port - b.port || PROTOCOL_ORDER[a.protocol] - PROTOCOL_ORDER[b.protocol];
}

/** The verdicts of one port, in (source, destination) endpoint order. */
export interface PortGroup {
  readonly port: ProbePort;
  readonly label: string;
  readonly verdicts: readonly ConnectionVerdict[];
  readonly allowed: number;
}

/**
 * Endpoints in display order: `report.pods`, then any id that only appears in a connection.
 * The second part should be empty; tolerating it keeps a formatter from dropping verdicts.
 */
export function endpointOrder(report: ConnectivityReport): string[] {
  const order = [...report.pods];
  const seen = new Set(order);
  for (const c of report.connections) {
    for (const id of [c.from, c.to]) {
      if (!seen.has(id)) {
        seen.add(id);
        order.push(id);
      }
    }
  }
  return order;
}

/** Splits the report per port (sorted by `comparePorts`); verdicts sorted by endpoint order, not input order. */
export function groupByPort(report: ConnectivityReport, order: readonly string[] = endpointOrder(report)): PortGroup[] {
  const index = new Map(order.map((id, i) => [id, i]));
  const groups = new Map<string, { port: ProbePort; verdicts: ConnectionVerdict[] }>();
  for (const c of report.connections) {
    const label = portLabel(c);
    let group = groups.get(label);
    if (!group) {
      group = { port: { port: c.port, protocol: c.protocol }, verdicts: [] };
      groups.set(label, group);
    }
    group.verdicts.push(c);
  }
  return [...groups.values()]
    .sort((a, b) => comparePorts(a.port, b.port))
    .map(({ port, verdicts }) => ({
      port,
      label: portLabel(port),
      verdicts: verdicts.sort((a, b) => index.get(a.from)! - index.get(b.from)! || index.get(a.to)! - index.get(b.to)!),
      allowed: verdicts.filter((v) => v.allowed).length,
    }));
}

/** `1 port` / `2 ports`. */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}

/** Namespace part of `namespace/name`; externals (`external:NAME`) have none. */
export function namespaceOf(endpoint: string): string | undefined {
  if (endpoint.startsWith('external:')) return undefined;
  const slash = endpoint.indexOf('/');
  return slash < 0 ? undefined : endpoint.slice(0, slash);
}
