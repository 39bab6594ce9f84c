/**
 * The part of the plan the mesh enforces. AuthorizationPolicy decides what a workload's inbound
 * proxy accepts (https://istio.io/latest/docs/reference/config/security/authorization-policy/): it
 * does not restrict a pod's egress, and a sidecar does not intercept UDP. So the mesh renders the
 * ingress policies, the ingress allowances (same namespace, intra-tenant) and the ingress denies;
 * egress, DNS and the flows the mesh itself needs stay with the network backends, which render the
 * whole plan. A flow passes only if both layers allow it.
 */
import { NamespacePlan, PolicyPlan } from '../../model/plan';

export function meshScope(plan: PolicyPlan): PolicyPlan {
  const meshPath = plan.model.mesh?.path;
  const namespaces = plan.namespaces.map((n): NamespacePlan => ({
    ...n,
    baselines: n.baselines.filter((b) => b.kind !== 'dns-egress'),
    policies: n.policies
      .filter((p) => p.direction === 'ingress')
      .map((p) => ({ ...p, rules: p.rules.filter((r) => !(r.origins.length > 0 && r.origins.every((o) => o.path === meshPath))) }))
      .filter((p) => p.rules.length > 0),
  }));
  return { ...plan, namespaces, denies: plan.denies.filter((d) => d.direction === 'ingress') };
}
