import { PolicyRenderer } from './backend';
import { CalicoPolicyRenderer, DEFAULT_TIER, passPolicyName } from './calico/calico-policy-renderer';
import { CiliumPolicyRenderer } from './cilium/cilium-policy-renderer';
import { IstioPolicyRenderer } from './istio/istio-policy-renderer';
import { meshScope } from './istio/scope';
import { KubernetesNetworkPolicyRenderer } from './kubernetes/network-policy-renderer';
import { BuiltInBackend, supportOf } from './support-table';
import { Feature, isFeature } from '../model/features';
import { ValidationIssue } from '../model/issues';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../model/names';
import { PolicyPlan } from '../model/plan';
import { describeValue } from '../model/values';

/** Options of `Backend.kubernetes`. */
export interface KubernetesBackendOptions {
  /**
   * Intents of the program this target leaves out, declared explicitly, e.g. `[Feature.FQDN]` for a
   * `dist/kubernetes/` that carries everything NetworkPolicy can express. Without it, an intent the
   * backend cannot express fails synthesis. An omitted allow is not emitted (the target allows
   * less); omitting a deny is refused where an allow of the program overlaps it. Only features the
   * backend cannot express may be listed.
   * @default - none: every intent must be expressed
   */
  readonly omit?: readonly Feature[];
}

/** Options of `Backend.cilium`. */
export interface CiliumBackendOptions {
  /**
   * The Cilium cluster name (`cluster-name` of the agent). Given, every pod selector of a peer also
   * names the cluster (`io.cilium.k8s.policy.cluster`), so that pods of another cluster of a
   * ClusterMesh that carry the same labels and namespace do not match
   * (https://docs.cilium.io/en/stable/network/clustermesh/policy/).
   * @default - peers are not confined to one cluster
   */
  readonly clusterName?: string;
  /**
   * `enableDefaultDeny` of the policies that allow: with `true` (Cilium's default), each of them
   * isolates the endpoints it selects by itself; with `false`, only the namespace's
   * `default-deny-all` isolates, so that removing it alone opens the namespace again (a staged
   * roll-out). `default-deny-all` always isolates, and denies never do
   * (https://docs.cilium.io/en/stable/security/policy/intro/).
   * @default true
   */
  readonly enableDefaultDeny?: boolean;
  /** Intents this target leaves out, declared explicitly (see `KubernetesBackendOptions.omit`). @default - none */
  readonly omit?: readonly Feature[];
}

/** Options of `Backend.istio`. */
export interface IstioBackendOptions {
  /**
   * The mesh's trust domain (meshConfig.trustDomain): the first part of every principal,
   * `<trustDomain>/ns/<namespace>/sa/<service account>`.
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
  /** Intents this target leaves out, declared explicitly (see `KubernetesBackendOptions.omit`). @default - none */
  readonly omit?: readonly Feature[];
}

/** A Calico tier: its name and its `order` (tiers run in ascending order). */
export interface CalicoTierOptions {
  /** A DNS-1123 label. @default - see the option that takes it */
  readonly name?: string;
  /** A finite number; lower runs first. @default - see the option that takes it */
  readonly order?: number;
}

