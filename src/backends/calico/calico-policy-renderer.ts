/**
 * plan → projectcalico.org/v3, in two tiers (https://docs.tigera.io/calico/latest/network-policy/policy-tiers/tiered-policy):
 *
 * The platform tier (ours, `defaultAction: Pass`, before the tenants' tier) holds GlobalNetworkPolicies:
 * - each platform deny, with explicit `Deny` rules (order 100);
 * - per tenant, its isolation (order 200): `Pass` for traffic among the tenant's own pods and for each
 *   declared flow with pods outside the tenant, then `Deny` for the pods of every other tenant's
 *   namespace, so that no policy of a later tier (a tenant's own included) can open what the
 *   platform closes;
 * - a last policy (order 1000) that `Pass`es everything else of every pod to the next tier, written
 *   out although the tier's default action says the same.
 * A `Pass` leaves the whole tier, so a policy that passes comes after every deny.
 *
 * The tenants' tier (`default` unless chosen) holds one NetworkPolicy per baseline and planned policy
 * of each managed namespace, only `Allow` rules. Its `default-deny-all` selects every pod of the
 * namespace for both directions and has no rules: a tier applies to an endpoint, for a direction,
 * only when one of its policies selects the endpoint for it, and then ends with the tier's Deny when
 * no rule decided (https://docs.tigera.io/calico/latest/reference/resources/tier). Without it, a pod
 * that no allow selects would skip the tier and reach its namespace profile, which allows everything.
 *
 * Staged rollout: the same objects with the Staged kinds, which Calico evaluates for flow logs and
 * previews but never enforces (https://docs.tigera.io/calico/latest/network-policy/staged-network-policies).
 * Only the kind differs, so enforcing is a change of kind.
 */
import { networkSetOf, peerEntities, podsOf } from './peers';
import { protocolPorts } from './ports';
import { ALL, and, CalicoSelectorError, has, labelSelector, namespacesNamed, NETWORK_SET_KEY, oneOf, PODS, POD_NAMESPACE_KEY, podSelector } from './selectors';
import {
  CalicoAction,
  CalicoEntityRule,
  CalicoGlobalNetworkPolicy,
  CalicoGlobalNetworkPolicySpec,
  CalicoGlobalNetworkSet,
  CalicoNetworkPolicy,
  CalicoNetworkPolicySpec,
  CalicoPort,
  CalicoRule,
  CalicoTier,
} from './types';
import { describeEndpoint } from '../../model/endpoints';
import { ValidationIssue } from '../../model/issues';
import { Baseline, NamespacePlan, PlanDirection, PlannedPolicy, PolicyPlan } from '../../model/plan';
import { PortSpec } from '../../model/port';
import { DenySubjects, Endpoint, MANAGED_BY_LABEL, MANAGED_BY_VALUE, ResolvedDeny, ResolvedNamespace, TENANT_LABEL } from '../../model/resolved';
import { compareStrings } from '../../model/selector';
import { PolicyRenderer, RenderResult } from '../backend';
import { Manifest } from '../manifest';

/** The built-in tier that holds Kubernetes NetworkPolicies and untiered Calico policies; its order and Deny are fixed. */
export const DEFAULT_TIER = 'default';

/** Orders of the platform tier's policies: every deny runs before any policy that passes. */
export const PLATFORM_POLICY_ORDER = { deny: 100, isolation: 200, pass: 1000 } as const;

/** Names of our GlobalNetworkPolicies other than the denies. */
export const isolationPolicyName = (tenant: string) => `isolate-${tenant}`;
export const passPolicyName = (tenantTier: string) => `pass-to-${tenantTier}`;

/** Options of the Calico renderer (see `CalicoBackendOptions`), with defaults applied. */
export interface CalicoRendererOptions {
  readonly platformTier: { readonly name: string; readonly order: number };
  /** `order` is absent for the default tier, which is not ours to emit. */
  readonly tenantTier: { readonly name: string; readonly order?: number };
  /** `order` of the namespaced policies. */
  readonly policyOrder: number;
  /** Every object of this backend staged. */
  readonly staged: boolean;
  /** The namespaced objects of these namespaces staged. */
  readonly stagedNamespaces: ReadonlySet<string>;
}

const MAX_NAME = 63;

/** How to get past a deny whose peer Calico cannot select. */
const DENY_PEER_FIX = 'give the peer as addresses Calico can match (a CIDR, Peer.kubeApiserver({ addresses })), render this deny with the Cilium backend, '
  + 'or declare that this target omits denies: Backend.calico({ omit: [Feature.DENY] }) (refused while an allow of the program overlaps the deny)';

