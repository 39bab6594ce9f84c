import { protocolPorts } from '../../../src/backends/calico/ports';
import { normalizePorts, Port } from '../../../src/model/port';

const specs = (...ports: Port[]) => normalizePorts(ports.map((p) => p.spec));

describe('ports as Calico rules', () => {
  test('one entry per protocol; numbers, ranges as "min:max", names', () => {
    expect(protocolPorts(specs(Port.tcp(443), Port.udp(53), Port.tcpRange(8000, 8080), Port.named('metrics'), Port.sctp(9999)))).toEqual([
      { protocol: 'SCTP', ports: [9999] },
      { protocol: 'TCP', ports: [443, '8000:8080', 'metrics'] },
      { protocol: 'UDP', ports: [53] },
    ]);
  });

  test('a whole protocol has no ports; every port and protocol has neither', () => {
    expect(protocolPorts(specs(Port.allTcp(), Port.udp(53)))).toEqual([{ protocol: 'TCP' }, { protocol: 'UDP', ports: [53] }]);
    expect(protocolPorts(specs(Port.all(), Port.tcp(80)))).toEqual([{}]);
  });

  test('a one-port range is the port', () => {
    expect(protocolPorts(specs(Port.udpRange(53, 53)))).toEqual([{ protocol: 'UDP', ports: [53] }]);
  });
});
