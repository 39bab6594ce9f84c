/**
 * One test per NetworkPolicy rule (semantics.md section 2). Each case is built so that implementing the
 * rule the other way (AND as OR, egress ignored, …) flips at least one assertion.
 */
import { Manifest, namespace, netpol, pod, sctp, tcp, udp } from './helpers';
import { computeConnectivity } from '../../src/analysis';

const DENY_ALL_INGRESS = { podSelector: {}, policyTypes: ['Ingress'] };

function allowed(objects: Manifest[], from: string, to: string, port = tcp(80), externals?: Record<string, string>): boolean {
  return computeConnectivity(objects, externals ? { externals } : {}).isAllowed(from, to, port);
}

describe('peer selectors', () => {
  const base = [
    namespace('front', { team: 'web' }),
    namespace('back', { team: 'api' }),
    pod('front/ui', { app: 'ui' }),
    pod('front/admin', { app: 'admin' }),
    pod('back/ui', { app: 'ui' }),
    pod('back/db', { app: 'db' }),
  ];

  test('namespaceSelector and podSelector in the same element are ANDed', () => {
    const objects = [...base, netpol('back/db-in', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'web' } }, podSelector: { matchLabels: { app: 'ui' } } }] }],
    })];
    expect(allowed(objects, 'front/ui', 'back/db')).toBe(true);
    // OR would admit these two: the namespace matches alone, or the pod label matches alone.
    expect(allowed(objects, 'front/admin', 'back/db')).toBe(false);
    expect(allowed(objects, 'back/ui', 'back/db')).toBe(false);
  });

  test('namespaceSelector and podSelector in separate elements are ORed', () => {
    const objects = [...base, netpol('back/db-in', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'web' } } }, { podSelector: { matchLabels: { app: 'ui' } } }] }],
    })];
    expect(allowed(objects, 'front/admin', 'back/db')).toBe(true);
    expect(allowed(objects, 'back/ui', 'back/db')).toBe(true);
  });

  test('a podSelector-only peer selects pods of the policy namespace only', () => {
    const objects = [...base, netpol('back/db-in', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'ui' } } }] }],
    })];
    expect(allowed(objects, 'back/ui', 'back/db')).toBe(true);
    expect(allowed(objects, 'front/ui', 'back/db')).toBe(false);
  });

  test('namespaceSelector: {} selects every namespace', () => {
    const objects = [...base, netpol('back/db-in', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'ui' } } }] }],
    })];
    expect(allowed(objects, 'front/ui', 'back/db')).toBe(true);
    expect(allowed(objects, 'back/ui', 'back/db')).toBe(true);
    expect(allowed(objects, 'front/admin', 'back/db')).toBe(false);
  });

  test('namespaces carry kubernetes.io/metadata.name implicitly, also when assumed', () => {
    const objects = [
      pod('undeclared/client'),
      pod('other/client'),
      pod('back/db'),
      namespace('back'),
      netpol('back/db-in', {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'undeclared' } } }] }],
      }),
    ];
    expect(allowed(objects, 'undeclared/client', 'back/db')).toBe(true);
    expect(allowed(objects, 'other/client', 'back/db')).toBe(false);
  });

  test('NotIn matches pods that lack the key', () => {
    const objects = [
      pod('ns/target'),
      pod('ns/unlabelled'),
      pod('ns/banned', { tier: 'banned' }),
      pod('ns/other-tier', { tier: 'web' }),
      netpol('ns/p', {
        podSelector: { matchLabels: {} },
        ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['banned'] }] } }] }],
      }),
    ];
    expect(allowed(objects, 'ns/unlabelled', 'ns/target')).toBe(true);
    expect(allowed(objects, 'ns/other-tier', 'ns/target')).toBe(true);
    expect(allowed(objects, 'ns/banned', 'ns/target')).toBe(false);
  });

  test('DoesNotExist matches only pods without the key, whatever its value', () => {
    const objects = [
      pod('ns/target'),
      pod('ns/plain'),
      pod('ns/empty-value', { canary: '' }),
      netpol('ns/p', {
        podSelector: {},
        ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] } }] }],
      }),
    ];
    expect(allowed(objects, 'ns/plain', 'ns/target')).toBe(true);
    expect(allowed(objects, 'ns/empty-value', 'ns/target')).toBe(false);
  });

  test('matchLabels and matchExpressions are ANDed', () => {
    const objects = [
      pod('ns/target'),
      pod('ns/both', { app: 'web', env: 'prod' }),
      pod('ns/only-app', { app: 'web', env: 'dev' }),
      netpol('ns/p', {
        podSelector: {},
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] } }] }],
      }),
    ];
    expect(allowed(objects, 'ns/both', 'ns/target')).toBe(true);
    expect(allowed(objects, 'ns/only-app', 'ns/target')).toBe(false);
  });
});