export class CalicoPolicyRenderer implements PolicyRenderer {
  public readonly id = 'calico';

  constructor(private readonly options: CalicoRendererOptions) {}

  public render(plan: PolicyPlan): RenderResult {
    const issues: ValidationIssue[] = [];
    const writer = new Writer(this.options, issues);
    const namespaced: CalicoNetworkPolicy[] = [];
    for (const namespacePlan of plan.namespaces) {
      const { namespace, baselines, policies } = namespacePlan;
      for (const baseline of baselines) namespaced.push(writer.baseline(namespace, baseline));
      for (const planned of policies) namespaced.push(writer.policy(namespace, planned));
    }
    writer.takeDenyNames(plan.denies);
    const globals = [...plan.denies.map((d) => writer.deny(d)), ...writer.isolations(plan.namespaces), ...writer.pass()];
    const manifests: Manifest[] = [...namespaced, ...writer.tiers(), ...writer.networkSets(), ...globals];
    return { manifests, issues };
  }
}

class Writer {
  private readonly sets = new Map<string, string>();
  /** Peer sides by end: the isolation policies pass the ends the namespaced policies allow. */
  private readonly peerCache = new WeakMap<Endpoint, CalicoEntityRule[] | undefined>();
  private readonly denyNames = new Map<string, ResolvedDeny>();

  constructor(
    private readonly options: CalicoRendererOptions,
    private readonly issues: ValidationIssue[],
  ) {}

  public baseline(namespace: ResolvedNamespace, baseline: Baseline): CalicoNetworkPolicy {
    switch (baseline.kind) {
      case 'default-deny':
        // No rules: the tier applies to every pod of the namespace, both ways, and ends in Deny.
        return this.namespaced(namespace, baseline.name, { selector: ALL, types: ['Ingress', 'Egress'] });
      case 'dns-egress': {
        const dns = baseline.dns;
        const servers = this.guard(namespace.path, 'dns.labels', () => podsOf(dns.namespace, dns.selector));
        const egress: CalicoRule[] = [];
        if (servers) egress.push(...rules('Allow', 'egress', servers, dns.ports));
        // NodeLocal DNSCache answers on a link-local address of each node, reached by address.
        if (dns.nodeLocal) egress.push(...rules('Allow', 'egress', { nets: [dns.nodeLocal.cidr] }, dns.ports));
        return this.namespaced(namespace, baseline.name, { selector: ALL, types: ['Egress'], egress });
      }
      case 'same-namespace': {
        const own = podsOf(namespace.name);
        return this.namespaced(namespace, baseline.name, {
          selector: ALL,
          types: ['Ingress', 'Egress'],
          ingress: [{ action: 'Allow', source: own }],
          egress: [{ action: 'Allow', destination: copy(own) }],
        });
      }
      case 'intra-tenant': {
        const tenant: CalicoEntityRule = { namespaceSelector: namespacesNamed(baseline.namespaces), selector: PODS };
        return this.namespaced(namespace, baseline.name, {
          selector: ALL,
          types: ['Ingress', 'Egress'],
          ingress: [{ action: 'Allow', source: tenant }],
          egress: [{ action: 'Allow', destination: copy(tenant) }],
        });
      }
    }
  }

  public policy(namespace: ResolvedNamespace, planned: PlannedPolicy): CalicoNetworkPolicy {
    const subject = planned.subject;
    const selector = subject.kind === 'workload' ? this.guard(planned.path, 'selector', () => labelSelector(subject.workload.selector)) : ALL;
    const allows: CalicoRule[] = [];
    for (const rule of planned.rules) {
      const peers = this.peers(rule.peer, rule.origins, rule.ports);
      if (peers) for (const peer of peers) allows.push(...rules('Allow', planned.direction, peer, rule.ports));
    }
    const direction = planned.direction === 'ingress' ? { types: ['Ingress' as const], ingress: allows } : { types: ['Egress' as const], egress: allows };
    return this.namespaced(namespace, planned.name, { selector: selector ?? ALL, ...direction });
  }

  public deny(deny: ResolvedDeny): CalicoGlobalNetworkPolicy {
    const subjects = this.subjects(deny.subjects, deny);
    const peers: CalicoEntityRule[] = deny.peers.kind === 'all-but'
      // Every end but the pods of these namespaces: external addresses, nodes and network sets included.
      ? [{ notSelector: and([PODS, oneOf(POD_NAMESPACE_KEY, deny.peers.namespaces)]) }]
      : deny.peers.endpoints.flatMap((e) => this.peers(e, [deny], deny.ports, 'deny') ?? []);
    const denies = peers.flatMap((peer) => rules('Deny', deny.direction, peer, deny.ports));
    const spec = deny.direction === 'ingress' ? { types: ['Ingress' as const], ingress: denies } : { types: ['Egress' as const], egress: denies };
    return this.global(deny.name, {}, PLATFORM_POLICY_ORDER.deny, { ...subjects, ...spec }, this.options.staged);
  }

