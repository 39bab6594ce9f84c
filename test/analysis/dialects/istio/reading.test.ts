/** Field-level issues for PeerAuthentication and AuthorizationPolicy, as the API server (CRD schema, CEL) and istiod refuse them. */
import { ap, Manifest, MESH, meshConfig, pa } from './support';
import { buildConnectivity } from '../../../../src/analysis/connectivity';
import { InvalidManifestsError } from '../../../../src/analysis/manifests/issues';

function issues(object: Manifest): string[] {
  try {
    buildConnectivity([...MESH, object], { mesh: 'istio' });
  } catch (error) {
    if (error instanceof InvalidManifestsError) return error.issues.map((issue) => `${issue.field ?? ''}: ${issue.message}`);
    throw error;
  }
  return [];
}

describe('reading Istio policies', () => {
  test.each([
    ['an unknown spec field', pa('shop/a', { mtls: { mode: 'STRICT' }, mtlsMode: 'STRICT' }), /^spec\.mtlsMode: unknown field/],
    ['a bad mode', pa('shop/a', { mtls: { mode: 'strict' } }), /^spec\.mtls\.mode: must be one of UNSET, DISABLE, PERMISSIVE, STRICT/],
    ['portLevelMtls without a selector', pa('shop/a', { portLevelMtls: { 8080: { mode: 'DISABLE' } } }), /^spec\.portLevelMtls: portLevelMtls requires selector/],
    ['a port out of range', pa('shop/a', { selector: { matchLabels: { app: 'web' } }, portLevelMtls: { 0: { mode: 'DISABLE' } } }), /^spec\.portLevelMtls\.0: port must be between 1-65535/],
    ['a wildcard in a selector', pa('shop/a', { selector: { matchLabels: { app: 'web*' } } }), /wildcard not allowed in label value match/],
    ['a bad creationTimestamp', pa('shop/a', {}, { creationTimestamp: 'yesterday' }), /^metadata\.creationTimestamp: must be an RFC 3339 time/],
    ['an unknown action', ap('shop/a', { action: 'REJECT' }), /^spec\.action: must be one of ALLOW, DENY, AUDIT, CUSTOM/],
    ['CUSTOM without a provider', ap('shop/a', { action: 'CUSTOM', rules: [{}] }), /^spec\.provider: is required with action CUSTOM/],
    ['a provider without CUSTOM', ap('shop/a', { provider: { name: 'opa' } }), /^spec\.provider: is only used with action CUSTOM/],
    ['selector and targetRefs together', ap('shop/a', { selector: { matchLabels: { app: 'web' } }, targetRefs: [{ kind: 'Service', name: 'web' }] }), /^spec: only one of targetRefs or selector can be set/],
    ['a misspelt source field', ap('shop/a', { rules: [{ from: [{ source: { principal: ['x'] } }] }] }), /^spec\.rules\[0\]\.from\[0\]\.source\.principal: unknown field/],
    ['serviceAccounts with principals', ap('shop/a', { rules: [{ from: [{ source: { serviceAccounts: ['a'], principals: ['x'] } }] }] }), /Cannot set serviceAccounts with namespaces or principals/],
    ['a bad ipBlock', ap('shop/a', { rules: [{ from: [{ source: { ipBlocks: ['10.0.0.0/33'] } }] }] }), /ipBlocks\[0\]: must be an IP address or CIDR/],
    ['a port that is a number, not a string', ap('shop/a', { rules: [{ to: [{ operation: { ports: [8080] } }] }] }), /ports\[0\]: must be a string/],
    ['a port out of range', ap('shop/a', { rules: [{ to: [{ operation: { ports: ['70000'] } }] }] }), /ports\[0\]: must be a port number/],
    ['an unknown condition key', ap('shop/a', { rules: [{ when: [{ key: 'source.user', values: ['x'] }] }] }), /when\[0\]\.key: unknown condition key "source\.user"/],
    ['a condition without values', ap('shop/a', { rules: [{ when: [{ key: 'source.ip' }] }] }), /when\[0\]: needs values or notValues/],
    ['a bad path template', ap('shop/a', { rules: [{ to: [{ operation: { paths: ['/a/{**}/b/{*}'] } }] }] }), /\{\*\*\} must be the last template operator/],
    ['a bad dry-run value', ap('shop/a', {}, { annotations: { 'istio.io/dry-run': 'yes' } }), /istio\.io\/dry-run: must be "true" or "false"/],
    ['a cross-namespace targetRef', ap('shop/a', { targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'gw', namespace: 'other' }] }), /cross namespace referencing is not currently supported/],
    ['a mesh config that is not YAML', meshConfig('rootNamespace: [\n'), /^data\.mesh: is not valid YAML/],
  ])('%s', (_name, object, message) => {
    expect(issues(object)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  test('valid policies of both versions read without issues', () => {
    expect(issues(pa('shop/a', { selector: { matchLabels: { app: 'web' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } }))).toEqual([]);
    expect(issues(ap('shop/b', {
      action: 'DENY',
      rules: [{ from: [{ source: { notPrincipals: ['*'], ipBlocks: ['10.0.0.1'] } }], to: [{ operation: { paths: ['/a/{*}/{**}'], ports: ['80'] } }], when: [{ key: 'request.headers[x]', values: ['y'] }] }],
    }, {}, 'security.istio.io/v1beta1'))).toEqual([]);
  });

  test('--mesh none leaves Istio kinds unread (noted as ignored)', () => {
    const computed = buildConnectivity([...MESH, ap('shop/a', { action: 'REJECT' })], { mesh: 'none' });
    expect(computed.notes.ignoredKinds).toEqual([{ kind: 'security.istio.io/v1/AuthorizationPolicy', count: 1 }]);
  });
});
