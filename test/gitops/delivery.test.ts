/**
 * GitOps delivery: Argo CD Applications and ApplicationSet, Flux GitRepository and Kustomizations, written to a
 * folder of their own, pointing at the targets, ordered, checked against the upstream schemas, and refused
 * with the construct path and a fix when their props are wrong.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  ArgoCdApplication,
  ArgoCdApplicationSet,
  Backend,
  FluxGitRepository,
  FluxKustomization,
  GitOpsDelivery,
  GitRevision,
  KyvernoGuardrails,
  OutputLayout,
  TenantBoundary,
  ZeroTrustApp,
  ZeroTrustPlatform,
} from '../../src';
import { removeTempDirs, tempOutdir } from '../constructs/support';
import { describeWithSchemas } from '../support/schemas';

afterAll(removeTempDirs);

const REPO = 'https://github.com/acme/platform.git';

interface Doc {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly annotations?: Record<string, string> };
  readonly spec: Record<string, unknown>;
}

/** A folder-layout app with one platform (Kubernetes, Cilium and Calico targets) and Kyverno guardrails. */
function platformApp(outdir = tempOutdir()): ZeroTrustApp {
  const app = new ZeroTrustApp({ outdir, layout: OutputLayout.FOLDER_PER_BACKEND });
  const platform = new ZeroTrustPlatform(app, 'platform', { backends: [Backend.kubernetes(), Backend.cilium(), Backend.calico()] });
  new TenantBoundary(platform, 'alpha', { namespaces: ['alpha-web'] });
  new KyvernoGuardrails(platform, 'guardrails');
  return app;
}

function filesOf(app: ZeroTrustApp): Map<string, string> {
  return new Map(app.synthFiles().map((f) => [f.fileName, f.content]));
}

function docsOf(text: string | undefined): Doc[] {
  return parseAllDocuments(text ?? '').map((d) => d.toJSON() as Doc);
}

/** The problems synthesis reports, one line each. */
function problems(app: App): string[] {
  try {
    (app as ZeroTrustApp).synthFiles();
  } catch (error) {
    return (error as Error).message.split('\n').slice(1).map((line) => line.trim());
  }
  return [];
}

function argoApp(): { app: ZeroTrustApp; delivery: GitOpsDelivery } {
  const app = platformApp();
  const delivery = new GitOpsDelivery(app, 'delivery', { repoUrl: REPO, revision: GitRevision.branch('main'), path: 'clusters/prod/dist' });
  const cilium = new ArgoCdApplication(delivery, 'zero-trust-cilium', { target: 'cilium' });
  new ArgoCdApplication(delivery, 'zero-trust-guardrails', { folder: 'kyverno', after: [cilium] });
  new ArgoCdApplicationSet(delivery, 'zero-trust', {
    clusters: [{ cluster: 'prod-eu', target: 'cilium' }, { cluster: 'edge', target: 'calico' }],
  });
  return { app, delivery };
}

function fluxApp(): ZeroTrustApp {
  const app = platformApp();
  const delivery = new GitOpsDelivery(app, 'flux', { repoUrl: 'ssh://git@github.com/acme/platform.git', revision: GitRevision.tag('v1.4.0') });
  const source = new FluxGitRepository(delivery, 'platform-repo', { secretRef: 'platform-repo-auth' });
  const target = new FluxKustomization(delivery, 'zero-trust-cilium', { target: 'cilium', source, dependsOn: [{ name: 'cilium' }] });
  new FluxKustomization(delivery, 'zero-trust-guardrails', { folder: 'kyverno', source, dependsOn: [target, { name: 'kyverno', namespace: 'kyverno-system' }] });
  return app;
}