  /**
   * One GlobalNetworkPolicy per tenant, for its pods both ways: Pass among its own pods and for the
   * declared flows with pods outside it (decided in the tenants' tier), then Deny for every other
   * tenant's pods. Other tenants' namespaces are those with the tenant label (we write it on the
   * Namespaces we emit), and by name those whose Namespace object is not ours.
   */
  public isolations(namespaces: readonly NamespacePlan[]): CalicoGlobalNetworkPolicy[] {
    const byTenant = new Map<string, NamespacePlan[]>();
    for (const n of namespaces) {
      if (n.namespace.tenant === undefined) continue;
      const list = byTenant.get(n.namespace.tenant) ?? [];
      list.push(n);
      byTenant.set(n.namespace.tenant, list);
    }
    const notOurs = namespaces.filter((n) => n.namespace.tenant !== undefined && !n.namespace.emitNamespace);
    return [...byTenant.keys()].sort(compareStrings).flatMap((tenant): CalicoGlobalNetworkPolicy[] => {
      const own = byTenant.get(tenant)!;
      const name = isolationPolicyName(tenant);
      if (!this.nameFree(name, `the isolation of tenant '${tenant}'`, own[0].namespace.path, 'tenant')) return [];
      const ownNames = own.map((n) => n.namespace.name);
      const ownPods: CalicoEntityRule = { namespaceSelector: namespacesNamed(ownNames), selector: PODS };
      const otherTenants: CalicoEntityRule[] = [{ namespaceSelector: has(TENANT_LABEL), selector: PODS }];
      const unlabelled = notOurs.filter((n) => n.namespace.tenant !== tenant).map((n) => n.namespace.name);
      if (unlabelled.length > 0) otherTenants.push({ namespaceSelector: namespacesNamed(unlabelled), selector: PODS });
      const ingress: CalicoRule[] = [{ action: 'Pass', source: ownPods }];
      const egress: CalicoRule[] = [{ action: 'Pass', destination: copy(ownPods) }];
      const inside = new Set(ownNames);
      for (const { namespace, policies } of own) {
        for (const planned of policies) {
          const local = this.localPods(namespace, planned);
          for (const rule of planned.rules) {
            const far = podNamespace(rule.peer);
            if (far === undefined || inside.has(far)) continue;
            const peers = this.peers(rule.peer, rule.origins, rule.ports);
            if (!peers || !local) continue;
            const passes = peers.flatMap((peer) => rules('Pass', planned.direction, peer, rule.ports, local));
            (planned.direction === 'ingress' ? ingress : egress).push(...passes);
          }
        }
      }
      ingress.push(...otherTenants.map((source): CalicoRule => ({ action: 'Deny', source })));
      egress.push(...otherTenants.map((destination): CalicoRule => ({ action: 'Deny', destination: copy(destination) })));
      const staged = this.options.staged || own.every((n) => this.options.stagedNamespaces.has(n.namespace.name));
      return [this.global(name, { [TENANT_LABEL]: tenant }, PLATFORM_POLICY_ORDER.isolation, {
        namespaceSelector: namespacesNamed(ownNames),
        selector: PODS,
        types: ['Ingress', 'Egress'],
        ingress,
        egress,
      }, staged)];
    });
  }

  /** Everything the platform tier did not decide goes on to the tenants' tier, for every pod. */
  public pass(): CalicoGlobalNetworkPolicy[] {
    const name = passPolicyName(this.options.tenantTier.name);
    if (!this.nameFree(name, "the pass to the tenants' tier", undefined, undefined)) return [];
    return [this.global(name, {}, PLATFORM_POLICY_ORDER.pass, {
      selector: PODS,
      types: ['Ingress', 'Egress'],
      ingress: [{ action: 'Pass' }],
      egress: [{ action: 'Pass' }],
    }, this.options.staged)];
  }

  /** Our tiers: the platform's, and the tenants' unless it is Calico's default tier. */
  public tiers(): CalicoTier[] {
    const { platformTier, tenantTier } = this.options;
    const tiers: CalicoTier[] = [tier(platformTier.name, platformTier.order, 'Pass')];
    if (tenantTier.name !== DEFAULT_TIER && tenantTier.name !== platformTier.name && tenantTier.order !== undefined) tiers.push(tier(tenantTier.name, tenantTier.order, 'Deny'));
    return tiers;
  }

