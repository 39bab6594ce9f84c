/**
 * The Istio semantics table: one row per rule, each a few policies on top of the MESH of support.ts, one
 * connection, and the verdict of the mesh layer (no NetworkPolicy, so the network layer allows everything).
 * Sources, cited per group:
 * - PA: https://istio.io/latest/docs/reference/config/security/peer_authentication/ and
 *   https://istio.io/latest/docs/concepts/security/#peer-authentication; DISABLE and sidecar-less behaviour from
 *   istio/istio tests/integration/security/pass_through_filter_chain_test.go and reachability_test.go;
 * - injection: https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/#controlling-the-injection-policy;
 * - AP: https://istio.io/latest/docs/reference/config/security/authorization-policy/,
 *   https://istio.io/latest/docs/concepts/security/#authorization-policies, TCP:
 *   https://istio.io/latest/docs/tasks/security/authorization/authz-tcp/, conditions:
 *   https://istio.io/latest/docs/reference/config/security/conditions/, dry-run:
 *   https://istio.io/latest/docs/tasks/security/authorization/authz-dry-run/.
 */
import { ap, get, Manifest, meshConfig, MeshVerdict, ns, pa, pod, tcp, verdict } from './support';
import { ApplicationRequest, ConnectionProbe } from '../../../../src/analysis/dialect';

interface Row {
  readonly rule: string;
  readonly objects: readonly Manifest[];
  readonly from: string;
  readonly to: string;
  readonly probe?: ConnectionProbe;
  readonly request?: ApplicationRequest;
  readonly expected: MeshVerdict;
  readonly base?: readonly Manifest[];
}

const STRICT = { mtls: { mode: 'STRICT' } };
const PERMISSIVE = { mtls: { mode: 'PERMISSIVE' } };
const meshStrict = pa('istio-system/default', STRICT);
const web = { matchLabels: { app: 'web' } };
const allowNothing = (namespace: string): Manifest => ap(`${namespace}/allow-nothing`, {});
const allowFrom = (source: Manifest, extra: Manifest = {}): Manifest => ap('shop/web-allow', { selector: web, rules: [{ from: [{ source }], ...extra }] });
const allowTo = (operation: Manifest, extra: Manifest = {}): Manifest => ap('shop/web-allow', { selector: web, rules: [{ to: [{ operation }], ...extra }] });
const allowWhen = (when: Manifest[]): Manifest => ap('shop/web-allow', { selector: web, rules: [{ when }] });
const denyRule = (rule: Manifest, name = 'web-deny'): Manifest => ap(`shop/${name}`, { selector: web, action: 'DENY', rules: [rule] });
const plaintext: ApplicationRequest = { mtls: false };
const mtls: ApplicationRequest = { mtls: true };

