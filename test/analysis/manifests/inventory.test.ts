import { computeConnectivity, InvalidManifestsError, ManifestIssue } from '../../../src/analysis';
import { normalizeInput } from '../../../src/analysis/manifests/documents';
import { buildInventory } from '../../../src/analysis/manifests/inventory';
import { ObjectReader } from '../../../src/analysis/manifests/object-kinds';
import { namespace, netpol, pod } from '../helpers';

function issuesOf(objects: unknown[]): ManifestIssue[] {
  try {
    computeConnectivity(objects);
  } catch (error) {
    if (error instanceof InvalidManifestsError) return error.issues;
    throw error;
  }
  return [];
}

describe('inventory', () => {
  test('workloads take labels and ports from their pod template, not their own metadata', () => {
    const inventory = buildInventory(normalizeInput([{
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', labels: { owner: 'deployment' } },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 53, protocol: 'UDP' }] }] } } },
    }]));
    expect(inventory.issues).toEqual([]);
    expect(inventory.pods).toEqual([expect.objectContaining({
      id: 'shop/web',
      kind: 'Deployment',
      labels: new Map([['app', 'web']]),
      ips: [],
      ports: [{ port: 80, protocol: 'TCP', name: 'http' }, { port: 53, protocol: 'UDP' }],
    })]);
  });

  test('namespace labels include kubernetes.io/metadata.name, overriding a conflicting value', () => {
    const inventory = buildInventory(normalizeInput([namespace('shop', { 'team': 'a', 'kubernetes.io/metadata.name': 'other' })]));
    expect(inventory.namespaces[0].labels).toEqual(new Map([['team', 'a'], ['kubernetes.io/metadata.name', 'shop']]));
  });

  test('dual-stack pods are matched by every address in status.podIPs', () => {
    const objects = [
      { ...pod('ns/dual'), status: { podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] } },
      pod('ns/server'),
      netpol('ns/p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 'fd00::/64' } }] }] }),
    ];
    expect(computeConnectivity(objects).isAllowed('ns/dual', 'ns/server', { port: 80, protocol: 'TCP' })).toBe(true);
  });

  test('documents without kind or apiVersion, and non-objects, are issues', () => {
    expect(issuesOf([42, { apiVersion: 'v1', metadata: { name: 'x' } }, { kind: 'Pod', metadata: { name: 'x' } }, []])).toEqual([
      { file: '<memory>', documentIndex: 0, message: 'document must be an object, got a number (42)' },
      { file: '<memory>', documentIndex: 1, field: 'kind', message: 'is required' },
      { file: '<memory>', documentIndex: 2, field: 'apiVersion', message: 'is required' },
    ]);
  });

  test('invalid pod fields are issues', () => {
    const bad = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns', labels: { 'app': 'ok', 'bad key!': 'x' } },
      spec: { containers: [{ name: 'c', ports: [{ containerPort: 0 }, { containerPort: 80, protocol: 'tcp' }, { containerPort: 81, name: 'Web' }] }] },
      status: { podIP: '10.0.0.256' },
    };
    expect(issuesOf([bad]).map((issue) => `${issue.field}: ${issue.message}`)).toEqual([
      expect.stringMatching(/^metadata\.labels\.bad key!: invalid label key/),
      'spec.containers[0].ports[0].containerPort: must be an integer between 1 and 65535, got 0',
      'spec.containers[0].ports[1].protocol: must be TCP, UDP or SCTP (uppercase), got "tcp"',
      'spec.containers[0].ports[2].name: invalid port name: must contain only lowercase alphanumerics and \'-\'',
      'status.podIP: invalid IP address "10.0.0.256"',
    ]);
  });

  test('a workload without a pod template is an issue', () => {
    expect(issuesOf([{ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'ns' }, spec: { jobTemplate: {} } }])).toEqual([
      { file: '<memory>', documentIndex: 0, object: 'CronJob ns/c', field: 'spec.jobTemplate.spec', message: 'is required' },
    ]);
  });

  test('duplicate pods and namespaces are issues', () => {
    expect(issuesOf([namespace('ns'), pod('ns/a'), namespace('ns'), pod('ns/a')]).map((issue) => `${issue.documentIndex} ${issue.message}`)).toEqual([
      '2 duplicate Namespace ns: already defined at <memory>#0',
      '3 duplicate Pod ns/a: already defined at <memory>#1',
    ]);
  });

  test('a pod and a workload that would share an endpoint id are an issue', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'ns' }, spec: { template: { spec: {} } } };
    expect(issuesOf([pod('ns/a'), deployment])).toEqual([expect.objectContaining({
      documentIndex: 1,
      message: 'endpoint ns/a is also produced by Pod ns/a at <memory>#0; rename one of them',
    })]);
  });

  test('invalid namespace names are issues', () => {
    expect(issuesOf([namespace('Bad.Name'), pod('UPPER/a')]).map((issue) => issue.field)).toEqual(['metadata.name', 'metadata.namespace']);
  });
});

