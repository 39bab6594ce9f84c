import { SourcedDocument } from '../../src/analysis';
import { combineWithRepresentatives } from '../../src/intent/combine';

let index = 0;
function doc(object: Record<string, unknown>, file = 'real.yaml'): SourcedDocument {
  return { source: { file, documentIndex: index++ }, object };
}

function representative(kind: string, namespace: string, name: string, represents: string, selector?: unknown): SourcedDocument {
  const annotations: Record<string, string> = { 'zero-trust.cdk8s.io/represents': represents };
  if (selector !== undefined) annotations['zero-trust.cdk8s.io/selector'] = typeof selector === 'string' ? selector : JSON.stringify(selector);
  return doc({ apiVersion: 'v1', kind, metadata: { name, ...(kind === 'Namespace' ? {} : { namespace }), annotations } }, 'zt-inventory.txt');
}

function names(documents: readonly SourcedDocument[]): string[] {
  return documents.map((d) => {
    const object = d.object as { kind: string; metadata: { name: string; namespace?: string } };
    return `${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
  });
}

const deployment = (name: string, namespace: string, labels: Record<string, string>) => doc({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [] } } },
});

describe('combineWithRepresentatives', () => {
  test('representatives fill in what the real objects lack', () => {
    const real = [doc({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } }), deployment('coredns', 'kube-system', { 'k8s-app': 'kube-dns' })];
    const representatives = [
      representative('Namespace', '', 'kube-system', 'namespace'),
      representative('Namespace', '', 'ingress', 'namespace'),
      representative('Pod', 'kube-system', 'kube-dns', 'dns', { matchLabels: { 'k8s-app': 'kube-dns' } }),
      representative('Pod', 'ingress', 'any-pod', 'namespace'),
      representative('Pod', 'web', 'api', 'workload', { matchLabels: { app: 'api' } }),
    ];
    const combined = combineWithRepresentatives(real, representatives);
    expect(combined.issues).toEqual([]);
    expect(names(combined.documents)).toEqual(['Namespace kube-system', 'Deployment kube-system/coredns', 'Namespace ingress', 'Pod ingress/any-pod', 'Pod web/api']);
  });

  test('a peer or DNS representative never renames the real object; a workload one renames one workload object', () => {
    const combined = combineWithRepresentatives(
      [deployment('api-c8a1b2', 'web', { app: 'api' }), deployment('dns-xyz', 'kube-system', { 'k8s-app': 'kube-dns' })],
      [
        representative('Pod', 'web', 'api', 'workload', { matchLabels: { app: 'api' } }),
        representative('Pod', 'kube-system', 'kube-dns', 'dns', { matchLabels: { 'k8s-app': 'kube-dns' } }),
      ],
    );
    expect(names(combined.documents)).toEqual(['Deployment web/api', 'Deployment kube-system/dns-xyz']);
  });

  test('the namespace pod gives way to any real workload object of its namespace', () => {
    const combined = combineWithRepresentatives([deployment('controller', 'ingress', { app: 'x' })], [representative('Pod', 'ingress', 'any-pod', 'namespace')]);
    expect(names(combined.documents)).toEqual(['Deployment ingress/controller']);
  });

  test('a workload object keeps its name when another object already has the workload name', () => {
    const combined = combineWithRepresentatives(
      [deployment('api-v2', 'web', { app: 'api', version: '2' }), doc({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api', namespace: 'web' } })],
      [representative('Pod', 'web', 'api', 'workload', { matchLabels: { app: 'api' } })],
    );
    expect(names(combined.documents)).toEqual(['Deployment web/api-v2', 'Pod web/api']);
  });

  test('damaged annotations are issues naming the field', () => {
    const combined = combineWithRepresentatives([], [
      representative('Pod', 'web', 'a', 'workload', '{not json'),
      representative('Pod', 'web', 'b', 'nothing'),
      representative('Pod', 'web', 'c', 'pods'),
      representative('Pod', 'web', 'd', 'pods', { matchLabels: { 'bad key!': 'x' } }),
    ]);
    expect(combined.documents).toEqual([]);
    expect(combined.issues.map((i) => `${i.field}: ${i.message.split(';')[0].split(':')[0]}`)).toEqual([
      'metadata.annotations.zero-trust.cdk8s.io/selector: must be a label selector in JSON',
      'metadata.annotations.zero-trust.cdk8s.io/represents: must be one of workload, pods, dns, namespace, got "nothing"',
      'metadata.annotations.zero-trust.cdk8s.io/selector: is required on a representative pod',
      'metadata.annotations.zero-trust.cdk8s.io/selector.matchLabels.bad key!: invalid label key "bad key!"',
    ]);
  });
});
