/**
 * Argo CD delivery of the output: an Application per target or folder, or an ApplicationSet giving each
 * cluster its target (https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DeliveryUnitProps, GitOpsDelivery, lineOf, revisionProblem } from './delivery';
import { GitRevision } from './source';
import { ArgoCdApplicationManifest, ArgoCdApplicationSetManifest, ArgoCdApplicationSpec, ArgoCdSyncPolicy } from './types';
import { ValidationIssue } from '../model/issues';
import { dns1123LabelProblem } from '../model/names';
import { compareStrings } from '../model/selector';
import { describeValue } from '../model/values';

/** The in-cluster destination of Argo CD. */
export const ARGOCD_IN_CLUSTER = 'https://kubernetes.default.svc';
const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
const TARGET_LABEL = 'zero-trust.cdk8s.io/target';

/**
 * Sync options every Application gets (https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/):
 * `SkipDryRunOnMissingResource=true`, so that a first sync does not fail its dry run while the CNI, Istio or
 * Kyverno is still registering the CRDs of our kinds (the sync itself retries until they exist), and
 * `PruneLast=true`, so that a renamed policy's new object exists before the old one is deleted.
 */
export const ARGOCD_DEFAULT_SYNC_OPTIONS: readonly string[] = ['SkipDryRunOnMissingResource=true', 'PruneLast=true'];

/** How Argo CD syncs what the delivery declares. */
export interface ArgoCdSyncProps {
  /** The namespace Argo CD runs in, where the Application lives. @default 'argocd' */
  readonly namespace?: string;
  /** The Argo CD project. @default 'default' */
  readonly project?: string;
  /** The revision to follow. @default - the GitOpsDelivery's */
  readonly revision?: GitRevision;
  /**
   * Delete objects removed from the output. Keep it: a policy removed from the program that stays in the
   * cluster keeps allowing what it allowed. @default true
   */
  readonly prune?: boolean;
  /** Revert changes made in the cluster. @default true */
  readonly selfHeal?: boolean;
  /** Sync options added to ARGOCD_DEFAULT_SYNC_OPTIONS (one with the same key replaces the default), e.g. `['ServerSideApply=true']`. @default - none */
  readonly syncOptions?: readonly string[];
  /** Retries of a failed sync, with backoff from 10s to 3m. @default 5 */
  readonly retryLimit?: number;
}

/** A cluster, by its name in Argo CD or by its API server URL. */
export interface ArgoCdDestination {
  /** The cluster's name in Argo CD. Give `name` or `server`. */
  readonly name?: string;
  /** The cluster's API server URL, e.g. `'https://kubernetes.default.svc'`. Give `name` or `server`. */
  readonly server?: string;
}

export interface ArgoCdApplicationProps extends DeliveryUnitProps, ArgoCdSyncProps {
  /** The Application's name. @default - the construct id */
  readonly name?: string;
  /** @default - the cluster Argo CD runs in (`https://kubernetes.default.svc`) */
  readonly destination?: ArgoCdDestination;
  /**
   * The `argocd.argoproj.io/sync-wave` of the Application, which orders it among the Applications an
   * app-of-apps syncs. @default - 0, or one after the latest of `after`
   */
  readonly syncWave?: number;
  /** Applications of the same delivery this one is synced after (a later sync wave), e.g. the guardrails after the target. @default - none */
  readonly after?: readonly ArgoCdApplication[];
}

/**
 * An Argo CD Application that applies one target (`targets/<name>/`: the Namespaces, that backend's
 * policies and the mesh's) or one folder of the output (e.g. `kyverno/`, after the target).
 *
 *     const cilium = new ArgoCdApplication(delivery, 'zero-trust-cilium', { target: 'cilium' });
 *     new ArgoCdApplication(delivery, 'zero-trust-guardrails', { folder: 'kyverno', after: [cilium] });
 */
export class ArgoCdApplication extends Construct {
  /** The Application's name. */
  public readonly name: string;
  /** The namespace the Application lives in. */
  public readonly namespace: string;
  /** Its sync wave. */
  public readonly syncWave: number;
  private readonly delivery: GitOpsDelivery;

  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id);
    this.delivery = GitOpsDelivery.of(this);
    const given: Partial<ArgoCdApplicationProps> = props ?? {};
    this.name = given.name ?? id;
    this.namespace = given.namespace ?? 'argocd';
    const after = Array.isArray(given.after) ? given.after : [];
    const earliest = after.length === 0 ? 0 : Math.max(...after.map((a) => (a instanceof ArgoCdApplication ? a.syncWave : 0))) + 1;
    this.syncWave = given.syncWave ?? earliest;
    const located = this.delivery._locate(given, this.node.path, '');
    const manifest: ArgoCdApplicationManifest = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: this.name, namespace: this.namespace, annotations: { [SYNC_WAVE_ANNOTATION]: String(this.syncWave) } },
      spec: applicationSpec(this.delivery, given, 'path' in located ? located.path : '', destinationOf(given.destination)),
    };
    new ApiObject(this, 'Resource', manifest);
    this.node.addValidation({
      validate: () => {
        const issues: ValidationIssue[] = [...syncIssues(this.node.path, given), ...nameIssues(this.node.path, 'name', this.name)];
        if ('issue' in located) issues.push(located.issue);
        issues.push(...destinationIssues(this.node.path, given.destination));
        issues.push(...orderIssues(this, given, earliest));
        return issues.map(lineOf);
      },
    });
  }

  /** The delivery chart the Application belongs to. */
  public get gitOpsDelivery(): GitOpsDelivery {
    return this.delivery;
  }
}

