import { PolicyRenderer } from './backend';
import { CiliumPolicyRenderer } from './cilium/cilium-policy-renderer';
import { KubernetesNetworkPolicyRenderer } from './kubernetes/network-policy-renderer';
import { BuiltInBackend, supportOf } from './support-table';
import { Feature, isFeature } from '../model/features';
import { ValidationIssue } from '../model/issues';
import { dns1123LabelProblem } from '../model/names';
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
  ) {
    this.omitted = Array.isArray(omit) ? [...omit] : [];
    this.omitGiven = omit;
  }

  /** @internal */
  public _renderer(): PolicyRenderer {
    return this.createRenderer();
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
