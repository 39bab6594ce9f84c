import { describePort, normalizePorts, Port, PortSpec, Protocol, validatePort } from '../../src/model/port';

const specs = (...ports: Port[]): PortSpec[] => ports.map((p) => p.spec);
const describeAll = (list: readonly PortSpec[]): string[] => list.map(describePort);

describe('Port factories', () => {
  test('produce the backend-neutral specs', () => {
    expect(Port.tcp(80).spec).toEqual({ kind: 'number', protocol: Protocol.TCP, port: 80 });
    expect(Port.udp(53).spec).toEqual({ kind: 'number', protocol: Protocol.UDP, port: 53 });
    expect(Port.sctp(9).spec).toEqual({ kind: 'number', protocol: Protocol.SCTP, port: 9 });
    expect(Port.tcpRange(8000, 8080).spec).toEqual({ kind: 'range', protocol: Protocol.TCP, from: 8000, to: 8080 });
    expect(Port.udpRange(1, 2).spec).toEqual({ kind: 'range', protocol: Protocol.UDP, from: 1, to: 2 });
    expect(Port.sctpRange(3, 4).spec).toEqual({ kind: 'range', protocol: Protocol.SCTP, from: 3, to: 4 });
    expect(Port.named('http').spec).toEqual({ kind: 'named', protocol: Protocol.TCP, name: 'http' });
    expect(Port.named('dns', Protocol.UDP).spec).toEqual({ kind: 'named', protocol: Protocol.UDP, name: 'dns' });
    expect(Port.allTcp().spec).toEqual({ kind: 'protocol', protocol: Protocol.TCP });
    expect(Port.allUdp().spec).toEqual({ kind: 'protocol', protocol: Protocol.UDP });
    expect(Port.allSctp().spec).toEqual({ kind: 'protocol', protocol: Protocol.SCTP });
    expect(Port.all().spec).toEqual({ kind: 'all' });
  });
});

describe('describePort / Port.toString', () => {
  test.each<[Port, string]>([
    [Port.tcp(8080), '8080/TCP'],
    [Port.udp(53), '53/UDP'],
    [Port.sctp(38412), '38412/SCTP'],
    [Port.tcpRange(8000, 8080), '8000-8080/TCP'],
    [Port.named('http'), 'http/TCP'],
    [Port.named('dns', Protocol.UDP), 'dns/UDP'],
    [Port.allTcp(), 'all TCP ports'],
    [Port.allSctp(), 'all SCTP ports'],
    [Port.all(), 'all ports'],
  ])('%s', (port, text) => {
    expect(describePort(port.spec)).toBe(text);
    expect(port.toString()).toBe(text);
    expect(`${port}`).toBe(text);
  });
});