describe('isolation and combination', () => {
  test('egress is enforced: both the source egress and the destination ingress must allow', () => {
    const objects = [
      pod('a/client'),
      pod('b/server'),
      netpol('a/no-egress', { podSelector: {}, policyTypes: ['Egress'] }),
    ];
    expect(allowed(objects, 'a/client', 'b/server')).toBe(false);
    expect(allowed(objects, 'b/server', 'a/client')).toBe(true);
  });

  test('omitted policyTypes with only egress rules isolates ingress too', () => {
    const objects = [
      pod('ns/a'),
      pod('ns/b'),
      netpol('ns/egress-only-rules', { podSelector: { matchLabels: {} }, egress: [{ to: [{ podSelector: {} }] }] }),
    ];
    // Defaulted to [Ingress, Egress] with no ingress rule: nobody can reach the pods.
    expect(allowed(objects, 'ns/a', 'ns/b')).toBe(false);
  });

  test('egress: [] without policyTypes does not isolate egress', () => {
    const objects = [
      pod('a/client'),
      pod('b/server'),
      netpol('a/empty-egress', { podSelector: {}, egress: [] }),
    ];
    expect(allowed(objects, 'a/client', 'b/server')).toBe(true);
    // It is an Ingress policy (with no rules): ingress to a/client is denied.
    expect(allowed(objects, 'b/server', 'a/client')).toBe(false);
  });

  test('explicit policyTypes are used as written: rules of an unlisted direction are ignored', () => {
    const objects = [
      pod('ns/a'),
      pod('ns/b'),
      netpol('ns/p', {
        podSelector: {},
        policyTypes: ['Egress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { nobody: 'x' } } }] }],
        egress: [{}],
      }),
    ];
    expect(allowed(objects, 'ns/a', 'ns/b')).toBe(true);
  });

  test('ingress: [{}] allows everything while ingress: [] allows nothing', () => {
    const client = pod('x/client');
    const server = pod('y/server');
    expect(allowed([client, server, netpol('y/p', { podSelector: {}, ingress: [{}] })], 'x/client', 'y/server')).toBe(true);
    expect(allowed([client, server, netpol('y/p', { podSelector: {}, ingress: [] })], 'x/client', 'y/server')).toBe(false);
  });

  test('from: [] means any peer, like an omitted from', () => {
    const objects = [pod('x/client'), pod('y/server'), netpol('y/p', { podSelector: {}, ingress: [{ from: [], ports: [{ port: 80 }] }] })];
    expect(allowed(objects, 'x/client', 'y/server', tcp(80))).toBe(true);
    expect(allowed(objects, 'x/client', 'y/server', tcp(81))).toBe(false);
  });

  test('isolation comes only from policies in the pod namespace', () => {
    const objects = [
      pod('x/client'),
      pod('y/server', { app: 'server' }),
      // Same labels, but a policy in x never selects pods of y.
      netpol('x/deny-servers', { podSelector: { matchLabels: { app: 'server' } }, policyTypes: ['Ingress', 'Egress'] }),
    ];
    expect(allowed(objects, 'x/client', 'y/server')).toBe(true);
    expect(allowed(objects, 'y/server', 'x/client')).toBe(true);
  });

  test('allows of several policies are a union', () => {
    const objects = [
      pod('ns/a', { app: 'a' }),
      pod('ns/b', { app: 'b' }),
      pod('ns/c', { app: 'c' }),
      pod('ns/server'),
      netpol('ns/from-a', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }] }] }),
      netpol('ns/from-b', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'b' } } }] }] }),
    ];
    expect(allowed(objects, 'ns/a', 'ns/server')).toBe(true);
    expect(allowed(objects, 'ns/b', 'ns/server')).toBe(true);
    expect(allowed(objects, 'ns/c', 'ns/server')).toBe(false);
  });

  test('traffic from a pod to itself has no exemption', () => {
    const objects = [pod('ns/solo'), netpol('ns/deny', DENY_ALL_INGRESS)];
    expect(allowed(objects, 'ns/solo', 'ns/solo')).toBe(false);
    const open = [pod('ns/solo'), netpol('ns/self', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })];
    expect(allowed(open, 'ns/solo', 'ns/solo')).toBe(true);
  });
});