describe('Argo CD', () => {
  test('an Application per target or folder, in the Argo CD namespace, ordered by sync waves', () => {
    const files = filesOf(argoApp().app);
    const docs = docsOf(files.get('delivery/delivery.k8s.yaml'));
    const [cilium, guardrails] = ['zero-trust-cilium', 'zero-trust-guardrails'].map((n) => docs.find((d) => d.kind === 'Application' && d.metadata.name === n)!);
    expect(cilium).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'zero-trust-cilium', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '0' } },
      spec: {
        project: 'default',
        source: { repoURL: REPO, targetRevision: 'main', path: 'clusters/prod/dist/targets/cilium' },
        destination: { server: 'https://kubernetes.default.svc' },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ['SkipDryRunOnMissingResource=true', 'PruneLast=true'],
          retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
        },
      },
    });
    expect((guardrails.spec.source as Record<string, string>).path).toBe('clusters/prod/dist/kyverno');
    expect(guardrails.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1' });
  });

  test('the ApplicationSet gives each cluster one target and never deletes the policies with it', () => {
    const docs = docsOf(filesOf(argoApp().app).get('delivery/delivery.k8s.yaml'));
    const set = docs.find((d) => d.kind === 'ApplicationSet')!;
    expect(set.metadata).toEqual({ name: 'zero-trust', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '0' } });
    expect(set.spec.generators).toEqual([{
      list: {
        elements: [
          { name: 'zero-trust-edge', target: 'calico', path: 'clusters/prod/dist/targets/calico', cluster: 'edge' },
          { name: 'zero-trust-prod-eu', target: 'cilium', path: 'clusters/prod/dist/targets/cilium', cluster: 'prod-eu' },
        ],
      },
    }]);
    expect(set.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    expect(set.spec.goTemplateOptions).toEqual(['missingkey=error']);
    const template = set.spec.template as { metadata: unknown; spec: { source: unknown; destination: unknown } };
    expect(template.metadata).toEqual({ name: '{{.name}}', labels: { 'zero-trust.cdk8s.io/target': '{{.target}}' } });
    expect(template.spec.source).toEqual({ repoURL: REPO, targetRevision: 'main', path: '{{.path}}' });
    expect(template.spec.destination).toEqual({ name: '{{.cluster}}' });
  });

  test('clusters given by server URL, sync options merged with the defaults, prune off when asked', () => {
    const app = platformApp();
    const delivery = new GitOpsDelivery(app, 'delivery', { repoUrl: REPO });
    new ArgoCdApplicationSet(delivery, 'zt', {
      namespace: 'gitops',
      project: 'platform',
      revision: GitRevision.commit('0123456789abcdef0123456789abcdef01234567'),
      prune: false,
      syncOptions: ['PruneLast=false', 'ServerSideApply=true'],
      retryLimit: 0,
      clusters: [{ server: 'https://10.0.0.1:6443', name: 'zt-lab', target: 'kubernetes' }],
    });
    const set = docsOf(filesOf(app).get('delivery/delivery.k8s.yaml'))[0];
    expect(set.metadata.namespace).toBe('gitops');
    const spec = (set.spec.template as { spec: Record<string, unknown> }).spec;
    expect(spec.project).toBe('platform');
    expect(spec.destination).toEqual({ server: '{{.server}}' });
    expect((spec.source as Record<string, string>).targetRevision).toBe('0123456789abcdef0123456789abcdef01234567');
    expect(spec.syncPolicy).toEqual({ automated: { prune: false, selfHeal: true }, syncOptions: ['SkipDryRunOnMissingResource=true', 'PruneLast=false', 'ServerSideApply=true'] });
    expect(set.spec.generators).toEqual([{ list: { elements: [{ name: 'zt-lab', target: 'kubernetes', path: 'dist/targets/kubernetes', server: 'https://10.0.0.1:6443' }] } }]);
  });

  test('the element order does not depend on the declaration order', () => {
    const build = (clusters: { cluster: string; target: string }[]) => {
      const app = platformApp();
      new ArgoCdApplicationSet(new GitOpsDelivery(app, 'delivery', { repoUrl: REPO }), 'zt', { clusters });
      return filesOf(app).get('delivery/delivery.k8s.yaml');
    };
    const clusters = [{ cluster: 'b', target: 'cilium' }, { cluster: 'a', target: 'calico' }, { cluster: 'c', target: 'kubernetes' }];
    expect(build(clusters)).toBe(build([...clusters].reverse()));
  });
});