describe('normalizePorts', () => {
  test('Port.all() absorbs everything, wherever it is in the list', () => {
    expect(normalizePorts(specs(Port.tcp(80), Port.all(), Port.udpRange(1, 9), Port.named('http')))).toEqual([{ kind: 'all' }]);
    expect(normalizePorts(specs(Port.all(), Port.all()))).toEqual([{ kind: 'all' }]);
  });

  test('a protocol-wide port absorbs numbers, ranges and names of the same protocol only', () => {
    const result = normalizePorts(
      specs(Port.tcp(80), Port.tcpRange(1000, 2000), Port.named('http'), Port.allTcp(), Port.udp(53), Port.named('dns', Protocol.UDP), Port.sctp(9)),
    );
    expect(describeAll(result)).toEqual(['all TCP ports', '9/SCTP', '53/UDP', 'dns/UDP']);
  });

  test('two protocol-wide ports stay both', () => {
    expect(describeAll(normalizePorts(specs(Port.allUdp(), Port.allTcp(), Port.udp(53))))).toEqual(['all TCP ports', 'all UDP ports']);
  });

  test('duplicates are removed', () => {
    expect(describeAll(normalizePorts(specs(Port.tcp(80), Port.tcp(80), Port.named('http'), Port.named('http'), Port.tcpRange(1, 2), Port.tcpRange(1, 2)))))
      .toEqual(['80/TCP', '1-2/TCP', 'http/TCP']);
  });

  test('the same number under two protocols is two ports', () => {
    expect(describeAll(normalizePorts(specs(Port.udp(53), Port.tcp(53))))).toEqual(['53/TCP', '53/UDP']);
  });

  test('order: protocol-wide, numbers (numeric, not lexical), ranges, names; protocols alphabetically within each kind', () => {
    const result = normalizePorts(
      specs(Port.named('web'), Port.tcpRange(9000, 9100), Port.tcp(10000), Port.tcp(9), Port.udp(53), Port.allSctp(), Port.tcp(443), Port.named('api')),
    );
    expect(describeAll(result)).toEqual(['all SCTP ports', '9/TCP', '443/TCP', '10000/TCP', '53/UDP', '9000-9100/TCP', 'api/TCP', 'web/TCP']);
  });

  test('is independent of input order and idempotent', () => {
    const input = specs(Port.udp(53), Port.tcp(8080), Port.tcpRange(1, 5), Port.named('http'), Port.tcp(80), Port.udp(53));
    const forward = normalizePorts(input);
    expect(normalizePorts([...input].reverse())).toEqual(forward);
    expect(normalizePorts(forward)).toEqual(forward);
  });

  test('an empty list stays empty (the resolver reports the missing ports)', () => {
    expect(normalizePorts([])).toEqual([]);
  });

  test('does not modify its input', () => {
    const input = specs(Port.tcp(2), Port.tcp(1));
    normalizePorts(input);
    expect(describeAll(input)).toEqual(['2/TCP', '1/TCP']);
  });
});

