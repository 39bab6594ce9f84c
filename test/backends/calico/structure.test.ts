/**
 * Properties of the Calico output over random platforms (the generator of never-wider.test.ts),
 * checked on its structure: there is no Calico evaluator in the analyzer yet, so what traffic the
 * objects allow is not computed here. What is checked:
 *
 * - every program the Kubernetes backend accepts, Calico accepts too, with the same namespaced
 *   policy names, and every object matches the upstream schemas;
 * - every managed namespace's pods are selected, both ways, by an enforced `default-deny-all` with no
 *   rules in the tier of the allows (so that tier ends in Deny for them, never in the profile's allow);
 * - namespaced policies only allow; in the platform tier no policy that passes runs before one that
 *   denies;
 * - the platform tier never refuses a declared flow: every allow toward pods outside the subject's
 *   tenant has its Pass, with the same peer, protocol and ports, before the tenant isolation's Deny.
 */
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { Backend, Manifest } from '../../../src';
import { CalicoGlobalNetworkPolicy, CalicoNetworkPolicy, CalicoRule } from '../../../src/backends/calico/types';
import { schemaValidator } from '../../support/schemas';
import { buildPlatform, declarationsArb, runCount } from '../support/declared-intent';

const RUNS = runCount(process.env.CALICO_STRUCTURE_RUNS, 40);
const PODS = "projectcalico.org/orchestrator == 'k8s'";
const validator = schemaValidator();

const namespacedPolicies = (manifests: readonly Manifest[]) => manifests.filter((m) => m.kind === 'NetworkPolicy') as CalicoNetworkPolicy[];
const globalPolicies = (manifests: readonly Manifest[]) => manifests.filter((m) => m.kind === 'GlobalNetworkPolicy') as CalicoGlobalNetworkPolicy[];
const rulesOf = (p: { spec: { ingress?: CalicoRule[]; egress?: CalicoRule[] } }) => [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])];

/** The namespace a pod peer names by `projectcalico.org/name == '<ns>'`, if it is one. */
function podNamespace(side: CalicoRule['source']): string | undefined {
  if (!side?.selector?.startsWith(PODS)) return undefined;
  return /^projectcalico\.org\/name == '([a-z0-9-]+)'$/.exec(side.namespaceSelector ?? '')?.[1];
}

describe('Calico output structure over random platforms', () => {
  test('accepted like Kubernetes; default-deny in the tier of the allows; Allow-only namespaces; Deny before Pass; declared flows passed', () => {
    let checked = 0;
    let crossing = 0;
    fc.assert(
      fc.property(declarationsArb, (declarations) => {
        const kubernetes = buildPlatform(declarations).platform;
        fc.pre(kubernetes.validateIntent().length === 0);
        const calico = buildPlatform(declarations, Testing.app(), { backends: [Backend.calico()] }).platform;
        expect(calico.validateIntent()).toEqual([]);
        const manifests = calico.manifests();
        checked++;

        const key = (m: Manifest) => `${m.metadata.namespace}/${m.metadata.name}`;
        expect(namespacedPolicies(manifests).map(key).sort()).toEqual(kubernetes.manifests().filter((m) => m.kind === 'NetworkPolicy').map(key).sort());
        if (validator) expect(manifests.filter((m) => m.kind !== 'GlobalNetworkSet').flatMap((m) => validator.validate(m))).toEqual([]);

        for (const namespace of declarations.namespaces.map((n) => n.name)) {
          const deny = namespacedPolicies(manifests).find((p) => p.metadata.namespace === namespace && p.metadata.name === 'default-deny-all');
          expect(deny?.spec).toEqual({ tier: 'default', order: 1000, selector: 'all()', types: ['Ingress', 'Egress'] });
        }
        expect(namespacedPolicies(manifests).flatMap(rulesOf).filter((r) => r.action !== 'Allow')).toEqual([]);

        const globals = globalPolicies(manifests);
        const denyOrders = globals.filter((g) => rulesOf(g).every((r) => r.action === 'Deny')).map((g) => g.spec.order);
        for (const g of globals.filter((p) => rulesOf(p).some((r) => r.action === 'Pass'))) {
          for (const order of denyOrders) expect(g.spec.order).toBeGreaterThan(order);
        }

        const tenantOf = new Map(declarations.tenants.flatMap((t) => t.namespaces.map((n) => [n, t.name] as const)));
        for (const policy of namespacedPolicies(manifests)) {
          const tenant = tenantOf.get(policy.metadata.namespace);
          if (tenant === undefined || policy.metadata.name === 'allow-dns-egress') continue;
          const isolation = globals.find((g) => g.metadata.name === `isolate-${tenant}`)!;
          for (const direction of ['ingress', 'egress'] as const) {
            for (const allow of policy.spec[direction] ?? []) {
              const peer = direction === 'ingress' ? allow.source : allow.destination;
              const far = podNamespace(peer);
              if (far === undefined || tenantOf.get(far) === tenant) continue;
              // The Pass names the same peer, protocol and ports (and, on the subject's side, its pods).
              const same = (r: CalicoRule) => r.action === 'Pass' && r.protocol === allow.protocol && (direction === 'ingress'
                ? JSON.stringify(r.source) === JSON.stringify(allow.source)
                  && JSON.stringify(r.destination?.ports) === JSON.stringify(allow.destination?.ports)
                : JSON.stringify(r.destination) === JSON.stringify(allow.destination));
              const passed = (isolation.spec[direction] ?? []).some(same);
              crossing++;
              expect({ policy: `${policy.metadata.namespace}/${policy.metadata.name}`, allow, passed }).toEqual({ policy: `${policy.metadata.namespace}/${policy.metadata.name}`, allow, passed: true });
            }
          }
        }
      }),
      { numRuns: RUNS },
    );
    expect(checked).toBeGreaterThan(RUNS * 0.8);
    // The last property means something: some allows of the runs cross a tenant's edge.
    expect(crossing).toBeGreaterThan(0);
  }, 120_000);
});