const PEER_AUTHENTICATION: Row[] = [
  { rule: 'no PeerAuthentication: PERMISSIVE, plaintext from a sidecar-less client passes', objects: [], from: 'legacy/client', to: 'shop/web', expected: 'allow' },
  { rule: 'mesh-wide STRICT (root namespace, no selector) refuses plaintext', objects: [meshStrict], from: 'legacy/client', to: 'shop/web', expected: 'deny' },
  { rule: 'mesh-wide STRICT: a sidecar client speaks auto mTLS and passes', objects: [meshStrict], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'namespace PERMISSIVE overrides mesh STRICT', objects: [meshStrict, pa('shop/default', PERMISSIVE)], from: 'legacy/client', to: 'shop/web', expected: 'allow' },
  { rule: 'workload DISABLE overrides namespace STRICT', objects: [pa('shop/default', STRICT), pa('shop/web', { selector: web, mtls: { mode: 'DISABLE' } })], from: 'legacy/client', to: 'shop/web', expected: 'allow' },
  { rule: 'DISABLE: auto mTLS sends plaintext, so a sidecar client passes', objects: [pa('shop/web', { selector: web, mtls: { mode: 'DISABLE' } })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'DISABLE: a client that sends Istio mTLS anyway fails', objects: [pa('shop/web', { selector: web, mtls: { mode: 'DISABLE' } })], from: 'shop/api', to: 'shop/web', request: mtls, expected: 'deny' },
  { rule: 'portLevelMtls PERMISSIVE on 8080 under namespace STRICT: 8080 takes plaintext', objects: [pa('shop/default', STRICT), pa('shop/web', { selector: web, portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } })], from: 'legacy/client', to: 'shop/web', expected: 'allow' },
  { rule: 'portLevelMtls: other ports keep the inherited STRICT', objects: [pa('shop/default', STRICT), pa('shop/web', { selector: web, portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } })], from: 'legacy/client', to: 'shop/web', probe: tcp(8081), expected: 'deny' },
  { rule: 'UNSET on a workload inherits the namespace STRICT', objects: [pa('shop/default', STRICT), pa('shop/web', { selector: web, mtls: { mode: 'UNSET' } })], from: 'legacy/client', to: 'shop/web', expected: 'deny' },
  { rule: 'a selector PeerAuthentication in the root namespace is ignored', objects: [pa('istio-system/web', { selector: web, ...STRICT })], from: 'legacy/client', to: 'shop/web', expected: 'allow' },
  {
    rule: 'two namespace-wide PeerAuthentications: the oldest (creationTimestamp) wins',
    objects: [pa('shop/newer', STRICT, { creationTimestamp: '2024-02-01T00:00:00Z' }), pa('shop/older', PERMISSIVE, { creationTimestamp: '2024-01-01T00:00:00Z' })],
    from: 'legacy/client',
    to: 'shop/web',
    expected: 'allow',
  },
  { rule: 'without timestamps the earlier in the input is older', objects: [pa('shop/first', STRICT), pa('shop/second', PERMISSIVE)], from: 'legacy/client', to: 'shop/web', expected: 'deny' },
  { rule: 'clientMtls: false from a sidecar client under STRICT is refused', objects: [meshStrict], from: 'shop/api', to: 'shop/web', request: plaintext, expected: 'deny' },
  { rule: 'a destination without a sidecar enforces nothing (auto mTLS sends it plaintext)', objects: [meshStrict, allowNothing('legacy')], from: 'shop/api', to: 'legacy/client', expected: 'allow' },
  { rule: 'Istio mTLS to a destination without a sidecar fails', objects: [], from: 'shop/api', to: 'legacy/client', request: mtls, expected: 'deny' },
  { rule: 'v1beta1 PeerAuthentication reads the same', objects: [pa('istio-system/default', STRICT, {}, 'security.istio.io/v1beta1')], from: 'legacy/client', to: 'shop/web', expected: 'deny' },
  { rule: 'root namespace from the mesh config: its selector-less PeerAuthentication is mesh-wide', objects: [meshConfig('rootNamespace: mesh-root\n'), ns('mesh-root'), pa('mesh-root/default', STRICT)], from: 'legacy/client', to: 'shop/web', expected: 'deny' },
  { rule: 'with another root namespace, istio-system is an ordinary namespace', objects: [meshConfig('rootNamespace: mesh-root\n'), ns('mesh-root'), meshStrict], from: 'legacy/client', to: 'shop/web', expected: 'allow' },
];

const INJECTION: Row[] = [
  { rule: 'namespace label istio.io/rev injects', objects: [allowNothing('rev')], from: 'legacy/client', to: 'rev/worker', expected: 'deny' },
  { rule: 'pod label sidecar.istio.io/inject=true injects in an unlabeled namespace', objects: [allowNothing('legacy')], from: 'shop/api', to: 'legacy/opted', expected: 'deny' },
  { rule: 'namespace istio-injection=disabled beats the pod label', objects: [allowNothing('off')], from: 'shop/api', to: 'off/forced', expected: 'allow' },
  { rule: 'pod annotation sidecar.istio.io/inject=false opts out', objects: [allowNothing('shop')], from: 'shop/api', to: 'shop/optout', expected: 'allow' },
  { rule: 'ambient mode is not judged: undetermined, counted as denied', objects: [], from: 'shop/api', to: 'ambient/app', expected: 'undetermined' },
];

