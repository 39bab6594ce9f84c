import '../../src/testing/setup';
import { App, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { failureOf } from './failure-of';
import { chartOf, manifests } from './manifests';
import { toAllowConnection } from '../../src/testing';

const FRONTEND_TO_BACKEND = { from: 'alpha-web/frontend', to: 'alpha-data/backend', port: 8080 };
const BACKEND_TO_BACKEND = { from: 'alpha-data/backend', to: 'alpha-data/backend', port: 8080 };

/** The message of a failed expectation. */
describe('toAllowConnection', () => {
  test('on an array of manifest objects', () => {
    expect(manifests()).toAllowConnection(FRONTEND_TO_BACKEND);
    expect(manifests()).not.toAllowConnection(BACKEND_TO_BACKEND);
    expect(manifests()).not.toAllowConnection({ ...FRONTEND_TO_BACKEND, port: 9090 });
    expect(manifests()).toAllowConnection({ from: 'alpha-data/backend', to: 'alpha-web/frontend', port: 80, protocol: 'TCP' });
  });

  test('on a YAML string', () => {
    const yaml = manifests().map((m) => stringify(m)).join('---\n');
    expect(yaml).toAllowConnection(FRONTEND_TO_BACKEND);
    expect(yaml).not.toAllowConnection(BACKEND_TO_BACKEND);
  });

  test('on a cdk8s Chart and on an App spanning several charts', () => {
    const app = Testing.app();
    const [namespaces, pods, policy] = [manifests().slice(0, 2), manifests().slice(2, 4), manifests().slice(4)];
    const podChart = chartOf(app, 'pods', pods);
    chartOf(app, 'namespaces', namespaces);
    chartOf(app, 'policies', policy);
    expect(app).toAllowConnection(FRONTEND_TO_BACKEND);
    expect(app).not.toAllowConnection(BACKEND_TO_BACKEND);
    // The pods chart alone has no policy: everything is open.
    expect(podChart).toAllowConnection(BACKEND_TO_BACKEND);
  });

  test('externals can be declared in the expectation', () => {
    expect(manifests()).toAllowConnection({ from: 'alpha-web/frontend', to: 'external:dns', port: 53, protocol: 'UDP', externals: { dns: '10.0.0.10' } });
    expect(manifests()).not.toAllowConnection({ from: 'external:dns', to: 'alpha-data/backend', port: 8080, externals: { dns: '10.0.0.10' } });
  });

  test('a failure explains why the connection is denied', () => {
    const message = failureOf(() => expect(manifests()).toAllowConnection(BACKEND_TO_BACKEND));
    expect(message).toContain('.toAllowConnection(');
    expect(message).toContain('Expected alpha-data/backend -> alpha-data/backend on 8080/TCP to be allowed, but it is denied.');
    expect(message).toContain('DENIED: alpha-data/backend -> alpha-data/backend on 8080/TCP (blocked by ingress of alpha-data/backend)');
    expect(message).toContain('  selected by: alpha-data/backend-ingress');
    expect(message).toContain('  allowed by: no rule');
  });

  test('a .not failure shows the rule that allows the connection', () => {
    const message = failureOf(() => expect(manifests()).not.toAllowConnection(FRONTEND_TO_BACKEND));
    expect(message).toContain('.not.toAllowConnection(');
    expect(message).toContain('Expected alpha-web/frontend -> alpha-data/backend on 8080/TCP not to be allowed, but it is.');
    expect(message).toContain('ALLOWED: alpha-web/frontend -> alpha-data/backend on 8080/TCP');
    expect(message).toContain('alpha-data/backend-ingress ingress[0]:');
  });

  test('an unknown endpoint fails even under .not, listing the endpoints that exist', () => {
    const typo = { from: 'alpha-web/frontent', to: 'alpha-data/backend', port: 8080 };
    expect(() => expect(manifests()).not.toAllowConnection(typo)).toThrow(/alpha-web\/frontent[\s\S]*Endpoints in the input: alpha-data\/backend, alpha-web\/frontend\./);
    expect(() => expect(manifests()).toAllowConnection(typo)).toThrow(/alpha-web\/frontent/);
  });

  test('invalid manifests fail with the issues', () => {
    const broken = [...manifests(), { apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'alpha-web' } }];
    expect(() => expect(broken).toAllowConnection(FRONTEND_TO_BACKEND)).toThrow(/the manifests are invalid:\n<memory>#5: /);
    expect(() => expect('a: [').toAllowConnection(FRONTEND_TO_BACKEND)).toThrow(/<yaml>#0: invalid YAML/);
  });

  test('bad arguments say what is expected', () => {
    expect(() => expect(manifests()).toAllowConnection({ ...FRONTEND_TO_BACKEND, port: 0 })).toThrow('port must be an integer 1-65535, got 0');
    expect(() => expect(manifests()).toAllowConnection({ ...FRONTEND_TO_BACKEND, protocol: 'HTTP' as never })).toThrow('protocol must be TCP, UDP or SCTP');
    expect(() => expect(42).toAllowConnection(FRONTEND_TO_BACKEND)).toThrow('expected a cdk8s App or Chart, an array of manifest objects, or a YAML string; got number 42.');
    expect(() => expect(new Map()).toAllowConnection(FRONTEND_TO_BACKEND)).toThrow('got an instance of Map.');
  });

  test('App detection does not depend on this copy of cdk8s', () => {
    const app = new App();
    chartOf(app, 'all', manifests());
    const lookalike = { charts: app.charts, synthYaml: () => '' };
    expect(lookalike).toAllowConnection(FRONTEND_TO_BACKEND);
  });

  test('is a plain function that can be called with any context providing matcherHint', () => {
    const result = toAllowConnection.call({ isNot: false, utils: { matcherHint: () => 'HINT' } }, manifests(), BACKEND_TO_BACKEND);
    expect(result.pass).toBe(false);
    expect(result.message().startsWith('HINT\n\nExpected')).toBe(true);
  });
});