describe('Flux', () => {
  test('a GitRepository and Kustomizations in flux-system, the guardrails after the target, nothing deleted with them', () => {
    const docs = docsOf(filesOf(fluxApp()).get('flux/flux.k8s.yaml'));
    expect(docs.map((d) => `${d.kind} ${d.metadata.namespace}/${d.metadata.name}`)).toEqual([
      'GitRepository flux-system/platform-repo',
      'Kustomization flux-system/zero-trust-cilium',
      'Kustomization flux-system/zero-trust-guardrails',
    ]);
    expect(docs[0].spec).toEqual({ url: 'ssh://git@github.com/acme/platform.git', interval: '1m', ref: { tag: 'v1.4.0' }, secretRef: { name: 'platform-repo-auth' } });
    expect(docs[1].spec).toEqual({
      interval: '10m',
      retryInterval: '1m',
      path: './dist/targets/cilium',
      prune: true,
      wait: true,
      deletionPolicy: 'Orphan',
      sourceRef: { kind: 'GitRepository', name: 'platform-repo' },
      dependsOn: [{ name: 'cilium' }],
    });
    expect(docs[2].spec.path).toBe('./dist/kyverno');
    expect(docs[2].spec.dependsOn).toEqual([{ name: 'zero-trust-cilium' }, { name: 'kyverno', namespace: 'kyverno-system' }]);
  });

  test('a branch is followed as ref.branch, a commit as ref.commit', () => {
    for (const [revision, ref] of [[GitRevision.branch('release/2'), { branch: 'release/2' }], [GitRevision.commit('a'.repeat(40)), { commit: 'a'.repeat(40) }]] as const) {
      const app = platformApp();
      new FluxGitRepository(new GitOpsDelivery(app, 'flux', { repoUrl: REPO }), 'repo', { revision });
      expect(docsOf(filesOf(app).get('flux/flux.k8s.yaml'))[0].spec.ref).toEqual(ref);
    }
  });
});

