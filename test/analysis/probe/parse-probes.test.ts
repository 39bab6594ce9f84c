import { InvalidProbesError, parseProbes } from '../../../src/analysis';

/** The formatted problems of validating `value` as a probes file `p.yaml`. */
function problemsOf(value: unknown): string[] {
  try {
    parseProbes(value, 'p.yaml');
  } catch (error) {
    if (error instanceof InvalidProbesError) return error.problems.map((problem) => `${problem.probe ?? '-'} ${problem.field ?? '-'}: ${problem.problem}. ${problem.fix}`);
    throw error;
  }
  return [];
}

const BASE = { from: 'a/web', to: 'b/db', port: 5432 };

describe('parseProbes: every field of the contract', () => {
  test('a full probe becomes a typed record', () => {
    const [probe] = parseProbes([{
      id: 'web-to-db',
      from: 'alpha-web/frontend',
      to: { fqdn: 'API.GitHub.com.', ip: '140.82.112.3' },
      protocol: 'TCP',
      port: 443,
      expected: 'allow',
      tls: { sni: 'api.github.com' },
      http: { method: 'GET', path: '/x', host: 'shop.example.com', headers: { 'x-user': 'a' } },
      clientMtls: true,
    }]);
    expect(probe).toEqual({
      id: 'web-to-db',
      index: 0,
      from: { kind: 'pod', namespace: 'alpha-web', name: 'frontend' },
      to: { kind: 'fqdn', name: 'api.github.com', ip: expect.objectContaining({ family: 4 }), text: '140.82.112.3' },
      protocol: 'TCP',
      port: 443,
      expected: 'allow',
      tls: { sni: 'api.github.com' },
      http: { method: 'GET', path: '/x', host: 'shop.example.com', headers: { 'x-user': 'a' } },
      clientMtls: true,
    });
  });

  test('defaults: id is the index, protocol TCP; ICMP defaults to an echo request over IPv4', () => {
    const probes = parseProbes({ probes: [BASE, { from: 'a/web', to: { node: 'node-1' }, protocol: 'ICMP' }, { ...BASE, protocol: 'UDP', port: 53, dns: { query: 'example.com' } }] });
    expect(probes.map((probe) => [probe.id, probe.protocol, probe.port, probe.icmp, probe.dns])).toEqual([
      ['0', 'TCP', 5432, undefined, undefined],
      ['1', 'ICMP', undefined, { type: 8, family: 'IPv4' }, undefined],
      ['2', 'UDP', 53, undefined, { query: 'example.com' }],
    ]);
  });

  test('every endpoint form', () => {
    const forms = [
      'a/web', { pod: 'a/web' }, { ip: '2001:db8::7' }, { fqdn: 'x.example', ip: '192.0.2.1' }, { service: 'a/web' }, { node: 'node-1' },
    ];
    expect(parseProbes(forms.map((to) => ({ from: 'a/web', to, port: 80 }))).map((probe) => probe.to.kind)).toEqual(['pod', 'pod', 'ip', 'fqdn', 'service', 'node']);
  });

  test('named ports and ICMP code and family', () => {
    const [named, icmp] = parseProbes([{ ...BASE, port: 'postgres' }, { from: 'a/web', to: 'b/db', protocol: 'ICMP', icmp: { type: 128, code: 0, family: 'IPv6' } }]);
    expect(named.port).toBe('postgres');
    expect(icmp.icmp).toEqual({ type: 128, code: 0, family: 'IPv6' });
  });
});