describe('ports', () => {
  const server = pod('ns/server', {}, [{ port: 80 }, { port: 53, protocol: 'UDP', name: 'dns' }, { port: 53, name: 'dns-tcp' }]);

  test('protocol defaults to TCP', () => {
    const objects = [pod('ns/client'), server, netpol('ns/p', { podSelector: {}, ingress: [{ ports: [{ port: 53 }] }] })];
    expect(allowed(objects, 'ns/client', 'ns/server', tcp(53))).toBe(true);
    expect(allowed(objects, 'ns/client', 'ns/server', udp(53))).toBe(false);
  });

  test('empty ports means every port and protocol', () => {
    const objects = [pod('ns/client'), server, netpol('ns/p', { podSelector: {}, ingress: [{ ports: [] }] })];
    expect(allowed(objects, 'ns/client', 'ns/server', udp(53))).toBe(true);
    expect(allowed(objects, 'ns/client', 'ns/server', sctp(9))).toBe(true);
  });

  test('a named port must match name and protocol: a UDP port does not satisfy the default TCP', () => {
    const wrong = [pod('ns/client'), server, netpol('ns/p', { podSelector: {}, ingress: [{ ports: [{ port: 'dns' }] }] })];
    expect(allowed(wrong, 'ns/client', 'ns/server', udp(53))).toBe(false);
    expect(allowed(wrong, 'ns/client', 'ns/server', tcp(53))).toBe(false);
    const right = [pod('ns/client'), server, netpol('ns/p', { podSelector: {}, ingress: [{ ports: [{ port: 'dns', protocol: 'UDP' }] }] })];
    expect(allowed(right, 'ns/client', 'ns/server', udp(53))).toBe(true);
  });

  test('named ports resolve against the destination pod, for egress as well as ingress', () => {
    const objects = [
      pod('ns/client', { role: 'client' }, [{ port: 8080, name: 'http' }]),
      pod('ns/server', { role: 'server' }, [{ port: 9090, name: 'http' }]),
      netpol('ns/egress', {
        podSelector: { matchLabels: { role: 'client' } },
        policyTypes: ['Egress'],
        egress: [{ ports: [{ port: 'http' }] }],
      }),
      netpol('ns/ingress', {
        podSelector: { matchLabels: { role: 'server' } },
        ingress: [{ ports: [{ port: 'http' }] }],
      }),
    ];
    expect(allowed(objects, 'ns/client', 'ns/server', tcp(9090))).toBe(true);
    // Resolving on the source (client) side would allow 8080 instead.
    expect(allowed(objects, 'ns/client', 'ns/server', tcp(8080))).toBe(false);
    // Ingress at the client resolves against the client itself (the destination).
    expect(allowed(objects, 'ns/server', 'ns/client', tcp(8080))).toBe(true);
  });

  test('endPort is an inclusive range', () => {
    const objects = [pod('ns/client'), pod('ns/server'), netpol('ns/p', { podSelector: {}, ingress: [{ ports: [{ port: 8000, endPort: 8010 }] }] })];
    const probe = (port: number): boolean => allowed(objects, 'ns/client', 'ns/server', tcp(port));
    expect([probe(7999), probe(8000), probe(8005), probe(8010), probe(8011)]).toEqual([false, true, true, true, false]);
  });

  test('SCTP is a protocol of its own', () => {
    const objects = [pod('ns/client'), pod('ns/server'), netpol('ns/p', { podSelector: {}, ingress: [{ ports: [{ protocol: 'SCTP', port: 9 }] }] })];
    expect(allowed(objects, 'ns/client', 'ns/server', sctp(9))).toBe(true);
    expect(allowed(objects, 'ns/client', 'ns/server', tcp(9))).toBe(false);
    expect(allowed(objects, 'ns/client', 'ns/server', udp(9))).toBe(false);
  });

  test('a protocol without a port admits every port of that protocol', () => {
    const objects = [pod('ns/client'), pod('ns/server'), netpol('ns/p', { podSelector: {}, ingress: [{ ports: [{ protocol: 'UDP' }] }] })];
    expect(allowed(objects, 'ns/client', 'ns/server', udp(1))).toBe(true);
    expect(allowed(objects, 'ns/client', 'ns/server', udp(65535))).toBe(true);
    expect(allowed(objects, 'ns/client', 'ns/server', tcp(1))).toBe(false);
  });
});

