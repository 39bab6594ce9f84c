/**
 * Where the synthesized output lives in Git, as Argo CD and Flux read it: repository URL, revision and
 * the path of the output folder. The checks here return issues; the constructs attach them to their path.
 */
import { describeValue } from '../model/values';

/** What a Git revision names. */
export enum GitRevisionKind {
  BRANCH = 'branch',
  TAG = 'tag',
  COMMIT = 'commit',
}

/**
 * The revision Argo CD and Flux follow: `GitRevision.branch('main')`, `GitRevision.tag('v1.2.0')` or
 * `GitRevision.commit('<40 hex digits>')`. Argo CD takes it as `targetRevision`, Flux as `ref.branch`,
 * `ref.tag` or `ref.commit`.
 */
export class GitRevision {
  public static branch(name: string): GitRevision {
    return new GitRevision(GitRevisionKind.BRANCH, name);
  }

  public static tag(name: string): GitRevision {
    return new GitRevision(GitRevisionKind.TAG, name);
  }

  /** A full commit SHA (40 hex digits, or 64 for SHA-256 repositories). */
  public static commit(sha: string): GitRevision {
    return new GitRevision(GitRevisionKind.COMMIT, sha);
  }

  private constructor(public readonly kind: GitRevisionKind, public readonly value: string) {}

  /** Why the revision is not usable, or undefined. */
  public problem(): string | undefined {
    const value: unknown = this.value;
    if (typeof value !== 'string' || value === '') return `the ${this.kind} must be a non-empty string, got ${describeValue(value)}`;
    if (this.kind === GitRevisionKind.COMMIT) {
      return /^([0-9a-f]{40}|[0-9a-f]{64})$/.test(value) ? undefined : `commit '${value}' is not a full SHA (40 or 64 lowercase hex digits)`;
    }
    return refNameProblem(value);
  }
}

/**
 * The rules of `git check-ref-format` (https://git-scm.com/docs/git-check-ref-format) that a branch or
 * tag name breaks most often.
 */
function refNameProblem(name: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return `'${name}' contains a space, a control character or one of ~ ^ : ? * [ \\`;
  if (name.includes('..') || name.includes('@{') || name.includes('//')) return `'${name}' contains '..', '@{' or '//'`;
  if (name.startsWith('/') || name.endsWith('/') || name.endsWith('.') || name.endsWith('.lock') || name.startsWith('-') || name === '@') {
    return `'${name}' is not a valid Git ref name (it starts or ends with '/', '-' or '.', or ends with '.lock')`;
  }
  if (name.split('/').some((part) => part.startsWith('.'))) return `'${name}' has a component starting with '.'`;
  return undefined;
}

/** A problem with a value, phrased for a ValidationIssue: what is wrong and how to fix it. */
export interface SourceProblem {
  readonly message: string;
  readonly fix: string;
}

const URL_FIX = "give the repository's clone URL, e.g. 'https://github.com/acme/platform.git' or 'ssh://git@github.com/acme/platform.git'";

/** scp-like SSH syntax (`git@github.com:acme/platform.git`), which Argo CD accepts and Flux does not. */
const SCP_LIKE = /^([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+):(?!\/\/)(.+)$/;

/**
 * Checks a Git repository URL. Argo CD takes https://, http://, ssh:// and scp-like `git@host:path`; Flux's
 * GitRepository only the first three (its CRD's `url` pattern), so `forFlux` refuses scp-like URLs with the
 * ssh:// spelling as the fix. Credentials in the URL are refused: they would be committed with the output.
 */
export function repoUrlProblem(value: unknown, forFlux: boolean): SourceProblem | undefined {
  if (typeof value !== 'string' || value.trim() === '') return { message: `the repository URL must be a non-empty string, got ${describeValue(value)}`, fix: URL_FIX };
  if (/\s/.test(value)) return { message: `'${value}' contains whitespace`, fix: URL_FIX };
  const scp = SCP_LIKE.exec(value);
  if (scp) {
    if (!forFlux) return undefined;
    return {
      message: `'${value}' is scp-like SSH syntax, which Flux's GitRepository does not accept (its url must start with http://, https:// or ssh://)`,
      fix: `write it as 'ssh://${scp[1]}@${scp[2]}/${scp[3]}'`,
    };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { message: `'${value}' is not a URL`, fix: URL_FIX };
  }
  if (!['https:', 'http:', 'ssh:'].includes(url.protocol)) {
    return { message: `'${value}' uses ${url.protocol.replace(/:$/, '')}://, not https://, http:// or ssh://`, fix: URL_FIX };
  }
  if (url.hostname === '') return { message: `'${value}' has no host`, fix: URL_FIX };
  if (url.password !== '' || (url.protocol !== 'ssh:' && url.username !== '')) {
    return {
      message: 'the repository URL carries credentials, which would be committed with the output',
      fix: "remove them from the URL and give them to the GitOps tool: an Argo CD repository Secret, or the GitRepository's secretRef",
    };
  }
  return undefined;
}

/**
 * The output folder's path in the repository, normalized (`./dist/` → `dist`, `.` → ''), or a problem: it
 * must be relative to the repository root and stay inside it.
 */
export function outputPathOf(value: unknown): { readonly path: string } | { readonly problem: SourceProblem } {
  const fix = "give the output folder relative to the repository root, e.g. 'dist' or 'clusters/prod/dist'";
  if (typeof value !== 'string') return { problem: { message: `the path must be a string, got ${describeValue(value)}`, fix } };
  const problem = relativePathProblem(value);
  if (problem) return { problem: { message: `'${value}' ${problem}`, fix } };
  return { path: normalizedSegments(value).join('/') };
}

/** Why a relative path is not one (absolute, backslashes, `..`), or undefined. */
export function relativePathProblem(value: string): string | undefined {
  if (value.startsWith('/') || /^[A-Za-z]:/.test(value)) return 'is absolute';
  if (value.includes('\\')) return "contains '\\'; use '/' between folders";
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(value)) return 'contains a control character';
  if (value.split('/').includes('..')) return "goes up with '..', outside the folder it is relative to";
  return undefined;
}

/** The segments of a relative path without `.` and empty ones. */
export function normalizedSegments(value: string): string[] {
  return value.split('/').filter((part) => part !== '' && part !== '.');
}

/** `a/b` joined with the output path; the output path may be '' (the repository root). */
export function underOutput(outputPath: string, relative: string): string {
  return outputPath === '' ? relative : `${outputPath}/${relative}`;
}