describe('where the delivery objects are written', () => {
  test('a folder of their own, with its kustomization, in no target and not at the top', () => {
    const files = filesOf(argoApp().app);
    expect(files.get('delivery/kustomization.yaml')).toBe('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - delivery.k8s.yaml\n');
    for (const [name, content] of files) {
      if (name.endsWith('kustomization.yaml') && name !== 'delivery/kustomization.yaml') expect([name, content]).toEqual([name, expect.not.stringContaining('delivery')]);
    }
    expect(files.get('kustomization.yaml')).toBe('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n');
    // Guardrails are not part of a target: they are applied after it, once Kyverno is installed.
    expect(files.get('targets/cilium/kustomization.yaml')).toBe('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../platform\n  - ../../cilium\n');
  });

  const kubectl = (() => {
    try {
      execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!kubectl) console.warn('kubectl is not on PATH: the `kubectl kustomize` check of the delivery folders is skipped');
  (kubectl ? test : test.skip)('kubectl kustomize builds the delivery folders, the empty top, and every target', () => {
    for (const build of [() => argoApp().app, fluxApp]) {
      const app = build();
      app.synth();
      const folders = ['.', 'platform', 'kyverno', 'kubernetes', 'cilium', 'calico', 'targets/kubernetes', 'targets/cilium', 'targets/calico', ...(app.node.tryFindChild('flux') ? ['flux'] : ['delivery'])];
      for (const folder of folders) {
        const output = execFileSync('kubectl', ['kustomize', path.join(app.outdir, folder)], { encoding: 'utf8' });
        // The top lists nothing here (the app has no other charts): it builds, to nothing.
        expect([folder, folder === '.' ? output : output.length > 0]).toEqual([folder, folder === '.' ? '' : true]);
      }
    }
  });
});

describeWithSchemas('the delivery objects match the Argo CD and Flux schemas', (validator) => {
  test('Application, ApplicationSet, GitRepository and Kustomization', () => {
    const docs = [...docsOf(filesOf(argoApp().app).get('delivery/delivery.k8s.yaml')), ...docsOf(filesOf(fluxApp()).get('flux/flux.k8s.yaml'))];
    expect(docs.map((d) => d.kind).sort()).toEqual(['Application', 'Application', 'ApplicationSet', 'GitRepository', 'Kustomization', 'Kustomization']);
    expect(docs.flatMap((d) => validator.validate(d))).toEqual([]);
  });

  test('the schemas catch a misspelt field (the check can fail)', () => {
    const [application] = docsOf(filesOf(argoApp().app).get('delivery/delivery.k8s.yaml'));
    const broken = { ...application, spec: { ...application.spec, syncPolicy: { automatic: { prune: true } } } };
    expect(validator.validate(broken).join('\n')).toMatch(/unknown field "automatic"/);
  });
});

describe('bad props: the construct path, the field and a fix', () => {
  test('repository URL, revision and output path', () => {
    for (const [repoUrl, expected] of [
      ['github.com/acme/platform', "[delivery] repoUrl: 'github.com/acme/platform' is not a URL. Fix: give the repository's clone URL"],
      ['https://user:token@github.com/acme/platform.git', '[delivery] repoUrl: the repository URL carries credentials, which would be committed with the output. Fix: remove them'],
      ['ftp://github.com/acme/platform.git', "[delivery] repoUrl: 'ftp://github.com/acme/platform.git' uses ftp://, not https://, http:// or ssh://"],
    ] as const) {
      const app = platformApp();
      new GitOpsDelivery(app, 'delivery', { repoUrl });
      expect(problems(app)).toEqual([expect.stringContaining(expected)]);
    }
    const app = platformApp();
    new GitOpsDelivery(app, 'delivery', { repoUrl: REPO, path: '../elsewhere', revision: GitRevision.branch('feature..x') });
    expect(problems(app)).toEqual([
      "[delivery] revision: 'feature..x' contains '..', '@{' or '//'. Fix: give GitRevision.branch('main'), GitRevision.tag('v1.0.0') or GitRevision.commit(sha)",
      "[delivery] path: '../elsewhere' goes up with '..', outside the folder it is relative to. Fix: give the output folder relative to the repository root, e.g. 'dist' or 'clusters/prod/dist'",
    ]);
  });

  test('scp-like SSH URLs are Argo CD only: Flux gets the ssh:// spelling as the fix', () => {
    const app = platformApp();
    const delivery = new GitOpsDelivery(app, 'delivery', { repoUrl: 'git@github.com:acme/platform.git' });
    new ArgoCdApplication(delivery, 'argo', { target: 'cilium' });
    expect(problems(app)).toEqual([]);
    new FluxGitRepository(delivery, 'repo');
    expect(problems(app)).toEqual([
      "[delivery/repo] url: the GitOpsDelivery's repoUrl 'git@github.com:acme/platform.git' is scp-like SSH syntax, which Flux's GitRepository does not accept (its url must start with http://, https:// or ssh://). Fix: write it as 'ssh://git@github.com/acme/platform.git' in the GitOpsDelivery",
    ]);
  });

  test('unknown target, a folder outside the output or not in it, target and folder together', () => {
    const app = platformApp();
    const delivery = new GitOpsDelivery(app, 'delivery', { repoUrl: REPO });
    new ArgoCdApplication(delivery, 'a', { target: 'weave' });
    new ArgoCdApplication(delivery, 'b', { folder: '../secrets' });
    new ArgoCdApplication(delivery, 'c', { folder: 'istio' });
    new ArgoCdApplication(delivery, 'd', { target: 'cilium', folder: 'kyverno' });
    const source = new FluxGitRepository(delivery, 'repo');
    new FluxKustomization(delivery, 'e', { source, folder: '/etc' });
    new FluxKustomization(delivery, 'f', { source, folder: '.' });
    expect(problems(app)).toEqual([
      "[delivery/a] target: 'weave' is not a target of the app (targets: calico, cilium, kubernetes). Fix: use one of 'calico', 'cilium', 'kubernetes': one per network backend of the platform",
      "[delivery/b] folder: '../secrets' goes up with '..', outside the folder it is relative to: the path is outside the output. Fix: name a folder of the output: calico, cilium, delivery, kubernetes, kyverno, platform, targets/calico, targets/cilium, targets/kubernetes",
      "[delivery/c] folder: 'istio' is not a folder of the output (folders: calico, cilium, delivery, kubernetes, kyverno, platform, targets/calico, targets/cilium, targets/kubernetes). Fix: name one of those folders, or a target with target:",
      "[delivery/d] folder: both target and folder are given. Fix: give one: target: 'calico' (a cluster's whole policy set), or folder: 'kyverno' (one folder)",
      "[delivery/e] folder: '/etc' is absolute: the path is outside the output. Fix: name a folder of the output: calico, cilium, delivery, kubernetes, kyverno, platform, targets/calico, targets/cilium, targets/kubernetes",
      "[delivery/f] folder: '.' is not a folder of the output (folders: calico, cilium, delivery, kubernetes, kyverno, platform, targets/calico, targets/cilium, targets/kubernetes). Fix: the top folder holds no policies: give a target, e.g. target: 'cilium'",
    ]);
  });

  test('ApplicationSet: a cluster gets one target; clusters all by name or all by server; server entries are named', () => {
    const app = platformApp();
    const delivery = new GitOpsDelivery(app, 'delivery', { repoUrl: REPO });
    new ArgoCdApplicationSet(delivery, 'twice', { clusters: [{ cluster: 'prod', target: 'cilium' }, { cluster: 'prod', target: 'calico', name: 'other' }] });
    new ArgoCdApplicationSet(delivery, 'mixed', { clusters: [{ cluster: 'prod', target: 'cilium' }, { server: 'https://10.0.0.1:6443', target: 'calico' }] });
    new ArgoCdApplicationSet(delivery, 'empty', { clusters: [] });
    expect(problems(app)).toEqual([
      "[delivery/twice] clusters[1]: cluster 'prod' is already given target 'cilium' in clusters[0]; the targets are alternatives (one CNI per cluster). Fix: give each cluster one target",
      "[delivery/mixed] clusters[1].name: a cluster given by server needs the name of its Application. Fix: give name: e.g. 'zero-trust-prod'",
      '[delivery/mixed] clusters: some clusters are given by name and others by server; one template takes one of the two. Fix: give every cluster by name (cluster:), or every one by server (server:)',
      "[delivery/empty] clusters: no cluster is given. Fix: list each cluster with its target: clusters: [{ cluster: 'prod', target: 'cilium' }]",
    ]);
  });

  test('ordering, names, durations and references', () => {
    const app = platformApp();
    const delivery = new GitOpsDelivery(app, 'delivery', { repoUrl: REPO });
    const first = new ArgoCdApplication(delivery, 'first', { target: 'cilium', syncWave: 2 });
    new ArgoCdApplication(delivery, 'early', { folder: 'kyverno', after: [first], syncWave: 1 });
    new ArgoCdApplication(delivery, 'Bad_Name', { target: 'cilium', destination: { server: 'http://insecure' } });
    new FluxKustomization(delivery, 'flux', { target: 'cilium', source: { name: 'repo' }, interval: 'ten minutes', dependsOn: [{ name: '' }] });
    expect(problems(app)).toEqual([
      '[delivery/early] syncWave: wave 1 is not after the Applications in after (the latest is in wave 2). Fix: give syncWave 3 or more, or leave it out',
      "[delivery/Bad_Name] name: the Application name 'Bad_Name' is not a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit). Fix: give a lowercase name of at most 63 characters, e.g. 'zero-trust-cilium'",
      "[delivery/Bad_Name] destination.server: 'http://insecure' is not an https:// API server URL. Fix: give name: '<cluster name in Argo CD>' or server: 'https://kubernetes.default.svc'",
      "[delivery/flux] interval: 'ten minutes' is not a Flux duration. Fix: give a Go duration such as '10m', '1m30s' or '1h'",
      "[delivery/flux] dependsOn[0].name: the name must not be empty. Fix: give a FluxKustomization, or { name: 'cilium', namespace: 'flux-system' }",
    ]);
  });

  test('outside a GitOpsDelivery, in the flat layout, or in a folder the platform uses', () => {
    const outside = platformApp();
    expect(() => new ArgoCdApplication(new Chart(outside, 'apps'), 'a', { target: 'cilium' })).toThrow(
      "[apps/a] scope: not inside a GitOpsDelivery. Fix: create it under one: const delivery = new GitOpsDelivery(app, 'delivery', { repoUrl }); new ArgoCdApplication(delivery, ...)",
    );
    const flat = new ZeroTrustApp({ outdir: tempOutdir() });
    new TenantBoundary(new ZeroTrustPlatform(flat, 'platform', { backend: Backend.kubernetes() }), 'alpha', { namespaces: ['alpha-web'] });
    new GitOpsDelivery(flat, 'delivery', { repoUrl: REPO });
    expect(problems(flat)).toEqual([
      '[delivery] scope: the delivery applies the folders of the folder-per-backend layout, and this app writes another layout. Fix: use new ZeroTrustApp({ layout: OutputLayout.FOLDER_PER_BACKEND })',
    ]);
    const clash = platformApp();
    new GitOpsDelivery(clash, 'kyverno', { repoUrl: REPO });
    expect(problems(clash)).toContain("[kyverno] id: the chart would be written to kyverno/, a folder the platform's output already uses. Fix: give the chart another id, e.g. 'delivery'");
  });
});