describe('ipBlock and externals', () => {
  const objects = [
    pod('ns/client', {}, [{ port: 80 }], '10.0.0.5'),
    pod('ns/excluded', {}, [{ port: 80 }], '10.0.1.5'),
    pod('ns/server'),
    netpol('ns/p', {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] } }] }],
    }),
  ];

  test('ipBlock matches pods by status.podIP, minus except', () => {
    expect(allowed(objects, 'ns/client', 'ns/server')).toBe(true);
    expect(allowed(objects, 'ns/excluded', 'ns/server')).toBe(false);
  });

  test('external sources are matched by ipBlock, minus except', () => {
    const externals = { inside: '10.0.9.9', excepted: '10.0.1.1', outside: '192.168.0.1' };
    expect(allowed(objects, 'external:inside', 'ns/server', tcp(80), externals)).toBe(true);
    expect(allowed(objects, 'external:excepted', 'ns/server', tcp(80), externals)).toBe(false);
    expect(allowed(objects, 'external:outside', 'ns/server', tcp(80), externals)).toBe(false);
  });

  test('IPv6 blocks use 128-bit arithmetic and never match IPv4 addresses', () => {
    const v6 = [
      pod('ns/server'),
      netpol('ns/p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:ff::/48'] } }] }] }),
    ];
    const externals = { in: '2001:db8:1::1', out: '2001:db8:ff::1', v4: '32.1.13.184' };
    expect(allowed(v6, 'external:in', 'ns/server', tcp(80), externals)).toBe(true);
    expect(allowed(v6, 'external:out', 'ns/server', tcp(80), externals)).toBe(false);
    expect(allowed(v6, 'external:v4', 'ns/server', tcp(80), externals)).toBe(false);
  });

  test('a workload has no IP, so ipBlock never matches its representative pod', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'client', namespace: 'ns' },
      spec: { template: { metadata: { labels: { app: 'client' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    };
    const policy = netpol('ns/p', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] });
    expect(allowed([deployment, pod('ns/server', { app: 'server' }), policy], 'ns/client', 'ns/server')).toBe(false);
  });

  test('an external source is subject only to the destination ingress, and selectors never match it', () => {
    const base = [pod('ns/server', { app: 'server' }), netpol('ns/egress-deny', { podSelector: {}, policyTypes: ['Egress'] })];
    expect(allowed(base, 'external:lb', 'ns/server', tcp(80), { lb: '1.2.3.4' })).toBe(true);
    const selectorsOnly = [...base, netpol('ns/in', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] })];
    expect(allowed(selectorsOnly, 'external:lb', 'ns/server', tcp(80), { lb: '1.2.3.4' })).toBe(false);
    const anyPeer = [...base, netpol('ns/in', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] })];
    expect(allowed(anyPeer, 'external:lb', 'ns/server', tcp(80), { lb: '1.2.3.4' })).toBe(true);
  });

  test('traffic to an external is subject only to the source egress; named ports never match it', () => {
    const externals = { api: '203.0.113.10' };
    const open = [pod('ns/client')];
    expect(allowed(open, 'ns/client', 'external:api', tcp(443), externals)).toBe(true);
    const byBlock = [pod('ns/client'), netpol('ns/p', {
      podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 443 }] }],
    })];
    expect(allowed(byBlock, 'ns/client', 'external:api', tcp(443), externals)).toBe(true);
    expect(allowed(byBlock, 'ns/client', 'external:api', tcp(80), externals)).toBe(false);
    const named = [pod('ns/client'), netpol('ns/p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'https' }] }] })];
    expect(allowed(named, 'ns/client', 'external:api', tcp(443), externals)).toBe(false);
  });
});

