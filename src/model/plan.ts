import { carveDeniedCidrs } from './carve';
import { endpointKey } from './endpoints';
import { ValidationIssue } from './issues';
import { normalizePorts, PortSpec, PortsByKey } from './port';
import { Endpoint, FlowOrigin, ResolvedDeny, ResolvedDns, ResolvedModel, ResolvedNamespace, ResolvedWorkload } from './resolved';
import { compareStrings } from './selector';

/**
 * The backend-neutral policy plan: what every backend renders, decided once.
 *
 * Per managed namespace it lists the baselines (default-deny, DNS egress, the opt-in same-namespace
 * and intra-tenant allowances) and one policy per subject and direction, holding one rule per far
 * end with the merged ports of every flow toward that end. A flow between two managed namespaces
 * plans the egress rule in the source namespace and the ingress rule in the destination namespace;
 * a flow to or from a CIDR or an unmanaged namespace plans only the managed side.
 *
 * Backends only translate a plan into their syntax; whether the output allows exactly the declared
 * intent is decided here, and tested here once, then through the analyzer for each backend.
 */

export type PlanDirection = 'ingress' | 'egress';

/** The pods a planned policy applies to: one workload, or every pod of its namespace. */
export type PlanSubject =
  | { readonly kind: 'workload'; readonly workload: ResolvedWorkload }
  | { readonly kind: 'namespace' };

/** One far end (the source for ingress, the destination for egress) and the ports allowed toward it. */
export interface PlannedRule {
  readonly peer: Endpoint;
  /** Normalised: sorted, de-duplicated, `[{ kind: 'all' }]` for every port. Ports may carry HTTP rules. */
  readonly ports: readonly PortSpec[];
  /**
   * The declarations of the flows this rule allows, sorted, each with the ports it gave: where a
   * backend that cannot express part of the rule points.
   */
  readonly origins: readonly FlowOrigin[];
}

/** The flows of one subject in one direction. */
export interface PlannedPolicy {
  /** `<workload>-ingress`, `<workload>-egress`, `all-pods-ingress`, `all-pods-egress`. */
  readonly name: string;
  /** Construct path of the subject (the workload, or the namespace for `all-pods`). */
  readonly path: string;
  readonly subject: PlanSubject;
  readonly direction: PlanDirection;
  /** Sorted by far end. */
  readonly rules: readonly PlannedRule[];
}

/** What a namespace gets besides its flows. */
export type Baseline =
  /** Every pod isolated for ingress and egress: only what is planned is allowed. */
  | { readonly kind: 'default-deny'; readonly name: string }
  /**
   * Every pod may query the platform DNS. `inspect` is true when pods of the namespace have DNS
   * names as peers: their queries must then pass through a DNS-aware proxy that learns the answers
   * (Cilium's DNS proxy, https://docs.cilium.io/en/stable/security/dns/), or the names never resolve
   * to an allowed address.
   */
  | { readonly kind: 'dns-egress'; readonly name: string; readonly dns: ResolvedDns; readonly inspect: boolean }
  /** All traffic between pods of the namespace (opt-in). */
  | { readonly kind: 'same-namespace'; readonly name: string }
  /** All traffic with the listed namespaces of the same tenant, this one included (opt-in). */
  | { readonly kind: 'intra-tenant'; readonly name: string; readonly namespaces: readonly string[] };

/** Names of the baselines; a subject's policy may not take one. */
export const BASELINE_NAMES = {
  defaultDeny: 'default-deny-all',
  dnsEgress: 'allow-dns-egress',
  sameNamespace: 'allow-same-namespace',
  intraTenant: 'allow-intra-tenant',
} as const;

/** Base name of the policies whose subject is every pod of the namespace. */
export const ALL_PODS = 'all-pods';

export interface NamespacePlan {
  readonly namespace: ResolvedNamespace;
  /** In this order: default-deny, DNS egress, same-namespace, intra-tenant (those that apply). */
  readonly baselines: readonly Baseline[];
  /** Sorted by name. */
  readonly policies: readonly PlannedPolicy[];
}

export interface PolicyPlan {
  /** The validated intent the plan was made from (namespaces to create, workloads, flows, DNS). */
  readonly model: ResolvedModel;
  /** One per managed namespace, sorted by name. */
  readonly namespaces: readonly NamespacePlan[];
  /**
   * Explicit denies and restrictions of the platform, sorted by name. They win over every allow. A
   * CIDR they deny inside a CIDR that a rule allows is already excepted from that rule.
   */
  readonly denies: readonly ResolvedDeny[];
}

export type PlanResult =
  | { readonly ok: true; readonly plan: PolicyPlan }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** A policy being collected: its subject, and its rules merged per far end. */
interface PolicyDraft {
  readonly name: string;
  readonly path: string;
  readonly subject: PlanSubject;
  readonly direction: PlanDirection;
  readonly rules: PortsByKey<{ readonly peer: Endpoint; readonly origins: Map<string, FlowOrigin> }>;
}