/** Options of `Backend.calico`. */
export interface CalicoBackendOptions {
  /**
   * The platform's tier: the platform's denies and each tenant's isolation, as GlobalNetworkPolicies
   * with explicit `Deny` rules, then a `Pass` to the tenants' tier. Its order must be lower than the
   * tenants' tier's (the default tier's is 1,000,000); the default, 500, puts it before Calico's
   * `kube-admin` tier (1,000). Calico's own tiers (`default`, `kube-admin`, `kube-baseline`,
   * `calico-system`, ...) cannot be used.
   * @default { name: 'zero-trust-platform', order: 500 }
   */
  readonly tier?: CalicoTierOptions;
  /**
   * The tier of the namespaced policies (default-deny, DNS, flows). `default` is Calico's built-in
   * tier (order 1,000,000, default action Deny), where Kubernetes NetworkPolicies are too; it is not
   * emitted, and takes no order. A tier of your own needs an `order` and is emitted with default
   * action Deny, which is what makes default-deny-all deny.
   * @default { name: 'default' }
   */
  readonly tenantTier?: CalicoTierOptions;
  /**
   * `order` of the namespaced policies in the tenants' tier. They only allow, so their order among
   * themselves does not matter; it places them among other policies of that tier (Kubernetes
   * NetworkPolicies have 1000 there).
   * @default 1000
   */
  readonly policyOrder?: number;
  /**
   * Renders every object as its Staged kind (StagedNetworkPolicy, StagedGlobalNetworkPolicy):
   * Calico evaluates them for flow logs and previews, and enforces none
   * (https://docs.tigera.io/calico/latest/network-policy/staged-network-policies). Only the kind
   * differs from the enforced output. Tiers and GlobalNetworkSets are never staged.
   * @default false
   */
  readonly staged?: boolean;
  /**
   * Managed namespaces whose policies are rendered staged, the rest enforced. A tenant's isolation
   * is staged when all of its namespaces are.
   * @default - none
   */
  readonly stagedNamespaces?: readonly string[];
  /** Intents this target leaves out, declared explicitly (see `KubernetesBackendOptions.omit`). @default - none */
  readonly omit?: readonly Feature[];
}

/** Calico's own tiers, and tiers its operator manages: never ours to emit or to fill. */
const CALICO_TIERS = ['default', 'kube-admin', 'kube-baseline', 'adminnetworkpolicy', 'baselineadminnetworkpolicy', 'calico-system', 'allow-tigera'];
const DEFAULT_PLATFORM_TIER = { name: 'zero-trust-platform', order: 500 };
/** The default tier's fixed order. */
const DEFAULT_TIER_ORDER = 1_000_000;

/**
 * A dialect a platform emits, chosen explicitly: `backends: [Backend.kubernetes()]`. Each backend
 * renders the same policy plan; its `id` keys its output (and names its folder in the
 * folder-per-backend layout).
 */
export class Backend {
  /** The same as `Backend.kubernetes()`. (Static fields are initialized after the class's methods exist.) */
  public static readonly KUBERNETES: Backend = Backend.kubernetes();

  /** networking.k8s.io/v1 NetworkPolicy, enforced by every NetworkPolicy-capable CNI. */
  public static kubernetes(options: KubernetesBackendOptions = {}): Backend {
    return new Backend('kubernetes', () => new KubernetesNetworkPolicyRenderer(), 'kubernetes', options?.omit);
  }

  /**
   * cilium.io/v2 CiliumNetworkPolicy per managed namespace and CiliumClusterwideNetworkPolicy for the
   * platform's denies: everything the model can state, DNS names, L7 HTTP, entities, service accounts
   * and denies included (see the support table).
   */
  public static cilium(options: CiliumBackendOptions = {}): Backend {
    const given: CiliumBackendOptions = options ?? {};
    return new Backend(
      'cilium',
      () => new CiliumPolicyRenderer({ clusterName: given.clusterName, enableDefaultDeny: given.enableDefaultDeny !== false }),
      'cilium',
      given.omit,
      (path, field) => ciliumOptionIssues(given, path, field),
    );
  }

  /**
   * projectcalico.org/v3 for Calico Open Source v3.32 or later: a platform Tier with the denies and
   * each tenant's isolation (GlobalNetworkPolicy, Deny then Pass), and per managed namespace
   * NetworkPolicies in the tenants' tier (the default tier unless chosen). `staged` and
   * `stagedNamespaces` render the Staged kinds instead, to observe before enforcing.
   */
  public static calico(options: CalicoBackendOptions = {}): Backend {
    const given: CalicoBackendOptions = options ?? {};
    return new Backend(
      'calico',
      () => new CalicoPolicyRenderer({
        platformTier: { name: given.tier?.name ?? DEFAULT_PLATFORM_TIER.name, order: given.tier?.order ?? DEFAULT_PLATFORM_TIER.order },
        tenantTier: { name: given.tenantTier?.name ?? DEFAULT_TIER, order: given.tenantTier?.order },
        policyOrder: given.policyOrder ?? 1000,
        staged: given.staged === true,
        stagedNamespaces: new Set(Array.isArray(given.stagedNamespaces) ? given.stagedNamespaces : []),
      }),
      'calico',
      given.omit,
      (path, field) => calicoOptionIssues(given, path, field),
      (plan, path, field) => calicoPlanIssues(given, plan, path, field),
    );
  }

