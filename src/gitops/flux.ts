/**
 * Flux delivery of the output: a GitRepository for the repository and a Kustomization per target or folder,
 * ordered with `dependsOn` (https://fluxcd.io/flux/components/kustomize/kustomizations/,
 * https://fluxcd.io/flux/components/source/gitrepositories/).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DeliveryUnitProps, GitOpsDelivery, lineOf, revisionProblem } from './delivery';
import { GitRevision, GitRevisionKind, repoUrlProblem } from './source';
import { FluxGitRepositoryManifest, FluxKustomizationManifest, FluxObjectReference } from './types';
import { ValidationIssue } from '../model/issues';
import { dns1123LabelProblem } from '../model/names';
import { describeValue } from '../model/values';

const FLUX_NAMESPACE = 'flux-system';
/** Flux durations: Go's time.ParseDuration units Flux's CRDs allow. */
const DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

/** A Flux object outside this delivery, e.g. the Kustomization or HelmRelease-owning Kustomization that installs Cilium or Kyverno. */
export interface FluxReference {
  readonly name: string;
  /** @default - the namespace of the object that refers to it */
  readonly namespace?: string;
}

export interface FluxGitRepositoryProps {
  /** @default - the construct id */
  readonly name?: string;
  /** @default 'flux-system' */
  readonly namespace?: string;
  /** How often Flux fetches the repository. @default '1m' */
  readonly interval?: string;
  /** @default - the GitOpsDelivery's revision */
  readonly revision?: GitRevision;
  /** The Secret (in the same namespace) with the credentials of a private repository. @default - none: a public repository */
  readonly secretRef?: string;
}

/**
 * A Flux GitRepository of the delivery's repository (`url` and `ref` from the GitOpsDelivery). Flux takes
 * https://, http:// and ssh:// URLs only: an scp-like `git@host:path` is refused with its ssh:// spelling.
 */
export class FluxGitRepository extends Construct {
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: FluxGitRepositoryProps = {}) {
    super(scope, id);
    const delivery = GitOpsDelivery.of(this);
    const given: FluxGitRepositoryProps = props ?? {};
    this.name = given.name ?? id;
    this.namespace = given.namespace ?? FLUX_NAMESPACE;
    const revision = given.revision ?? delivery.revision;
    const manifest: FluxGitRepositoryManifest = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        url: delivery.repoUrl,
        interval: given.interval ?? '1m',
        ref: refOf(revision),
        ...(given.secretRef !== undefined ? { secretRef: { name: given.secretRef } } : {}),
      },
    };
    new ApiObject(this, 'Resource', manifest);
    this.node.addValidation({
      validate: () => {
        const path = this.node.path;
        const issues: ValidationIssue[] = [...objectIssues(path, this.name, this.namespace), ...durationIssues(path, { interval: given.interval })];
        // The delivery reports what is wrong for every tool; only what Flux alone refuses is reported here.
        if (!repoUrlProblem(delivery.repoUrl, false)) {
          const flux = repoUrlProblem(delivery.repoUrl, true);
          if (flux) issues.push({ path, field: 'url', message: `the GitOpsDelivery's repoUrl ${flux.message}`, fix: `${flux.fix} in the GitOpsDelivery` });
        }
        if (given.revision !== undefined) {
          const problem = revisionProblem(given.revision);
          if (problem) issues.push({ path, field: 'revision', message: problem, fix: "give GitRevision.branch('main'), GitRevision.tag('v1.0.0') or GitRevision.commit(sha)" });
        }
        if (given.secretRef !== undefined) {
          const problem = dns1123LabelProblem(given.secretRef);
          if (problem) issues.push({ path, field: 'secretRef', message: `the Secret name ${problem}`, fix: 'give the name of a Secret in the GitRepository\'s namespace' });
        }
        return issues.map(lineOf);
      },
    });
  }
}

export interface FluxKustomizationProps extends DeliveryUnitProps {
  /** The GitRepository of the delivery's repository: one of this delivery, or one that exists already, by name. */
  readonly source: FluxGitRepository | FluxReference;
  /** @default - the construct id */
  readonly name?: string;
  /** @default 'flux-system' */
  readonly namespace?: string;
  /** How often Flux reconciles. @default '10m' */
  readonly interval?: string;
  /** How soon a failed reconciliation is retried, e.g. while Cilium's CRDs are not there yet. @default '1m' */
  readonly retryInterval?: string;
  /** @default - Flux's: the interval */
  readonly timeout?: string;
  /**
   * Delete objects removed from the output. Keep it: a policy removed from the program that stays in the
   * cluster keeps allowing what it allowed. @default true
   */
  readonly prune?: boolean;
  /** Wait until every applied object is ready before the Kustomization is Ready (what `dependsOn` waits for). @default true */
  readonly wait?: boolean;
  /**
   * Kustomizations that must be Ready first: of this delivery (e.g. the target, for the guardrails), or
   * others by name (e.g. the one that installs the CNI's or Kyverno's CRDs). @default - none
   */
  readonly dependsOn?: readonly (FluxKustomization | FluxReference)[];
}

