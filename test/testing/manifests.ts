import { ApiObject, App, Chart } from 'cdk8s';

/** Namespaces, two pods and an ingress policy: alpha-web/frontend may reach alpha-data/backend on 8080/TCP, nothing else may. */
export function manifests(): Record<string, unknown>[] {
  const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } });
  const pod = (ns: string, name: string, port: number) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: port }] }] },
  });
  return [
    namespace('alpha-web'),
    namespace('alpha-data'),
    pod('alpha-web', 'frontend', 80),
    pod('alpha-data', 'backend', 8080),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'backend-ingress', namespace: 'alpha-data' },
      spec: {
        podSelector: { matchLabels: { app: 'backend' } },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'alpha-web' } }, podSelector: { matchLabels: { app: 'frontend' } } }],
          ports: [{ port: 8080, protocol: 'TCP' }],
        }],
      },
    },
  ];
}

/** The same objects as raw ApiObjects in a chart (cdk8s-plus would add defaults that are beside the point here). */
export function chartOf(app: App, id: string, objects: Record<string, unknown>[]): Chart {
  const chart = new Chart(app, id);
  objects.forEach((object, i) => {
    const { apiVersion, kind, ...rest } = object as { apiVersion: string; kind: string };
    new ApiObject(chart, `o${i}`, { apiVersion, kind, ...rest });
  });
  return chart;
}