  /**
   * security.istio.io/v1 for Istio in sidecar mode (ambient mode is not covered): the mesh declared
   * with `MeshStrictMtls` as PeerAuthentication, and authorization from the declared flows as
   * AuthorizationPolicy (allow-nothing per namespace, an ALLOW per destination admitting its
   * callers' principals, DENY for the ingress denies). The mesh governs what workloads receive;
   * egress stays with the network backends, which a platform renders alongside.
   */
  public static istio(options: IstioBackendOptions = {}): Backend {
    const given: IstioBackendOptions = options ?? {};
    return new Backend(
      'istio',
      () => new IstioPolicyRenderer({ trustDomain: given.trustDomain ?? 'cluster.local' }),
      'istio',
      given.omit,
      (path, field) => istioOptionIssues(given, path, field),
      (plan, path, field) => plan.model.mesh
        ? []
        : [{ path, field, message: 'the Istio backend renders the mesh, and this platform declares none', fix: "declare it: new MeshStrictMtls(platform, 'mesh')" }],
      meshScope,
    );
  }

  /**
   * A renderer of your own, e.g. for a dialect we do not ship. It receives the validated policy plan
   * (`PolicyPlan`: per namespace, the baselines and one policy per subject and direction with its
   * rules, and the platform's denies) and returns objects, or issues for what it cannot express. Its
   * `id` must be a DNS-1123 label, unique among the platform's backends.
   */
  public static custom(renderer: PolicyRenderer): Backend {
    return new Backend(renderer.id, () => renderer);
  }

  /** Features this target omits, as declared. */
  public readonly omitted: readonly Feature[];
  /** `omit` as given, checked by `_optionIssues`. */
  private readonly omitGiven: unknown;

  private constructor(
    /** Stable identifier, e.g. `kubernetes`. */
    public readonly id: string,
    private readonly createRenderer: () => PolicyRenderer,
    /** The support-table column of a built-in backend; undefined for custom renderers. @internal */
    public readonly _column?: BuiltInBackend,
    omit?: readonly Feature[],
    /** Checks of the factory's own options. */
    private readonly extraIssues: (path: string, field: string) => ValidationIssue[] = () => [],
    /** Checks of the factory's options against the plan, e.g. namespaces they name. */
    private readonly planIssues: (plan: PolicyPlan, path: string, field: string) => ValidationIssue[] = () => [],
    /** The part of the plan this backend enforces (the mesh: what workloads receive); the whole plan by default. */
    private readonly scope: (plan: PolicyPlan) => PolicyPlan = (plan) => plan,
  ) {
    this.omitted = Array.isArray(omit) ? [...omit] : [];
    this.omitGiven = omit;
  }

  /** @internal */
  public _renderer(): PolicyRenderer {
    return this.createRenderer();
  }

  /** The part of the plan this backend renders. @internal */
  public _scope(plan: PolicyPlan): PolicyPlan {
    return this.scope(plan);
  }

  /** Problems with this backend's options that only the plan shows, e.g. a namespace it names that is not managed. @internal */
  public _planIssues(plan: PolicyPlan, path: string, field: string): ValidationIssue[] {
    return this.planIssues(plan, path, field);
  }

  /** Problems with this backend's options, e.g. omitting a feature it can express. @internal */
  public _optionIssues(path: string, field: string): ValidationIssue[] {
    return [...this.extraIssues(path, field), ...this.omitIssues(path, field)];
  }