/** A cluster and the target it applies. */
export interface ArgoCdClusterTarget {
  /** The target, e.g. `'cilium'` (the cluster's CNI). */
  readonly target: string;
  /** The cluster's name in Argo CD. Give `cluster` or `server`, the same for every entry. */
  readonly cluster?: string;
  /** The cluster's API server URL. Give `cluster` or `server`, the same for every entry. */
  readonly server?: string;
  /** The generated Application's name. @default - `<set name>-<cluster>`; required with `server` */
  readonly name?: string;
}

export interface ArgoCdApplicationSetProps extends ArgoCdSyncProps {
  /** One entry per cluster: a cluster applies exactly one target (the targets are alternatives). */
  readonly clusters: readonly ArgoCdClusterTarget[];
  /** The ApplicationSet's name. @default - the construct id */
  readonly name?: string;
  /** The ApplicationSet's `argocd.argoproj.io/sync-wave`. @default 0 */
  readonly syncWave?: number;
}

/**
 * An Argo CD ApplicationSet over the per-target folders: a list generator with one element per cluster,
 * each generating an Application of `targets/<target>/` for that cluster. `preserveResourcesOnDeletion`
 * is set, so deleting the ApplicationSet or removing a cluster never deletes the policies (and with them
 * the isolation) from the cluster.
 *
 *     new ArgoCdApplicationSet(delivery, 'zero-trust', {
 *       clusters: [{ cluster: 'prod-eu', target: 'cilium' }, { cluster: 'edge', target: 'calico' }],
 *     });
 */
export class ArgoCdApplicationSet extends Construct {
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: ArgoCdApplicationSetProps) {
    super(scope, id);
    const delivery = GitOpsDelivery.of(this);
    const given: Partial<ArgoCdApplicationSetProps> = props ?? {};
    this.name = given.name ?? id;
    this.namespace = given.namespace ?? 'argocd';
    const clusters: readonly ArgoCdClusterTarget[] = Array.isArray(given.clusters) ? given.clusters : [];
    const byServer = clusters.length > 0 && clusters.every((c) => c?.server !== undefined && c?.cluster === undefined);
    const located = clusters.map((c, i) => delivery._locate({ target: c?.target }, this.node.path, `clusters[${i}].`));
    const elements = clusters
      .map((c, i) => ({
        name: c?.name ?? `${this.name}-${c?.cluster ?? ''}`,
        target: String(c?.target),
        path: 'path' in located[i] ? (located[i] as { path: string }).path : '',
        ...(byServer ? { server: String(c.server) } : { cluster: String(c?.cluster) }),
      }))
      .sort((a, b) => compareStrings(a.name, b.name));
    const manifest: ArgoCdApplicationSetManifest = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: this.name, namespace: this.namespace, annotations: { [SYNC_WAVE_ANNOTATION]: String(given.syncWave ?? 0) } },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        generators: [{ list: { elements } }],
        syncPolicy: { preserveResourcesOnDeletion: true },
        template: {
          metadata: { name: '{{.name}}', labels: { [TARGET_LABEL]: '{{.target}}' } },
          spec: applicationSpec(delivery, given, '{{.path}}', byServer ? { server: '{{.server}}' } : { name: '{{.cluster}}' }),
        },
      },
    };
    new ApiObject(this, 'Resource', manifest);
    this.node.addValidation({
      validate: () => {
        const path = this.node.path;
        const issues: ValidationIssue[] = [...syncIssues(path, given), ...nameIssues(path, 'name', this.name)];
        if (!Array.isArray(given.clusters) || given.clusters.length === 0) {
          issues.push({ path, field: 'clusters', message: 'no cluster is given', fix: "list each cluster with its target: clusters: [{ cluster: 'prod', target: 'cilium' }]" });
        }
        if (!Number.isInteger(given.syncWave ?? 0)) issues.push({ path, field: 'syncWave', message: `${describeValue(given.syncWave)} is not an integer`, fix: 'give a whole number, e.g. 1' });
        located.forEach((l) => {
          if ('issue' in l) issues.push(l.issue);
        });
        issues.push(...clusterIssues(path, this.name, clusters, elements.map((e) => e.name)));
        return issues.map(lineOf);
      },
    });
  }
}

