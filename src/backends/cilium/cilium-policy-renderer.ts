/**
 * plan → cilium.io/v2 CiliumNetworkPolicy (per managed namespace) and CiliumClusterwideNetworkPolicy
 * (the platform's denies). Syntax only: what is allowed is the plan's.
 *
 * - `default-deny-all` isolates every endpoint of the namespace in both directions
 *   (`enableDefaultDeny`, https://docs.cilium.io/en/stable/security/policy/intro/), with rules that
 *   allow nothing (`fromEntities: [none]`) rather than a bare `{}` rule, which readers take for
 *   "allow all" as in NetworkPolicy.
 * - `allow-dns-egress` allows the cluster DNS; when pods of the namespace have DNS names as peers it
 *   carries the L7 DNS rule that makes Cilium's DNS proxy learn the answers, without which `toFQDNs`
 *   never matches (https://docs.cilium.io/en/stable/security/dns/).
 * - One policy per planned subject and direction, one rule element per far end.
 * - Denies are cluster-wide policies with `enableDefaultDeny: false`, so that a deny never isolates
 *   the endpoints it selects (https://docs.cilium.io/en/stable/security/policy/deny/).
 */
import { fromFields, renderDenyPeers, renderPeer, toFields } from './peers';
import { renderDenyPorts, renderToPorts } from './ports';
import { labelSelector, namespacesSelector, peerSelector, SelectorContext, unselectableKeys } from './selectors';
import {
  CiliumClusterwideNetworkPolicy,
  CiliumEgressDenyRule,
  CiliumEgressRule,
  CiliumEndpointSelector,
  CiliumIngressDenyRule,
  CiliumIngressRule,
  CiliumNetworkPolicy,
  CiliumRule,
} from './types';
import { ValidationIssue } from '../../model/issues';
import { Baseline, PlannedPolicy, PolicyPlan } from '../../model/plan';
import { PortSpec } from '../../model/port';
import { DenySubjects, Endpoint, MANAGED_BY_LABEL, MANAGED_BY_VALUE, ResolvedDeny, ResolvedNamespace, TENANT_LABEL } from '../../model/resolved';
import { NormalizedSelector } from '../../model/selector';
import { PolicyRenderer, RenderResult } from '../backend';

/** Options of the Cilium renderer (see `CiliumBackendOptions`). */
export interface CiliumRendererOptions {
  readonly clusterName?: string;
  readonly enableDefaultDeny: boolean;
}

export class CiliumPolicyRenderer implements PolicyRenderer {
  public readonly id = 'cilium';

  constructor(private readonly options: CiliumRendererOptions) {}

  public render(plan: PolicyPlan): RenderResult {
    const issues: ValidationIssue[] = [];
    const context: SelectorContext = { clusterName: this.options.clusterName };
    const writer = new Writer(context, this.options.enableDefaultDeny, issues);
    const inNamespaces: CiliumNetworkPolicy[] = [];
    for (const { namespace, baselines, policies } of plan.namespaces) {
      for (const baseline of baselines) inNamespaces.push(writer.baseline(namespace, baseline));
      for (const planned of policies) inNamespaces.push(writer.policy(namespace, planned));
    }
    const clusterwide = plan.denies.map((deny) => writer.deny(deny));
    return { manifests: [...inNamespaces, ...clusterwide], issues };
  }
}

class Writer {
  constructor(
    private readonly context: SelectorContext,
    private readonly enableDefaultDeny: boolean,
    private readonly issues: ValidationIssue[],
  ) {}

  public baseline(namespace: ResolvedNamespace, baseline: Baseline): CiliumNetworkPolicy {
    switch (baseline.kind) {
      case 'default-deny':
        return namespaced(namespace, baseline.name, {
          endpointSelector: {},
          enableDefaultDeny: { ingress: true, egress: true },
          ingress: [{ fromEntities: ['none'] }],
          egress: [{ toEntities: ['none'] }],
        });
      case 'dns-egress': {
        const dns = baseline.dns;
        if (dns.nodeLocal) {
          this.issues.push({
            path: dns.nodeLocal.path,
            field: 'dns.nodeLocal',
            message: 'NodeLocal DNSCache cannot be expressed by Cilium policies',
            fix: 'use a Cilium Local Redirect Policy',
          });
        }
        this.checkSelector(dns.selector, namespace.path, 'dns.labels');
        const [ports] = renderToPorts(dns.ports) ?? [];
        return namespaced(namespace, baseline.name, this.allowing({
          endpointSelector: {},
          egress: [{
            toEndpoints: [peerSelector(this.context, dns.namespace, dns.selector)],
            // Every query is let through (matchPattern '*'); the proxy only records the answers.
            toPorts: [baseline.inspect ? { ports: ports.ports, rules: { dns: [{ matchPattern: '*' }] } } : ports],
          }],
        }));
      }
      case 'same-namespace': {
        const own = [peerSelector(this.context, namespace.name)];
        return namespaced(namespace, baseline.name, this.allowing({
          endpointSelector: {},
          ingress: [{ fromEndpoints: own }],
          egress: [{ toEndpoints: own }],
        }));
      }
      case 'intra-tenant': {
        const peers = baseline.namespaces.map((n) => peerSelector(this.context, n));
        return namespaced(namespace, baseline.name, this.allowing({
          endpointSelector: {},
          ingress: [{ fromEndpoints: peers }],
          egress: [{ toEndpoints: peers }],
        }));
      }
    }
  }

