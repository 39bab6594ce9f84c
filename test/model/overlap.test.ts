import { combine, denyPeersRelation, endpointRelation, portRelation, portsRelation, subjectRelation } from '../../src/model/overlap';
import { Port } from '../../src/model/port';
import { Endpoint } from '../../src/model/resolved';
import { normalizeSelector } from '../../src/model/selector';

const cidr = (block: string, except: string[] = []): Endpoint => ({ kind: 'cidr', cidr: block, except });
const entity = (e: 'kube-apiserver' | 'local-node' | 'remote-nodes' | 'world' | 'cluster'): Endpoint => ({ kind: 'entity', entity: e, addresses: [] });
const namespace = (name: string): Endpoint => ({ kind: 'namespace', namespace: name, managed: true });
const workload = (ns: string, name: string, serviceAccount?: string): Endpoint => ({
  kind: 'workload', namespace: ns, name, selector: normalizeSelector({ matchLabels: { app: name } }), serviceAccount,
});
const fqdn = (value: string): Endpoint => ({ kind: 'fqdn', match: value.startsWith('*.') ? 'pattern' : 'name', value });

describe('ports', () => {
  test.each([
    [Port.all(), Port.tcp(80), 'covered'],
    [Port.tcp(80), Port.all(), 'overlap'],
    [Port.allTcp(), Port.tcpRange(1, 90), 'covered'],
    [Port.allTcp(), Port.udp(53), 'disjoint'],
    [Port.tcpRange(80, 90), Port.tcp(85), 'covered'],
    [Port.tcpRange(80, 90), Port.tcpRange(85, 95), 'overlap'],
    [Port.tcpRange(80, 90), Port.tcp(91), 'disjoint'],
    [Port.tcp(80), Port.named('http'), 'overlap'],
    [Port.named('http'), Port.named('http'), 'covered'],
    [Port.named('http', 'UDP'), Port.tcp(80), 'disjoint'],
  ] as const)('%s against %s: %s', (deny, allow, expected) => {
    expect(portRelation(deny.spec, allow.spec)).toBe(expected);
  });

  test('a list is covered only when every allowed port is', () => {
    expect(portsRelation([Port.tcp(80).spec, Port.tcp(443).spec], [Port.tcp(443).spec])).toBe('covered');
    expect(portsRelation([Port.tcp(80).spec], [Port.tcp(443).spec, Port.tcp(80).spec])).toBe('overlap');
    expect(portsRelation([Port.tcp(80).spec], [Port.udp(80).spec])).toBe('disjoint');
  });
});

describe('far ends', () => {
  test.each<[string, Endpoint, Endpoint, string]>([
    ['a host inside an allowed CIDR', cidr('169.254.169.254/32'), cidr('0.0.0.0/0'), 'overlap'],
    ['a CIDR holding the allowed one', cidr('10.0.0.0/8'), cidr('10.1.0.0/16'), 'covered'],
    ['a CIDR the allow excepts', cidr('169.254.169.254/32'), cidr('0.0.0.0/0', ['169.254.169.254/32']), 'disjoint'],
    ['a CIDR whose except lets part of the allow through', cidr('10.0.0.0/8', ['10.1.0.0/16']), cidr('10.1.2.0/24'), 'disjoint'],
    ['a CIDR whose except is partly in the allow', cidr('10.0.0.0/8', ['10.1.0.0/16']), cidr('10.0.0.0/8'), 'overlap'],
    ['disjoint CIDRs', cidr('10.0.0.0/8'), cidr('192.168.0.0/16'), 'disjoint'],
    ['an IPv4-mapped IPv6 block', cidr('::ffff:a9fe:a9fe/128'), cidr('0.0.0.0/0'), 'overlap'],
    ['CIDRs never hold pods', cidr('0.0.0.0/0'), namespace('web'), 'disjoint'],
    ['a CIDR and a name', cidr('0.0.0.0/0'), fqdn('api.github.com'), 'overlap'],
    ['the world holds names', entity('world'), fqdn('api.github.com'), 'covered'],
    ['the world and pods', entity('world'), workload('web', 'api'), 'disjoint'],
    ['the world and addresses', entity('world'), cidr('203.0.113.0/24'), 'overlap'],
    ['the cluster holds pods and nodes', entity('cluster'), workload('web', 'api'), 'covered'],
    ['the cluster and the nodes', entity('cluster'), entity('remote-nodes'), 'covered'],
    ['the cluster and the world', entity('cluster'), entity('world'), 'disjoint'],
    ['the own node and other nodes', entity('local-node'), entity('remote-nodes'), 'disjoint'],
    ['the API server and an address', entity('kube-apiserver'), cidr('172.18.0.2/32'), 'overlap'],
    ['a namespace holds its workloads', namespace('web'), workload('web', 'api'), 'covered'],
    ['a namespace and another', namespace('web'), workload('db', 'api'), 'disjoint'],
    ['a workload and the namespace', workload('web', 'api'), namespace('web'), 'overlap'],
    ['two workloads of one namespace', workload('web', 'api'), workload('web', 'db'), 'disjoint'],
    ['a pattern holds a name under it', fqdn('*.example.com'), fqdn('a.example.com'), 'covered'],
  ])('%s', (_, deny, allow, expected) => {
    expect(endpointRelation(deny, allow)).toBe(expected);
  });

  test('a restriction refuses everything but the pods of its namespaces', () => {
    const onlyMonitoring = { kind: 'all-but', namespaces: ['monitoring'] } as const;
    expect(denyPeersRelation(onlyMonitoring, workload('monitoring', 'prometheus'))).toBe('disjoint');
    expect(denyPeersRelation(onlyMonitoring, workload('web', 'api'))).toBe('covered');
    expect(denyPeersRelation(onlyMonitoring, cidr('0.0.0.0/0'))).toBe('covered');
    expect(denyPeersRelation(onlyMonitoring, entity('cluster'))).toBe('overlap');
  });
});

describe('subjects', () => {
  test('cluster-wide covers every pod, namespaces theirs, a workload only itself', () => {
    expect(subjectRelation({ kind: 'cluster' }, { kind: 'namespace', namespace: 'kube-system', managed: false })).toBe('covered');
    expect(subjectRelation({ kind: 'cluster' }, cidr('0.0.0.0/0'))).toBe('disjoint');
    expect(subjectRelation({ kind: 'namespaces', namespaces: ['web'] }, workload('web', 'api'))).toBe('covered');
    expect(subjectRelation({ kind: 'namespaces', namespaces: ['web'] }, workload('db', 'api'))).toBe('disjoint');
    const api = { namespace: 'web', name: 'api', path: 'p', selector: normalizeSelector({ matchLabels: { app: 'api' } }) };
    expect(subjectRelation({ kind: 'workload', workload: api }, workload('web', 'api'))).toBe('covered');
    expect(subjectRelation({ kind: 'workload', workload: api }, namespace('web'))).toBe('overlap');
    expect(subjectRelation({ kind: 'workload', workload: api }, workload('web', 'db'))).toBe('disjoint');
  });

  test('combining: any disjoint part makes it disjoint, all covered makes it covered', () => {
    expect(combine('covered', 'covered')).toBe('covered');
    expect(combine('covered', 'overlap')).toBe('overlap');
    expect(combine('overlap', 'disjoint')).toBe('disjoint');
  });
});