  private omitIssues(path: string, field: string): ValidationIssue[] {
    if (this.omitGiven === undefined) return [];
    if (!Array.isArray(this.omitGiven)) {
      return [{ path, field: `${field}.omit`, message: `${describeValue(this.omitGiven)} is not a list of features`, fix: 'list them, e.g. omit: [Feature.FQDN]' }];
    }
    const issues: ValidationIssue[] = [];
    const seen = new Set<string>();
    this.omitted.forEach((feature: unknown, i) => {
      const at = `${field}.omit[${i}]`;
      if (!isFeature(feature)) {
        issues.push({ path, field: at, message: `${describeValue(feature)} is not a feature`, fix: `use one of ${Object.keys(Feature).map((k) => `Feature.${k}`).join(', ')}` });
      } else if (seen.has(feature)) {
        issues.push({ path, field: at, message: `'${feature}' is listed twice`, fix: 'list each feature once' });
      } else if (this._column && supportOf(this._column, feature).supported) {
        issues.push({
          path,
          field: at,
          message: `backend '${this.id}' can express '${feature}', so omitting it would drop intent it could keep`,
          fix: `remove '${feature}' from omit`,
        });
      }
      if (isFeature(feature)) seen.add(feature);
    });
    return issues;
  }
}

function istioOptionIssues(options: IstioBackendOptions, path: string, field: string): ValidationIssue[] {
  if (options.trustDomain === undefined) return [];
  const problem = dns1123SubdomainProblem(options.trustDomain);
  return problem
    ? [{ path, field: `${field}.trustDomain`, message: `trust domain ${problem}`, fix: "give the mesh's meshConfig.trustDomain exactly, e.g. 'cluster.local'" }]
    : [];
}

function ciliumOptionIssues(options: CiliumBackendOptions, path: string, field: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (options.clusterName !== undefined) {
    const problem = dns1123LabelProblem(options.clusterName);
    if (problem) issues.push({ path, field: `${field}.clusterName`, message: `cluster name ${problem}`, fix: "give the agent's cluster-name exactly, e.g. 'prod-eu-1'" });
  }
  if (options.enableDefaultDeny !== undefined && typeof options.enableDefaultDeny !== 'boolean') {
    issues.push({ path, field: `${field}.enableDefaultDeny`, message: `${describeValue(options.enableDefaultDeny)} is not true or false`, fix: 'give a boolean, or omit it' });
  }
  return issues;
}