  public policy(namespace: ResolvedNamespace, planned: PlannedPolicy): CiliumNetworkPolicy {
    const endpointSelector: CiliumEndpointSelector = planned.subject.kind === 'workload' ? labelSelector(planned.subject.workload.selector) : {};
    if (planned.subject.kind === 'workload') this.checkSelector(planned.subject.workload.selector, planned.path, 'selector');
    for (const rule of planned.rules) this.checkPeer(rule.peer, rule.origins);
    const spec: CiliumRule = planned.direction === 'ingress'
      ? { endpointSelector, ingress: planned.rules.map((r): CiliumIngressRule => withToPorts(fromFields(renderPeer(r.peer, this.context)), r.ports)) }
      : { endpointSelector, egress: planned.rules.map((r): CiliumEgressRule => withToPorts(toFields(renderPeer(r.peer, this.context)), r.ports)) };
    return namespaced(namespace, planned.name, this.allowing(spec));
  }

  public deny(deny: ResolvedDeny): CiliumClusterwideNetworkPolicy {
    const endpointSelector = this.subjectSelector(deny.subjects);
    const peers = renderDenyPeers(deny.peers, this.context);
    const toPorts = renderDenyPorts(deny.ports);
    if (deny.peers.kind === 'only') for (const e of deny.peers.endpoints) this.checkPeer(e, [deny]);
    const ports = toPorts ? { toPorts } : {};
    const spec: CiliumRule = deny.direction === 'ingress'
      ? {
        endpointSelector,
        enableDefaultDeny: { ingress: false, egress: false },
        ingressDeny: peers.map((p): CiliumIngressDenyRule => ({ ...fromFields(p), ...ports })),
      }
      : {
        endpointSelector,
        enableDefaultDeny: { ingress: false, egress: false },
        egressDeny: peers.map((p): CiliumEgressDenyRule => {
          const fields = toFields(p);
          if ('toFQDNs' in fields) throw new Error('internal: a deny never names DNS names');
          return { ...fields, ...ports };
        }),
      };
    return { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: deny.name, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } }, spec };
  }

  private subjectSelector(subjects: DenySubjects): CiliumEndpointSelector {
    switch (subjects.kind) {
      case 'cluster':
        // Every endpoint of the cluster: a cluster-wide endpointSelector {} is not confined to a namespace.
        return {};
      case 'namespaces':
        return namespacesSelector('In', subjects.namespaces);
      case 'workload': {
        const w = subjects.workload;
        this.checkSelector(w.selector, w.path, 'selector');
        return peerSelector({}, w.namespace, w.selector);
      }
    }
  }

  /** `enableDefaultDeny: false` on allowing policies when so chosen: the namespace's default-deny-all still isolates. */
  private allowing(spec: CiliumRule): CiliumRule {
    if (this.enableDefaultDeny) return spec;
    return { endpointSelector: spec.endpointSelector, enableDefaultDeny: { ingress: false, egress: false }, ...withoutSelector(spec) };
  }

  private checkPeer(peer: Endpoint, origins: readonly { path: string; field: string }[]): void {
    const selector: NormalizedSelector | undefined =
      peer.kind === 'workload' || peer.kind === 'pods' ? peer.selector : peer.kind === 'service-account' ? peer.workload?.selector : undefined;
    if (!selector) return;
    for (const origin of origins) this.checkSelector(selector, origin.path, origin.field);
  }

  /** Selector keys outside the Cilium identity would select no pod, or every pod: refused. */
  private checkSelector(selector: NormalizedSelector, path: string, field: string): void {
    for (const { key, why } of unselectableKeys(selector)) {
      const issue = {
        path,
        field,
        message: `the label '${key}' cannot select pods in Cilium policies: ${why}, so the selector would match no pod, or every pod`,
        fix: 'select the pods by a label of their own, e.g. app or app.kubernetes.io/name',
      };
      if (!this.issues.some((i) => i.path === issue.path && i.field === issue.field && i.message === issue.message)) this.issues.push(issue);
    }
  }
}

function withoutSelector(spec: CiliumRule): Omit<CiliumRule, 'endpointSelector'> {
  const { endpointSelector: _selector, ...rest } = spec;
  return rest;
}

function withToPorts<T extends object>(peer: T, ports: readonly PortSpec[]): T & { toPorts?: ReturnType<typeof renderToPorts> } {
  const toPorts = renderToPorts(ports);
  return toPorts === undefined ? peer : { ...peer, toPorts };
}

function namespaced(namespace: ResolvedNamespace, name: string, spec: CiliumRule): CiliumNetworkPolicy {
  const labels: Record<string, string> = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
  if (namespace.tenant) labels[TENANT_LABEL] = namespace.tenant;
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: namespace.name, labels }, spec };
}
