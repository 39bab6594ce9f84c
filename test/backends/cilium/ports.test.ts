import { renderDenyPorts, renderToPorts } from '../../../src/backends/cilium/ports';
import { HttpMethod } from '../../../src/model/http';
import { normalizePorts, Port } from '../../../src/model/port';

const ports = (...given: Port[]) => normalizePorts(given.map((p) => p.spec));

describe('toPorts', () => {
  test('every port and protocol omits toPorts (an L3-only rule)', () => {
    expect(renderToPorts(ports(Port.all()))).toBeUndefined();
  });

  test('protocols are always explicit; a whole protocol is port "0"; a one-port range is that port', () => {
    expect(renderToPorts(ports(Port.allUdp(), Port.tcpRange(80, 80), Port.sctpRange(1, 9)))).toEqual([{
      ports: [{ port: '0', protocol: 'UDP' }, { port: '80', protocol: 'TCP' }, { port: '1', endPort: 9, protocol: 'SCTP' }],
    }]);
  });

  test('at most 40 ports per PortRule', () => {
    const many = ports(...Array.from({ length: 45 }, (_, i) => Port.tcp(1000 + i)));
    expect(renderToPorts(many)!.map((r) => r.ports.length)).toEqual([40, 5]);
  });

  test('a port with HTTP rules gets its own PortRule; deny rules never carry L7 rules', () => {
    const given = ports(Port.tcp(8080).http({ methods: [HttpMethod.POST], host: 'a.example.com' }, { path: '/x' }), Port.tcp(9000));
    expect(renderToPorts(given)).toEqual([
      { ports: [{ port: '9000', protocol: 'TCP' }] },
      { ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method: 'POST', host: 'a\\.example\\.com' }, { path: '/x' }] } },
    ]);
    expect(renderDenyPorts(given)).toEqual([{ ports: [{ port: '9000', protocol: 'TCP' }] }, { ports: [{ port: '8080', protocol: 'TCP' }] }]);
  });
});
