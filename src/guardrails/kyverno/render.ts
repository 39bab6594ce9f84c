/**
 * The Kyverno guardrails of a platform, rendered from its validated model: pure, no cdk8s.
 *
 * - `<prefix>-namespace-isolation` generates, in every namespace created outside the platform, the
 *   same default-deny and DNS NetworkPolicies the Kubernetes backend renders for a managed namespace
 *   (their spec comes from `baselineSpec`, the backend's own code), kept in sync by Kyverno.
 * - `<prefix>-namespace-labels` checks namespace label hygiene: the tenant label is set, and the
 *   platform's managed-by label is set only on the namespaces the platform manages.
 * - `<prefix>-kyverno-networkpolicies` lets Kyverno's background controller manage NetworkPolicies
 *   (an aggregated ClusterRole), without which Kyverno refuses the generate policy.
 *
 * Kyverno generate rules: https://kyverno.io/docs/policy-types/cluster-policy/generate
 * Validate rules: https://kyverno.io/docs/policy-types/cluster-policy/validate
 * Match and exclude: https://kyverno.io/docs/policy-types/cluster-policy/match-exclude
 */
import {
  ClusterRole,
  KyvernoClusterPolicy,
  KyvernoFailureAction,
  KyvernoGenerateNetworkPolicy,
  KyvernoMatch,
  KyvernoRule,
} from './types';
import { baselineSpec } from '../../backends/kubernetes/network-policy-renderer';
import { Manifest } from '../../backends/manifest';
import { ValidationIssue } from '../../model/issues';
import { dns1123LabelProblem } from '../../model/names';
import { Baseline, isolationBaselines } from '../../model/plan';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, ResolvedModel, TENANT_LABEL } from '../../model/resolved';
import { compareStrings } from '../../model/selector';
import { GuardrailsRendering } from '../guardrails';

/** How the generate rules treat the namespaces the platform manages. */
export type ManagedNamespaceMode = 'exclude' | 'match';

/** The guardrails' settings as declared (not yet checked). */
export interface KyvernoGuardrailSettings {
  /** Construct path, for issues. */
  readonly path: string;
  readonly managedNamespaces: ManagedNamespaceMode;
  readonly systemNamespaces: readonly string[];
  readonly kyvernoNamespace: string;
  readonly allowDns: boolean;
  readonly failureAction: KyvernoFailureAction;
  readonly generateExisting: boolean;
  readonly grantPermissions: boolean;
  readonly namePrefix: string;
}

/** The Kyverno variable holding the name of the Namespace that triggered a rule. */
export const TRIGGER_NAMESPACE = '{{request.object.metadata.name}}';

/** Names of what the guardrails emit, from the prefix. */
export function guardrailNames(prefix: string): {
  readonly isolationPolicy: string;
  readonly labelsPolicy: string;
  readonly clusterRole: string;
  readonly generated: (baselineName: string) => string;
} {
  return {
    isolationPolicy: `${prefix}-namespace-isolation`,
    labelsPolicy: `${prefix}-namespace-labels`,
    clusterRole: `${prefix}-kyverno-networkpolicies`,
    // Never the managed namespaces' own names: in MATCH mode both exist side by side, and removing a
    // namespace from the generated set never deletes the platform's own policy.
    generated: (baselineName) => `${prefix}-${baselineName}`,
  };
}

/** Renders the guardrails of a model, or the problems with their settings (path, field, fix). */
export function renderKyvernoGuardrails(settings: KyvernoGuardrailSettings, model: ResolvedModel): GuardrailsRendering {
  const issues = settingIssues(settings, model);
  if (issues.length > 0) return { ok: false, issues };
  const names = guardrailNames(settings.namePrefix);
  // Never isolated by the guardrails: Kyverno's own namespace (its webhooks must stay reachable) and
  // the DNS namespace (a default-deny there refuses every DNS query of the cluster).
  const alwaysExcluded = [...settings.systemNamespaces, settings.kyvernoNamespace, model.dns.namespace];
  const manifests: Manifest[] = [];
  if (settings.grantPermissions) manifests.push(clusterRole(names.clusterRole));
  manifests.push(isolationPolicy(settings, model, names, alwaysExcluded), labelsPolicy(settings, model, names.labelsPolicy, alwaysExcluded));
  return { ok: true, manifests };
}

