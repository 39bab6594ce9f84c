import { namespaceByName, renderPeer, renderPorts, renderSelector } from './peers';
import { K8sEgressRule, K8sIngressRule, K8sNetworkPolicy } from './types';
import { Baseline, PlannedPolicy, PolicyPlan } from '../../model/plan';
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
    for (const { namespace, baselines, policies } of plan.namespaces) {
      for (const baseline of baselines) manifests.push(renderBaseline(namespace, baseline));
      for (const planned of policies) manifests.push(renderPolicy(namespace, planned));
    }
    return { manifests, issues: [] };
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
  switch (baseline.kind) {
    case 'default-deny':
      // Isolates every pod for both directions; with no rules it allows nothing by itself.
      return policy(namespace, baseline.name, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    case 'dns-egress':
      return policy(namespace, baseline.name, {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: namespaceByName(baseline.dns.namespace), podSelector: renderSelector(baseline.dns.selector) }],
            ports: renderPorts(baseline.dns.ports),
          },
        ],
      });
    case 'same-namespace':
      // `podSelector: {}` as a peer means every pod of the policy's own namespace: asked for explicitly here.
      return policy(namespace, baseline.name, {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
      });
    case 'intra-tenant': {
      const peers = baseline.namespaces.map((ns) => ({ namespaceSelector: namespaceByName(ns) }));
      return policy(namespace, baseline.name, {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: peers }],
        egress: [{ to: peers }],
      });
    }
  }
}

function renderPolicy(namespace: ResolvedNamespace, planned: PlannedPolicy): K8sNetworkPolicy {
  const podSelector = planned.subject.kind === 'workload' ? renderSelector(planned.subject.workload.selector) : {};
  const spec: K8sNetworkPolicy['spec'] =
    planned.direction === 'ingress'
      ? {
        podSelector,
        policyTypes: ['Ingress'],
        ingress: planned.rules.map((r): K8sIngressRule => withPorts({ from: [renderPeer(r.peer)] }, r.ports)),
      }
      : {
        podSelector,
        policyTypes: ['Egress'],
        egress: planned.rules.map((r): K8sEgressRule => withPorts({ to: [renderPeer(r.peer)] }, r.ports)),
      };
  return policy(namespace, planned.name, spec);
}

function withPorts<T extends object>(rule: T, ports: readonly PortSpec[]): T & { ports?: ReturnType<typeof renderPorts> } {
  const rendered = renderPorts(ports);
  return rendered === undefined ? rule : { ...rule, ports: rendered };
}