describe('inventory: objects of other kinds', () => {
  const thingReader = (namespaced: boolean): { read: string[]; reader: ObjectReader } => {
    const read: string[] = [];
    return {
      read,
      reader: {
        kinds: [{ apiVersion: 'example.dev/v1', kind: 'Thing', namespaced }],
        read: (_object, identity) => {
          read.push(`${identity.kind} ${identity.namespace ?? '-'} ${identity.name}`);
        },
      },
    };
  };
  const thing = (name: string, ns?: string, apiVersion = 'example.dev/v1'): unknown => ({
    apiVersion, kind: 'Thing', metadata: { name, ...(ns ? { namespace: ns } : {}) }, spec: {},
  });

  test('are offered to the reader of their exact apiVersion and kind, after their metadata is checked', () => {
    const { read, reader } = thingReader(true);
    const inventory = buildInventory(normalizeInput([thing('a', 'ns'), thing('b'), thing('c', 'ns', 'example.dev/v2'), thing('a', 'ns')]), [reader]);
    expect(read).toEqual(['Thing ns a', 'Thing default b']);
    expect(inventory.notes.ignoredKinds).toEqual([{ kind: 'example.dev/v2/Thing', count: 1 }]);
    // Their namespace is referenced, so it is assumed; a duplicate is an issue, as for any object.
    expect(inventory.notes.assumedNamespaces).toEqual(['default', 'ns']);
    expect(inventory.issues).toEqual([expect.objectContaining({ documentIndex: 3, object: 'Thing ns/a', message: 'duplicate Thing ns/a: already defined at <memory>#0' })]);
  });

  test('a kind of another API group is another resource: the same name is no duplicate; versions of one group are', () => {
    const read: string[] = [];
    const reader: ObjectReader = {
      kinds: [{ apiVersion: 'example.dev/v1', kind: 'Thing', namespaced: true }, { apiVersion: 'example.dev/v2', kind: 'Thing', namespaced: true },
        { apiVersion: 'other.dev/v1', kind: 'Thing', namespaced: true }],
      read: (object, identity) => {
        read.push(`${(object as { apiVersion: string }).apiVersion} ${identity.namespace} ${identity.name}`);
      },
    };
    const inventory = buildInventory(normalizeInput([thing('a', 'ns'), thing('a', 'ns', 'other.dev/v1'), thing('a', 'ns', 'example.dev/v2')]), [reader]);
    expect(read).toEqual(['example.dev/v1 ns a', 'other.dev/v1 ns a']);
    expect(inventory.issues).toEqual([expect.objectContaining({ documentIndex: 2, message: 'duplicate Thing ns/a: already defined at <memory>#0' })]);
  });

  test('cluster-scoped kinds have no namespace', () => {
    const { read, reader } = thingReader(false);
    const inventory = buildInventory(normalizeInput([thing('a', 'ignored')]), [reader]);
    expect(read).toEqual(['Thing - a']);
    expect(inventory.notes.assumedNamespaces).toEqual([]);
  });

  test('without a reader, they are counted as ignored', () => {
    expect(buildInventory(normalizeInput([thing('a', 'ns'), thing('b', 'ns')])).notes.ignoredKinds).toEqual([{ kind: 'example.dev/v1/Thing', count: 2 }]);
  });
});
