import { sortProbes, validateProbe } from '../../src/analysis/probes';
import { ProbePort } from '../../src/analysis/types';

describe('probe ports', () => {
  test('sorted by number then TCP, UDP, SCTP, without duplicates', () => {
    expect(sortProbes([
      { port: 53, protocol: 'SCTP' }, { port: 53, protocol: 'UDP' }, { port: 8, protocol: 'TCP' }, { port: 53, protocol: 'TCP' }, { port: 53, protocol: 'UDP' },
    ])).toEqual([{ port: 8, protocol: 'TCP' }, { port: 53, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }, { port: 53, protocol: 'SCTP' }]);
  });

  test('a probe is a port 1-65535 with a known protocol', () => {
    expect(() => validateProbe({ port: 1, protocol: 'TCP' }, 'Port')).not.toThrow();
    expect(() => validateProbe({ port: 0, protocol: 'TCP' }, 'Port')).toThrow('Port: {"port":0,"protocol":"TCP"} is not a port 1-65535 with protocol TCP, UDP or SCTP');
    expect(() => validateProbe({ port: 80, protocol: 'tcp' } as unknown as ProbePort, 'Probe port')).toThrow(/^Probe port: /);
    expect(() => validateProbe({ port: 80, protocol: 'toString' } as unknown as ProbePort, 'Port')).toThrow(/not a port/);
  });
});