/**
 * A Flux Kustomization that applies one target (`./<output>/targets/<name>`) or one folder of the output.
 * `deletionPolicy: Orphan`: deleting the Kustomization leaves the policies (and the isolation) in place.
 *
 *     const source = new FluxGitRepository(delivery, 'platform-repo');
 *     const cilium = new FluxKustomization(delivery, 'zero-trust-cilium', {
 *       target: 'cilium', source, dependsOn: [{ name: 'cilium' }],
 *     });
 *     new FluxKustomization(delivery, 'zero-trust-guardrails', { folder: 'kyverno', source, dependsOn: [cilium, { name: 'kyverno' }] });
 */
export class FluxKustomization extends Construct {
  public readonly name: string;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: FluxKustomizationProps) {
    super(scope, id);
    const delivery = GitOpsDelivery.of(this);
    const given: Partial<FluxKustomizationProps> = props ?? {};
    this.name = given.name ?? id;
    this.namespace = given.namespace ?? FLUX_NAMESPACE;
    const located = delivery._locate(given, this.node.path, '');
    const source = given.source;
    const dependsOn = Array.isArray(given.dependsOn) ? given.dependsOn : [];
    const manifest: FluxKustomizationManifest = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        interval: given.interval ?? '10m',
        retryInterval: given.retryInterval ?? '1m',
        ...(given.timeout !== undefined ? { timeout: given.timeout } : {}),
        path: `./${'path' in located ? located.path : ''}`,
        prune: given.prune !== false,
        wait: given.wait !== false,
        deletionPolicy: 'Orphan',
        sourceRef: { kind: 'GitRepository', ...referenceOf(source, this.namespace) },
        ...(dependsOn.length > 0 ? { dependsOn: dependsOn.map((d) => referenceOf(d, this.namespace)) } : {}),
      },
    };
    new ApiObject(this, 'Resource', manifest);
    this.node.addValidation({
      validate: () => {
        const path = this.node.path;
        const issues: ValidationIssue[] = [
          ...objectIssues(path, this.name, this.namespace),
          ...durationIssues(path, { interval: given.interval, retryInterval: given.retryInterval, timeout: given.timeout }),
        ];
        if ('issue' in located) issues.push(located.issue);
        issues.push(...referenceIssues(path, 'source', source, 'give source: a FluxGitRepository of this delivery, or { name, namespace } of an existing GitRepository'));
        if (given.dependsOn !== undefined && !Array.isArray(given.dependsOn)) {
          issues.push({ path, field: 'dependsOn', message: `${describeValue(given.dependsOn)} is not a list`, fix: "give dependsOn: [otherKustomization, { name: 'cilium' }]" });
        }
        dependsOn.forEach((d, i) => issues.push(...referenceIssues(path, `dependsOn[${i}]`, d, "give a FluxKustomization, or { name: 'cilium', namespace: 'flux-system' }")));
        return issues.map(lineOf);
      },
    });
  }
}

function refOf(revision: GitRevision): { branch?: string; tag?: string; commit?: string } {
  if (!(revision instanceof GitRevision)) return {};
  if (revision.kind === GitRevisionKind.TAG) return { tag: revision.value };
  if (revision.kind === GitRevisionKind.COMMIT) return { commit: revision.value };
  return { branch: revision.value };
}

/** `{ name, namespace }` of a construct of ours or a reference; the namespace is left out when it is the referrer's. */
function referenceOf(target: FluxGitRepository | FluxKustomization | FluxReference | undefined, referrerNamespace: string): FluxObjectReference {
  const name = String(target?.name);
  const namespace = target?.namespace;
  return namespace !== undefined && namespace !== referrerNamespace ? { name, namespace } : { name };
}

function referenceIssues(path: string, field: string, value: unknown, fix: string): ValidationIssue[] {
  if (value instanceof FluxGitRepository || value instanceof FluxKustomization) return [];
  if (value === null || typeof value !== 'object') return [{ path, field, message: `${describeValue(value)} is not a Flux object or reference`, fix }];
  const { name, namespace } = value as { name?: unknown; namespace?: unknown };
  const issues: ValidationIssue[] = [];
  const nameProblem = dns1123LabelProblem(name);
  if (nameProblem) issues.push({ path, field: `${field}.name`, message: `the name ${nameProblem}`, fix });
  if (namespace !== undefined) {
    const problem = dns1123LabelProblem(namespace);
    if (problem) issues.push({ path, field: `${field}.namespace`, message: `the namespace ${problem}`, fix });
  }
  return issues;
}

/** Flux labels what it applies with the Kustomization's name and namespace: both DNS-1123 labels. */
function objectIssues(path: string, name: string, namespace: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const nameProblem = dns1123LabelProblem(name);
  if (nameProblem) issues.push({ path, field: 'name', message: `the name ${nameProblem}`, fix: "give a lowercase name of at most 63 characters, e.g. 'zero-trust-cilium'" });
  const namespaceProblem = dns1123LabelProblem(namespace);
  if (namespaceProblem) issues.push({ path, field: 'namespace', message: `the namespace ${namespaceProblem}`, fix: "give the namespace Flux runs in, e.g. 'flux-system'" });
  return issues;
}

function durationIssues(path: string, durations: Readonly<Record<string, string | undefined>>): ValidationIssue[] {
  return Object.entries(durations)
    .filter(([, value]) => value !== undefined && (typeof value !== 'string' || !DURATION.test(value)))
    .map(([field, value]) => ({ path, field, message: `${describeValue(value)} is not a Flux duration`, fix: "give a Go duration such as '10m', '1m30s' or '1h'" }));
}
