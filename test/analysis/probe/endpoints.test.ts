import { denyAll, namespace, netpol, node, placedPod, pod, service } from './fixtures';
import { evaluateProbes, InvalidProbesError, ProbeInput, ProbeReport, ProbeResult } from '../../../src/analysis';

function run(objects: unknown[], probes: ProbeInput[]): ProbeReport {
  return evaluateProbes(objects, probes, { cni: 'kubernetes' });
}

function one(objects: unknown[], probe: ProbeInput): ProbeResult {
  return run(objects, [probe]).probes[0];
}

/** The problems a run reports, formatted. */
function problems(objects: unknown[], probes: ProbeInput[]): string[] {
  try {
    run(objects, probes);
  } catch (error) {
    if (error instanceof InvalidProbesError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected InvalidProbesError');
}

// shop/web may reach shop/api on 8080 only; shop/api-canary declares its port under another number.
const SHOP = [
  namespace('shop'),
  pod('shop/web', { app: 'web' }, [{ port: 80 }], '10.0.0.10'),
  pod('shop/api', { app: 'api', track: 'stable' }, [{ port: 8080, name: 'http' }], '10.0.0.20'),
  pod('shop/api-canary', { app: 'api', track: 'canary' }, [{ port: 9090, name: 'http' }], '10.0.0.21'),
  denyAll('shop'),
  netpol('shop/web-to-api', {
    podSelector: { matchLabels: { app: 'web' } },
    policyTypes: ['Egress'],
    egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080 }, { port: 9090 }] }],
  }),
  netpol('shop/api-from-web', {
    podSelector: { matchLabels: { app: 'api', track: 'stable' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }] }],
  }),
  netpol('shop/canary-from-web', {
    podSelector: { matchLabels: { track: 'canary' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }],
  }),
];

