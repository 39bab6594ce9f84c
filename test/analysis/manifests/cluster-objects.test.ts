import { computeConnectivity, InvalidManifestsError, ManifestIssue } from '../../../src/analysis';
import { EndpointUniverse } from '../../../src/analysis/core/endpoint-universe';
import { externalEndpoints } from '../../../src/analysis/core/endpoints';
import { parseIpAddress } from '../../../src/analysis/core/ip-address';
import { normalizeInput } from '../../../src/analysis/manifests/documents';
import { buildInventory } from '../../../src/analysis/manifests/inventory';
import { pod } from '../helpers';

function inventoryOf(objects: unknown[]): ReturnType<typeof buildInventory> {
  return buildInventory(normalizeInput(objects));
}

function issuesOf(objects: unknown[]): string[] {
  try {
    computeConnectivity(objects);
  } catch (error) {
    if (error instanceof InvalidManifestsError) return error.issues.map((issue: ManifestIssue) => `${issue.field}: ${issue.message}`);
    throw error;
  }
  return [];
}

const node = (name: string, addresses: { type: string; address: unknown }[], labels: Record<string, string> = {}): unknown => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, status: { addresses },
});

describe('inventory: pod placement', () => {
  test('serviceAccountName (default "default"), nodeName and hostNetwork of pods and workload templates', () => {
    const scheduled = { ...pod('ns/a'), spec: { nodeName: 'node-1', serviceAccountName: 'web', hostNetwork: true, containers: [] } };
    const deprecated = { ...pod('ns/b'), spec: { serviceAccount: 'legacy', containers: [] } };
    const daemonSet = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'ns' },
      spec: { template: { metadata: { labels: { app: 'agent' } }, spec: { hostNetwork: true, serviceAccountName: 'agent', containers: [] } } },
    };
    const inventory = inventoryOf([scheduled, deprecated, pod('ns/c'), daemonSet]);
    expect(inventory.issues).toEqual([]);
    expect(inventory.pods.map(({ id, serviceAccount, nodeName, hostNetwork }) => ({ id, serviceAccount, nodeName, hostNetwork }))).toEqual([
      { id: 'ns/a', serviceAccount: 'web', nodeName: 'node-1', hostNetwork: true },
      { id: 'ns/agent', serviceAccount: 'agent', nodeName: undefined, hostNetwork: true },
      { id: 'ns/b', serviceAccount: 'legacy', nodeName: undefined, hostNetwork: false },
      { id: 'ns/c', serviceAccount: 'default', nodeName: undefined, hostNetwork: false },
    ]);
  });

  test('invalid placement fields are issues', () => {
    const bad = { ...pod('ns/a'), spec: { nodeName: 'Node_1', serviceAccountName: 7, hostNetwork: 'yes', containers: [] } };
    expect(issuesOf([bad])).toEqual([
      'spec.serviceAccountName: must be a string, got a number (7)',
      expect.stringMatching(/^spec\.nodeName: must be a lowercase RFC 1123 subdomain/),
      'spec.hostNetwork: must be true or false, got a string ("yes")',
    ]);
  });
});

