import { Feature } from '../../src/model/features';
import { omitFeatures } from '../../src/model/omit';
import { planPolicies, PolicyPlan } from '../../src/model/plan';
import { PlatformModel } from '../../src/model/platform-model';
import { Port } from '../../src/model/port';

function planOf(declare: (model: PlatformModel) => void): PolicyPlan {
  const model = new PlatformModel({ path: 'platform', namespace: 'kube-system', selector: { matchLabels: { 'k8s-app': 'kube-dns' } }, ports: [Port.udp(53).spec] });
  model.addNamespace({ path: 'platform/web', name: 'web', labels: {}, allowDns: true, allowSameNamespace: false, emitNamespace: true });
  for (const name of ['api', 'db']) {
    model.addWorkload({ path: `platform/web/${name}`, namespace: 'web', name, selector: () => ({ matchLabels: { app: name } }), selectorField: 'labels', serviceAccount: name });
  }
  declare(model);
  const resolved = model.resolve();
  if (!resolved.ok) throw new Error(resolved.issues.map((i) => i.message).join('\n'));
  const planned = planPolicies(resolved.model);
  if (!planned.ok) throw new Error('no plan');
  return planned.plan;
}

const api = { kind: 'workload', namespace: 'web', workload: 'api', path: 'platform/web/api' } as const;
const db = { kind: 'workload', namespace: 'web', workload: 'db', path: 'platform/web/db' } as const;
const flow = (destination: object, ports: Port[], field = 'allowTo(#1)') => ({
  path: 'platform/web/api', field, source: api, destination, peerSide: 'destination', ports: ports.map((p) => p.spec), crossTenant: false,
}) as Parameters<PlatformModel['addFlow']>[0];

describe('omitting features from a plan', () => {
  test('nothing omitted: the same plan', () => {
    const plan = planOf((m) => m.addFlow(flow({ kind: 'fqdn', match: 'name', value: 'api.github.com' }, [Port.tcp(443)])));
    expect(omitFeatures(plan, new Set(), 'k').plan).toBe(plan);
  });

  test('an omitted peer removes its rule, and a policy left empty', () => {
    const plan = planOf((m) => m.addFlow(flow({ kind: 'fqdn', match: 'name', value: 'api.github.com' }, [Port.tcp(443)])));
    const reduced = omitFeatures(plan, new Set([Feature.FQDN]), 'k');
    expect(reduced.issues).toEqual([]);
    expect(reduced.plan.namespaces[0].policies).toEqual([]);
  });

  test('omitted HTTP removes the ports that carry rules, on both ends of the flow', () => {
    const plan = planOf((m) => m.addFlow(flow(db, [Port.tcp(8080).http({ path: '/x' }), Port.tcp(9000)])));
    const reduced = omitFeatures(plan, new Set([Feature.HTTP]), 'k').plan;
    for (const policy of reduced.namespaces[0].policies) expect(policy.rules[0].ports).toEqual([Port.tcp(9000).spec]);
  });

  test('an omitted deny that no allow overlaps is dropped; one that an allow overlaps is refused', () => {
    const deny = (ports: Port[]) => ({ path: 'platform/d', name: 'd', field: 'denyEgress', direction: 'egress', peer: db, ports: ports.map((p) => p.spec), subjects: { kind: 'managed-namespaces' } }) as const;
    const apart = planOf((m) => {
      m.addFlow(flow(db, [Port.tcp(5432)]));
      m.addDeny(deny([Port.tcp(22)]));
    });
    expect(omitFeatures(apart, new Set([Feature.DENY]), 'k')).toMatchObject({ issues: [], plan: { denies: [] } });
    const overlapping = planOf((m) => {
      m.addFlow(flow(db, [Port.tcpRange(5000, 6000)]));
      m.addDeny(deny([Port.tcp(5432)]));
    });
    const reduced = omitFeatures(overlapping, new Set([Feature.DENY]), 'k');
    expect(reduced.issues.map((i) => i.message)).toEqual([expect.stringContaining("the target 'k' omits 'deny', but the flow allowTo(#1) of platform/web/api may carry connections this deny refuses")]);
  });

  test('omitting cluster-wide rules drops the cluster-wide denies only', () => {
    const plan = planOf((m) => {
      m.addDeny({ path: 'platform/a', name: 'a', field: 'denyEgress', direction: 'egress', peer: { kind: 'cidr', cidr: '203.0.113.0/24', except: [] }, ports: [], subjects: { kind: 'cluster' } });
      m.addDeny({ path: 'platform/b', name: 'b', field: 'denyEgress', direction: 'egress', peer: { kind: 'cidr', cidr: '198.51.100.0/24', except: [] }, ports: [], subjects: { kind: 'managed-namespaces' } });
    });
    expect(omitFeatures(plan, new Set([Feature.CLUSTER_WIDE]), 'k').plan.denies.map((d) => d.name)).toEqual(['b']);
  });
});
