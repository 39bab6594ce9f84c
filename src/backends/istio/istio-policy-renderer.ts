/**
 * plan (its mesh scope, see scope.ts) → security.istio.io/v1 PeerAuthentication and
 * AuthorizationPolicy, for Istio in sidecar mode. Syntax only: what is allowed is the plan's.
 *
 * - PeerAuthentication: STRICT for the mesh, the declared overrides and port exceptions.
 * - Per meshed namespace, `allow-nothing`: an ALLOW policy without rules, so that a request no
 *   ALLOW policy matches is denied (https://istio.io/latest/docs/reference/config/security/authorization-policy/).
 * - Per planned ingress policy, an ALLOW policy selecting the workload (every pod for `all-pods`),
 *   one rule per caller (its principal or namespace) with its TCP ports, and one rule per HTTP rule.
 *   No rule is ever `{}` (which would allow every request), and no policy is emitted with an empty
 *   rule list.
 * - Per ingress deny, a DENY policy. DENY rules carry no HTTP fields (on a TCP port Istio would drop
 *   them and deny more), only sources and ports.
 */
import { operationsOf } from './operations';
import { effectiveMode, renderPeerAuthentications } from './peer-authentication';
import { Identities } from './sources';
import { AuthorizationPolicy, AuthorizationPolicySpec, IstioRule, IstioSource, IstioWorkloadSelector } from './types';
import { describeEndpoint } from '../../model/endpoints';
import { ValidationIssue } from '../../model/issues';
import { hasSidecar, MtlsMode, ResolvedMesh } from '../../model/mesh';
import { Baseline, NamespacePlan, PlannedPolicy, PlannedRule, PolicyPlan } from '../../model/plan';
import { describePort } from '../../model/port';
import { DeclarationSite, Endpoint, MANAGED_BY_LABEL, MANAGED_BY_VALUE, ResolvedDeny, ResolvedNamespace, ResolvedWorkload, TENANT_LABEL } from '../../model/resolved';
import { compareStrings } from '../../model/selector';
import { PolicyRenderer, RenderResult } from '../backend';
import { Manifest } from '../manifest';

export const ALLOW_NOTHING = 'allow-nothing';

export interface IstioRendererOptions {
  readonly trustDomain: string;
}

export class IstioPolicyRenderer implements PolicyRenderer {
  public readonly id = 'istio';

  constructor(private readonly options: IstioRendererOptions) {}

  public render(plan: PolicyPlan): RenderResult {
    const mesh = plan.model.mesh;
    if (!mesh) return { manifests: [], issues: [] };
    const writer = new Writer(plan, mesh, new Identities(this.options.trustDomain, mesh, plan.model.workloads));
    const manifests: Manifest[] = [...renderPeerAuthentications(mesh, (path) => writer.matchLabelsAt(path, 'the workload\'s PeerAuthentication'))];
    for (const namespacePlan of plan.namespaces) manifests.push(...writer.namespace(namespacePlan));
    for (const deny of plan.denies) manifests.push(...writer.deny(deny));
    const issues = [...writer.issues].sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.field, b.field));
    return { manifests, issues };
  }
}

class Writer {
  public readonly issues: ValidationIssue[] = [];
  private readonly workloadsByPath: ReadonlyMap<string, ResolvedWorkload>;

  constructor(
    plan: PolicyPlan,
    private readonly mesh: ResolvedMesh,
    private readonly identities: Identities,
  ) {
    this.workloadsByPath = new Map(plan.model.workloads.map((w) => [w.path, w]));
  }

  public namespace({ namespace, baselines, policies }: NamespacePlan): AuthorizationPolicy[] {
    // No proxy, nothing enforced: the namespace was declared without sidecars, with its reason.
    if (!hasSidecar(this.mesh, namespace.name)) return [];
    const objects = [policy(namespace, ALLOW_NOTHING, {})];
    for (const baseline of baselines) {
      const allowance = this.baseline(namespace, baseline);
      if (allowance) objects.push(allowance);
    }
    for (const planned of policies) {
      const allow = this.allow(namespace, planned);
      if (allow) objects.push(allow);
    }
    return objects;
  }

