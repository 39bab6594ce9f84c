/**
 * Services as inventory: a destination given as a Service resolves to its backend pods (selector) on the
 * targetPort, and the policies see the pod and that port, not the Service port.
 */
import '../../src/testing/setup';
import { computeConnectivity, explainTarget, InvalidManifestsError, isServiceExplanation, ServiceExplanation, ServiceRouteError } from '../../src/analysis';
import { formatServiceExplanation } from '../../src/analysis/report';

function pod(name: string, labels: Record<string, string>, ports: { name?: string; containerPort: number }[] = []): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'web', labels }, spec: { containers: [{ name: 'main', image: 'x', ports }] } };
}

function service(name: string, spec: Record<string, unknown>, namespace = 'web'): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec };
}

/** backend-1 names 8080 `http`, backend-2 names 9090 `http`, backend-3 has no `http`; only 8080 from the frontend is allowed in. */
function manifests(extra: Record<string, unknown>[] = []): Record<string, unknown>[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } },
    pod('frontend', { app: 'frontend' }),
    pod('backend-1', { app: 'backend' }, [{ name: 'http', containerPort: 8080 }]),
    pod('backend-2', { app: 'backend' }, [{ name: 'http', containerPort: 9090 }]),
    pod('backend-3', { app: 'backend' }, [{ containerPort: 8080 }]),
    service('backend', {
      selector: { app: 'backend' },
      clusterIP: '10.96.0.20',
      ports: [{ name: 'web', port: 80, targetPort: 'http' }, { name: 'direct', port: 81, targetPort: 8080 }, { name: 'same', port: 8080 }],
    }),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'backend-ingress', namespace: 'web' },
      spec: {
        podSelector: { matchLabels: { app: 'backend' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 8080 }] }],
      },
    },
    ...extra,
  ];
}

function throughService(to: string, port: number, input = manifests(), from = 'web/frontend'): ServiceExplanation {
  const result = explainTarget(input, { from, to, port });
  if (!isServiceExplanation(result)) throw new Error(`expected a Service explanation for ${to}`);
  return result;
}

describe('connections through a Service', () => {
  test('a named targetPort resolves per backend pod; a pod without the name gets no traffic on that port', () => {
    const result = throughService('svc:web/backend', 80);
    expect(result.verdict).toBe('partial');
    expect(result.backends.map((b) => [b.endpoint, b.targetPort, b.explanation?.allowed, b.excluded === undefined])).toEqual([
      ['web/backend-1', 8080, true, true],
      ['web/backend-2', 9090, false, true],
      ['web/backend-3', undefined, undefined, false],
    ]);
    expect(result.backends[2].excluded).toMatch(/no container port named "http" \(TCP\)/);
    const text = formatServiceExplanation(result);
    expect(text.split('\n')[0]).toBe('PARTLY ALLOWED: web/frontend -> Service web/backend on 80/TCP (1 of 2 backend pods allow it)');
    expect(text).toContain('Backend web/backend-2, target port 9090/TCP:\n  DENIED: web/frontend -> web/backend-2 on 9090/TCP');
  });

  test('a numeric targetPort, or none, reaches every backend on that port: policies see 8080, not the service port', () => {
    expect(throughService('svc:web/backend', 81).verdict).toBe('allowed');
    expect(throughService('svc:web/backend', 8080).backends.map((b) => b.targetPort)).toEqual([8080, 8080, 8080]);
  });

  test('the Service is named as svc:NAME, NAMESPACE/NAME, NAME in the source namespace, or its cluster IP', () => {
    for (const to of ['svc:web/backend', 'svc:backend', 'web/backend', 'backend', '10.96.0.20']) {
      expect([to, throughService(to, 81).service]).toEqual([to, 'web/backend']);
    }
  });

  test('a pod of the same id wins over the Service; svc: picks the Service', () => {
    const input = manifests([pod('backend', { app: 'other' }, [{ containerPort: 80 }])]);
    expect(isServiceExplanation(explainTarget(input, { from: 'web/frontend', to: 'web/backend', port: 80 }))).toBe(false);
    expect(throughService('svc:web/backend', 81, input).service).toBe('web/backend');
  });

  test('what cannot be routed is an error that says why', () => {
    expect(() => throughService('svc:web/backend', 82)).toThrow(
      new ServiceRouteError('Service web/backend has no port 82/TCP; its ports: 80/TCP (web) -> http, 81/TCP (direct) -> 8080, 8080/TCP (same) -> 8080. Give the service port, not the container port.'),
    );
    const input = manifests([service('manual', { ports: [{ port: 80 }] }), service('alias', { type: 'ExternalName', externalName: 'example.com' })]);
    expect(() => throughService('svc:web/manual', 80, input)).toThrow(/has no selector: its endpoints are managed by hand/);
    expect(() => throughService('svc:web/alias', 80, input)).toThrow(/is of type ExternalName/);
    expect(() => throughService('svc:web/backnd', 80)).toThrow(/Unknown endpoint "svc:web\/backnd"\. Did you mean: svc:web\/backend/);
    expect(() => throughService('backend', 81, manifests(), 'web/backend-1')).not.toThrow();
    expect(() => explainTarget(manifests(), { from: 'svc:web/backend', to: 'web/frontend', port: 80 })).toThrow(/connections start at pods/);
    expect(() => explainTarget(manifests(), { from: 'external:client', to: 'backend', port: 81 }, { externals: { client: '192.0.2.1' } })).toThrow(
      /"backend" is a short Service name, which resolves in the source's namespace.*name the namespace: svc:web\/backend/,
    );
  });

  test('a Service whose selector selects no pod has no backend: denied', () => {
    const input = manifests([service('empty', { selector: { app: 'none' }, ports: [{ port: 80 }] })]);
    const result = throughService('svc:web/empty', 80, input);
    expect(result.verdict).toBe('denied');
    expect(formatServiceExplanation(result)).toContain('(the Service has no backend pod for this port)');
  });

  test('Services no longer count as ignored objects, and stay out of the endpoints', () => {
    const connectivity = computeConnectivity(manifests());
    expect(connectivity.notes.ignoredKinds).toEqual([]);
    expect(connectivity.endpoints).toEqual(['web/backend-1', 'web/backend-2', 'web/backend-3', 'web/frontend']);
  });

  test('toAllowConnection through a Service passes only when every backend allows it, and .not only when none does', () => {
    expect(manifests()).toAllowConnection({ from: 'web/frontend', to: 'svc:web/backend', port: 81 });
    expect(manifests()).not.toAllowConnection({ from: 'web/backend-1', to: 'svc:web/backend', port: 81 });
    expect(() => expect(manifests()).toAllowConnection({ from: 'web/frontend', to: 'backend', port: 80 })).toThrow(/allowed by some backends and denied by others/);
    expect(() => expect(manifests()).not.toAllowConnection({ from: 'web/frontend', to: 'backend', port: 80 })).toThrow(/not to be allowed by any backend/);
  });
});