describe('inventory: Nodes, ServiceAccounts and cluster facts', () => {
  test('Nodes keep their labels and InternalIP/ExternalIP addresses, sorted by name', () => {
    const inventory = inventoryOf([
      node('node-2', [{ type: 'InternalIP', address: '10.1.0.2' }]),
      node('node-1', [{ type: 'Hostname', address: 'node-1' }, { type: 'InternalIP', address: '10.1.0.1' }, { type: 'ExternalIP', address: '198.51.100.1' }, { type: 'InternalIP', address: '10.1.0.1' }], { zone: 'a' }),
    ]);
    expect(inventory.issues).toEqual([]);
    expect(inventory.nodes.map((n) => ({ name: n.name, labels: Object.fromEntries(n.labels), ips: n.ips.length }))).toEqual([
      { name: 'node-1', labels: { zone: 'a' }, ips: 2 },
      { name: 'node-2', labels: {}, ips: 1 },
    ]);
  });

  test('a Node address that is not an IP is an issue; duplicate Nodes too', () => {
    expect(issuesOf([node('n', [{ type: 'InternalIP', address: 'n.example' }]), node('n', [])])).toEqual([
      'status.addresses[0].address: must be an IPv4 or IPv6 address, got a string ("n.example")',
      'metadata.name: duplicate Node n: already defined at <memory>#0',
    ]);
  });

  test('ServiceAccount labels', () => {
    const inventory = inventoryOf([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop', labels: { tier: 'front' } } }]);
    expect(inventory.serviceAccounts).toEqual([{ id: 'shop/web', namespace: 'shop', name: 'web', labels: new Map([['tier', 'front']]) }]);
    expect(inventory.notes.ignoredKinds).toEqual([]);
  });

  test('apiserver addresses come from the EndpointSlice and Endpoints of default/kubernetes only', () => {
    const inventory = inventoryOf([
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['172.18.0.2'] }, { addresses: ['172.18.0.3'] }],
      },
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default' }, subsets: [{ addresses: [{ ip: '172.18.0.2' }, { ip: '172.18.0.4' }] }] },
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] },
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } } },
    ]);
    expect(inventory.issues).toEqual([]);
    expect(inventory.apiServerAddresses).toEqual(['172.18.0.2', '172.18.0.3', '172.18.0.4'].map((ip) => parseIpAddress(ip)));
    expect(inventory.notes.ignoredKinds).toEqual([{ kind: 'discovery.k8s.io/v1/EndpointSlice', count: 1 }, { kind: 'v1/Endpoints', count: 1 }]);
  });

  test('the cluster name comes from kube-system/cilium-config, "default" otherwise; other ConfigMaps stay ignored', () => {
    const config = (namespace: string, name: string, data: Record<string, unknown>): unknown => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });
    expect(inventoryOf([]).clusterName).toBe('default');
    const inventory = inventoryOf([config('kube-system', 'cilium-config', { 'cluster-name': 'east' }), config('kube-system', 'other', { 'cluster-name': 'west' })]);
    expect(inventory.clusterName).toBe('east');
    expect(inventory.notes.ignoredKinds).toEqual([{ kind: 'v1/ConfigMap', count: 1 }]);
    expect(issuesOf([config('kube-system', 'cilium-config', { 'cluster-name': 3 })])).toEqual(['data.cluster-name: must be a non-empty string, got a number (3)']);
  });

  test('zt analyze: Nodes are not endpoints and are noted as not evaluated', () => {
    const connectivity = computeConnectivity([pod('ns/a'), node('node-1', [{ type: 'InternalIP', address: '10.1.0.1' }])]);
    expect(connectivity.endpoints).toEqual(['ns/a']);
    expect(connectivity.notes.ignoredKinds).toEqual([{ kind: 'v1/Node', count: 1 }]);
  });
});

describe('EndpointUniverse: nodes and cluster facts', () => {
  test('nodes follow the externals, with their own name as nodeName; pods carry their placement', () => {
    const universe = new EndpointUniverse(
      [{ name: 'ns', labels: new Map() }],
      [{ id: 'ns/a', namespace: 'ns', name: 'a', labels: new Map(), ips: [], ports: [], serviceAccount: 'web', nodeName: 'node-1', hostNetwork: true }],
      externalEndpoints({ api: '192.0.2.1' }),
      { nodes: [{ name: 'node-1', labels: new Map([['zone', 'a']]), ips: [parseIpAddress('10.1.0.1')!] }], apiServerAddresses: [parseIpAddress('10.1.0.1')!], clusterName: 'east' },
    );
    expect(universe.endpoints.map((e) => `${e.index} ${e.id} ${e.kind}`)).toEqual(['0 ns/a pod', '1 external:api external', '2 node:node-1 node']);
    expect(universe.endpoints[0]).toMatchObject({ serviceAccount: 'web', nodeName: 'node-1', hostNetwork: true });
    expect(universe.endpoints[2]).toMatchObject({ name: 'node-1', nodeName: 'node-1' });
    expect(universe.endpoints[2].namespace).toBeUndefined();
    expect(universe.clusterName).toBe('east');
    expect(universe.apiServerAddresses).toHaveLength(1);
    // Nodes are never selected by pod selectors.
    expect(universe.namespacePods('ns')[0]).toBe(1);
  });

  test('defaults: no nodes, no apiserver address, cluster "default"', () => {
    const universe = new EndpointUniverse([], [], []);
    expect(universe.apiServerAddresses).toEqual([]);
    expect(universe.clusterName).toBe('default');
    expect(universe.serviceAccounts.size).toBe(0);
  });
});