  /** `matchLabels` of a workload, or an issue: Istio selectors have no expressions, and dropping them would select more pods. */
  public matchLabelsAt(path: string, what: string): Record<string, string> | undefined {
    const workload = this.workloadsByPath.get(path);
    if (!workload) return undefined;
    if (workload.selector.matchExpressions.length === 0) return { ...workload.selector.matchLabels };
    this.issue({
      path,
      field: 'selector',
      message: `${what} needs the workload's pods selected by labels, and Istio selectors take matchLabels only (its selector has matchExpressions)`,
      fix: 'select the workload with labels only, e.g. { labels: { app: \'api\' } }',
    });
    return undefined;
  }

  private baseline(namespace: ResolvedNamespace, baseline: Baseline): AuthorizationPolicy | undefined {
    const namespaces = baseline.kind === 'same-namespace' ? [namespace.name] : baseline.kind === 'intra-tenant' ? baseline.namespaces : [];
    if (namespaces.length === 0) return undefined;
    const meshed = namespaces.filter((n) => hasSidecar(this.mesh, n));
    for (const n of namespaces.filter((x) => !meshed.includes(x))) {
      this.issue({
        path: namespace.path,
        field: baseline.kind === 'same-namespace' ? 'allowSameNamespace' : 'allowIntraTenant',
        message: `namespace '${n}' runs without a sidecar (${this.mesh.path}), so its plaintext calls into '${namespace.name}' are refused by STRICT mTLS`,
        fix: `give '${n}' its sidecars, or declare only the flows that do not come from it`,
      });
    }
    return policy(namespace, baseline.name, { action: 'ALLOW', rules: [{ from: [{ source: { namespaces: [...meshed].sort(compareStrings) } }] }] });
  }

  private allow(namespace: ResolvedNamespace, planned: PlannedPolicy): AuthorizationPolicy | undefined {
    let selector: IstioWorkloadSelector | undefined;
    if (planned.subject.kind === 'workload') {
      const w = planned.subject.workload;
      // Declared without a sidecar (with its reason): no proxy to enforce anything.
      if (!hasSidecar(this.mesh, w.namespace, w.name)) return undefined;
      const matchLabels = this.matchLabelsAt(w.path, `the AuthorizationPolicy ${planned.name}`);
      if (!matchLabels) return undefined;
      selector = { matchLabels };
    }
    const workload = planned.subject.kind === 'workload' ? planned.subject.workload.name : undefined;
    const rules = planned.rules.flatMap((rule) => this.allowRules(namespace.name, workload, rule));
    if (rules.length === 0) return undefined;
    return policy(namespace, planned.name, { ...(selector ? { selector } : {}), action: 'ALLOW', rules });
  }

  private allowRules(namespace: string, workload: string | undefined, rule: PlannedRule): IstioRule[] {
    const source = this.identities.source(rule.peer);
    if (!source.ok) {
      for (const origin of rule.origins) this.issue({ path: origin.path, field: origin.field, message: `the Istio backend cannot admit ${describeEndpoint(rule.peer)}: ${source.message}`, fix: source.fix });
      return [];
    }
    const ops = operationsOf(rule.ports);
    for (const problem of ops.problems) {
      for (const origin of originsWith(rule, problem.port)) {
        this.issue({ path: origin.path, field: origin.field, message: problem.message, fix: problem.fix });
      }
    }
    this.disabledPorts(namespace, workload, rule);
    const from = [{ source: source.source }];
    const rules: IstioRule[] = [];
    if (ops.tcpPorts === undefined) rules.push({ from });
    else if (ops.tcpPorts.length > 0) rules.push({ from, to: [{ operation: { ports: ops.tcpPorts } }] });
    for (const h of ops.http) rules.push({ from, to: [{ operation: h.operation }], ...(h.when ? { when: h.when } : {}) });
    return rules;
  }

  /**
   * A port in DISABLE mode receives plaintext only (a client that sends mTLS fails), so a caller has
   * no identity there and no rule by identity can match: the declared flow could never pass.
   */
  private disabledPorts(namespace: string, workload: string | undefined, rule: PlannedRule): void {
    const numbers = rule.ports.flatMap((p) => (p.kind === 'number' && p.protocol === 'TCP' ? [p.port] : []));
    const ports: (number | undefined)[] = numbers.length > 0 ? numbers : [undefined];
    for (const port of ports) {
      if (effectiveMode(this.mesh, namespace, workload, port) !== MtlsMode.DISABLE) continue;
      const where = `${namespace}${workload ? `/${workload}` : ''}${port !== undefined ? ` port ${port}` : ''}`;
      for (const origin of rule.origins) {
        this.issue({
          path: origin.path,
          field: origin.field,
          message: `mTLS is DISABLE on ${where}, so callers arrive without an identity and the flow from ${describeEndpoint(rule.peer)}, admitted by identity, could never pass`,
          fix: 'use PERMISSIVE or STRICT there, or remove the flow',
        });
      }
    }
  }