function settingIssues(settings: KyvernoGuardrailSettings, model: ResolvedModel): ValidationIssue[] {
  const { path } = settings;
  const issues: ValidationIssue[] = [];
  if (settings.managedNamespaces !== 'exclude' && settings.managedNamespaces !== 'match') {
    issues.push({ path, field: 'managedNamespaces', message: `${String(settings.managedNamespaces)} is not a ManagedNamespaces value`, fix: 'use ManagedNamespaces.EXCLUDE or ManagedNamespaces.MATCH' });
  }
  if (settings.failureAction !== 'Audit' && settings.failureAction !== 'Enforce') {
    issues.push({ path, field: 'validationFailureAction', message: `${String(settings.failureAction)} is not a ValidationFailureAction value`, fix: 'use ValidationFailureAction.AUDIT or ValidationFailureAction.ENFORCE' });
  }
  const kyvernoProblem = dns1123LabelProblem(settings.kyvernoNamespace);
  if (kyvernoProblem) issues.push({ path, field: 'kyvernoNamespace', message: `namespace name ${kyvernoProblem}`, fix: "give the namespace Kyverno is installed in, e.g. 'kyverno'" });
  const names = guardrailNames(String(settings.namePrefix));
  const prefixProblem = [names.isolationPolicy, names.labelsPolicy, names.clusterRole].map(dns1123LabelProblem).find((p) => p !== undefined);
  if (prefixProblem) {
    // Kyverno writes policy names into label values on what it generates: at most 63 characters.
    issues.push({ path, field: 'namePrefix', message: `the policy names it makes are not DNS-1123 labels: ${prefixProblem}`, fix: "use a short lowercase prefix, e.g. 'zero-trust'" });
  }
  const managed = new Map(model.namespaces.map((n) => [n.name, n.path]));
  const listed = new Map<string, number>();
  settings.systemNamespaces.forEach((name, i) => {
    const field = `systemNamespaces[${i}]`;
    const problem = dns1123LabelProblem(name);
    if (problem) {
      issues.push({ path, field, message: `namespace name ${problem}`, fix: "list namespace names, e.g. 'kube-system' (wildcards are not accepted)" });
      return;
    }
    const earlier = listed.get(name);
    if (earlier !== undefined) {
      issues.push({ path, field, message: `namespace '${name}' is already listed as systemNamespaces[${earlier}]`, fix: 'list each namespace once' });
      return;
    }
    listed.set(name, i);
    const managedAt = managed.get(name);
    if (managedAt !== undefined && settings.managedNamespaces === 'match') {
      issues.push({
        path,
        field,
        message: `namespace '${name}' is excluded here, but the platform manages it (${managedAt}) and managedNamespaces is MATCH, so the guardrails must isolate it too`,
        fix: `remove '${name}' from systemNamespaces, or use ManagedNamespaces.EXCLUDE (the platform's own policies isolate it)`,
      });
    }
  });
  const kyvernoManagedAt = managed.get(settings.kyvernoNamespace);
  if (kyvernoManagedAt !== undefined && settings.managedNamespaces === 'match') {
    issues.push({
      path,
      field: 'kyvernoNamespace',
      message: `the Kyverno namespace '${settings.kyvernoNamespace}' is always excluded, but the platform manages it (${kyvernoManagedAt}) and managedNamespaces is MATCH`,
      fix: "use ManagedNamespaces.EXCLUDE, or stop managing Kyverno's namespace from the platform",
    });
  }
  return issues;
}

// Every object is built afresh: a list shared between two places would be written as a YAML anchor and alias.

function namespaces(names?: readonly string[]): KyvernoMatch {
  return { any: [{ resources: names ? { kinds: ['Namespace'], names: [...names] } : { kinds: ['Namespace'] } }] };
}

/** Namespaces being created or changed: the admission requests a label rule judges. */
function namespaceWrites(): KyvernoMatch {
  return { any: [{ resources: { kinds: ['Namespace'], operations: ['CREATE', 'UPDATE'] } }] };
}

function metadata(name: string, title: string, description: string): KyvernoClusterPolicy['metadata'] {
  return {
    name,
    labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE },
    annotations: {
      'policies.kyverno.io/title': title,
      'policies.kyverno.io/description': description,
      // Rule-level `validate.failureAction` and `generate.generateExisting` arrived in Kyverno 1.13.
      'policies.kyverno.io/minversion': '1.13.0',
    },
  };
}

