/**
 * Ports as Calico rules (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#ports).
 * A Calico rule names one protocol, and ports need it, so the ports of a planned rule become one
 * rule per protocol, each with its ports in `destination.ports`: the destination is the pod's own
 * side for ingress and the peer for egress, and `source.ports` would be the client's ephemeral port.
 * "All ports" is a rule without protocol (every protocol, as NetworkPolicy's omitted `ports`); a whole
 * protocol is the protocol without ports.
 */
import { CalicoPort, CalicoProtocol } from './types';
import { PortSpec } from '../../model/port';

/** The protocol and ports of one rule; both absent for every port of every protocol. */
export interface ProtocolPorts {
  readonly protocol?: CalicoProtocol;
  readonly ports?: readonly CalicoPort[];
}

/** Results per ports list: the plan shares one list among the rules of a flow. Callers copy what they keep. */
const WRITTEN = new WeakMap<readonly PortSpec[], readonly ProtocolPorts[]>();

/** One entry per protocol, in the order the (normalised) ports first name each protocol. Shared: do not change it. */
export function protocolPorts(ports: readonly PortSpec[]): readonly ProtocolPorts[] {
  let written = WRITTEN.get(ports);
  if (written === undefined) WRITTEN.set(ports, (written = byProtocol(ports)));
  return written;
}

function byProtocol(ports: readonly PortSpec[]): ProtocolPorts[] {
  if (ports.some((p) => p.kind === 'all')) return [{}];
  const protocols = new Map<CalicoProtocol, { whole: boolean; ports: CalicoPort[] }>();
  for (const port of ports) {
    if (port.kind === 'all') continue;
    const protocol: CalicoProtocol = port.protocol;
    let entry = protocols.get(protocol);
    if (!entry) protocols.set(protocol, (entry = { whole: false, ports: [] }));
    switch (port.kind) {
      case 'protocol':
        entry.whole = true;
        break;
      case 'number':
        entry.ports.push(port.port);
        break;
      case 'range':
        entry.ports.push(port.from === port.to ? port.from : `${port.from}:${port.to}`);
        break;
      case 'named':
        entry.ports.push(port.name);
        break;
    }
  }
  return [...protocols.entries()].map(([protocol, { whole, ports: given }]) =>
    (whole || given.length === 0 ? { protocol } : { protocol, ports: given }));
}