  public deny(deny: ResolvedDeny): AuthorizationPolicy[] {
    const sources = this.denySources(deny);
    if (sources === undefined) return [];
    const ops = operationsOf(deny.ports);
    for (const problem of ops.problems) this.issue({ path: deny.path, field: deny.field, message: problem.message, fix: problem.fix });
    if (ops.tcpPorts !== undefined && ops.tcpPorts.length === 0) return []; // UDP/SCTP only: the network backends' alone
    const rule: IstioRule = {
      ...(sources.length > 0 ? { from: sources.map((source) => ({ source })) } : {}),
      ...(ops.tcpPorts !== undefined ? { to: [{ operation: { ports: ops.tcpPorts } }] } : {}),
    };
    // Without `from` and `to` the rule matches every request: a deny of every caller on every port.
    const spec = (selector?: IstioWorkloadSelector): AuthorizationPolicySpec => ({ ...(selector ? { selector } : {}), action: 'DENY', rules: [rule] });
    const metadata = (namespace: string) => ({ name: deny.name, namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } });
    switch (deny.subjects.kind) {
      case 'cluster':
        return [{ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: metadata(this.mesh.rootNamespace), spec: spec() }];
      case 'namespaces':
        return deny.subjects.namespaces
          .filter((n) => hasSidecar(this.mesh, n))
          .map((n) => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: metadata(n), spec: spec() }));
      case 'workload': {
        const w = deny.subjects.workload;
        if (!hasSidecar(this.mesh, w.namespace, w.name)) return [];
        const matchLabels = this.matchLabelsAt(w.path, `the deny '${deny.name}'`);
        if (!matchLabels) return [];
        return [{ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: metadata(w.namespace), spec: spec({ matchLabels }) }];
      }
    }
  }

  /**
   * The callers a deny names, as sources ([] = every caller), or undefined when the mesh has nothing
   * to deny: callers with no identity (addresses outside the cluster, nodes, the API server) are
   * never admitted by the mesh's allows, which admit identities only.
   */
  private denySources(deny: ResolvedDeny): IstioSource[] | undefined {
    if (deny.peers.kind === 'all-but') return [{ notNamespaces: [...deny.peers.namespaces] }];
    const sources: IstioSource[] = [];
    for (const peer of deny.peers.endpoints) {
      const source = this.denySource(peer, deny);
      if (source === 'everyone') return [];
      if (source) sources.push(source);
    }
    return sources.length > 0 ? sources : undefined;
  }

  private denySource(peer: Endpoint, site: DeclarationSite): IstioSource | 'everyone' | undefined {
    switch (peer.kind) {
      case 'cidr':
        // The connection's source address: pods in the range included, when the range holds pod addresses.
        return { ipBlocks: [peer.cidr], ...(peer.except.length > 0 ? { notIpBlocks: [...peer.except] } : {}) };
      case 'entity':
        // The whole cluster holds pods with identities; denying every caller denies no more than it
        // plus callers the mesh never admits.
        return peer.entity === 'cluster' ? 'everyone' : undefined;
      case 'fqdn':
        return undefined;
      default: {
        const source = this.identities.source(peer);
        if (source.ok) return source.source;
        this.issue({ path: site.path, field: site.field, message: `the Istio backend cannot deny ${describeEndpoint(peer)}: ${source.message}`, fix: source.fix });
        return undefined;
      }
    }
  }

  private issue(issue: ValidationIssue): void {
    if (!this.issues.some((i) => i.path === issue.path && i.field === issue.field && i.message === issue.message)) this.issues.push(issue);
  }
}

/** The origins of a rule that declared `port` (all of them when none says). */
function originsWith(rule: PlannedRule, port: { kind: string }): readonly DeclarationSite[] {
  const key = JSON.stringify(port);
  const declaring = rule.origins.filter((o) => o.ports.some((p) => JSON.stringify(p) === key || describePort(p) === describePort(port as never)));
  return declaring.length > 0 ? declaring : rule.origins;
}

function policy(namespace: ResolvedNamespace, name: string, spec: AuthorizationPolicySpec): AuthorizationPolicy {
  const labels: Record<string, string> = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
  if (namespace.tenant) labels[TENANT_LABEL] = namespace.tenant;
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: namespace.name, labels }, spec };
}
