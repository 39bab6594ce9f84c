import { App, Chart, Names } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { GitRevision, normalizedSegments, outputPathOf, relativePathProblem, repoUrlProblem, underOutput } from './source';
import { DeliveryTarget, deliveryTargets, NAMESPACES_FOLDER, TARGETS_FOLDER } from '../constructs/delivery-targets';
import { layoutOf, OutputLayout } from '../constructs/output-layout';
import { ZeroTrustPlatform } from '../constructs/platform';
import { ValidationIssue } from '../model/issues';
import { compareStrings } from '../model/selector';

/** Where the synthesized output lives in Git. */
export interface GitOpsDeliveryProps {
  /**
   * The clone URL of the repository the output is committed to, e.g. `'https://github.com/acme/platform.git'`
   * or `'ssh://git@github.com/acme/platform.git'`. No credentials: Argo CD and Flux take them from Secrets.
   */
  readonly repoUrl: string;
  /** The revision Argo CD and Flux follow. @default GitRevision.branch('main') */
  readonly revision?: GitRevision;
  /** The output folder (ZeroTrustApp's outdir) relative to the repository root. @default 'dist' */
  readonly path?: string;
}

/** What a delivery object applies: one target (`targets/<name>/`) or one folder of the output. */
export interface DeliveryUnitProps {
  /** A target, e.g. `'cilium'`: the entry point `targets/cilium/` (the Namespaces, Cilium's policies and the mesh's). Give `target` or `folder`. */
  readonly target?: string;
  /**
   * A folder of the output, relative to it, e.g. `'kyverno'` for the guardrails (applied after a target,
   * once Kyverno is installed). Give `target` or `folder`.
   */
  readonly folder?: string;
}

const DELIVERY_SYMBOL = Symbol.for('cdk8s-zero-trust.GitOpsDelivery');

/**
 * The chart of the objects that tell Argo CD or Flux how to apply the output (Applications, an
 * ApplicationSet, Kustomizations, a GitRepository), and where the output is in Git. Needs a
 * `ZeroTrustApp` with `OutputLayout.FOLDER_PER_BACKEND`: it is written to a folder of its own,
 * `<outdir>/<id>/`, which no target includes. Apply that folder once to the cluster that runs the GitOps
 * tool (or point an app-of-apps at it).
 *
 *     const delivery = new GitOpsDelivery(app, 'delivery', { repoUrl: 'https://github.com/acme/platform.git' });
 *     new ArgoCdApplicationSet(delivery, 'zero-trust', { clusters: [{ cluster: 'prod', target: 'cilium' }] });
 */
export class GitOpsDelivery extends Chart {
  public static isGitOpsDelivery(x: unknown): x is GitOpsDelivery {
    return x !== null && typeof x === 'object' && DELIVERY_SYMBOL in x;
  }

  /** The delivery chart a construct belongs to (its nearest GitOpsDelivery ancestor). */
  public static of(construct: IConstruct): GitOpsDelivery {
    for (let scope: IConstruct | undefined = construct; scope; scope = scope.node.scope) {
      if (GitOpsDelivery.isGitOpsDelivery(scope)) return scope;
    }
    throw new Error(
      `[${construct.node.path || '<root>'}] scope: not inside a GitOpsDelivery. Fix: create it under one: ` +
      "const delivery = new GitOpsDelivery(app, 'delivery', { repoUrl }); new ArgoCdApplication(delivery, ...)",
    );
  }

  public readonly repoUrl: string;
  public readonly revision: GitRevision;
  /** The output folder in the repository, normalized (`''` for the repository root). */
  public readonly outputPath: string;
  private readonly pathProblem?: ValidationIssue;

  constructor(scope: Construct, id: string, props: GitOpsDeliveryProps) {
    super(scope, id);
    Object.defineProperty(this, DELIVERY_SYMBOL, { value: true });
    const given: Partial<GitOpsDeliveryProps> = props ?? {};
    this.repoUrl = given.repoUrl as string;
    this.revision = given.revision ?? GitRevision.branch('main');
    const located = outputPathOf(given.path ?? 'dist');
    this.outputPath = 'path' in located ? located.path : '';
    if ('problem' in located) this.pathProblem = { path: this.node.path, field: 'path', ...located.problem };
    this.node.addValidation({ validate: () => this.issues().map(lineOf) });
  }

  /** The app's targets, sorted by name. */
  public get targets(): readonly DeliveryTarget[] {
    return deliveryTargets(this.platforms());
  }

  /** The folders of the output a delivery object may apply: the targets' entry points and each folder of the layout. */
  public get folders(): readonly string[] {
    const platforms = this.platforms();
    const folders = new Set<string>([NAMESPACES_FOLDER]);
    for (const platform of platforms) {
      for (const backend of platform.backends) if (typeof backend?.id === 'string') folders.add(backend.id);
      for (const engine of platform.guardrailEngines) folders.add(engine);
    }
    for (const chart of this.node.root.node.findAll()) if (GitOpsDelivery.isGitOpsDelivery(chart)) folders.add(chart.folderName);
    for (const target of deliveryTargets(platforms)) folders.add(`${TARGETS_FOLDER}/${target.name}`);
    return [...folders].sort(compareStrings);
  }