describe('probe endpoints', () => {
  test('"ns/name" and {pod} name the same pod or workload', () => {
    const report = run(SHOP, [
      { id: 'string', from: 'shop/web', to: 'shop/api', port: 8080 },
      { id: 'object', from: { pod: 'shop/web' }, to: { pod: 'shop/api' }, port: 8080 },
    ]);
    expect(report.probes.map((result) => [result.from, result.to, result.verdict])).toEqual([
      ['shop/web', 'shop/api', 'allow'],
      ['shop/web', 'shop/api', 'allow'],
    ]);
  });

  test('a workload stands for its representative pod', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'worker', namespace: 'shop' },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c' }] } } },
    };
    expect(one([...SHOP, deployment], { from: 'shop/worker', to: 'shop/api', port: 8080 }).verdict).toBe('allow');
  });

  test('a named port resolves against the destination pod\'s container ports', () => {
    expect(one(SHOP, { from: 'shop/web', to: 'shop/api', port: 'http' })).toMatchObject({ port: 8080, verdict: 'allow' });
  });

  test('{ip} resolves to the pod with that address; an unknown address is outside the cluster', () => {
    expect(one(SHOP, { from: { ip: '10.0.0.10' }, to: { ip: '10.0.0.20' }, port: 8080 })).toMatchObject({ from: '10.0.0.10', to: '10.0.0.20', verdict: 'allow' });
    const outside = one(SHOP, { from: { ip: '192.0.2.9' }, to: 'shop/api', port: 8080 });
    expect(outside.verdict).toBe('deny');
    expect(outside.reasons[0]).toMatchObject({ direction: 'egress', effect: 'default', detail: 'external:192.0.2.9 is outside the cluster: no policy applies to its egress.' });
  });

  test('{node} is the host network of a Node object', () => {
    const placed = placedPod('shop/admin', { app: 'web' }, { nodeName: 'node-2' });
    expect(one([...SHOP, placed, node('node-1', '10.1.0.1')], { from: 'shop/admin', to: { node: 'node-1' }, port: 22 })).toMatchObject({ to: 'node:node-1', verdict: 'deny' });
    // shop/web may run on node-1, whose pods always reach it.
    expect(one([...SHOP, node('node-1', '10.1.0.1')], { from: 'shop/web', to: { node: 'node-1' }, port: 22 }).implementationDefined).toMatch(/^allowed if shop\/web runs on node:node-1/);
  });

  test('{fqdn, ip}: the lookup at the cluster DNS is a step of its own, subject to policy', () => {
    const dns = [namespace('kube-system'), pod('kube-system/coredns', { 'k8s-app': 'kube-dns' }, [{ port: 53, protocol: 'UDP' }])];
    const egressTo = (extra: unknown[]): unknown => netpol('shop/web-egress', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: extra });
    const https = { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] };
    const lookup = { to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }] };
    const probe: ProbeInput = { from: 'shop/web', to: { fqdn: 'API.GitHub.com.', ip: '140.82.112.3' }, port: 443 };

    const denied = one([...SHOP, ...dns, egressTo([https])], probe);
    expect(denied).toMatchObject({ to: 'api.github.com (140.82.112.3)', verdict: 'deny' });
    expect(denied.reasons.filter((reason) => reason.step === 'dns')).toEqual([
      expect.objectContaining({ direction: 'egress', effect: 'isolated', backend: 'kube-system/coredns', targetPort: 53 }),
      expect.objectContaining({ direction: 'egress', effect: 'isolated', backend: 'kube-system/coredns' }),
      expect.objectContaining({ direction: 'egress', effect: 'isolated', backend: 'kube-system/coredns' }),
      expect.objectContaining({ direction: 'ingress', effect: 'default', backend: 'kube-system/coredns' }),
    ]);
    expect(one([...SHOP, ...dns, egressTo([https, lookup])], probe).verdict).toBe('allow');
    // Without a cluster DNS in the input, the lookup cannot be evaluated.
    expect(problems(SHOP, [probe])).toEqual([expect.stringMatching(/^<probes>:0: to\.fqdn: the name is looked up at the cluster DNS first/)]);
  });

  test('unknown endpoints are errors naming the probe, with close matches', () => {
    expect(problems([...SHOP, service('shop/api-svc', { app: 'api' }, [{ port: 80, targetPort: 8080 }]), node('node-1', '10.1.0.1')], [
      { id: 'typo', from: 'shop/wbe', to: 'shop/apu', port: 80 },
      { id: 'svc-as-pod', from: 'shop/web', to: 'shop/api-svc', port: 80 },
      { id: 'no-svc', from: 'shop/web', to: { service: 'shop/api-svx' }, port: 80 },
      { id: 'no-node', from: 'shop/web', to: { node: 'node-9' }, port: 80 },
      { id: 'no-port-name', from: 'shop/web', to: 'shop/api', port: 'grpc' },
    ])).toEqual([
      '<probes>:typo: from: no pod or workload shop/wbe in the input. did you mean shop/web?',
      '<probes>:typo: to: no pod or workload shop/apu in the input. did you mean shop/api?',
      '<probes>:svc-as-pod: to: shop/api-svc is a Service, not a pod or workload. write {service: "shop/api-svc"}',
      '<probes>:no-svc: to.service: no Service shop/api-svx in the input. did you mean shop/api-svc?',
      '<probes>:no-node: to.node: no Node node-9 in the input. did you mean node-1?',
      '<probes>:no-port-name: port: shop/api has no container port named "grpc" for TCP. its named ports: http (8080/TCP)',
    ]);
  });

  test('a Service cluster IP is not a source; no Node objects at all says so', () => {
    const withSvc = [...SHOP, service('shop/api-svc', { app: 'api' }, [{ port: 80, targetPort: 8080 }], '10.96.0.10')];
    expect(problems(withSvc, [{ from: { ip: '10.96.0.10' }, to: 'shop/api', port: 80 }])).toEqual([
      '<probes>:0: from: 10.96.0.10 is the cluster IP of Service shop/api-svc: connections start at pods. give one of its pods as the source',
    ]);
    expect(problems(SHOP, [{ from: 'shop/web', to: { node: 'node-1' }, port: 80 }])).toEqual([
      '<probes>:0: to.node: no Node node-1 in the input. the input has no Node objects: add them (kubectl get nodes -o yaml)',
    ]);
  });
});