describe('parseProbes: one error per problem, naming the file, the probe and the field, with the fix', () => {
  test.each<[string, unknown, string]>([
    ['not a list', { from: 'a/b' }, '- -: must hold a list of probes, got an object. write a list of probes, or {probes: [...]}, each probe {from, to, port}'],
    ['probes not a list', { probes: 'x' }, '- probes: must be a list, got a string ("x"). write a list of probes, or {probes: [...]}, each probe {from, to, port}'],
    ['extra top-level field', { probes: [BASE], cni: 'cilium' }, '- cni: unknown field beside probes. keep only probes: [...] at the top'],
    ['no probes', [], '- -: holds no probes. add at least one probe {from, to, port}'],
    ['a probe that is not an object', ['a/b'], '0 -: a probe must be an object, got a string ("a/b"). write {from, to, port}, e.g. {from: alpha-web/frontend, to: alpha-data/database, port: 5432}'],
    ['numeric id', [{ ...BASE, id: 7 }], '0 id: must be a non-empty string without spaces, got a number (7). quote it: id: "7"'],
    ['duplicate id', [{ ...BASE, id: 'x' }, { ...BASE, id: 'x' }], 'x id: probe 1 has the same id as probe 0. give every probe its own id'],
    ['unknown field', [{ ...BASE, expect: 'deny' }], '0 expect: unknown field. use only id, from, to, protocol, port, expected, tls, http, dns, icmp, clientMtls'],
    ['missing from', [{ to: 'b/db', port: 1 }], expect.stringMatching(/^0 from: is required\. give the source: "namespace\/name" of a pod or workload/) as unknown as string],
    ['not namespace/name', [{ ...BASE, from: 'web' }], '0 from: "web" is not "namespace/name". give the pod or workload\'s namespace and name, e.g. "alpha-web/frontend"'],
    ['bad namespace', [{ ...BASE, to: 'B/db' }], expect.stringMatching(/^0 to: namespace "B" must be a lowercase RFC 1123 label/) as unknown as string],
    ['endpoint object with two forms', [{ ...BASE, to: { pod: 'a/b', node: 'n' } }], expect.stringMatching(/^0 to: has the fields pod, node\. write "namespace\/name"/) as unknown as string],
    ['fqdn without ip', [{ ...BASE, to: { fqdn: 'x.example' } }], '0 to: an fqdn needs the address it resolves to. write {fqdn: NAME, ip: ADDRESS}'],
    ['bad fqdn', [{ ...BASE, to: { fqdn: 'bad name', ip: '192.0.2.1' } }], '0 to.fqdn: must be a DNS name, got a string ("bad name"). e.g. api.github.com'],
    ['a CIDR for an ip', [{ ...BASE, to: { ip: '10.0.0.0/8' } }], '0 to.ip: must be one IPv4 or IPv6 address, got a string ("10.0.0.0/8"). give one address of the block, not a CIDR'],
    ['bad Service name', [{ ...BASE, to: { service: 'a/9svc' } }], '0 to.service: name "9svc" must start with a letter (a Service name is a DNS-1035 label). give the Service\'s name as Kubernetes spells it'],
    ['bad node name', [{ ...BASE, to: { node: 'Node_1' } }], expect.stringMatching(/^0 to\.node: node name must be a lowercase RFC 1123 subdomain/) as unknown as string],
    ['a Service as source', [{ ...BASE, from: { service: 'a/web' } }], '0 from: a Service is not a source: connections start at pods. give one of its pods, e.g. "namespace/pod"'],
    ['an fqdn as source', [{ ...BASE, from: { fqdn: 'x.example', ip: '192.0.2.1' } }], '0 from: an fqdn is a destination reached by name. give the source by its address: {ip: ADDRESS}'],
    ['lowercase protocol', [{ ...BASE, protocol: 'udp' }], '0 protocol: must be TCP, UDP, SCTP, ICMP, got a string ("udp"). write it in uppercase: UDP'],
    ['unknown protocol', [{ ...BASE, protocol: 'HTTP' }], '0 protocol: must be TCP, UDP, SCTP, ICMP, got a string ("HTTP"). use one of TCP, UDP, SCTP, ICMP'],
    ['missing port', [{ from: 'a/web', to: 'b/db' }], '0 port: is required. give the destination port: a number, or a named port of the destination'],
    ['port 0', [{ ...BASE, port: 0 }], '0 port: must be an integer between 1 and 65535, got 0. give a port the destination listens on'],
    ['port as a string of digits', [{ ...BASE, port: '80' }], '0 port: "80" is a number written as a string. write it without quotes: port: 80'],
    ['bad port name', [{ ...BASE, port: 'Web_Port' }], '0 port: must be a port number or a port name, got a string ("Web_Port"). give a number 1-65535, or the name of a container port (a service port through a Service)'],
    ['a port with ICMP', [{ ...BASE, protocol: 'ICMP' }], '0 port: ICMP has no ports. remove port; give the message type with icmp: {type, code}'],
    [
      'bad expected',
      [{ ...BASE, expected: 'allowed' }],
      '0 expected: must be allow or deny, or a verdict per CNI, got a string ("allowed"). ' +
        'write expected: allow or expected: deny (or per CNI: { kubernetes: deny, cilium: allow }), or leave it out to only report the verdict',
    ],
    ['expected per CNI, an unknown CNI', [{ ...BASE, expected: { weave: 'deny' } }], '0 expected.weave: is not a CNI. name the CNIs the expectation holds under: kubernetes, cilium, calico'],
    ['expected per CNI, a bad verdict', [{ ...BASE, expected: { cilium: 'yes' } }], '0 expected.cilium: must be allow or deny, got a string ("yes"). write cilium: allow or cilium: deny'],
    [
      'expected per CNI, empty',
      [{ ...BASE, expected: {} }],
      '0 expected: names no CNI. write expected: allow, expected: deny, or the verdict per CNI: { kubernetes: deny, cilium: allow }',
    ],
    ['tls not an object', [{ ...BASE, tls: true }], '0 tls: must be an object, got a boolean (true). write it as {} or {sni: NAME}'],
    ['tls over UDP', [{ ...BASE, protocol: 'UDP', tls: {} }], '0 tls: TLS runs over TCP, not UDP. remove tls, or use protocol TCP'],
    ['unknown tls field', [{ ...BASE, tls: { alpn: 'h2' } }], '0 tls.alpn: unknown field. use only sni'],
    ['lowercase http method', [{ ...BASE, http: { method: 'get' } }], '0 http.method: must be an HTTP method in uppercase, got a string ("get"). e.g. GET or POST'],
    ['http path without slash', [{ ...BASE, http: { path: 'index.html' } }], '0 http.path: must be a path starting with "/", got a string ("index.html"). e.g. /public/index.html'],
    ['http headers not strings', [{ ...BASE, http: { headers: { 'x-n': 1 } } }], '0 http.headers: must be a map of header names to string values. e.g. headers: {x-user: alice}'],
    ['http over UDP', [{ ...BASE, protocol: 'UDP', http: {} }], '0 http: HTTP runs over TCP, not UDP. remove http, or use protocol TCP'],
    ['dns without query', [{ ...BASE, protocol: 'UDP', dns: {} }], '0 dns.query: is required. give the name looked up, e.g. dns: {query: api.github.com}'],
    ['dns over SCTP', [{ ...BASE, protocol: 'SCTP', dns: { query: 'x.example' } }], '0 dns: DNS runs over UDP or TCP, not SCTP. use protocol UDP (or TCP)'],
    ['icmp without ICMP', [{ ...BASE, icmp: { type: 8 } }], '0 icmp: is for protocol ICMP, not TCP. remove icmp, or set protocol: ICMP'],
    ['icmp type out of range', [{ from: 'a/web', to: 'b/db', protocol: 'ICMP', icmp: { type: 300 } }], '0 icmp.type: must be an integer between 0 and 255, got a number (300). e.g. 8 (echo request)'],
    ['icmp family', [{ from: 'a/web', to: 'b/db', protocol: 'ICMP', icmp: { type: 8, family: 'v4' } }], '0 icmp.family: must be IPv4 or IPv6, got a string ("v4"). leave it out for IPv4'],
    ['clientMtls not a boolean', [{ ...BASE, clientMtls: 'yes' }], '0 clientMtls: must be true or false, got a string ("yes"). leave it out for what Istio\'s auto mTLS does'],
  ])('%s', (_name, value, expected) => {
    expect(problemsOf(value)).toEqual([expected]);
  });

  test('every problem of every probe is reported at once, under the probe\'s id', () => {
    expect(problemsOf([{ id: 'one', from: 'x', to: 'y', port: 0 }, { ...BASE, protocol: 'tcp' }])).toEqual([
      'one from: "x" is not "namespace/name". give the pod or workload\'s namespace and name, e.g. "alpha-web/frontend"',
      'one to: "y" is not "namespace/name". give the pod or workload\'s namespace and name, e.g. "alpha-web/frontend"',
      'one port: must be an integer between 1 and 65535, got 0. give a port the destination listens on',
      '1 protocol: must be TCP, UDP, SCTP, ICMP, got a string ("tcp"). write it in uppercase: TCP',
    ]);
  });

  test('the message is "<file>:<probe>: <field>: <problem>. <fix>"', () => {
    expect(() => parseProbes([{ ...BASE, id: 'web-to-db', port: 'Web_Port' }], 'probes.yaml')).toThrow(
      'probes.yaml:web-to-db: port: must be a port number or a port name, got a string ("Web_Port"). give a number 1-65535, or the name of a container port (a service port through a Service)',
    );
  });
});
