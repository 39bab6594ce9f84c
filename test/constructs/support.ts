/** Shared helpers of the construct tests: building platforms, finding policies, asserting rejections. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import {
  Backend,
  formatIssue,
  Manifest,
  ValidationIssue,
  ZeroTrustApp,
  ZeroTrustPlatform,
  ZeroTrustPlatformProps,
  ZeroTrustValidationError,
} from '../../src';
import { K8sNetworkPolicy } from '../../src/backends/kubernetes/types';

export type { K8sNetworkPolicy };

/** A platform in a cdk8s Testing app (nothing is ever written). */
export function newPlatform(props: Partial<ZeroTrustPlatformProps> = {}): ZeroTrustPlatform {
  return new ZeroTrustPlatform(Testing.app(), 'platform', { backends: [Backend.KUBERNETES], ...props });
}

const tempDirs: string[] = [];

/** A ZeroTrustApp writing into a fresh temporary directory that does not exist yet. */
export interface TestApp {
  readonly app: ZeroTrustApp;
  readonly platform: ZeroTrustPlatform;
  readonly outdir: string;
}

export function newTestApp(props: Partial<ZeroTrustPlatformProps> = {}): TestApp {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-constructs-'));
  tempDirs.push(base);
  const outdir = path.join(base, 'dist');
  const app = new ZeroTrustApp({ outdir });
  const platform = new ZeroTrustPlatform(app, 'platform', { backends: [Backend.KUBERNETES], ...props });
  return { app, platform, outdir };
}

/** Removes every temporary directory made by newTestApp / tempOutdir. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A fresh output directory path (not created). */
export function tempOutdir(): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-constructs-'));
  tempDirs.push(base);
  return path.join(base, 'dist');
}

/** Files in `dir`, recursively; [] when it does not exist. */
export function filesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

export function networkPolicies(manifests: readonly Manifest[], namespace?: string): K8sNetworkPolicy[] {
  return manifests.filter(
    (m): m is K8sNetworkPolicy => m.kind === 'NetworkPolicy' && (namespace === undefined || m.metadata.namespace === namespace),
  );
}

/** Names of the NetworkPolicies of one namespace, in output order. */
export function policyNames(platform: ZeroTrustPlatform, namespace: string): string[] {
  return networkPolicies(platform.manifests(), namespace).map((p) => p.metadata.name);
}

/** The one NetworkPolicy of that name in that namespace (fails the test when absent). */
export function policy(platform: ZeroTrustPlatform, namespace: string, name: string): K8sNetworkPolicy {
  const found = networkPolicies(platform.manifests(), namespace).filter((p) => p.metadata.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one NetworkPolicy ${namespace}/${name}, found ${found.length}; have: ${policyNames(platform, namespace).join(', ')}`);
  }
  return found[0];
}

export function namespaceObjects(platform: ZeroTrustPlatform): Manifest[] {
  return platform.manifests().filter((m) => m.kind === 'Namespace');
}

/** What an issue must say: exact path and field; message and fix contain the strings (or match the patterns). */
export interface ExpectedIssue {
  readonly path: string;
  readonly field: string;
  readonly message: string | RegExp;
  readonly fix: string | RegExp;
}

function matches(text: string, expected: string | RegExp): boolean {
  return typeof expected === 'string' ? text.includes(expected) : expected.test(text);
}

function findIssue(issues: readonly ValidationIssue[], expected: ExpectedIssue): ValidationIssue | undefined {
  return issues.find(
    (i) => i.path === expected.path && i.field === expected.field && matches(i.message, expected.message) && matches(i.fix, expected.fix),
  );
}

/**
 * Asserts that the platform reports exactly these issues (in any order), that `manifests()` and
 * `app.synth()` both throw a ZeroTrustValidationError whose text names path, field, message and fix of
 * each, and that nothing was written to the output directory.
 */
export function expectRejected(t: TestApp, ...expected: ExpectedIssue[]): readonly ValidationIssue[] {
  const issues = t.platform.validateIntent();
  for (const e of expected) {
    if (!findIssue(issues, e)) {
      throw new Error(`no issue matches ${JSON.stringify({ ...e, message: String(e.message), fix: String(e.fix) })}; issues:\n${issues.map(formatIssue).join('\n')}`);
    }
  }
  expect(issues).toHaveLength(expected.length);

  const fromManifests = catchError(() => t.platform.manifests());
  expect(fromManifests).toBeInstanceOf(ZeroTrustValidationError);
  expect((fromManifests as ZeroTrustValidationError).issues).toEqual(issues);

  const fromSynth = catchError(() => t.app.synth());
  expect(fromSynth).toBeInstanceOf(ZeroTrustValidationError);
  const error = fromSynth as ZeroTrustValidationError;
  expect(error.issues).toEqual(issues);
  expect(error.message).toContain(`${issues.length} invalid declaration${issues.length === 1 ? '' : 's'}; nothing was synthesized`);
  for (const e of expected) {
    const issue = findIssue(error.issues, e)!;
    // One line per issue: `[path] field: message. Fix: fix`.
    expect(error.message).toContain(`[${e.path}] ${e.field}: ${issue.message}. Fix: ${issue.fix}`);
  }
  expect(filesIn(t.outdir)).toEqual([]);
  return issues;
}

/** Asserts that the platform is valid and that synthesis writes files. */
export function expectAccepted(t: TestApp): void {
  expect(t.platform.validateIntent().map(formatIssue)).toEqual([]);
  t.app.synth();
  expect(filesIn(t.outdir).length).toBeGreaterThan(0);
}

export function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but none was thrown');
}