/** Plans the policies of a validated model. Name clashes are issues: two subjects never share a policy. */
export function planPolicies(model: ResolvedModel): PlanResult {
  const issues: ValidationIssue[] = [];
  const workloadPaths = new Map(model.workloads.map((w) => [`${w.namespace}/${w.name}`, w]));
  const namespacePaths = new Map(model.namespaces.map((n) => [n.name, n.path]));
  const drafts = new Map<string, Map<string, PolicyDraft>>();

  const draftFor = (namespace: string, subject: PlanSubject, path: string, base: string, direction: PlanDirection): PolicyDraft | undefined => {
    let perNamespace = drafts.get(namespace);
    if (!perNamespace) drafts.set(namespace, (perNamespace = new Map()));
    const name = `${base}-${direction}`;
    const existing = perNamespace.get(name);
    if (!existing) {
      const draft: PolicyDraft = { name, path, subject, direction, rules: new PortsByKey() };
      perNamespace.set(name, draft);
      return draft;
    }
    if (existing.path === path) return existing;
    // Two subjects would share one policy and so each other's rules: a wider policy. Refuse.
    issues.push(nameClash(path, name, namespace, existing.path));
    return undefined;
  };

  /** The policy of the managed pods that a flow end stands for, or undefined when no policy is planned on that side. */
  const subjectDraft = (end: Endpoint, direction: PlanDirection): PolicyDraft | undefined => {
    const workloadName = end.kind === 'workload' ? end.name : end.kind === 'service-account' ? end.workload?.name : undefined;
    if (workloadName !== undefined && (end.kind === 'workload' || end.kind === 'service-account')) {
      const workload = workloadPaths.get(`${end.namespace}/${workloadName}`)!;
      return draftFor(end.namespace, { kind: 'workload', workload }, workload.path, workloadName, direction);
    }
    if (end.kind === 'namespace' && end.managed) {
      return draftFor(end.namespace, { kind: 'namespace' }, namespacePaths.get(end.namespace)!, ALL_PODS, direction);
    }
    return undefined;
  };

  const addRule = (draft: PolicyDraft | undefined, peer: Endpoint, ports: readonly PortSpec[], origins: readonly FlowOrigin[]): void => {
    const rule = draft?.rules.add(endpointKey(peer), { peer, origins: new Map() }, ports);
    for (const origin of origins) {
      const key = `${origin.path}\u0000${origin.field}`;
      const earlier = rule?.origins.get(key);
      rule?.origins.set(key, earlier ? { ...origin, ports: normalizePorts([...earlier.ports, ...origin.ports]) } : origin);
    }
  };
  for (const flow of model.flows) {
    addRule(subjectDraft(flow.source, 'egress'), flow.destination, flow.ports, flow.origins);
    addRule(subjectDraft(flow.destination, 'ingress'), flow.source, flow.ports, flow.origins);
  }

  const namespaces = model.namespaces.map((namespace): NamespacePlan => {
    const resolvesNames = model.flows.some((f) => f.destination.kind === 'fqdn' && namespaceOf(f.source) === namespace.name);
    const baselines = baselinesOf(namespace, model, resolvesNames);
    const taken = new Set(baselines.map((b) => b.name));
    const policies: PlannedPolicy[] = [];
    const perNamespace = [...(drafts.get(namespace.name)?.values() ?? [])].sort((a, b) => compareStrings(a.name, b.name));
    for (const draft of perNamespace) {
      if (taken.has(draft.name)) {
        issues.push(nameClash(draft.path, draft.name, namespace.name, namespace.path));
        continue;
      }
      const planned: PlannedPolicy = {
        name: draft.name,
        path: draft.path,
        subject: draft.subject,
        direction: draft.direction,
        rules: draft.rules.sorted().map(({ value, ports }) => ({
          peer: value.peer,
          ports,
          origins: [...value.origins.values()].sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.field, b.field)),
        })),
      };
      policies.push(carveDeniedCidrs(planned, namespace.name, model.denies));
    }
    return { namespace, baselines, policies };
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, plan: { model, namespaces, denies: model.denies } };
}

function namespaceOf(end: Endpoint): string | undefined {
  return end.kind === 'workload' || end.kind === 'namespace' || end.kind === 'pods' || end.kind === 'service-account' ? end.namespace : undefined;
}

/**
 * The baselines that isolate a namespace: default-deny, then DNS egress when allowed. Every managed
 * namespace starts with them, and the Kyverno guardrails generate the same ones in namespaces the
 * platform does not manage, so both come from here.
 */
export function isolationBaselines(dns: ResolvedDns, allowDns: boolean, inspect: boolean): Baseline[] {
  const baselines: Baseline[] = [{ kind: 'default-deny', name: BASELINE_NAMES.defaultDeny }];
  if (allowDns) baselines.push({ kind: 'dns-egress', name: BASELINE_NAMES.dnsEgress, dns, inspect });
  return baselines;
}

function baselinesOf(namespace: ResolvedNamespace, model: ResolvedModel, inspect: boolean): Baseline[] {
  const baselines = isolationBaselines(model.dns, namespace.allowDns, inspect);
  if (namespace.allowSameNamespace) baselines.push({ kind: 'same-namespace', name: BASELINE_NAMES.sameNamespace });
  if (namespace.intraTenantNamespaces.length > 0) {
    baselines.push({ kind: 'intra-tenant', name: BASELINE_NAMES.intraTenant, namespaces: namespace.intraTenantNamespaces });
  }
  return baselines;
}

function nameClash(path: string, name: string, namespace: string, otherPath: string): ValidationIssue {
  return {
    path,
    field: 'name',
    // Every backend names its policies after the plan; NetworkPolicy is the kind users know them by.
    message: `its NetworkPolicy '${name}' has the same name as another policy of namespace '${namespace}' (${otherPath})`,
    fix: `rename the workload (the names 'allow-dns' and '${ALL_PODS}' are taken by the namespace's own policies)`,
  };
}
