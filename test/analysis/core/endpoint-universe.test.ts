import { forEachBit } from '../../../src/analysis/core/bitset';
import { EndpointUniverse, UniversePod } from '../../../src/analysis/core/endpoint-universe';
import { externalEndpoints } from '../../../src/analysis/core/endpoints';
import { parseCidr, parseIpAddress } from '../../../src/analysis/core/ip-address';
import { makeSelector } from '../../../src/analysis/core/label-selector';

const members = (bits: Uint32Array): number[] => {
  const indices: number[] = [];
  forEachBit(bits, (index) => indices.push(index));
  return indices;
};

function pod(id: string, labels: Record<string, string>, extra: Partial<UniversePod> = {}): UniversePod {
  const [namespace, name] = id.split('/');
  return { id, namespace, name, labels: new Map(Object.entries(labels)), ips: [], ports: [], ...extra };
}

const namespaces = [
  { name: 'a', labels: new Map([['team', 'x']]) },
  { name: 'b', labels: new Map([['team', 'y']]) },
  { name: 'empty', labels: new Map([['team', 'x']]) },
];
const pods = [
  pod('a/web', { app: 'web' }, { ips: [parseIpAddress('10.0.0.1')!], ports: [{ port: 8080, protocol: 'TCP', name: 'http' }] }),
  pod('a/db', { app: 'db' }, { ports: [{ port: 5432, protocol: 'TCP', name: 'pg' }, { port: 53, protocol: 'UDP', name: 'http' }] }),
  pod('b/web', { app: 'web' }, { ips: [parseIpAddress('10.0.1.1')!], ports: [{ port: 80, protocol: 'TCP', name: 'http' }] }),
];
const universe = new EndpointUniverse(namespaces, pods, externalEndpoints({ api: '10.0.0.9' }));

describe('EndpointUniverse', () => {
  test('endpoints in report order: pods, then externals re-indexed after them', () => {
    expect(universe.endpoints.map((endpoint) => `${endpoint.index} ${endpoint.id} ${endpoint.kind}`)).toEqual([
      '0 a/web pod', '1 a/db pod', '2 b/web pod', '3 external:api external',
    ]);
    expect(universe.size).toBe(4);
    expect(universe.indexOf('external:api')).toBe(3);
    expect(universe.indexOf('nope')).toBeUndefined();
    expect(members(universe.all)).toEqual([0, 1, 2, 3]);
    expect(members(universe.none)).toEqual([]);
  });

  test('each namespace is a run of indices; a namespace without pods is an empty run', () => {
    expect(universe.namespaces.map((range) => [range.namespace.name, range.start, range.end])).toEqual([['a', 0, 2], ['b', 2, 3], ['empty', 0, 0]]);
    expect(universe.namespaceRange('b')).toEqual(expect.objectContaining({ start: 2, end: 3 }));
    expect(members(universe.namespacePods('a'))).toEqual([0, 1]);
    expect(members(universe.namespacePods('unknown'))).toEqual([]);
  });

  test('selections are cached per canonical selector and never include externals', () => {
    const web = universe.selectPods(makeSelector([{ key: 'app', operator: 'In', values: ['web'] }]));
    expect(members(web)).toEqual([0, 2]);
    expect(universe.selectPods(makeSelector([{ key: 'app', operator: 'In', values: ['web'] }]))).toBe(web);
    expect(members(universe.selectPods(makeSelector([{ key: 'app', operator: 'DoesNotExist', values: [] }])))).toEqual([]);
    expect(members(universe.selectNamespacePods(makeSelector([{ key: 'team', operator: 'In', values: ['x'] }])))).toEqual([0, 1]);
    expect(members(universe.selectNamespacePods(makeSelector([])))).toEqual([0, 1, 2]);
  });

  test('CIDR blocks select every endpoint with an address inside and outside the exceptions', () => {
    const block = { cidr: parseCidr('10.0.0.0/16')!, except: [parseCidr('10.0.1.0/24')!] };
    expect(members(universe.selectCidrBlock(block))).toEqual([0, 3]);
    expect(universe.selectCidrBlock({ cidr: parseCidr('10.0.0.0/16')!, except: [parseCidr('10.0.1.0/24')!] })).toBe(universe.selectCidrBlock(block));
  });

  test('named ports resolve by name, protocol and number, on pods only', () => {
    expect(members(universe.namedPortTargets('http', 'TCP', 8080))).toEqual([0]);
    expect(members(universe.namedPortTargets('http', 'TCP', 80))).toEqual([2]);
    expect(members(universe.namedPortTargets('http', 'UDP', 53))).toEqual([1]);
    expect(members(universe.namedPortTargets('http', 'UDP', 8080))).toEqual([]);
    expect(members(universe.namedPortTargets('none', 'TCP', 1))).toEqual([]);
  });
});