describe('probe through a Service', () => {
  const byNumber = service('shop/api-svc', { app: 'api', track: 'stable' }, [{ name: 'web', port: 80, targetPort: 8080 }], '10.96.0.10');
  const byName = service('shop/api-all', { app: 'api' }, [{ name: 'web', port: 80, targetPort: 'http' }]);

  test('numeric targetPort: the backend is probed on it, and reasons name the backend', () => {
    const result = one([...SHOP, byNumber], { from: 'shop/web', to: { service: 'shop/api-svc' }, port: 80 });
    expect(result).toMatchObject({ to: 'svc:shop/api-svc', port: 80, verdict: 'allow' });
    expect(result.reasons.every((reason) => reason.backend === 'shop/api' && reason.targetPort === 8080)).toBe(true);
  });

  test('a service port may be named, and the cluster IP reaches the Service too', () => {
    expect(one([...SHOP, byNumber], { from: 'shop/web', to: { service: 'shop/api-svc' }, port: 'web' })).toMatchObject({ port: 80, verdict: 'allow' });
    expect(one([...SHOP, byNumber], { from: 'shop/web', to: { ip: '10.96.0.10' }, port: 80 })).toMatchObject({ to: '10.96.0.10', verdict: 'allow' });
  });

  test('named targetPort, several backends: allowed only if every backend allows, each on its own port', () => {
    const result = one([...SHOP, byName], { from: 'shop/web', to: { service: 'shop/api-all' }, port: 80 });
    expect(result.verdict).toBe('deny');
    const perBackend = new Map(result.reasons.map((reason) => [`${reason.backend}:${reason.targetPort} ${reason.direction}`, reason.effect]));
    expect(perBackend).toEqual(new Map([
      ['shop/api:8080 egress', 'allow'],
      ['shop/api:8080 ingress', 'allow'],
      ['shop/api-canary:9090 egress', 'allow'],
      ['shop/api-canary:9090 ingress', 'isolated'],
    ]));
  });

  test('every backend allowing: allowed', () => {
    const canaryOn9090 = netpol('shop/canary-9090', { podSelector: { matchLabels: { track: 'canary' } }, ingress: [{ ports: [{ port: 9090 }] }] });
    expect(one([...SHOP, canaryOn9090, byName], { from: 'shop/web', to: { service: 'shop/api-all' }, port: 80 }).verdict).toBe('allow');
  });

  test('a Service that cannot route the port, or has no backend in the input, is an error', () => {
    const empty = service('shop/nothing', { app: 'none' }, [{ port: 80 }]);
    expect(problems([...SHOP, byNumber, empty], [
      { id: 'wrong-port', from: 'shop/web', to: { service: 'shop/api-svc' }, port: 8080 },
      { id: 'no-backend', from: 'shop/web', to: { service: 'shop/nothing' }, port: 80 },
    ])).toEqual([
      '<probes>:wrong-port: to: Service shop/api-svc has no port 8080/TCP; its ports: 80/TCP (web) -> 8080. Give the service port, not the container port. probe the pods directly, or give the service port',
      '<probes>:no-backend: to: Service shop/nothing has no backend pod in the input for 80/TCP. add the pods its selector selects (or their workloads) to the input',
    ]);
  });

  test('hostNetwork backends are evaluated in both readings', () => {
    const agent = placedPod('shop/agent', { app: 'agent' }, { hostNetwork: true, nodeName: 'node-1', ports: [{ port: 9100 }] });
    const svc = service('shop/agent', { app: 'agent' }, [{ port: 9100 }]);
    const fromWeb = netpol('shop/web-to-agent', {
      podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'agent' } } }] }],
    });
    const result = one([...SHOP, node('node-1', '10.1.0.1'), agent, svc, fromWeb], { from: 'shop/web', to: { service: 'shop/agent' }, port: 9100 });
    expect(result.verdict).toBe('allow');
    // As a pod, the agent is isolated by deny-all; as node-1's traffic nothing selects it, and shop/web reaches it if it runs there.
    expect(result.implementationDefined).toBe(
      'backend shop/agent: allowed if the plugin treats hostNetwork pods as their node\'s host traffic and shop/web runs on node:node-1; ' +
        'denied if shop/web runs on another node than node:node-1. Kubernetes NetworkPolicy leaves this to the network plugin: ' +
        'evaluate with its dialect (--cni cilium or --cni calico); the input does not say where the pod runs: give its spec.nodeName.',
    );
  });
});
