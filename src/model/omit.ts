/**
 * A plan without the features a target declares it omits (`Backend.kubernetes({ omit: [...] })`).
 *
 * Omitting an allow removes it: the rule toward a DNS name, the rule identified by a service
 * account, the port with HTTP rules (never the HTTP rules alone, which would allow every request on
 * the port). The target then allows less than declared, never more. Omitting a deny would allow
 * more, so it is refused wherever an allow of the plan may carry traffic the deny refuses; where no
 * allow of the plan overlaps it, the deny only guarded against allows written elsewhere, and the
 * target loses that guard, as declared.
 */
import { describeEndpoint } from './endpoints';
import { endpointFeature, Feature } from './features';
import { ValidationIssue } from './issues';
import { combine, denyPeersRelation, portsRelation, Relation, subjectRelation } from './overlap';
import { Baseline, NamespacePlan, PlanDirection, PlannedPolicy, PlannedRule, PolicyPlan } from './plan';
import { describePort, PortSpec } from './port';
import { Endpoint, ResolvedDeny, ResolvedNamespace } from './resolved';

export interface OmissionResult {
  readonly plan: PolicyPlan;
  /** Omissions that would widen what the target allows. */
  readonly issues: readonly ValidationIssue[];
}

/** The plan as a target that omits `omitted` renders it. `target` names the target in messages. */
export function omitFeatures(plan: PolicyPlan, omitted: ReadonlySet<Feature>, target: string): OmissionResult {
  if (omitted.size === 0) return { plan, issues: [] };
  const namespaces = plan.namespaces.map((n) => omitFromNamespace(n, omitted));
  const dropped = plan.denies.filter((d) => omitted.has(Feature.DENY) || (omitted.has(Feature.CLUSTER_WIDE) && d.subjects.kind === 'cluster'));
  const issues = dropped.flatMap((deny) => wideningIssues(deny, namespaces, target, omitted.has(Feature.DENY) ? Feature.DENY : Feature.CLUSTER_WIDE));
  return { plan: { ...plan, namespaces, denies: plan.denies.filter((d) => !dropped.includes(d)) }, issues };
}

function omitFromNamespace(namespacePlan: NamespacePlan, omitted: ReadonlySet<Feature>): NamespacePlan {
  const baselines = namespacePlan.baselines.map((b): Baseline => {
    if (b.kind !== 'dns-egress' || !b.dns.nodeLocal || !omitted.has(Feature.NODE_LOCAL_DNS)) return b;
    const { nodeLocal: _omitted, ...dns } = b.dns;
    return { ...b, dns };
  });
  const policies = namespacePlan.policies
    .map((p): PlannedPolicy => ({ ...p, rules: p.rules.flatMap((r) => omitFromRule(r, omitted)) }))
    // A policy left without rules would only isolate pods the default-deny isolates already.
    .filter((p) => p.rules.length > 0);
  return { ...namespacePlan, baselines, policies };
}

function omitFromRule(rule: PlannedRule, omitted: ReadonlySet<Feature>): PlannedRule[] {
  const feature = endpointFeature(rule.peer);
  if (feature && omitted.has(feature)) return [];
  if (!omitted.has(Feature.HTTP)) return [rule];
  const ports = rule.ports.filter((p) => p.http === undefined);
  if (ports.length === 0) return [];
  return [ports.length === rule.ports.length ? rule : { ...rule, ports }];
}

/** An allow of the (reduced) plan: who it is for, the far end, the ports, and where it is declared. */
interface Allow {
  readonly direction: PlanDirection;
  readonly local: Endpoint;
  readonly far: Endpoint;
  readonly ports: readonly PortSpec[];
  readonly declared: string;
}

function wideningIssues(deny: ResolvedDeny, namespaces: readonly NamespacePlan[], target: string, feature: Feature): ValidationIssue[] {
  const widened = namespaces.flatMap(allowsOf).filter((a) => (a.direction === deny.direction
    ? asRendered(a.far).some((far) => relation(deny, { ...a, far }) !== 'disjoint')
    : reachesUnguarded(deny, a)));
  if (widened.length === 0) return [];
  const first = widened[0];
  const more = widened.length > 1 ? ` (and ${widened.length - 1} more)` : '';
  return [{
    path: deny.path,
    field: deny.field,
    message:
      `the target '${target}' omits '${feature}', but ${first.declared}${more} may carry connections this deny refuses ` +
      `(${first.direction} of ${describeEndpoint(first.local)} ${first.direction === 'egress' ? 'to' : 'from'} ${describeEndpoint(first.far)} on ${first.ports.map(describePort).join(', ')}); ` +
      'without the deny the target would allow them',
    fix: 'narrow those allows so that they leave the denied traffic out (e.g. an except on a CIDR peer, other ports), or render this deny on a backend that has denies instead of omitting it',
  }];
}