describe('reading Services', () => {
  function issuesOf(spec: Record<string, unknown>, name = 'svc'): string[] {
    try {
      computeConnectivity([service(name, spec)]);
    } catch (error) {
      if (error instanceof InvalidManifestsError) return error.issues.map((i) => `${i.field}: ${i.message}`);
      throw error;
    }
    return [];
  }

  test('fields are validated as the API server does, each problem naming its field', () => {
    expect(issuesOf({
      type: 'Cluster',
      selector: { 'bad key!': 'x' },
      clusterIP: '10.96.0.300',
      ports: [{ port: 0 }, { name: 'b', port: 80, protocol: 'tcp', targetPort: '8080' }, { name: 'b', port: 81, targetPort: 70000 }],
    })).toEqual([
      'spec.type: must be one of ClusterIP, NodePort, LoadBalancer, ExternalName, got a string ("Cluster")',
      'spec.selector.bad key!: invalid label key "bad key!": the name part must consist of alphanumerics, \'-\', \'_\' or \'.\', starting and ending with an alphanumeric',
      'spec.clusterIP: must be an IP address, "None" or empty, got a string ("10.96.0.300")',
      'spec.ports[0].port: must be an integer between 1 and 65535, got 0',
      'spec.ports[0].name: is required when the Service has more than one port',
      'spec.ports[1].protocol: must be TCP, UDP or SCTP (uppercase), got "tcp"',
      'spec.ports[1].targetPort: invalid port name "8080": must contain at least one letter (a number must be given as a number, not a string)',
      'spec.ports[2].name: duplicate port name "b": spec.ports[1] has it too',
      'spec.ports[2].targetPort: must be an integer between 1 and 65535 or a port name, got 70000',
    ]);
    expect(issuesOf({ ports: [{ port: 80 }] }, '1svc')).toEqual([
      expect.stringMatching(/^metadata.name: invalid Service name "1svc": must be a DNS-1035 label/),
    ]);
    expect(issuesOf({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] })).toEqual(['spec.ports[1].port: duplicate port 80/TCP: spec.ports[0] has it too']);
    expect(issuesOf({ clusterIP: 'None', clusterIPs: ['None'], ports: [] })).toEqual([]);
  });

  test('a cluster IP belongs to one Service', () => {
    expect(() => computeConnectivity([service('a', { clusterIP: '10.96.0.1' }), service('b', { clusterIP: '10.96.0.1' })])).toThrow(
      /cluster IP already belongs to Service web\/a/,
    );
  });
});
