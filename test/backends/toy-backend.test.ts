/**
 * A fifth backend, written in this test only, through the public API: it renders the policy plan
 * into a JSON summary (one ConfigMap per managed namespace) and plugs in with `Backend.custom`. No
 * file of the library knows about it; this is the contract a backend of your own relies on.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import {
  Backend,
  Manifest,
  OutputLayout,
  PlannedPolicy,
  PolicyPlan,
  PolicyRenderer,
  Port,
  RenderResult,
  ZeroTrustApp,
  ZeroTrustNamespace,
  ZeroTrustPlatform,
  ZeroTrustValidationError,
} from '../../src';
import { catchError, filesIn, tempOutdir } from '../constructs/support';

interface Summary {
  readonly baselines: string[];
  readonly policies: { name: string; subject: string; direction: string; peers: string[] }[];
}

function describePolicy(policy: PlannedPolicy): Summary['policies'][number] {
  return {
    name: policy.name,
    subject: policy.subject.kind === 'workload' ? policy.subject.workload.name : '*',
    direction: policy.direction,
    // Pods by namespace, addresses by CIDR; other ends (names, entities) by kind.
    peers: policy.rules.map((r) => (r.peer.kind === 'cidr' ? r.peer.cidr : 'namespace' in r.peer ? `${r.peer.namespace}/${'name' in r.peer ? r.peer.name : '*'}` : r.peer.kind)),
  };
}

/** The toy dialect: a ConfigMap `zero-trust-summary` per namespace, its `summary.json` the namespace's plan. */
class SummaryRenderer implements PolicyRenderer {
  public readonly id = 'summary';
  public render(plan: PolicyPlan): RenderResult {
    const manifests: Manifest[] = plan.namespaces.map((n) => {
      const summary: Summary = { baselines: n.baselines.map((b) => b.name), policies: n.policies.map(describePolicy) };
      return {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'zero-trust-summary', namespace: n.namespace.name },
        data: { 'summary.json': JSON.stringify(summary) },
      } as Manifest;
    });
    return { manifests, issues: [] };
  }
}

function declare(scope: ZeroTrustApp | ReturnType<typeof Testing.app>, backends: Backend[]): ZeroTrustPlatform {
  const platform = new ZeroTrustPlatform(scope, 'platform', { backends });
  const web = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
  const data = new ZeroTrustNamespace(platform, 'data', { name: 'data' });
  web.workload('api', { labels: { app: 'api' } }).allowTo(data.workload('db', { labels: { app: 'db' } }), Port.tcp(5432));
  return platform;
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

describe('a backend of your own plugs in with Backend.custom', () => {
  test('it renders the same plan as the built-in backends, and its objects go to their namespace files', () => {
    const platform = declare(Testing.app(), [Backend.kubernetes(), Backend.custom(new SummaryRenderer())]);
    const summaries = platform.manifests().filter((m) => m.kind === 'ConfigMap');
    expect(summaries.map((m) => m.metadata.namespace)).toEqual(['data', 'web']);
    const web = JSON.parse((summaries[1] as unknown as { data: Record<string, string> }).data['summary.json']) as Summary;
    expect(web).toEqual({
      baselines: ['default-deny-all', 'allow-dns-egress'],
      policies: [{ name: 'api-egress', subject: 'api', direction: 'egress', peers: ['data/db'] }],
    });
    // The built-in backend's output is untouched by its neighbour.
    const alone = declare(Testing.app(), [Backend.kubernetes()]).manifests();
    expect(platform.manifests().filter((m) => m.kind !== 'ConfigMap')).toEqual(alone);
  });

  test('the rendering is keyed by backend id, and the folder-per-backend layout gives it a folder', () => {
    const outdir = tempOutdir();
    const app = new ZeroTrustApp({ outdir, layout: OutputLayout.FOLDER_PER_BACKEND });
    const platform = declare(app, [Backend.kubernetes(), Backend.custom(new SummaryRenderer())]);
    expect(platform.renderOutput().backends.map((b) => b.backend)).toEqual(['kubernetes', 'summary']);
    app.synth();
    expect(filesIn(path.join(outdir, 'summary')).sort()).toEqual(['data.k8s.yaml', 'kustomization.yaml', 'web.k8s.yaml']);
    expect(read(outdir, 'summary/kustomization.yaml')).toBe(
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - data.k8s.yaml\n  - web.k8s.yaml\n',
    );
    expect(read(outdir, 'summary/web.k8s.yaml')).toContain('kind: ConfigMap');
    expect(read(outdir, 'kubernetes/web.k8s.yaml')).not.toContain('ConfigMap');
  });

  test('what it cannot express fails synthesis with its own issues, and nothing is written', () => {
    const refusing: PolicyRenderer = {
      id: 'refusing',
      render: (plan) => ({
        manifests: [],
        issues: plan.namespaces.flatMap((n) => n.policies.map((p) => ({ path: p.path, field: 'allowTo', message: `${p.name} cannot be expressed`, fix: 'use another backend' }))),
      }),
    };
    const outdir = tempOutdir();
    const app = new ZeroTrustApp({ outdir });
    const platform = declare(app, [Backend.kubernetes(), Backend.custom(refusing)]);
    expect(platform.validateIntent().map((i) => `${i.path} ${i.message}`)).toEqual([
      'platform/data/db db-ingress cannot be expressed',
      'platform/web/api api-egress cannot be expressed',
    ]);
    expect(catchError(() => app.synth())).toBeInstanceOf(ZeroTrustValidationError);
    expect(filesIn(outdir)).toEqual([]);
  });
});
