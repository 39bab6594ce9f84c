/** What the inventory reads about the cluster itself: nodes, pod placement, the API server's addresses, the cluster name. */
import { normalizeInput } from '../../../src/analysis/manifests/documents';
import { buildInventory } from '../../../src/analysis/manifests/inventory';

const inventory = (objects: unknown[]): ReturnType<typeof buildInventory> => buildInventory(normalizeInput(objects));

describe('inventory of the cluster', () => {
  test('Node objects: name, labels, InternalIP and ExternalIP addresses', () => {
    const { nodes, issues } = inventory([{
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', labels: { role: 'worker' } },
      status: { addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'n1' }, { type: 'ExternalIP', address: '2001:db8::1' }] },
    }]);
    expect(issues).toEqual([]);
    expect(nodes).toHaveLength(1);
    expect(nodes[0].name).toBe('n1');
    expect(Object.fromEntries(nodes[0].labels)).toEqual({ role: 'worker' });
    expect(nodes[0].ips.map((ip) => ip.family)).toEqual([4, 6]);
  });

  test('a bad node address is an issue', () => {
    const { issues } = inventory([{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { addresses: [{ type: 'InternalIP', address: 'x' }] } }]);
    expect(issues).toEqual([expect.objectContaining({ field: 'status.addresses[0].address', object: 'Node n1' })]);
  });

  test('pods: service account (default "default"), node and hostNetwork', () => {
    const { pods } = inventory([
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'x' }, spec: { nodeName: 'n1', serviceAccountName: 'sa', hostNetwork: true } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'x' }, spec: { serviceAccount: 'legacy' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'c', namespace: 'x' }, spec: { template: { metadata: { labels: { app: 'c' } }, spec: {} } } },
    ]);
    expect(pods.map(({ id, serviceAccount, nodeName, hostNetwork }) => ({ id, serviceAccount, nodeName, hostNetwork }))).toEqual([
      { id: 'x/a', serviceAccount: 'sa', nodeName: 'n1', hostNetwork: true },
      { id: 'x/b', serviceAccount: 'legacy', nodeName: undefined, hostNetwork: false },
      { id: 'x/c', serviceAccount: 'default', nodeName: undefined, hostNetwork: false },
    ]);
  });

  test('hostNetwork must be a boolean', () => {
    const { issues } = inventory([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'x' }, spec: { hostNetwork: 'yes' } }]);
    expect(issues).toEqual([expect.objectContaining({ field: 'spec.hostNetwork' })]);
  });

  test('the API server: Endpoints and EndpointSlices of default/kubernetes, de-duplicated', () => {
    const { apiServerAddresses, notes } = inventory([
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default' }, subsets: [{ addresses: [{ ip: '172.18.0.3' }] }] },
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } }, endpoints: [{ addresses: ['172.18.0.3', '172.18.0.4'] }] },
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'other', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] },
    ]);
    expect(apiServerAddresses).toHaveLength(2);
    expect(notes.ignoredKinds).toEqual([{ kind: 'v1/Endpoints', count: 1 }]);
  });

  test('the cluster name from kube-system/cilium-config, "default" otherwise', () => {
    expect(inventory([]).clusterName).toBe('default');
    const { clusterName, notes } = inventory([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace: 'kube-system' }, data: { 'cluster-name': 'east' } }]);
    expect(clusterName).toBe('east');
    expect(notes.ignoredKinds).toEqual([]);
  });
});