function calicoOptionIssues(options: CalicoBackendOptions, path: string, field: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const number = (value: unknown, at: string, what: string) => {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      issues.push({ path, field: `${field}.${at}`, message: `${what} ${describeValue(value)} is not a finite number`, fix: 'give a number, e.g. 500, or omit it' });
      return false;
    }
    return true;
  };
  const platformName = options.tier?.name ?? DEFAULT_PLATFORM_TIER.name;
  const platformOrder = options.tier?.order ?? DEFAULT_PLATFORM_TIER.order;
  const tenantName = options.tenantTier?.name ?? DEFAULT_TIER;
  const tenantOrder = tenantName === DEFAULT_TIER ? DEFAULT_TIER_ORDER : options.tenantTier?.order;
  const nameProblem = (name: unknown, at: string) => {
    const problem = dns1123LabelProblem(name);
    if (problem) issues.push({ path, field: `${field}.${at}`, message: `tier name ${problem}`, fix: "name the tier with a lowercase DNS-1123 label, e.g. 'zero-trust-platform'" });
    return !problem;
  };
  if (nameProblem(platformName, 'tier.name') && CALICO_TIERS.includes(platformName)) {
    issues.push({
      path,
      field: `${field}.tier.name`,
      message: `'${platformName}' is a tier of Calico's own, whose default action and order are not ours to set`,
      fix: "leave the platform's tier its own name, e.g. 'zero-trust-platform'",
    });
  }
  if (nameProblem(tenantName, 'tenantTier.name') && tenantName !== DEFAULT_TIER && CALICO_TIERS.includes(tenantName)) {
    issues.push({
      path,
      field: `${field}.tenantTier.name`,
      message: `'${tenantName}' is a tier of Calico's own that passes what it does not decide, so a namespace's default-deny-all there would not deny`,
      fix: "use the default tier (omit tenantTier) or a tier of your own with an order, e.g. { name: 'tenants', order: 10000 }",
    });
  }
  if (typeof tenantName === 'string' && passPolicyName(tenantName).length > 63) {
    issues.push({
      path,
      field: `${field}.tenantTier.name`,
      message: `the platform tier's last policy is named after the tenants' tier, '${passPolicyName(tenantName)}', longer than 63 characters`,
      fix: `shorten the tier name to at most ${63 - passPolicyName('').length} characters`,
    });
  }
  if (tenantName === platformName) {
    issues.push({ path, field: `${field}.tenantTier.name`, message: `the tenants' tier and the platform's tier are both '${tenantName}'`, fix: 'give the two tiers different names' });
  }
  // An order that is not a number has its own issue; the comparison below needs two that are.
  const ordersComparable = [number(options.tier?.order, 'tier.order', 'tier order'), number(options.tenantTier?.order, 'tenantTier.order', 'tier order')].every(Boolean);
  if (tenantName === DEFAULT_TIER && options.tenantTier?.order !== undefined) {
    issues.push({ path, field: `${field}.tenantTier.order`, message: "the default tier's order is fixed at 1,000,000", fix: 'omit the order, or name a tier of your own' });
  } else if (tenantName !== DEFAULT_TIER && options.tenantTier?.order === undefined) {
    issues.push({ path, field: `${field}.tenantTier.order`, message: `the tier '${tenantName}' has no order, so Calico would run it after every other tier`, fix: `give it an order above the platform tier's (${platformOrder}), e.g. { name: '${tenantName}', order: 10000 }` });
  } else if (ordersComparable && tenantOrder !== undefined && platformOrder >= tenantOrder) {
    issues.push({
      path,
      field: `${field}.tier.order`,
      message: `the platform tier's order ${platformOrder} is not below the tenants' tier's (${tenantOrder}), so tenants' policies would run first and could allow what the platform denies`,
      fix: `give the platform tier a lower order, e.g. ${DEFAULT_PLATFORM_TIER.order}`,
    });
  }
  number(options.policyOrder, 'policyOrder', 'policy order');
  if (options.staged !== undefined && typeof options.staged !== 'boolean') {
    issues.push({ path, field: `${field}.staged`, message: `${describeValue(options.staged)} is not true or false`, fix: 'give a boolean, or omit it' });
  }
  const staged: unknown = options.stagedNamespaces;
  if (staged !== undefined && !Array.isArray(staged)) {
    issues.push({ path, field: `${field}.stagedNamespaces`, message: `${describeValue(staged)} is not a list of namespace names`, fix: "list them, e.g. stagedNamespaces: ['alpha-web']" });
  } else if (Array.isArray(staged)) {
    const seen = new Set<unknown>();
    staged.forEach((name: unknown, i) => {
      const problem = dns1123LabelProblem(name);
      if (problem) issues.push({ path, field: `${field}.stagedNamespaces[${i}]`, message: `namespace name ${problem}`, fix: 'give the name of a namespace this platform manages' });
      else if (seen.has(name)) issues.push({ path, field: `${field}.stagedNamespaces[${i}]`, message: `'${String(name)}' is listed twice`, fix: 'list each namespace once' });
      seen.add(name);
    });
  }
  return issues;
}

function calicoPlanIssues(options: CalicoBackendOptions, plan: PolicyPlan, path: string, field: string): ValidationIssue[] {
  const staged: unknown = options.stagedNamespaces;
  if (!Array.isArray(staged)) return [];
  const managed = new Set(plan.namespaces.map((n) => n.namespace.name));
  return staged.flatMap((name: unknown, i): ValidationIssue[] => {
    if (typeof name !== 'string' || dns1123LabelProblem(name) || managed.has(name)) return [];
    return [{
      path,
      field: `${field}.stagedNamespaces[${i}]`,
      message: `namespace '${name}' is not managed by this platform, so it has no policies to stage`,
      fix: `name a managed namespace (${[...managed].slice(0, 5).join(', ') || 'none is declared'}), or remove '${name}'`,
    }];
  });
}