describe('validatePort', () => {
  const at = (port: Port) => validatePort(port.spec, 'platform/web/a', 'allowTo(#1).ports[0]');

  test.each([Port.tcp(1), Port.tcp(65535), Port.udp(53), Port.sctp(9), Port.tcpRange(1, 65535), Port.tcpRange(80, 80), Port.named('http'), Port.all(), Port.allUdp()])(
    'accepts %s',
    (port) => {
      expect(at(port)).toEqual([]);
    },
  );

  test('port 0 points to Port.all() / Port.allTcp()', () => {
    expect(at(Port.tcp(0))).toEqual([
      {
        path: 'platform/web/a',
        field: 'allowTo(#1).ports[0]',
        message: 'port 0 is outside 1-65535',
        fix: 'use Port.all() or Port.allTcp() for every port; 0 is not a port',
      },
    ]);
  });

  test.each([65536, -1, 0.5, 65535.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('port %p is reported with the value and the valid range', (n) => {
    expect(at(Port.udp(n))).toEqual([
      { path: 'platform/web/a', field: 'allowTo(#1).ports[0]', message: `port ${n} is outside 1-65535`, fix: 'use a port number from 1 to 65535' },
    ]);
  });

  test('a fraction inside the range is called what it is, not "outside 1-65535"', () => {
    expect(at(Port.udp(80.5))).toEqual([
      { path: 'platform/web/a', field: 'allowTo(#1).ports[0]', message: 'port 80.5 is not a whole number', fix: 'use a whole port number from 1 to 65535' },
    ]);
  });

  test('NaN is called NaN, with where it usually comes from', () => {
    expect(at(Port.tcp(Number.NaN))).toEqual([
      {
        path: 'platform/web/a',
        field: 'allowTo(#1).ports[0]',
        message: 'port is NaN, not a number',
        fix: 'pass a port number from 1 to 65535 (NaN often comes from parsing text that is not a number)',
      },
    ]);
  });

  describe('values of JavaScript callers', () => {
    const untyped = Port as unknown as Record<'tcp' | 'udp' | 'sctp', (n: unknown) => Port> & Record<'tcpRange', (a: unknown, b: unknown) => Port>;

    test("Port.tcp('80'): a numeric string is named a string, and the fix writes the number", () => {
      expect(at(untyped.tcp('80'))).toEqual([
        { path: 'platform/web/a', field: 'allowTo(#1).ports[0]', message: "port '80' is a string, not a number", fix: 'pass numbers, not strings: Port.tcp(80)' },
      ]);
      expect(at(untyped.sctp('9')).map((i) => i.fix)).toEqual(['pass numbers, not strings: Port.sctp(9)']);
    });

    test("Port.tcpRange('8000', 9000) writes the whole call with numbers", () => {
      expect(at(untyped.tcpRange('8000', 9000))).toEqual([
        {
          path: 'platform/web/a',
          field: 'allowTo(#1).ports[0]',
          message: "range start '8000' is a string, not a number",
          fix: 'pass numbers, not strings: Port.tcpRange(8000, 9000)',
        },
      ]);
    });

    test.each([
      [undefined, 'port undefined is not a number'],
      [null, 'port null is not a number'],
      ['http', "port 'http' is not a number"],
      [' 80', "port ' 80' is not a number"],
      [BigInt(80), 'port 80n is not a number'],
    ])('Port.udp(%p) is reported, not rendered', (value, message) => {
      expect(at(untyped.udp(value))).toEqual([{ path: 'platform/web/a', field: 'allowTo(#1).ports[0]', message, fix: 'pass a port number from 1 to 65535 to Port.udp()' }]);
    });

    test('a named port whose name is not a string is reported, not thrown', () => {
      const named = Port.named as unknown as (name: unknown) => Port;
      expect(at(named(undefined)).map((i) => i.message)).toEqual(['port name must be a string, got undefined']);
      expect(at(named(8080)).map((i) => i.message)).toEqual(['port name must be a string, got number 8080']);
    });

    test('the spec of a Port cannot be changed after it is made', () => {
      const port = Port.tcp(443);
      expect(() => {
        (port.spec as { port: number }).port = 0;
      }).toThrow(TypeError);
      expect(port.spec).toEqual({ kind: 'number', protocol: 'TCP', port: 443 });
    });
  });

  test('each bad end of a range is reported', () => {
    const issues = at(Port.tcpRange(0, 70000));
    expect(issues.map((i) => i.message)).toEqual(['range start 0 is outside 1-65535', 'range end 70000 is outside 1-65535']);
    expect(issues.every((i) => i.fix === 'use port numbers from 1 to 65535')).toBe(true);
    expect(at(Port.tcpRange(1.5, 3)).map((i) => i.message)).toEqual(['range start 1.5 is not a whole number']);
    expect(at(Port.tcpRange(1, Number.NaN)).map((i) => i.message)).toEqual(['range end is NaN, not a number']);
  });

  test('an inverted range says how to write it', () => {
    expect(at(Port.udpRange(9000, 8000))).toEqual([
      { path: 'platform/web/a', field: 'allowTo(#1).ports[0]', message: 'range 9000-8000 is inverted', fix: 'write the lower port first: udpRange(8000, 9000)' },
    ]);
  });

  test('an inverted range with an invalid end reports the invalid end only', () => {
    expect(at(Port.tcpRange(70000, 80)).map((i) => i.message)).toEqual(['range start 70000 is outside 1-65535']);
  });

  test.each([
    ['HTTP', "port name 'HTTP' may contain only lowercase letters, digits and '-'"],
    ['', "port name '' must be 1 to 15 characters long"],
    ['8080', "port name '8080' must contain at least one letter"],
    ['http--alt', "port name 'http--alt' must not contain '--'"],
  ])('named port %j: %s', (name, message) => {
    expect(at(Port.named(name))).toEqual([
      {
        path: 'platform/web/a',
        field: 'allowTo(#1).ports[0]',
        message,
        fix: 'use the container port name exactly as declared in the pod spec (IANA service name syntax)',
      },
    ]);
  });

  test('an unknown protocol (from untyped callers) is reported', () => {
    const issues = validatePort({ kind: 'number', protocol: 'ICMP' as Protocol, port: 1 }, 'p', 'f');
    expect(issues).toEqual([{ path: 'p', field: 'f', message: "protocol 'ICMP' is not TCP, UDP or SCTP", fix: 'use Protocol.TCP, Protocol.UDP or Protocol.SCTP' }]);
    expect(validatePort({ kind: 'protocol', protocol: 'tcp' as Protocol }, 'p', 'f')).toHaveLength(1);
  });
});