/**
 * The far end as a target without denies renders it. Only the Kubernetes backend omits denies, and it
 * writes the kube-apiserver with declared addresses as an ipBlock per address: the allow reaches those
 * addresses and nothing else, so a CIDR deny apart from them is not widened by omitting it.
 */
function asRendered(far: Endpoint): readonly Endpoint[] {
  if (far.kind === 'entity' && far.entity === 'kube-apiserver' && far.addresses && far.addresses.length > 0) {
    return far.addresses.map((cidr): Endpoint => ({ kind: 'cidr', cidr, except: [] }));
  }
  return [far];
}

/**
 * An allow in the other direction whose far end is pods the platform emits no policy for (an unmanaged namespace):
 * nothing on their side guards the connection, so the deny, at the far end, is all that refuses it. E.g. an egress
 * allow toward kube-system pods and a cluster-wide restrictIngress of kube-system's ingress from that source.
 */
function reachesUnguarded(deny: ResolvedDeny, allow: Allow): boolean {
  if (!isUnmanagedPods(allow.far)) return false;
  return combine(subjectRelation(deny.subjects, allow.far), denyPeersRelation(deny.peers, allow.local), portsRelation(deny.ports, allow.ports)) !== 'disjoint';
}

function isUnmanagedPods(endpoint: Endpoint): boolean {
  switch (endpoint.kind) {
    case 'pods':
      return true;
    case 'namespace':
      return !endpoint.managed;
    case 'service-account':
      return endpoint.workload === undefined;
    default:
      return false;
  }
}

function relation(deny: ResolvedDeny, allow: Allow): Relation {
  return combine(subjectRelation(deny.subjects, allow.local), denyPeersRelation(deny.peers, allow.far), portsRelation(deny.ports, allow.ports));
}

function allowsOf(namespacePlan: NamespacePlan): Allow[] {
  const { namespace } = namespacePlan;
  const wholeNamespace: Endpoint = { kind: 'namespace', namespace: namespace.name, managed: true };
  const allows: Allow[] = namespacePlan.baselines.flatMap((b) => baselineAllows(b, namespace, wholeNamespace));
  for (const policy of namespacePlan.policies) {
    const local: Endpoint = policy.subject.kind === 'workload'
      ? { kind: 'workload', namespace: namespace.name, name: policy.subject.workload.name, selector: policy.subject.workload.selector }
      : wholeNamespace;
    for (const rule of policy.rules) {
      const origin = rule.origins[0];
      allows.push({
        direction: policy.direction,
        local,
        far: rule.peer,
        ports: rule.ports,
        declared: origin ? `the flow ${origin.field} of ${origin.path}` : `the policy ${policy.name} of namespace '${namespace.name}'`,
      });
    }
  }
  return allows;
}

function baselineAllows(baseline: Baseline, namespace: ResolvedNamespace, local: Endpoint): Allow[] {
  const all: PortSpec[] = [{ kind: 'all' }];
  const declared = `the baseline ${baseline.name} of namespace '${namespace.name}' (${namespace.path})`;
  const both = (far: Endpoint, ports: readonly PortSpec[]): Allow[] =>
    (['ingress', 'egress'] as const).map((direction) => ({ direction, local, far, ports, declared }));
  switch (baseline.kind) {
    case 'default-deny':
      return [];
    case 'dns-egress': {
      const servers: Endpoint[] = [{ kind: 'pods', namespace: baseline.dns.namespace, selector: baseline.dns.selector }];
      if (baseline.dns.nodeLocal) servers.push({ kind: 'cidr', cidr: baseline.dns.nodeLocal.cidr, except: [] });
      return servers.map((far) => ({ direction: 'egress', local, far, ports: baseline.dns.ports, declared }));
    }
    case 'same-namespace':
      return both(local, all);
    case 'intra-tenant':
      return baseline.namespaces.flatMap((n) => both({ kind: 'namespace', namespace: n, managed: true }, all));
  }
}