function applicationSpec(
  delivery: GitOpsDelivery,
  props: ArgoCdSyncProps,
  path: string,
  destination: { server?: string; name?: string },
): ArgoCdApplicationSpec {
  const revision = props.revision ?? delivery.revision;
  const retryLimit = props.retryLimit ?? 5;
  const syncPolicy: ArgoCdSyncPolicy = {
    automated: { prune: props.prune !== false, selfHeal: props.selfHeal !== false },
    syncOptions: mergedSyncOptions(props.syncOptions),
    ...(retryLimit > 0 ? { retry: { limit: retryLimit, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } } } : {}),
  };
  return {
    project: props.project ?? 'default',
    source: { repoURL: delivery.repoUrl, targetRevision: revision instanceof GitRevision ? revision.value : String(revision), path },
    destination,
    syncPolicy,
  };
}

/** The default options, each replaced by a given option of the same key, then the other given options in their order. */
function mergedSyncOptions(given: readonly string[] | undefined): string[] {
  const extra = Array.isArray(given) ? given.filter((o) => typeof o === 'string') : [];
  const keyOf = (option: string): string => option.split('=')[0];
  const defaults = ARGOCD_DEFAULT_SYNC_OPTIONS.map((d) => extra.find((o) => keyOf(o) === keyOf(d)) ?? d);
  return [...defaults, ...extra.filter((o) => !defaults.includes(o))];
}

function destinationOf(destination: ArgoCdDestination | undefined): { server?: string; name?: string } {
  if (destination?.name !== undefined) return { name: destination.name };
  return { server: destination?.server ?? ARGOCD_IN_CLUSTER };
}

function destinationIssues(path: string, destination: ArgoCdDestination | undefined): ValidationIssue[] {
  if (destination === undefined) return [];
  const fix = `give name: '<cluster name in Argo CD>' or server: '${ARGOCD_IN_CLUSTER}'`;
  if ((destination.name === undefined) === (destination.server === undefined)) {
    return [{ path, field: 'destination', message: destination.name === undefined ? 'neither name nor server is given' : 'both name and server are given', fix }];
  }
  if (destination.server !== undefined) {
    const problem = serverProblem(destination.server);
    if (problem) return [{ path, field: 'destination.server', message: problem, fix }];
  }
  if (destination.name !== undefined && (typeof destination.name !== 'string' || destination.name.trim() === '')) {
    return [{ path, field: 'destination.name', message: `${describeValue(destination.name)} is not a cluster name`, fix }];
  }
  return [];
}

function serverProblem(server: unknown): string | undefined {
  if (typeof server !== 'string') return `${describeValue(server)} is not a URL`;
  try {
    const url = new URL(server);
    return url.protocol === 'https:' && url.hostname !== '' ? undefined : `'${server}' is not an https:// API server URL`;
  } catch {
    return `'${server}' is not a URL`;
  }
}

function syncIssues(path: string, props: ArgoCdSyncProps): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [field, value] of [['namespace', props.namespace ?? 'argocd'], ['project', props.project ?? 'default']] as const) {
    const problem = dns1123LabelProblem(value);
    if (problem) issues.push({ path, field, message: `${field} ${problem}`, fix: field === 'namespace' ? "give the namespace Argo CD runs in, e.g. 'argocd'" : "give an Argo CD project, e.g. 'default'" });
  }
  if (props.revision !== undefined) {
    const problem = revisionProblem(props.revision);
    if (problem) issues.push({ path, field: 'revision', message: problem, fix: "give GitRevision.branch('main'), GitRevision.tag('v1.0.0') or GitRevision.commit(sha)" });
  }
  const options: unknown = props.syncOptions;
  if (options !== undefined && (!Array.isArray(options) || options.some((o) => typeof o !== 'string' || !/^[A-Za-z]+=[^\s,]+$/.test(o)))) {
    issues.push({
      path,
      field: 'syncOptions',
      message: `${describeValue(options)} is not a list of Key=Value sync options`,
      fix: "give e.g. ['ServerSideApply=true'] (https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/)",
    });
  }
  const retry: unknown = props.retryLimit;
  if (retry !== undefined && (typeof retry !== 'number' || !Number.isInteger(retry) || retry < 0)) {
    issues.push({ path, field: 'retryLimit', message: `${describeValue(retry)} is not a whole number of retries`, fix: 'give 0 (no retries) or more, e.g. 5' });
  }
  return issues;
}

