import { namespaceByName, renderPeers, renderPorts, renderSelector } from './peers';
import { K8sEgressRule, K8sIngressRule, K8sNetworkPolicy, K8sNetworkPolicyPeer, K8sNetworkPolicySpec } from './types';
import { describeEndpoint } from '../../model/endpoints';
import { ValidationIssue } from '../../model/issues';
import { Baseline, PlannedPolicy, PlannedRule, PolicyPlan } from '../../model/plan';
import { PortSpec } from '../../model/port';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, ResolvedNamespace, TENANT_LABEL } from '../../model/resolved';
import { PolicyRenderer, RenderResult } from '../backend';

/**
 * plan → networking.k8s.io/v1 NetworkPolicy: one object per baseline and per planned policy, in the
 * plan's order (baselines first, then policies by name). Syntax only: what is allowed is the plan's.
 *
 * Every policy states `policyTypes` explicitly, because the API server's defaulting would turn an
 * egress-only policy into one that isolates ingress too
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/).
 */
export class KubernetesNetworkPolicyRenderer implements PolicyRenderer {
  public readonly id = 'kubernetes';

  public render(plan: PolicyPlan): RenderResult {
    const manifests: K8sNetworkPolicy[] = [];
    const issues: ValidationIssue[] = [];
    for (const { namespace, baselines, policies } of plan.namespaces) {
      for (const baseline of baselines) manifests.push(renderBaseline(namespace, baseline));
      for (const planned of policies) manifests.push(renderPolicy(namespace, planned, issues));
    }
    // Denies are refused (or omitted) before rendering; one that gets here is never dropped silently.
    for (const deny of plan.denies) {
      issues.push({ path: deny.path, field: deny.field, message: `the deny '${deny.name}' cannot be expressed by NetworkPolicy, which only allows`, fix: 'use the Cilium backend' });
    }
    return { manifests, issues };
  }
}

function metadata(namespace: ResolvedNamespace, name: string): K8sNetworkPolicy['metadata'] {
  const labels: Record<string, string> = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
  if (namespace.tenant) labels[TENANT_LABEL] = namespace.tenant;
  return { name, namespace: namespace.name, labels };
}

function policy(namespace: ResolvedNamespace, name: string, spec: K8sNetworkPolicy['spec']): K8sNetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: metadata(namespace, name), spec };
}

function renderBaseline(namespace: ResolvedNamespace, baseline: Baseline): K8sNetworkPolicy {
  return policy(namespace, baseline.name, baselineSpec(baseline));
}

/**
 * The spec of a baseline's NetworkPolicy, whatever its namespace: what a managed namespace gets, and
 * what the Kyverno guardrails generate in the namespaces the platform does not manage.
 */
export function baselineSpec(baseline: Baseline): K8sNetworkPolicySpec {
  switch (baseline.kind) {
    case 'default-deny':
      // Isolates every pod for both directions; with no rules it allows nothing by itself.
      return { podSelector: {}, policyTypes: ['Ingress', 'Egress'] };
    case 'dns-egress': {
      const to: K8sEgressRule['to'] = [{ namespaceSelector: namespaceByName(baseline.dns.namespace), podSelector: renderSelector(baseline.dns.selector) }];
      // NodeLocal DNSCache answers on a link-local address of each node, reached by address
      // (https://kubernetes.io/docs/tasks/administer-cluster/nodelocaldns/).
      if (baseline.dns.nodeLocal) to.push({ ipBlock: { cidr: baseline.dns.nodeLocal.cidr } });
      return { podSelector: {}, policyTypes: ['Egress'], egress: [{ to, ports: renderPorts(baseline.dns.ports) }] };
    }
    case 'same-namespace':
      // `podSelector: {}` as a peer means every pod of the policy's own namespace: asked for explicitly here.
      return {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
      };
    case 'intra-tenant': {
      const peers = baseline.namespaces.map((ns) => ({ namespaceSelector: namespaceByName(ns) }));
      return { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: peers }], egress: [{ to: peers }] };
    }
  }
}

function renderPolicy(namespace: ResolvedNamespace, planned: PlannedPolicy, issues: ValidationIssue[]): K8sNetworkPolicy {
  const podSelector = planned.subject.kind === 'workload' ? renderSelector(planned.subject.workload.selector) : {};
  const rules = planned.rules.flatMap((r) => {
    const peers = expressible(r, issues);
    return peers ? [{ peers, ports: r.ports }] : [];
  });
  const spec: K8sNetworkPolicy['spec'] =
    planned.direction === 'ingress'
      ? { podSelector, policyTypes: ['Ingress'], ingress: rules.map((r): K8sIngressRule => withPorts({ from: r.peers }, r.ports)) }
      : { podSelector, policyTypes: ['Egress'], egress: rules.map((r): K8sEgressRule => withPorts({ to: r.peers }, r.ports)) };
  return policy(namespace, planned.name, spec);
}

/**
 * The peers of a rule, or undefined with an issue when NetworkPolicy cannot express the rule. The
 * plan reaches this renderer without such rules (they are refused or omitted before); this is the
 * last guard that nothing is dropped or widened silently.
 */
function expressible(rule: PlannedRule, issues: ValidationIssue[]): K8sNetworkPolicyPeer[] | undefined {
  const peers = renderPeers(rule.peer);
  const http = rule.ports.some((p) => p.http !== undefined);
  if (peers && !http) return peers;
  for (const { path, field } of rule.origins) {
    issues.push({
      path,
      field,
      message: http ? 'L7 HTTP rules cannot be expressed by NetworkPolicy' : `${describeEndpoint(rule.peer)} cannot be expressed by NetworkPolicy`,
      fix: 'use the Cilium backend',
    });
  }
  return undefined;
}

function withPorts<T extends object>(rule: T, ports: readonly PortSpec[]): T & { ports?: ReturnType<typeof renderPorts> } {
  const rendered = renderPorts(ports);
  return rendered === undefined ? rule : { ...rule, ports: rendered };
}