describe('inventory', () => {
  test('every workload kind becomes one representative pod with its template labels and ports', () => {
    const template = (app: string, port: number): Manifest => ({
      metadata: { labels: { app } },
      spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: port, name: 'web' }] }] },
    });
    const objects = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'deploy', namespace: 'w' }, spec: { template: template('deploy', 1001) } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'sts', namespace: 'w' }, spec: { template: template('sts', 1002) } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds', namespace: 'w' }, spec: { template: template('ds', 1003) } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'w' }, spec: { template: template('rs', 1004) } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job', namespace: 'w' }, spec: { template: template('job', 1005) } },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'cron', namespace: 'w' },
        spec: { schedule: '* * * * *', jobTemplate: { spec: { template: template('cron', 1006) } } },
      },
      netpol('w/only-cron', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'cron' } } }], ports: [{ port: 'web' }] }] }),
    ];
    const connectivity = computeConnectivity(objects);
    expect(connectivity.endpoints).toEqual(['w/cron', 'w/deploy', 'w/ds', 'w/job', 'w/rs', 'w/sts']);
    expect(connectivity.probedPorts('w/sts')).toEqual([tcp(1002)]);
    expect(connectivity.isAllowed('w/cron', 'w/sts', tcp(1002))).toBe(true);
    expect(connectivity.isAllowed('w/job', 'w/sts', tcp(1002))).toBe(false);
    // The named port resolves on the destination: `web` is 1006 on w/cron, not 1002.
    expect(connectivity.isAllowed('w/cron', 'w/cron', tcp(1002))).toBe(false);
    expect(connectivity.isAllowed('w/cron', 'w/cron', tcp(1006))).toBe(true);
  });

  test('namespaces referenced but not defined are assumed and noted', () => {
    const connectivity = computeConnectivity([
      namespace('declared'),
      pod('declared/a'),
      pod('ghost/b'),
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c' }, spec: {} },
      netpol('policy-only/p', { podSelector: {} }),
    ]);
    expect(connectivity.notes.assumedNamespaces).toEqual(['default', 'ghost', 'policy-only']);
    expect(connectivity.endpoints).toEqual(['declared/a', 'default/c', 'ghost/b']);
  });

  test('other kinds are counted, not evaluated', () => {
    const connectivity = computeConnectivity([
      pod('ns/a'),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 's', namespace: 'ns' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 't', namespace: 'ns' } },
      { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'c', namespace: 'ns' } },
      { apiVersion: 'extensions/v1beta1', kind: 'NetworkPolicy', metadata: { name: 'old', namespace: 'ns' } },
    ]);
    expect(connectivity.notes.ignoredKinds).toEqual([
      { kind: 'cilium.io/v2/CiliumNetworkPolicy', count: 1 },
      { kind: 'extensions/v1beta1/NetworkPolicy', count: 1 },
      { kind: 'v1/ConfigMap', count: 2 },
    ]);
    expect(connectivity.isAllowed('ns/a', 'ns/a', tcp(80))).toBe(true);
  });

  test('kind: List wrappers are flattened', () => {
    const connectivity = computeConnectivity([{ apiVersion: 'v1', kind: 'List', items: [pod('ns/a'), { kind: 'List', apiVersion: 'v1', items: [pod('ns/b')] }] }]);
    expect(connectivity.endpoints).toEqual(['ns/a', 'ns/b']);
  });
});