  /** This chart's folder in the output. */
  public get folderName(): string {
    return Names.toDnsLabel(this);
  }

  /**
   * The repository path of what `unit` names (`<output>/targets/<name>` or `<output>/<folder>`), or the
   * issue with it. `path`/`field` are the declaring construct's. @internal
   */
  public _locate(unit: DeliveryUnitProps, path: string, field: string): { readonly path: string } | { readonly issue: ValidationIssue } {
    const { target, folder } = unit ?? {};
    if ((target === undefined) === (folder === undefined)) {
      const both = target !== undefined;
      return { issue: { path, field: both ? 'folder' : 'target', message: both ? 'both target and folder are given' : 'neither target nor folder is given', fix: this.unitFix() } };
    }
    if (target !== undefined) {
      const known = this.targets.map((t) => t.name);
      if (typeof target !== 'string' || !known.includes(target)) {
        return {
          issue: {
            path,
            field: `${field}target`,
            message: `${typeof target === 'string' ? `'${target}'` : String(target)} is not a target of the app (targets: ${known.join(', ') || 'none'})`,
            fix: known.length > 0 ? `use one of ${known.map((t) => `'${t}'`).join(', ')}: one per network backend of the platform` : 'declare a ZeroTrustPlatform with backends in this app',
          },
        };
      }
      return { path: underOutput(this.outputPath, `${TARGETS_FOLDER}/${target}`) };
    }
    const problem = typeof folder === 'string' ? relativePathProblem(folder) : 'is not a string';
    if (problem) {
      return { issue: { path, field: `${field}folder`, message: `'${String(folder)}' ${problem}: the path is outside the output`, fix: `name a folder of the output: ${this.folders.join(', ')}` } };
    }
    const normalized = normalizedSegments(folder as string).join('/');
    if (!this.folders.includes(normalized)) {
      return {
        issue: {
          path,
          field: `${field}folder`,
          message: `'${String(folder)}' is not a folder of the output (folders: ${this.folders.join(', ')})`,
          fix: normalized === '' ? "the top folder holds no policies: give a target, e.g. target: 'cilium'" : 'name one of those folders, or a target with target:',
        },
      };
    }
    return { path: underOutput(this.outputPath, normalized) };
  }

  private unitFix(): string {
    const first = this.targets[0]?.name ?? 'cilium';
    return `give one: target: '${first}' (a cluster's whole policy set), or folder: 'kyverno' (one folder)`;
  }

  private platforms(): ZeroTrustPlatform[] {
    return this.node.root.node.findAll().filter((c): c is ZeroTrustPlatform => ZeroTrustPlatform.isZeroTrustPlatform(c));
  }

  private issues(): ValidationIssue[] {
    const path = this.node.path;
    const issues: ValidationIssue[] = [];
    const url = repoUrlProblem(this.repoUrl, false);
    if (url) issues.push({ path, field: 'repoUrl', ...url });
    const revision = revisionProblem(this.revision);
    if (revision) issues.push({ path, field: 'revision', message: revision, fix: "give GitRevision.branch('main'), GitRevision.tag('v1.0.0') or GitRevision.commit(sha)" });
    if (this.pathProblem) issues.push(this.pathProblem);
    const root = this.node.root;
    if (!(root instanceof App) || layoutOf(root) !== OutputLayout.FOLDER_PER_BACKEND) {
      issues.push({
        path,
        field: 'scope',
        message: 'the delivery applies the folders of the folder-per-backend layout, and this app writes another layout',
        fix: 'use new ZeroTrustApp({ layout: OutputLayout.FOLDER_PER_BACKEND })',
      });
      return issues;
    }
    const platforms = this.platforms();
    if (platforms.length === 0) {
      issues.push({ path, field: 'scope', message: 'the app has no ZeroTrustPlatform, so there is nothing to deliver', fix: 'declare the platform in the same app' });
    }
    const layoutFolders = new Set<string>([NAMESPACES_FOLDER, TARGETS_FOLDER]);
    for (const platform of platforms) {
      for (const backend of platform.backends) if (typeof backend?.id === 'string') layoutFolders.add(backend.id);
      for (const engine of platform.guardrailEngines) layoutFolders.add(engine);
    }
    if (layoutFolders.has(this.folderName)) {
      issues.push({
        path,
        field: 'id',
        message: `the chart would be written to ${this.folderName}/, a folder the platform's output already uses`,
        fix: "give the chart another id, e.g. 'delivery'",
      });
    }
    return issues;
  }
}

/** Why a revision is unusable, or undefined; a JavaScript caller may pass anything. */
export function revisionProblem(revision: unknown): string | undefined {
  if (!(revision instanceof GitRevision)) return `${String(revision)} is not a GitRevision`;
  return revision.problem();
}

/** A construct's validation line: ZeroTrustApp and cdk8s prefix it with `[path] `. */
export function lineOf(issue: ValidationIssue): string {
  return `${issue.field}: ${issue.message}. Fix: ${issue.fix}`;
}