const AUTHORIZATION: Row[] = [
  { rule: 'no AuthorizationPolicy: allowed', objects: [], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'allow-nothing (spec: {}) denies', objects: [allowNothing('shop')], from: 'shop/api', to: 'shop/web', expected: 'deny' },
  { rule: 'ALLOW rules: [{}] allows everything', objects: [ap('shop/all', { rules: [{}] })], from: 'legacy/client', to: 'shop/web', expected: 'allow' },
  { rule: 'DENY rules: [{}] denies everything', objects: [ap('shop/none', { action: 'DENY', rules: [{}] })], from: 'shop/api', to: 'shop/web', expected: 'deny' },
  { rule: 'DENY without rules does nothing', objects: [ap('shop/noop', { action: 'DENY' })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'DENY beats ALLOW', objects: [ap('shop/all', { rules: [{}] }), ap('shop/none', { action: 'DENY', rules: [{}] })], from: 'shop/api', to: 'shop/web', expected: 'deny' },
  { rule: 'AUDIT never decides', objects: [ap('shop/audit', { action: 'AUDIT', rules: [{}] })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'principals: the caller\'s <td>/ns/<ns>/sa/<sa> matches', objects: [allowFrom({ principals: ['cluster.local/ns/shop/sa/api'] })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'principals: another service account does not', objects: [allowFrom({ principals: ['cluster.local/ns/shop/sa/api'] })], from: 'shop/db', to: 'shop/web', expected: 'deny' },
  { rule: 'principals need mTLS: a plaintext client never matches, even "*"', objects: [allowFrom({ principals: ['*'] })], from: 'legacy/client', to: 'shop/web', expected: 'deny' },
  { rule: 'principals: prefix match', objects: [allowFrom({ principals: ['cluster.local/ns/shop/*'] })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'trust domain from the mesh config', objects: [meshConfig('trustDomain: example.org\n'), allowFrom({ principals: ['example.org/ns/shop/sa/api'] })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'DENY on positive namespaces is bypassed by plaintext (PERMISSIVE)', objects: [denyRule({ from: [{ source: { namespaces: ['legacy'] } }] })], from: 'legacy/client', to: 'shop/web', expected: 'allow' },
  { rule: 'DENY notPrincipals ["*"] catches plaintext', objects: [denyRule({ from: [{ source: { notPrincipals: ['*'] } }] })], from: 'legacy/client', to: 'shop/web', expected: 'deny' },
  { rule: 'DENY notPrincipals ["*"] lets mTLS clients through', objects: [denyRule({ from: [{ source: { notPrincipals: ['*'] } }] })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'namespaces match the caller\'s namespace over mTLS', objects: [allowFrom({ namespaces: ['shop'] })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'notNamespaces: a plaintext client matches (empty namespace)', objects: [allowFrom({ notNamespaces: ['shop'] })], from: 'legacy/client', to: 'shop/web', expected: 'allow' },
  { rule: 'serviceAccounts <sa> names the policy\'s namespace', objects: [allowFrom({ serviceAccounts: ['api'] })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'serviceAccounts <ns>/<sa> of another account does not match', objects: [allowFrom({ serviceAccounts: ['shop/db'] })], from: 'shop/api', to: 'shop/web', expected: 'deny' },
  { rule: 'ipBlocks: the connection\'s source address', objects: [allowFrom({ ipBlocks: ['10.0.1.0/24'] })], from: 'legacy/client', to: 'shop/web', expected: 'allow' },
  { rule: 'notIpBlocks: excludes the block', objects: [allowFrom({ notIpBlocks: ['10.0.1.0/24'] })], from: 'legacy/client', to: 'shop/web', expected: 'deny' },
  {
    rule: 'remoteIpBlocks: X-Forwarded-For trusted with numTrustedProxies',
    objects: [meshConfig('defaultConfig:\n  gatewayTopology:\n    numTrustedProxies: 1\n'), allowFrom({ remoteIpBlocks: ['203.0.113.0/24'] })],
    from: 'legacy/client',
    to: 'shop/web',
    request: get('/', { headers: { 'X-Forwarded-For': '203.0.113.7' } }),
    expected: 'allow',
  },
  { rule: 'remoteIpBlocks: without trusted proxies the remote address is the source', objects: [allowFrom({ remoteIpBlocks: ['203.0.113.0/24'] })], from: 'legacy/client', to: 'shop/web', request: get('/', { headers: { 'x-forwarded-for': '203.0.113.7' } }), expected: 'deny' },
  { rule: 'requestPrincipals: a request without a JWT has none', objects: [allowFrom({ requestPrincipals: ['*'] })], from: 'shop/api', to: 'shop/web', request: get('/'), expected: 'deny' },
  { rule: 'requestPrincipals: a JWT the analyzer cannot validate is undetermined', objects: [allowFrom({ requestPrincipals: ['*'] })], from: 'shop/api', to: 'shop/web', request: get('/', { headers: { authorization: 'Bearer x' } }), expected: 'undetermined' },
  { rule: 'notRequestPrincipals: a request without a JWT matches', objects: [allowFrom({ notRequestPrincipals: ['*'] })], from: 'shop/api', to: 'shop/web', request: get('/'), expected: 'allow' },
  { rule: 'methods: GET allowed', objects: [allowTo({ methods: ['GET'] })], from: 'shop/api', to: 'shop/web', request: get('/'), expected: 'allow' },
  { rule: 'methods: POST not allowed', objects: [allowTo({ methods: ['GET'] })], from: 'shop/api', to: 'shop/web', request: get('/', { method: 'POST' }), expected: 'deny' },
  { rule: 'notMethods', objects: [allowTo({ notMethods: ['DELETE'] })], from: 'shop/api', to: 'shop/web', request: get('/', { method: 'DELETE' }), expected: 'deny' },
  { rule: 'paths: the query string is not compared', objects: [allowTo({ paths: ['/allow'] })], from: 'shop/api', to: 'shop/web', request: get('/allow?param=value'), expected: 'allow' },
  { rule: 'paths: DENY on an exact path catches it with a query string', objects: [ap('shop/all', { rules: [{}] }), denyRule({ to: [{ operation: { paths: ['/allow/admin'] } }] })], from: 'shop/api', to: 'shop/web', request: get('/allow/admin?param=value'), expected: 'deny' },
  { rule: 'paths: prefix *', objects: [allowTo({ paths: ['/api/*'] })], from: 'shop/api', to: 'shop/web', request: get('/api/v1/items'), expected: 'allow' },
  { rule: 'paths: suffix *', objects: [allowTo({ paths: ['*.png'] })], from: 'shop/api', to: 'shop/web', request: get('/img/a.png'), expected: 'allow' },
  { rule: 'paths: exact does not cover a sub-path', objects: [allowTo({ paths: ['/public'] })], from: 'shop/api', to: 'shop/web', request: get('/public/x'), expected: 'deny' },
  { rule: 'paths: {*} is one non-empty segment', objects: [allowTo({ paths: ['/foo/{*}/bar'] })], from: 'shop/api', to: 'shop/web', request: get('/foo//bar'), expected: 'deny' },
  { rule: 'paths: {**} is any run, / included', objects: [allowTo({ paths: ['/store/{**}/cart'] })], from: 'shop/api', to: 'shop/web', request: get('/store/a/b/cart'), expected: 'allow' },
  { rule: 'paths: a trailing /{**} needs its /', objects: [allowTo({ paths: ['/allow/admin/{**}'] })], from: 'shop/api', to: 'shop/web', request: get('/allow/admin'), expected: 'deny' },
  { rule: 'hosts: case-insensitive, with or without the port', objects: [allowTo({ hosts: ['Web.Shop.svc'] })], from: 'shop/api', to: 'shop/web', request: get('/', { host: 'web.shop.svc:8080' }), expected: 'allow' },
  { rule: 'notHosts', objects: [allowTo({ notHosts: ['*.internal'] })], from: 'shop/api', to: 'shop/web', request: get('/', { host: 'a.internal' }), expected: 'deny' },
  { rule: 'ports: the workload port, exactly', objects: [allowTo({ ports: ['8080'] })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'notPorts', objects: [allowTo({ notPorts: ['8080'] })], from: 'shop/api', to: 'shop/web', expected: 'deny' },
  { rule: 'TCP (declared tcp-postgres): an ALLOW rule with methods never matches', objects: [ap('shop/db', { selector: { matchLabels: { app: 'db' } }, rules: [{ to: [{ operation: { methods: ['GET'] } }] }] })], from: 'shop/api', to: 'shop/db', probe: tcp(5432), expected: 'deny' },
  {
    rule: 'TCP: a DENY rule drops its HTTP fields and matches more (methods POST + ports 5432 denies all of 5432)',
    objects: [ap('shop/db', { selector: { matchLabels: { app: 'db' } }, action: 'DENY', rules: [{ to: [{ operation: { methods: ['POST'], ports: ['5432'] } }] }] })],
    from: 'shop/api',
    to: 'shop/db',
    probe: tcp(5432),
    expected: 'deny',
  },
  { rule: 'a TLS payload is TCP to the proxy: ALLOW methods never match it', objects: [allowTo({ methods: ['GET'] })], from: 'shop/api', to: 'shop/web', request: { tls: {}, ...get('/') }, expected: 'deny' },
  { rule: 'HTTP port without a request: an ALLOW rule with HTTP fields admits the connection (requests filtered one by one)', objects: [allowTo({ methods: ['GET'] })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'HTTP port without a request: a DENY rule with HTTP fields does not refuse the connection', objects: [denyRule({ to: [{ operation: { methods: ['POST'] } }] })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'undeclared port: Istio sniffs HTTP, so http probes are judged as HTTP', objects: [allowTo({ paths: ['/ok'] })], from: 'shop/api', to: 'shop/web', probe: tcp(8081), request: get('/no'), expected: 'deny' },
  { rule: 'when request.headers[...]', objects: [allowWhen([{ key: 'request.headers[X-User]', values: ['alice'] }])], from: 'shop/api', to: 'shop/web', request: get('/', { headers: { 'x-user': 'alice' } }), expected: 'allow' },
  { rule: 'when notValues', objects: [allowWhen([{ key: 'request.headers[x-user]', notValues: ['mallory'] }])], from: 'shop/api', to: 'shop/web', request: get('/', { headers: { 'x-user': 'mallory' } }), expected: 'deny' },
  { rule: 'when source.namespace needs mTLS', objects: [allowWhen([{ key: 'source.namespace', values: ['legacy'] }])], from: 'legacy/client', to: 'shop/web', expected: 'deny' },
  { rule: 'when source.principal', objects: [allowWhen([{ key: 'source.principal', values: ['cluster.local/ns/shop/sa/api'] }])], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'when source.ip CIDR', objects: [allowWhen([{ key: 'source.ip', values: ['10.0.0.0/24'] }])], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'when destination.port', objects: [allowWhen([{ key: 'destination.port', values: ['8081'] }])], from: 'shop/api', to: 'shop/web', expected: 'deny' },
  { rule: 'when destination.ip', objects: [allowWhen([{ key: 'destination.ip', values: ['10.0.0.1'] }])], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'when experimental.envoy.filters.*: cannot judge', objects: [allowWhen([{ key: 'experimental.envoy.filters.network.mysql_proxy[db.table]', values: ['[update]'] }])], from: 'shop/api', to: 'shop/web', expected: 'undetermined' },
  { rule: 'when request.auth.claims without a JWT: empty, so values never match', objects: [allowWhen([{ key: 'request.auth.claims[iss]', values: ['*'] }])], from: 'shop/api', to: 'shop/web', request: get('/'), expected: 'deny' },
  { rule: 'CUSTOM that matches: the provider decides, undetermined (never a silent allow)', objects: [ap('shop/ext', { action: 'CUSTOM', provider: { name: 'opa' }, rules: [{}] })], from: 'shop/api', to: 'shop/web', expected: 'undetermined' },
  { rule: 'CUSTOM that matches, and a DENY rule: denied whatever the provider says', objects: [ap('shop/ext', { action: 'CUSTOM', provider: { name: 'opa' }, rules: [{}] }), ap('shop/none', { action: 'DENY', rules: [{}] })], from: 'shop/api', to: 'shop/web', expected: 'deny' },
  { rule: 'CUSTOM whose rules do not match does not decide', objects: [ap('shop/ext', { action: 'CUSTOM', provider: { name: 'opa' }, rules: [{ to: [{ operation: { ports: ['9999'] } }] }] })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'a source without an address: ipBlocks cannot be judged', objects: [allowFrom({ ipBlocks: ['10.0.0.0/8'] })], from: 'shop/nip', to: 'shop/web', expected: 'undetermined', base: undefined },
  { rule: 'dry-run DENY is reported, not enforced', objects: [ap('shop/none', { action: 'DENY', rules: [{}] }, { annotations: { 'istio.io/dry-run': 'true' } })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'a dry-run ALLOW does not make the workload deny-by-default', objects: [ap('shop/only-db', { rules: [{ from: [{ source: { principals: ['x'] } }] }] }, { annotations: { 'istio.io/dry-run': 'true' } })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'root-namespace policy without selector applies mesh-wide', objects: [allowNothing('istio-system')], from: 'shop/api', to: 'shop/web', expected: 'deny' },
  { rule: 'root-namespace policy with a selector applies in every namespace', objects: [ap('istio-system/web', { selector: web, action: 'DENY', rules: [{}] })], from: 'shop/api', to: 'shop/web', expected: 'deny' },
  { rule: 'a namespace policy\'s selector stays in its namespace', objects: [ap('legacy/web', { selector: web, action: 'DENY', rules: [{}] })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'targetRefs to a Service bind waypoints, never a sidecar', objects: [ap('shop/svc', { targetRefs: [{ kind: 'Service', group: '', name: 'web' }], action: 'DENY', rules: [{}] })], from: 'shop/api', to: 'shop/web', expected: 'allow' },
  { rule: 'UDP is not proxied by the sidecar', objects: [allowNothing('shop')], from: 'shop/api', to: 'shop/web', probe: { port: 8080, protocol: 'UDP' }, expected: 'allow' },
  { rule: 'a port excluded from interception bypasses the sidecar', objects: [allowNothing('shop')], from: 'shop/api', to: 'shop/skip', expected: 'allow' },
  { rule: 'the proxy\'s own ports (15090, 15021, status 15020) bypass its inbound listener', objects: [allowNothing('shop')], from: 'shop/api', to: 'shop/web', probe: tcp(15090), expected: 'allow' },
  { rule: 'the status port bypasses the sidecar', objects: [allowNothing('shop')], from: 'shop/api', to: 'shop/web', probe: tcp(15020), expected: 'allow' },
  { rule: 'other ports of the 150xx range are intercepted', objects: [allowNothing('shop')], from: 'shop/api', to: 'shop/web', probe: tcp(15017), expected: 'deny' },
  { rule: 'v1beta1 AuthorizationPolicy reads the same', objects: [ap('shop/none', { action: 'DENY', rules: [{}] }, {}, 'security.istio.io/v1beta1')], from: 'shop/api', to: 'shop/web', expected: 'deny' },
];

const EXTRA_PODS: readonly Manifest[] = [
  pod('shop/nip', { serviceAccount: 'nip' }),
  pod('shop/skip', { annotations: { 'traffic.sidecar.istio.io/excludeInboundPorts': '8080' }, ip: '10.0.0.9' }),
];

describe('Istio semantics', () => {
  describe.each([
    ['PeerAuthentication', PEER_AUTHENTICATION],
    ['sidecar injection', INJECTION],
    ['AuthorizationPolicy', AUTHORIZATION],
  ] as const)('%s', (_group, rows) => {
    test.each(rows.map((row) => [row.rule, row] as const))('%s', (_rule, row) => {
      const objects = [...EXTRA_PODS, ...row.objects];
      expect(verdict(objects, row.from, row.to, row.probe ?? tcp(8080), row.request)).toBe(row.expected);
    });
  });
});