  /** One GlobalNetworkSet per named range the rules select, by name. */
  public networkSets(): CalicoGlobalNetworkSet[] {
    return [...this.sets.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([name, cidr]) => ({
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkSet',
      metadata: { name, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [NETWORK_SET_KEY]: name } },
      spec: { nets: [cidr] },
    }));
  }

  /** The denies' names, which our own GlobalNetworkPolicies of the platform tier must not take. */
  public takeDenyNames(denies: readonly ResolvedDeny[]): void {
    for (const deny of denies) this.denyNames.set(deny.name, deny);
  }

  /**
   * Whether one of our own GlobalNetworkPolicies may take `name`: not a deny's (one would overwrite
   * the other), and a DNS-1123 label (at most 63 characters). Otherwise an issue, and no object.
   */
  private nameFree(name: string, owner: string, path: string | undefined, field: string | undefined): boolean {
    const deny = this.denyNames.get(name);
    if (deny) {
      this.issues.push({
        path: deny.path,
        field: deny.field,
        message: `the Calico backend names ${owner} '${name}' (a GlobalNetworkPolicy of the platform tier), the name of this deny`,
        fix: 'rename the deny',
      });
      return false;
    }
    if (name.length <= MAX_NAME || path === undefined || field === undefined) return true;
    this.issues.push({
      path,
      field,
      message: `the Calico backend names ${owner} '${name}', longer than ${MAX_NAME} characters`,
      fix: `shorten the tenant name to at most ${MAX_NAME - isolationPolicyName('').length} characters`,
    });
    return false;
  }

  /** The pods a planned policy applies to, as a rule side of a GlobalNetworkPolicy. */
  private localPods(namespace: ResolvedNamespace, planned: PlannedPolicy): CalicoEntityRule | undefined {
    const subject = planned.subject;
    if (subject.kind === 'namespace') return podsOf(namespace.name);
    return this.guard(planned.path, 'selector', () => podsOf(namespace.name, subject.workload.selector));
  }

  private subjects(subjects: DenySubjects, deny: ResolvedDeny): Pick<CalicoGlobalNetworkPolicySpec, 'selector' | 'namespaceSelector'> {
    switch (subjects.kind) {
      case 'cluster':
        // Every pod, and no host endpoint: a GlobalNetworkPolicy selector all() would also hold the nodes.
        return { selector: PODS };
      case 'namespaces':
        return { namespaceSelector: namespacesNamed(subjects.namespaces), selector: PODS };
      case 'workload': {
        const w = subjects.workload;
        const selector = this.guard(w.path, 'selector', () => podSelector(w.selector));
        if (selector === undefined) this.issues.push({ path: deny.path, field: deny.field, message: `the deny '${deny.name}' applies to a workload whose selector Calico cannot express`, fix: 'fix the workload\'s selector' });
        return { namespaceSelector: namespacesNamed([w.namespace]), selector: selector ?? PODS };
      }
    }
  }

  /**
   * The peer sides of an end, or undefined with an issue at each declaration when Calico cannot
   * express it. The support table refuses those intents before rendering; this is the last guard
   * that nothing is dropped or widened silently.
   */
  private peers(
    peer: Endpoint,
    origins: readonly { path: string; field: string }[],
    ports: readonly PortSpec[],
    role: 'allow' | 'deny' = 'allow',
  ): CalicoEntityRule[] | undefined {
    const http = ports.some((p) => p.http !== undefined);
    if (!http && this.peerCache.has(peer)) return this.peerCache.get(peer);
    let entities: CalicoEntityRule[] | undefined;
    let problem: { message: string; fix: string } | undefined;
    try {
      entities = peerEntities(peer);
      // Omitting a peer's feature drops allows only: a deny toward it stays, and only omitting denies drops it.
      if (!entities) problem = { message: `${describeEndpoint(peer)} cannot be expressed by Calico policy`, fix: role === 'allow' ? 'use the Cilium backend, or declare that this target omits it' : DENY_PEER_FIX };
    } catch (error) {
      if (!(error instanceof CalicoSelectorError)) throw error;
      problem = { message: error.message, fix: error.fix };
    }
    if (!problem && http) {
      problem = { message: 'L7 HTTP rules cannot be expressed by Calico Open Source policy', fix: 'use the Cilium backend, or declare that this target omits it' };
    }
    if (problem) {
      for (const { path, field } of origins) this.issue({ path, field, ...problem });
      return undefined;
    }
    const set = networkSetOf(peer);
    if (set) this.sets.set(set.name, set.cidr);
    this.peerCache.set(peer, entities);
    return entities;
  }

  /** `write()`, or undefined with an issue at `path`/`field` when a selector cannot be written. */
  private guard<T>(path: string, field: string, write: () => T): T | undefined {
    try {
      return write();
    } catch (error) {
      if (!(error instanceof CalicoSelectorError)) throw error;
      this.issue({ path, field, message: error.message, fix: error.fix });
      return undefined;
    }
  }

  private issue(issue: ValidationIssue): void {
    if (!this.issues.some((i) => i.path === issue.path && i.field === issue.field && i.message === issue.message)) this.issues.push(issue);
  }

  private namespaced(namespace: ResolvedNamespace, name: string, spec: Omit<CalicoNetworkPolicySpec, 'tier' | 'order'>): CalicoNetworkPolicy {
    const labels: Record<string, string> = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
    if (namespace.tenant) labels[TENANT_LABEL] = namespace.tenant;
    const staged = this.options.staged || this.options.stagedNamespaces.has(namespace.name);
    return {
      apiVersion: 'projectcalico.org/v3',
      kind: staged ? 'StagedNetworkPolicy' : 'NetworkPolicy',
      metadata: { name, namespace: namespace.name, labels },
      spec: { tier: this.options.tenantTier.name, order: this.options.policyOrder, ...spec },
    };
  }

  private global(
    name: string,
    extraLabels: Record<string, string>,
    order: number,
    spec: Omit<CalicoGlobalNetworkPolicySpec, 'tier' | 'order'>,
    staged: boolean,
  ): CalicoGlobalNetworkPolicy {
    return {
      apiVersion: 'projectcalico.org/v3',
      kind: staged ? 'StagedGlobalNetworkPolicy' : 'GlobalNetworkPolicy',
      metadata: { name, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, ...extraLabels } },
      spec: { tier: this.options.platformTier.name, order, ...spec },
    };
  }
}