/** Application names end up in label values (the tracking label): DNS-1123 labels. */
function nameIssues(path: string, field: string, name: unknown): ValidationIssue[] {
  const problem = dns1123LabelProblem(name);
  return problem ? [{ path, field, message: `the Application name ${problem}`, fix: "give a lowercase name of at most 63 characters, e.g. 'zero-trust-cilium'" }] : [];
}

function orderIssues(app: ArgoCdApplication, props: ArgoCdApplicationProps, earliest: number): ValidationIssue[] {
  const path = app.node.path;
  const issues: ValidationIssue[] = [];
  if (!Number.isInteger(app.syncWave)) issues.push({ path, field: 'syncWave', message: `${describeValue(app.syncWave)} is not an integer`, fix: 'give a whole number, e.g. 1' });
  const after: unknown = props.after;
  if (after === undefined) return issues;
  if (!Array.isArray(after)) return [...issues, { path, field: 'after', message: `${describeValue(after)} is not a list`, fix: 'give after: [otherApplication]' }];
  after.forEach((other: unknown, i) => {
    if (!(other instanceof ArgoCdApplication)) {
      issues.push({ path, field: `after[${i}]`, message: `${describeValue(other)} is not an ArgoCdApplication`, fix: 'give Applications declared with new ArgoCdApplication(...)' });
    } else if (other.gitOpsDelivery !== app.gitOpsDelivery || other.namespace !== app.namespace) {
      issues.push({
        path,
        field: `after[${i}]`,
        message: `${other.node.path} is not in this delivery and Argo CD namespace, so no sync orders the two`,
        fix: 'declare both Applications in one GitOpsDelivery, in the same namespace',
      });
    }
  });
  if (props.syncWave !== undefined && props.syncWave < earliest) {
    issues.push({
      path,
      field: 'syncWave',
      message: `wave ${props.syncWave} is not after the Applications in after (the latest is in wave ${earliest - 1})`,
      fix: `give syncWave ${earliest} or more, or leave it out`,
    });
  }
  return issues;
}

function clusterIssues(path: string, setName: string, clusters: readonly ArgoCdClusterTarget[], names: readonly string[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const byCluster = new Map<string, number>();
  const kinds = new Set<string>();
  clusters.forEach((entry, i) => {
    const field = `clusters[${i}]`;
    if (entry === null || typeof entry !== 'object') {
      issues.push({ path, field, message: `${describeValue(entry)} is not a cluster entry`, fix: "give { cluster: 'prod', target: 'cilium' }" });
      return;
    }
    if ((entry.cluster === undefined) === (entry.server === undefined)) {
      issues.push({ path, field, message: entry.cluster === undefined ? 'neither cluster nor server is given' : 'both cluster and server are given', fix: "give cluster: '<name in Argo CD>' or server: '<API server URL>'" });
      return;
    }
    kinds.add(entry.cluster !== undefined ? 'cluster' : 'server');
    if (entry.server !== undefined) {
      const problem = serverProblem(entry.server);
      if (problem) issues.push({ path, field: `${field}.server`, message: problem, fix: "give the cluster's https:// API server URL" });
      if (entry.name === undefined) issues.push({ path, field: `${field}.name`, message: 'a cluster given by server needs the name of its Application', fix: "give name: e.g. 'zero-trust-prod'" });
    } else if (typeof entry.cluster !== 'string' || entry.cluster.trim() === '') {
      issues.push({ path, field: `${field}.cluster`, message: `${describeValue(entry.cluster)} is not a cluster name`, fix: "give the cluster's name in Argo CD" });
    }
    const key = String(entry.cluster ?? entry.server);
    const earlier = byCluster.get(key);
    if (earlier !== undefined) {
      issues.push({
        path,
        field,
        message: `cluster '${key}' is already given target '${String(clusters[earlier].target)}' in clusters[${earlier}]; the targets are alternatives (one CNI per cluster)`,
        fix: 'give each cluster one target',
      });
    } else {
      byCluster.set(key, i);
    }
    if (entry.name !== undefined) issues.push(...nameIssues(path, `${field}.name`, entry.name));
  });
  if (kinds.size > 1) {
    issues.push({ path, field: 'clusters', message: 'some clusters are given by name and others by server; one template takes one of the two', fix: 'give every cluster by name (cluster:), or every one by server (server:)' });
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) issues.push({ path, field: 'clusters', message: `two clusters would generate the Application '${name}'`, fix: 'give them different names (name:)' });
    seen.add(name);
  }
  clusters.forEach((entry, i) => {
    // A generated name (`<set>-<cluster>`) can be too long or invalid even though each part is fine.
    if (entry?.name !== undefined || typeof entry?.cluster !== 'string') return;
    const problem = dns1123LabelProblem(`${setName}-${entry.cluster}`);
    if (problem) issues.push({ path, field: `clusters[${i}]`, message: `the generated Application name ${problem}`, fix: 'give the entry a name: of at most 63 lowercase characters' });
  });
  return issues;
}

