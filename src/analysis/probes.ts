import { isValidPortNumber } from './core/label-syntax';
import { ProbePort } from './types';
import { isProtocol, PROTOCOLS } from '../vocabulary/protocol';

/** Probe ports in report order: by number, then protocol (TCP, UDP, SCTP), without duplicates. */
export function sortProbes(ports: readonly ProbePort[]): ProbePort[] {
  const unique = new Map<string, ProbePort>();
  for (const port of ports) unique.set(`${port.port}/${port.protocol}`, { port: port.port, protocol: port.protocol });
  return [...unique.values()].sort((a, b) => a.port - b.port || PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol));
}

/** Throws when the probe is not a port 1-65535 with a known protocol; `what` names it in the message. */
export function validateProbe(port: ProbePort, what: string): void {
  if (!isValidPortNumber(port.port) || !isProtocol(port.protocol)) {
    throw new Error(`${what}: ${JSON.stringify(port)} is not a port 1-65535 with protocol TCP, UDP or SCTP`);
  }
}