/**
 * Rules with `action` for one peer side and the ports: one per protocol. The peer is the source of
 * ingress and the destination of egress; ports are always the destination's. `local`, in a
 * GlobalNetworkPolicy, names the policy's own pods on the other side. Written field by field: this is
 * the renderer's hot path at a thousand tenants.
 */
function rules(
  action: CalicoAction,
  direction: PlanDirection,
  peer: CalicoEntityRule,
  ports: readonly PortSpec[],
  local?: CalicoEntityRule,
): CalicoRule[] {
  const out: CalicoRule[] = [];
  for (const p of protocolPorts(ports)) {
    const rule: { -readonly [K in keyof CalicoRule]: CalicoRule[K] } = { action };
    if (p.protocol !== undefined) rule.protocol = p.protocol;
    if (direction === 'ingress') {
      rule.source = copy(peer);
      if (local !== undefined || p.ports !== undefined) rule.destination = copy(local ?? {}, p.ports);
    } else {
      if (local !== undefined) rule.source = copy(local);
      rule.destination = copy(peer, p.ports);
    }
    out.push(rule);
  }
  return out;
}

/**
 * A copy of a rule side, its lists included, with `ports` when given. An object met twice in one
 * document would make YAML writers emit anchors and aliases (`&a1`/`*a1`), which tools that read
 * policies do not all expect, and which our fast writer leaves to the slow YAML library.
 */
function copy(side: CalicoEntityRule, ports?: readonly CalicoPort[]): CalicoEntityRule {
  const out: { -readonly [K in keyof CalicoEntityRule]: CalicoEntityRule[K] } = {};
  if (side.namespaceSelector !== undefined) out.namespaceSelector = side.namespaceSelector;
  if (side.selector !== undefined) out.selector = side.selector;
  if (side.notSelector !== undefined) out.notSelector = side.notSelector;
  if (side.serviceAccounts !== undefined) out.serviceAccounts = { names: side.serviceAccounts.names.slice() };
  if (side.nets !== undefined) out.nets = side.nets.slice();
  if (side.notNets !== undefined) out.notNets = side.notNets.slice();
  const given = ports ?? side.ports;
  if (given !== undefined) out.ports = given.slice();
  return out;
}

function tier(name: string, order: number, defaultAction: 'Deny' | 'Pass'): CalicoTier {
  return { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } }, spec: { order, defaultAction } };
}

/** The namespace of an end made of pods. */
function podNamespace(end: Endpoint): string | undefined {
  return end.kind === 'workload' || end.kind === 'pods' || end.kind === 'namespace' || end.kind === 'service-account' ? end.namespace : undefined;
}
