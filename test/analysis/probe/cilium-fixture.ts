/**
 * A small Cilium cluster for probe tests: two worker nodes and a kube-apiserver outside them, the cluster DNS,
 * pods with L7 HTTP rules, FQDN egress with and without the DNS proxy rule, entities, a host policy, a
 * hostNetwork pod, NetworkPolicy and CiliumNetworkPolicy on the same pod, and a deny.
 */
import { apiServerEndpoints, ccnp, cnp, Manifest, namespace, netpol, node, pod, service } from '../dialects/cilium/support';

const KUBE_DNS = { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } };
const tcp = (...ports: number[]): Manifest => ({ ports: ports.map((port) => ({ port: String(port), protocol: 'TCP' })) });

export const CLUSTER: readonly Manifest[] = [
  namespace('app'), namespace('other'), namespace('ops'), namespace('kube-system'), namespace('default'),
  node('n1', '10.1.0.1', { role: 'gateway' }), node('n2', '10.1.0.2'),
  apiServerEndpoints('172.18.0.2'),
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] } },
  pod('app/web', { labels: { app: 'web' }, node: 'n1', serviceAccount: 'web' }),
  pod('app/batch', { labels: { app: 'batch' }, node: 'n1' }),
  pod('app/api', { labels: { app: 'api' }, node: 'n2', ports: [{ port: 8080, name: 'http' }, { port: 9090 }, { port: 9100 }, { port: 10250 }] }),
  pod('app/db', { labels: { app: 'db' }, node: 'n2', ports: [{ port: 5432 }] }),
  pod('app/job', { labels: { app: 'job' } }),
  pod('other/client', { labels: { app: 'client' }, node: 'n1' }),
  pod('ops/agent', { labels: { app: 'agent' }, node: 'n1', hostNetwork: true, ip: '10.1.0.1' }),
  pod('kube-system/coredns', { labels: { 'k8s-app': 'kube-dns' }, node: 'n2', ports: [{ port: 53, protocol: 'UDP', name: 'dns' }, { port: 53, protocol: 'TCP', name: 'dns-tcp' }] }),
  { ...service('kube-system/kube-dns', { 'k8s-app': 'kube-dns' }), spec: { selector: { 'k8s-app': 'kube-dns' }, clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] } },
  { ...service('app/api', { app: 'api' }), spec: { selector: { app: 'api' }, clusterIP: '10.96.1.1', ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'grpc', port: 50051, targetPort: 9090 }] } },
  // web: DNS through the proxy for *.github.com and example.org, then the name api.github.com, its namespace, the API server, ICMP echo to other nodes, the world on 80 and 25, its own node's kubelet.
  cnp('app/web', {
    endpointSelector: { matchLabels: { app: 'web' } },
    egress: [
      { toEndpoints: [KUBE_DNS], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*.github.com' }, { matchName: 'example.org' }] } }] },
      { toFQDNs: [{ matchName: 'api.github.com' }], toPorts: [tcp(443)] },
      { toEndpoints: [{}] },
      { toEntities: ['kube-apiserver'], toPorts: [tcp(6443)] },
      { toEntities: ['remote-node'], icmps: [{ fields: [{ type: 8, family: 'IPv4' }] }] },
      { toEntities: ['world'], toPorts: [tcp(80, 25)] },
      { toEntities: ['host'], toPorts: [tcp(10250)] },
    ],
  }),
  // batch: DNS allowed at L4 only (no rules.dns): the DNS proxy never sees its lookups.
  cnp('app/batch', {
    endpointSelector: { matchLabels: { app: 'batch' } },
    egress: [
      { toEndpoints: [KUBE_DNS], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }] }] },
      { toFQDNs: [{ matchName: 'api.github.com' }], toPorts: [tcp(443)] },
    ],
  }),
  cnp('app/api', {
    endpointSelector: { matchLabels: { app: 'api' } },
    ingress: [
      {
        fromEndpoints: [{ matchLabels: { app: 'web' } }],
        toPorts: [{ ...tcp(8080), rules: { http: [{ method: 'GET', path: '/public/.*' }, { method: 'POST', path: '/orders', host: 'shop\\.example\\.com', headers: ['X-User'] }] } }],
      },
      { fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'other', 'app': 'client' } }], toPorts: [tcp(9090)] },
      { fromEntities: ['host'], toPorts: [tcp(10250)] },
      { fromEntities: ['remote-node'], toPorts: [tcp(9100)] },
      { fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ...tcp(9090), rules: { http: [{ method: 'POST', path: '/shop\\.Catalog/.*' }] } }] },
    ],
  }),
  // db: NetworkPolicy and CiliumNetworkPolicy both select it; a Cilium deny of the other namespace beats the NetworkPolicy's allow.
  netpol('app/db-np', {
    podSelector: { matchLabels: { app: 'db' } },
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } }], ports: [{ port: 5432 }] }],
  }),
  cnp('app/db', {
    endpointSelector: { matchLabels: { app: 'db' } },
    ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [tcp(5432)] }],
    ingressDeny: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'other' } }] }],
  }),
  // job: its own namespace only; where it runs is not given.
  cnp('app/job', { endpointSelector: { matchLabels: { app: 'job' } }, ingress: [{ fromEndpoints: [{}] }] }),
  // Every pod: no SMTP to the world, without making any pod default-deny.
  ccnp('no-smtp', { endpointSelector: {}, enableDefaultDeny: { egress: false }, egressDeny: [{ toEntities: ['world'], toPorts: [tcp(25)] }] }),
  // The gateway node: SSH and kubelet from the app namespace only.
  ccnp('gateway-host', {
    nodeSelector: { matchLabels: { role: 'gateway' } },
    ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'app' } }], toPorts: [tcp(22, 10250)] }],
  }),
];
