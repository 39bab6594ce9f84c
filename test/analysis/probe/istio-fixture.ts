/**
 * A small mesh for `--mesh istio` probe tests: namespace `shop` injected, `legacy` not; mesh-wide STRICT mTLS;
 * an allow-nothing baseline in `shop`; web admits GET/HEAD /api/* from api's identity; a NetworkPolicy lets
 * only `shop` pods reach api.
 */
export type Manifest = Record<string, unknown>;

const meta = (id: string, extra: Manifest = {}): Manifest => {
  const [namespace, name] = id.split('/');
  return { name, namespace, ...extra };
};

const pod = (id: string, serviceAccount: string, ip: string, ports: Manifest[] = [{ containerPort: 8080, name: 'http' }]): Manifest => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: meta(id, { labels: { app: id.split('/')[1] } }),
  spec: { serviceAccountName: serviceAccount, containers: [{ name: 'main', image: 'x', ports }] },
  status: { podIP: ip },
});

export const MESH_CLUSTER: readonly Manifest[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'legacy' } },
  pod('shop/web', 'web', '10.0.0.1'),
  pod('shop/api', 'api', '10.0.0.2'),
  pod('legacy/client', 'default', '10.0.1.1'),
  { apiVersion: 'v1', kind: 'Service', metadata: meta('shop/web'), spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
  { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: meta('istio-system/default'), spec: { mtls: { mode: 'STRICT' } } },
  { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: meta('shop/allow-nothing'), spec: {} },
  {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: meta('shop/web'),
    spec: {
      selector: { matchLabels: { app: 'web' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/api'] } }], to: [{ operation: { methods: ['GET', 'HEAD'], paths: ['/api/*'], ports: ['8080'] } }] }],
    },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta('shop/api-ingress'),
    spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
  },
];

/** A CUSTOM policy on web: the analyzer cannot know the provider's answer. */
export const CUSTOM_ON_WEB: Manifest = {
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: meta('shop/ext-authz'),
  spec: { selector: { matchLabels: { app: 'web' } }, action: 'CUSTOM', provider: { name: 'opa' }, rules: [{ to: [{ operation: { paths: ['/api/admin*'] } }] }] },
};

export const MESH_PROBES = `
- id: api-get
  from: shop/api
  to: shop/web
  port: 8080
  http: {method: GET, path: /api/items?page=2}
  expected: allow
- id: api-post
  from: shop/api
  to: shop/web
  port: 8080
  http: {method: POST, path: /api/items}
  expected: deny
- id: plaintext-client
  from: legacy/client
  to: shop/web
  port: 8080
  expected: deny
- id: api-without-mtls
  from: shop/api
  to: shop/web
  port: 8080
  clientMtls: false
  expected: deny
- id: through-service
  from: shop/api
  to: {service: shop/web}
  port: 80
  http: {method: GET, path: /api/x}
  expected: allow
- id: legacy-to-api
  from: legacy/client
  to: shop/api
  port: 8080
  expected: deny
`;
