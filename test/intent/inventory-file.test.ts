import * as path from 'path';
import { Testing } from 'cdk8s';
import { buildExamplePlatform } from '../../examples/example-platform';
import { intentInventory } from '../../src/intent/app-inventory';
import { formatInventory, INVENTORY_FILE, parseInventory } from '../../src/intent/inventory-file';

/**
 * Which files of a directory each deploy tool takes as manifests, as their sources and documentation state:
 * kubectl's file visitor (`.json`, `.yaml`, `.yml`), Argo CD's directory source (`yaml|yml|json|jsonnet`),
 * Flux's generated kustomization (`.yaml`, `.yml`).
 */
const PICKED_UP_BY: Record<string, (file: string) => boolean> = {
  'kubectl apply -f DIR': (file) => ['.json', '.yaml', '.yml'].includes(path.extname(file)),
  'Argo CD directory source': (file) => /^.*\.(yaml|yml|json|jsonnet)$/.test(file),
  'Flux kustomize-controller': (file) => ['.yaml', '.yml'].includes(path.extname(file)),
};

function exampleInventory(): string {
  return formatInventory(intentInventory([buildExamplePlatform(Testing.app())]));
}

describe('the inventory file', () => {
  test.each(Object.keys(PICKED_UP_BY))('is not picked up by %s', (tool) => {
    expect(PICKED_UP_BY[tool](INVENTORY_FILE)).toBe(false);
    expect(PICKED_UP_BY[tool]('platform.k8s.yaml')).toBe(true);
  });

  test('is deterministic, and reads back as the externals and the documents written', () => {
    const text = exampleInventory();
    expect(exampleInventory()).toBe(text);
    const read = parseInventory(text, INVENTORY_FILE);
    expect(read.issues).toEqual([]);
    expect(read.externals).toEqual({ '203.0.113.0-24': '203.0.113.1' });
    expect(read.externalPorts).toEqual({ '203.0.113.0-24': [{ port: 443, protocol: 'TCP' }] });
    expect(read.documents.map((d) => `${(d.object as { kind: string }).kind} ${(d.object as { metadata: { name: string } }).metadata.name}`)).toEqual([
      'Namespace ingress-nginx',
      // The mesh is on: istiod, which every meshed pod reaches on 15012.
      'Namespace istio-system',
      'Namespace kube-system',
      'Pod database',
      'Pod backend',
      'Pod frontend',
      'Pod database',
      'Pod backend',
      'Pod frontend',
      'Pod ingress-nginx',
      'Pod istiod',
      'Pod kube-dns',
      'Pod prometheus',
    ]);
    // Representative pods have no image: applied by mistake, the API server would refuse them.
    expect(text).not.toMatch(/image:/);
  });

  test('a damaged file is reported with its file, document and field', () => {
    const damaged = [
      'apiVersion: zero-trust.cdk8s.io/v1alpha1',
      'kind: ConnectivityInventory',
      'externals: { "bad name": 10.0.0.1, api: not-an-ip, ok: 192.0.2.1 }',
      'externalPorts: { ok: [443/TCP, 70000/TCP], unknown: [80/TCP] }',
    ].join('\n');
    const read = parseInventory(damaged, 'dist/zt-inventory.txt');
    expect(read.issues.map((i) => `${i.file}#${i.documentIndex} ${i.field}: ${i.message}`)).toEqual([
      'dist/zt-inventory.txt#0 externals.bad name: invalid name: use letters, digits, ".", "_" or "-" (it becomes the endpoint external:NAME)',
      'dist/zt-inventory.txt#0 externals.api: must be one IPv4 or IPv6 address, got a string ("not-an-ip")',
      'dist/zt-inventory.txt#0 externalPorts.ok[1]: must be PORT/PROTOCOL (1-65535, TCP, UDP or SCTP), e.g. 443/TCP, got a string ("70000/TCP")',
      'dist/zt-inventory.txt#0 externalPorts.unknown: "unknown" is not one of the externals',
    ]);
    expect(read.externals).toEqual({ ok: '192.0.2.1' });
  });

  test('a file without the header, or of another version, is refused', () => {
    expect(parseInventory('apiVersion: v1\nkind: Pod\nmetadata: { name: x }\n', 'x.txt').issues[0].message).toMatch(/no ConnectivityInventory header/);
    expect(parseInventory('apiVersion: zero-trust.cdk8s.io/v9\nkind: ConnectivityInventory\n', 'x.txt').issues[0].message).toMatch(/must be zero-trust.cdk8s.io\/v1alpha1/);
  });
});