/**
 * The namespaces a baseline's generate rule leaves alone: with EXCLUDE every managed namespace; with
 * MATCH, for the DNS allowance, the managed namespaces declared without DNS (`allowDns: false`), so
 * that the guardrails never allow what the platform does not.
 */
function excludedFrom(baseline: Baseline, settings: KyvernoGuardrailSettings, model: ResolvedModel, alwaysExcluded: readonly string[]): string[] {
  const managed = model.namespaces.filter((n) => settings.managedNamespaces === 'exclude' || (baseline.kind === 'dns-egress' && !n.allowDns));
  return sortedUnique([...alwaysExcluded, ...managed.map((n) => n.name)]);
}

function isolationPolicy(
  settings: KyvernoGuardrailSettings,
  model: ResolvedModel,
  names: ReturnType<typeof guardrailNames>,
  alwaysExcluded: readonly string[],
): KyvernoClusterPolicy {
  const rules = isolationBaselines(model.dns, settings.allowDns, false).map((baseline): KyvernoRule => {
    const generate: KyvernoGenerateNetworkPolicy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      name: names.generated(baseline.name),
      namespace: TRIGGER_NAMESPACE,
      synchronize: true,
      generateExisting: settings.generateExisting,
      // Deleting the policy (a GitOps prune) must not open every namespace it isolated.
      orphanDownstreamOnPolicyDelete: true,
      data: { spec: baselineSpec(baseline) },
    };
    const exclude = namespaces(excludedFrom(baseline, settings, model, alwaysExcluded));
    return { name: names.generated(baseline.name), match: namespaces(), exclude, generate };
  });
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: metadata(
      names.isolationPolicy,
      'Isolate every namespace',
      'Generates in each namespace the default-deny NetworkPolicy (and DNS egress) that cdk8s-zero-trust renders for the namespaces it manages, and keeps it in sync.',
    ),
    spec: { background: true, rules },
  };
}

function labelsPolicy(
  settings: KyvernoGuardrailSettings,
  model: ResolvedModel,
  name: string,
  alwaysExcluded: readonly string[],
): KyvernoClusterPolicy {
  const withoutTenant = model.namespaces.filter((n) => n.tenant === undefined).map((n) => n.name);
  const managed = model.namespaces.map((n) => n.name);
  const requireTenant: KyvernoRule = {
    name: 'require-tenant-label',
    match: namespaceWrites(),
    exclude: namespaces(sortedUnique([...alwaysExcluded, ...withoutTenant])),
    validate: {
      failureAction: settings.failureAction,
      message: `Namespace {{request.object.metadata.name}} must carry the label ${TENANT_LABEL} naming its tenant.`,
      pattern: { metadata: { labels: { [TENANT_LABEL]: '?*' } } },
    },
  };
  const reservePlatformLabel: KyvernoRule = {
    name: 'reserve-platform-labels',
    match: namespaceWrites(),
    // The namespaces the platform manages carry its label; no other may claim it. By name, because
    // names are what the platform declares; excluding by the label itself would exempt every claim.
    exclude: namespaces(sortedUnique([...alwaysExcluded, ...managed])),
    validate: {
      failureAction: settings.failureAction,
      message:
        `Only the namespaces cdk8s-zero-trust manages may carry ${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}; ` +
        'Namespace {{request.object.metadata.name}} is not one of them.',
      deny: {
        conditions: {
          any: [{ key: `{{ request.object.metadata.labels."${MANAGED_BY_LABEL}" || '' }}`, operator: 'Equals', value: MANAGED_BY_VALUE }],
        },
      },
    },
  };
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: metadata(
      name,
      'Namespace label hygiene',
      `Every namespace names its tenant (${TENANT_LABEL}), and only the namespaces cdk8s-zero-trust manages carry its ${MANAGED_BY_LABEL} label.`,
    ),
    spec: { background: true, rules: [requireTenant, reservePlatformLabel] },
  };
}

/**
 * Lets Kyverno's background controller, which creates what generate rules declare, manage
 * NetworkPolicies: a ClusterRole aggregated into its role by label
 * (https://kyverno.io/docs/kyverno-cli/reference/kyverno_create_cluster-role).
 */
function clusterRole(name: string): ClusterRole {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, 'rbac.kyverno.io/aggregate-to-background-controller': 'true' } },
    rules: [{ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }],
  };
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareStrings);
}
