/**
 * KyvernoGuardrails: Kyverno ClusterPolicies that isolate the namespaces the platform does not manage
 * and check namespace labels. The generated NetworkPolicies must be the ones the Kubernetes backend
 * renders for a managed namespace; the objects must be valid Kyverno, cluster-scoped and deterministic.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { newTestApp, removeTempDirs, tempOutdir } from './support';
import {
  Backend,
  DEFAULT_SYSTEM_NAMESPACES,
  KyvernoGuardrails,
  KyvernoGuardrailsProps,
  ManagedNamespaces,
  Manifest,
  OutputLayout,
  Port,
  TenantBoundary,
  ValidationFailureAction,
  ValidationIssue,
  ZeroTrustApp,
  ZeroTrustNamespace,
  ZeroTrustPlatform,
  ZeroTrustPlatformProps,
} from '../../src';
import { K8sNetworkPolicy } from '../../src/backends/kubernetes/types';
import { ClusterRole, KyvernoClusterPolicy, KyvernoRule } from '../../src/guardrails/kyverno/types';
import { describeWithSchemas, schemasDir, validateAgainstFile } from '../support/schemas';

afterAll(removeTempDirs);

/** The documents of a YAML stream. */
function parseDocs(text: string): Manifest[] {
  return YAML.parseAllDocuments(text).map((d) => d.toJSON() as Manifest);
}

/** A platform with two tenant namespaces and a platform namespace without tenant. */
function platformWith(guardrails: KyvernoGuardrailsProps | undefined, props: Partial<ZeroTrustPlatformProps> = {}): ZeroTrustPlatform {
  const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backends: [Backend.kubernetes()], ...props });
  new TenantBoundary(platform, 'alpha', { namespaces: ['alpha-web', 'alpha-data'] });
  new ZeroTrustNamespace(platform, 'monitoring', { name: 'monitoring' });
  if (guardrails) new KyvernoGuardrails(platform, 'guardrails', guardrails);
  return platform;
}

function guardrailObjects(platform: ZeroTrustPlatform): Manifest[] {
  return platform.toJson().filter((m) => m.kind === 'ClusterPolicy' || m.kind === 'ClusterRole');
}

function clusterPolicy(platform: ZeroTrustPlatform, name: string): KyvernoClusterPolicy {
  const found = platform.toJson().find((m) => m.kind === 'ClusterPolicy' && m.metadata.name === name);
  if (!found) throw new Error(`no ClusterPolicy ${name}`);
  return found as KyvernoClusterPolicy;
}

function rule(policy: KyvernoClusterPolicy, name: string): KyvernoRule {
  const found = policy.spec.rules.find((r) => r.name === name);
  if (!found) throw new Error(`no rule ${name} in ${policy.metadata.name}: ${policy.spec.rules.map((r) => r.name).join(', ')}`);
  return found;
}

function excludedNames(r: KyvernoRule): readonly string[] {
  return r.exclude?.any.flatMap((f) => f.resources.names ?? []) ?? [];
}

/** The issues of an invalid platform, formatted; fails when the platform is valid. */
function issuesOf(platform: ZeroTrustPlatform): ValidationIssue[] {
  const issues = platform.validateIntent();
  expect(issues.length).toBeGreaterThan(0);
  return [...issues];
}

describe('what is emitted', () => {
  test('snapshot: a ClusterRole for Kyverno, the isolation policy and the label policy', () => {
    expect(guardrailObjects(platformWith({}))).toMatchSnapshot();
  });

  test('snapshot: MATCH, Enforce, generateExisting, no DNS, no ClusterRole, another prefix', () => {
    expect(guardrailObjects(platformWith({
      managedNamespaces: ManagedNamespaces.MATCH,
      validationFailureAction: ValidationFailureAction.ENFORCE,
      generateExisting: true,
      allowDns: false,
      grantGeneratePermissions: false,
      namePrefix: 'acme',
      systemNamespaces: ['kube-system', 'default'],
      kyvernoNamespace: 'policy-engine',
    }))).toMatchSnapshot();
  });

  test('the objects come after the Namespaces, in the platform chart, and the guardrails add no namespace object', () => {
    const without = platformWith(undefined).toJson();
    const withGuardrails = platformWith({}).toJson();
    expect(withGuardrails.slice(0, without.length)).toEqual(without);
    expect(withGuardrails.slice(without.length).map((m) => `${m.kind} ${m.metadata.name}`)).toEqual([
      'ClusterRole zero-trust-kyverno-networkpolicies',
      'ClusterPolicy zero-trust-namespace-isolation',
      'ClusterPolicy zero-trust-namespace-labels',
    ]);
    // The namespaces' own files are unchanged.
    for (const name of ['alpha-web', 'alpha-data', 'monitoring']) expect(platformWith({})._manifestsOf(name)).toEqual(platformWith(undefined)._manifestsOf(name));
  });

  test('the ClusterRole lets Kyverno\'s background controller manage NetworkPolicies, and nothing else', () => {
    const role = guardrailObjects(platformWith({})).find((m): m is ClusterRole & Manifest => m.kind === 'ClusterRole');
    expect(role?.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'cdk8s-zero-trust', 'rbac.kyverno.io/aggregate-to-background-controller': 'true' });
    expect(role?.rules).toEqual([{ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }]);
    expect(guardrailObjects(platformWith({ grantGeneratePermissions: false })).map((m) => m.kind)).toEqual(['ClusterPolicy', 'ClusterPolicy']);
  });

  test('generate rules are synchronized, keep their objects when the policy is deleted, and generate for existing namespaces only when asked', () => {
    for (const generateExisting of [false, true]) {
      const policy = clusterPolicy(platformWith({ generateExisting }), 'zero-trust-namespace-isolation');
      expect(policy.spec.rules.map((r) => r.name)).toEqual(['zero-trust-default-deny-all', 'zero-trust-allow-dns-egress']);
      for (const r of policy.spec.rules) {
        expect(r.generate).toMatchObject({ synchronize: true, orphanDownstreamOnPolicyDelete: true, generateExisting, namespace: '{{request.object.metadata.name}}' });
        expect(r.match).toEqual({ any: [{ resources: { kinds: ['Namespace'] } }] });
      }
    }
    const noDns = clusterPolicy(platformWith({ allowDns: false }), 'zero-trust-namespace-isolation');
    expect(noDns.spec.rules.map((r) => r.name)).toEqual(['zero-trust-default-deny-all']);
  });

  test('validationFailureAction: Audit by default, Enforce when asked, on every validate rule', () => {
    for (const [given, expected] of [[undefined, 'Audit'], [ValidationFailureAction.AUDIT, 'Audit'], [ValidationFailureAction.ENFORCE, 'Enforce']] as const) {
      const policy = clusterPolicy(platformWith({ validationFailureAction: given }), 'zero-trust-namespace-labels');
      expect(policy.spec.rules.map((r) => [r.name, r.validate?.failureAction])).toEqual([
        ['require-tenant-label', expected],
        ['reserve-platform-labels', expected],
      ]);
    }
  });

  test('the output has no YAML anchors: every list is written out', () => {
    const { app, platform } = newTestApp();
    new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    new KyvernoGuardrails(platform, 'guardrails');
    const platformFile = app.synthFiles().find((f) => f.fileName === 'platform.k8s.yaml');
    expect(platformFile?.content).toContain('kind: ClusterPolicy');
    expect(platformFile?.content).not.toMatch(/[&*]a\d/);
  });
});

describe('the generated NetworkPolicies are the ones the Kubernetes backend renders', () => {
  /** The backend's policy `name` in a managed namespace, and the generate rule that stands for it. */
  function compare(platform: ZeroTrustPlatform, managedNamespace: string, name: string): void {
    const backend = platform._manifestsOf(managedNamespace).find((m) => m.metadata.name === name) as K8sNetworkPolicy | undefined;
    expect(backend).toBeDefined();
    const generate = rule(clusterPolicy(platform, 'zero-trust-namespace-isolation'), `zero-trust-${name}`).generate;
    expect(generate).toBeDefined();
    expect({ apiVersion: generate!.apiVersion, kind: generate!.kind, name: generate!.name, spec: generate!.data.spec })
      .toEqual({ apiVersion: backend!.apiVersion, kind: backend!.kind, name: `zero-trust-${backend!.metadata.name}`, spec: backend!.spec });
  }

  test.each([
    ['the default DNS', {}],
    ['DNS in another namespace, with other labels and ports, and NodeLocal DNSCache', {
      dns: { namespace: 'dns-system', labels: { app: 'coredns', tier: 'dns' }, ports: [Port.udp(5353), Port.tcp(53)], nodeLocal: '169.254.20.10' },
    }],
  ] as const)('with %s', (_label, props: Partial<ZeroTrustPlatformProps>) => {
    const platform = platformWith({}, props);
    compare(platform, 'alpha-web', 'default-deny-all');
    compare(platform, 'alpha-web', 'allow-dns-egress');
  });

  test('the DNS namespace is never isolated, whatever systemNamespaces says', () => {
    const platform = platformWith({ systemNamespaces: [] }, { dns: { namespace: 'dns-system' } });
    for (const r of clusterPolicy(platform, 'zero-trust-namespace-isolation').spec.rules) {
      expect(excludedNames(r)).toEqual(expect.arrayContaining(['dns-system', 'kyverno']));
      expect(excludedNames(r)).not.toContain('kube-system');
    }
  });
});

describe('which namespaces each rule applies to', () => {
  const managed = ['alpha-data', 'alpha-web', 'monitoring'];

  test('EXCLUDE (the default): the managed namespaces, the system namespaces and Kyverno\'s are excluded by name', () => {
    const policy = clusterPolicy(platformWith({}), 'zero-trust-namespace-isolation');
    for (const r of policy.spec.rules) {
      expect(excludedNames(r)).toEqual([...managed, ...DEFAULT_SYSTEM_NAMESPACES, 'kyverno'].sort());
    }
  });

  test('MATCH: the managed namespaces are isolated too; the system namespaces and Kyverno\'s are not', () => {
    const policy = clusterPolicy(platformWith({ managedNamespaces: ManagedNamespaces.MATCH }), 'zero-trust-namespace-isolation');
    for (const r of policy.spec.rules) expect(excludedNames(r)).toEqual(['kube-node-lease', 'kube-public', 'kube-system', 'kyverno']);
  });

  test('MATCH never allows more than the platform: a managed namespace without DNS gets the default-deny copy, not the DNS one', () => {
    const platform = platformWith({ managedNamespaces: ManagedNamespaces.MATCH });
    new ZeroTrustNamespace(platform, 'quiet', { name: 'quiet', allowDns: false });
    const policy = clusterPolicy(platform, 'zero-trust-namespace-isolation');
    expect(excludedNames(rule(policy, 'zero-trust-default-deny-all'))).not.toContain('quiet');
    expect(excludedNames(rule(policy, 'zero-trust-allow-dns-egress'))).toEqual(['kube-node-lease', 'kube-public', 'kube-system', 'kyverno', 'quiet']);
    // The platform itself renders no DNS policy there.
    expect(platform._manifestsOf('quiet').map((m) => m.metadata.name)).toEqual(['default-deny-all']);
  });

  test('systemNamespaces replaces the default list; the Kyverno namespace is always excluded', () => {
    const policy = clusterPolicy(platformWith({ systemNamespaces: ['kube-system', 'default'], kyvernoNamespace: 'policy-engine' }), 'zero-trust-namespace-isolation');
    expect(excludedNames(policy.spec.rules[0])).toEqual([...managed, 'default', 'kube-system', 'policy-engine'].sort());
  });

  test('the tenant label is required everywhere but the system namespaces and the managed namespaces without a tenant', () => {
    const labels = clusterPolicy(platformWith({}), 'zero-trust-namespace-labels');
    const requireTenant = rule(labels, 'require-tenant-label');
    expect(excludedNames(requireTenant)).toEqual(['kube-node-lease', 'kube-public', 'kube-system', 'kyverno', 'monitoring']);
    expect(requireTenant.validate?.pattern).toEqual({ metadata: { labels: { 'zero-trust.cdk8s.io/tenant': '?*' } } });
    expect(requireTenant.match).toEqual({ any: [{ resources: { kinds: ['Namespace'], operations: ['CREATE', 'UPDATE'] } }] });
  });

  test('the managed-by label is refused on every namespace the platform does not manage, whatever the mode', () => {
    for (const managedNamespaces of [ManagedNamespaces.EXCLUDE, ManagedNamespaces.MATCH]) {
      const reserve = rule(clusterPolicy(platformWith({ managedNamespaces }), 'zero-trust-namespace-labels'), 'reserve-platform-labels');
      expect(excludedNames(reserve)).toEqual([...managed, ...DEFAULT_SYSTEM_NAMESPACES, 'kyverno'].sort());
      expect(reserve.validate?.deny).toEqual({
        conditions: { any: [{ key: '{{ request.object.metadata.labels."app.kubernetes.io/managed-by" || \'\' }}', operator: 'Equals', value: 'cdk8s-zero-trust' }] },
      });
    }
  });

  test('what the platform manages is read at synthesis: a namespace declared after the guardrails is excluded too', () => {
    const platform = platformWith({});
    new ZeroTrustNamespace(platform, 'late', { name: 'late' });
    expect(excludedNames(clusterPolicy(platform, 'zero-trust-namespace-isolation').spec.rules[0])).toContain('late');
  });
});

describe('cluster-scoped: no namespace leaks onto the guardrails', () => {
  function guardrailDocs(text: string): Record<string, unknown>[] {
    return parseDocs(text).filter((d) => d.kind === 'ClusterPolicy' || d.kind === 'ClusterRole') as unknown as Record<string, unknown>[];
  }

  function noNamespace(docs: readonly Record<string, unknown>[]): void {
    expect(docs.length).toBe(3);
    for (const doc of docs) expect((doc.metadata as Record<string, unknown>).namespace).toBeUndefined();
  }

  test('in the flat layout, the folder layout, Testing.synth and a plain cdk8s App, beside charts that have a namespace', () => {
    for (const layout of [OutputLayout.FLAT, OutputLayout.FOLDER_PER_BACKEND]) {
      const app = new ZeroTrustApp({ outdir: tempOutdir(), layout });
      new Chart(app, 'apps', { namespace: 'alpha-web' });
      new KyvernoGuardrails(platformIn(app), 'guardrails');
      const file = app.synthFiles().find((f) => f.fileName === (layout === OutputLayout.FLAT ? 'platform.k8s.yaml' : 'kyverno/platform.k8s.yaml'));
      noNamespace(guardrailDocs(file!.content));
    }
    const testing = platformWith({});
    noNamespace(Testing.synth(testing).filter((d) => d.kind === 'ClusterPolicy' || d.kind === 'ClusterRole'));
    const outdir = tempOutdir();
    const plain = new App({ outdir });
    new KyvernoGuardrails(platformIn(plain), 'guardrails');
    plain.synth();
    noNamespace(guardrailDocs(fs.readFileSync(path.join(outdir, 'platform.k8s.yaml'), 'utf8')));
  });

  function platformIn(app: App): ZeroTrustPlatform {
    const platform = new ZeroTrustPlatform(app, 'platform', { backends: [Backend.kubernetes()] });
    new TenantBoundary(platform, 'alpha', { namespaces: ['alpha-web'] });
    return platform;
  }
});

describe('output layout', () => {
  function folderApp(): { app: ZeroTrustApp; outdir: string } {
    const outdir = tempOutdir();
    const app = new ZeroTrustApp({ outdir, layout: OutputLayout.FOLDER_PER_BACKEND });
    const platform = new ZeroTrustPlatform(app, 'platform', { backends: [Backend.kubernetes()] });
    new TenantBoundary(platform, 'alpha', { namespaces: ['alpha-web'] });
    new KyvernoGuardrails(platform, 'guardrails');
    return { app, outdir };
  }

  test('FOLDER_PER_BACKEND: a kyverno/ folder of its own, with its kustomization; platform/ keeps the Namespaces alone', () => {
    const files = new Map(folderApp().app.synthFiles().map((f) => [f.fileName, f.content]));
    expect([...files.keys()].filter((f) => f !== 'zt-inventory.txt')).toEqual([
      'kubernetes/alpha-web.k8s.yaml',
      'kubernetes/kustomization.yaml',
      'kustomization.yaml',
      'kyverno/kustomization.yaml',
      'kyverno/platform.k8s.yaml',
      'platform/kustomization.yaml',
      'platform/platform.k8s.yaml',
      'targets/kubernetes/kustomization.yaml',
    ]);
    expect(files.get('kyverno/kustomization.yaml')).toBe('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - platform.k8s.yaml\n');
    // Applied after a target, once Kyverno is installed (docs/gitops.md): in no target, and not at the top.
    expect(files.get('kustomization.yaml')).not.toContain('kyverno');
    expect(files.get('targets/kubernetes/kustomization.yaml')).toBe('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../platform\n  - ../../kubernetes\n');
    expect(parseDocs(files.get('platform/platform.k8s.yaml')!).map((d: Manifest) => d.kind)).toEqual(['Namespace']);
    expect(parseDocs(files.get('kyverno/platform.k8s.yaml')!).map((d: Manifest) => d.kind)).toEqual(['ClusterRole', 'ClusterPolicy', 'ClusterPolicy']);
  });

  test('a backend whose id is the engine\'s folder is refused, not overwritten', () => {
    const app = new ZeroTrustApp({ outdir: tempOutdir(), layout: OutputLayout.FOLDER_PER_BACKEND });
    const platform = new ZeroTrustPlatform(app, 'platform', {
      backends: [Backend.kubernetes(), Backend.custom({ id: 'kyverno', render: () => ({ manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }], issues: [] }) })],
    });
    new KyvernoGuardrails(platform, 'guardrails');
    expect(() => app.synthFiles()).toThrow(/would both be written to kyverno\/platform\.k8s\.yaml/);
  });

  const kubectl = (() => {
    try {
      execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!kubectl) console.warn('kubectl is not on PATH: `kubectl kustomize` of the kyverno/ folder is skipped');
  (kubectl ? test : test.skip)('kubectl kustomize builds the kyverno/ folder', () => {
    const { app, outdir } = folderApp();
    app.synth();
    const built = parseDocs(execFileSync('kubectl', ['kustomize', path.join(outdir, 'kyverno')], { encoding: 'utf8' }));
    expect(built.map((d: Manifest) => `${d.kind} ${d.metadata.name}`).sort()).toEqual([
      'ClusterPolicy zero-trust-namespace-isolation',
      'ClusterPolicy zero-trust-namespace-labels',
      'ClusterRole zero-trust-kyverno-networkpolicies',
    ]);
  });

  test('deterministic: the declaration order of namespaces and guardrails does not change a byte', () => {
    const build = (guardrailsFirst: boolean, names: readonly string[]): string => {
      const app = new ZeroTrustApp({ outdir: tempOutdir() });
      const platform = new ZeroTrustPlatform(app, 'platform', { backends: [Backend.kubernetes()] });
      if (guardrailsFirst) new KyvernoGuardrails(platform, 'guardrails', { systemNamespaces: ['kube-system', 'default'] });
      for (const name of names) new ZeroTrustNamespace(platform, name, { name });
      if (!guardrailsFirst) new KyvernoGuardrails(platform, 'guardrails', { systemNamespaces: ['kube-system', 'default'] });
      return app.synthFiles().find((f) => f.fileName === 'platform.k8s.yaml')!.content;
    };
    const a = build(true, ['web', 'api', 'db']);
    expect(build(false, ['db', 'web', 'api'])).toBe(a);
    expect(a).toContain('kind: ClusterPolicy');
  });
});

describe('bad props fail synthesis with the construct path, the field and the fix', () => {
  test('MATCH with a managed namespace listed as a system namespace', () => {
    const issues = issuesOf(platformWith({ managedNamespaces: ManagedNamespaces.MATCH, systemNamespaces: ['kube-system', 'monitoring'] }));
    expect(issues).toEqual([{
      path: 'platform/guardrails',
      field: 'systemNamespaces[1]',
      message: "namespace 'monitoring' is excluded here, but the platform manages it (platform/monitoring) and managedNamespaces is MATCH, so the guardrails must isolate it too",
      fix: "remove 'monitoring' from systemNamespaces, or use ManagedNamespaces.EXCLUDE (the platform's own policies isolate it)",
    }]);
    // With EXCLUDE the same list is fine: the managed namespace is excluded either way.
    expect(platformWith({ systemNamespaces: ['kube-system', 'monitoring'] }).validateIntent()).toEqual([]);
  });

  test('MATCH when the platform manages the Kyverno namespace', () => {
    const issues = issuesOf(platformWith({ managedNamespaces: ManagedNamespaces.MATCH, kyvernoNamespace: 'monitoring' }));
    expect(issues.map((i) => `${i.path} ${i.field}`)).toEqual(['platform/guardrails kyvernoNamespace']);
    expect(issues[0].fix).toMatch(/ManagedNamespaces\.EXCLUDE/);
  });

  test('invalid and duplicate names, a bad Kyverno namespace and a prefix too long for Kyverno', () => {
    const issues = issuesOf(platformWith({ systemNamespaces: ['kube-system', 'Kube_Public', 'kube-*', 'kube-system'], kyvernoNamespace: '', namePrefix: 'p'.repeat(50) }));
    expect(issues.map((i) => i.field)).toEqual(['kyvernoNamespace', 'namePrefix', 'systemNamespaces[1]', 'systemNamespaces[2]', 'systemNamespaces[3]']);
    expect(issues.every((i) => i.path === 'platform/guardrails' && i.fix.length > 0)).toBe(true);
    expect(issues[1].message).toMatch(/at most 63|too long|63/);
    expect(issues[3].fix).toMatch(/wildcards are not accepted/);
  });

  test('values only JavaScript callers can pass', () => {
    const issues = issuesOf(platformWith({
      managedNamespaces: 'everything' as unknown as ManagedNamespaces,
      validationFailureAction: 'enforce' as unknown as ValidationFailureAction,
    }));
    expect(issues.map((i) => `${i.field}: ${i.fix}`)).toEqual([
      'managedNamespaces: use ManagedNamespaces.EXCLUDE or ManagedNamespaces.MATCH',
      'validationFailureAction: use ValidationFailureAction.AUDIT or ValidationFailureAction.ENFORCE',
    ]);
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backends: [Backend.kubernetes()] });
    expect(() => new KyvernoGuardrails(platform, 'g', { systemNamespaces: 'kube-system' as unknown as string[] })).toThrow(
      "[platform/g] systemNamespaces: 'kube-system' is not a list. Fix: pass an array, e.g. systemNamespaces: ['kube-system']",
    );
  });

  test('two guardrails on one platform', () => {
    const platform = platformWith({});
    new KyvernoGuardrails(platform, 'more');
    expect(issuesOf(platform)).toEqual([{
      path: 'platform/more',
      field: 'scope',
      message: 'the platform already has kyverno guardrails (platform/guardrails); two would emit the same cluster-wide policies',
      fix: 'declare one set of kyverno guardrails per platform, and configure it through its props',
    }]);
  });

  test('two platforms of one app whose guardrails would share cluster-wide names', () => {
    const app = new ZeroTrustApp({ outdir: tempOutdir() });
    const a = new ZeroTrustPlatform(app, 'a', { backends: [Backend.kubernetes()] });
    const b = new ZeroTrustPlatform(app, 'b', { backends: [Backend.kubernetes()] });
    new KyvernoGuardrails(a, 'guardrails');
    new KyvernoGuardrails(b, 'guardrails');
    expect(a.validateIntent()).toEqual([]);
    expect(b.validateIntent().map((i) => `${i.path} ${i.field}`)).toEqual(['b/guardrails namePrefix']);
    expect(() => app.synthFiles()).toThrow(/\[b\/guardrails\] namePrefix: the guardrails a\/guardrails use the prefix 'zero-trust' too/);
    const c = new ZeroTrustPlatform(new ZeroTrustApp({ outdir: tempOutdir() }), 'c', { backends: [Backend.kubernetes()] });
    new KyvernoGuardrails(c, 'guardrails', { namePrefix: 'zero-trust' });
    expect(c.validateIntent()).toEqual([]);
  });

  test('the guardrails are reported with the platform\'s other issues, and nothing is written', () => {
    const { app, platform, outdir } = newTestApp();
    new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    new KyvernoGuardrails(platform, 'guardrails', { managedNamespaces: ManagedNamespaces.MATCH, systemNamespaces: ['web'] });
    expect(() => app.synth()).toThrow(/\[platform\/guardrails\] systemNamespaces\[0\]: namespace 'web' is excluded here/);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});

describeWithSchemas('validated against the Kyverno and NetworkPolicy schemas in ../shared/schemas', (validator) => {
  const variants: readonly [string, KyvernoGuardrailsProps, Partial<ZeroTrustPlatformProps>][] = [
    ['the defaults', {}, {}],
    ['MATCH, Enforce, generateExisting, no DNS', { managedNamespaces: ManagedNamespaces.MATCH, validationFailureAction: ValidationFailureAction.ENFORCE, generateExisting: true, allowDns: false }, {}],
    ['NodeLocal DNS', {}, { dns: { nodeLocal: '169.254.20.10' } }],
  ];

  test.each(variants)('%s: every ClusterPolicy is valid', (_label, props, platformProps) => {
    const policies = guardrailObjects(platformWith(props, platformProps)).filter((m) => m.kind === 'ClusterPolicy');
    expect(policies.length).toBe(2);
    for (const policy of policies) expect(validator.validate(policy)).toEqual([]);
  });

  test.each(variants)('%s: each generated NetworkPolicy, in a namespace, is valid', (_label, props, platformProps) => {
    const isolation = clusterPolicy(platformWith(props, platformProps), 'zero-trust-namespace-isolation');
    for (const r of isolation.spec.rules) {
      const generated = { apiVersion: r.generate!.apiVersion, kind: r.generate!.kind, metadata: { name: r.generate!.name, namespace: 'new-namespace' }, spec: r.generate!.data.spec };
      expect(validator.validate(generated)).toEqual([]);
    }
  });

  test('the strict schema catches a misspelt or misplaced field, so a pass means something', () => {
    const policy = clusterPolicy(platformWith({}), 'zero-trust-namespace-isolation');
    const misspelt = JSON.parse(JSON.stringify(policy));
    misspelt.spec.rules[0].generate.synchronise = true;
    expect(validator.validate(misspelt)).toEqual(['ClusterPolicy zero-trust-namespace-isolation: /spec/rules/0/generate: unknown field "synchronise"']);
    const wrongAction = JSON.parse(JSON.stringify(clusterPolicy(platformWith({}), 'zero-trust-namespace-labels')));
    wrongAction.spec.rules[0].validate.failureAction = 'enforce';
    expect(validator.validate(wrongAction)).toEqual([expect.stringContaining('/spec/rules/0/validate/failureAction: must be equal to one of the allowed values')]);
  });

  test('the schema file in use is the datree copy of Kyverno\'s CRD', () => {
    expect(validator.schemaFile('kyverno.io/v1', 'ClusterPolicy')).toBe(path.join(schemasDir(), 'datreeio/kyverno.io/clusterpolicy_v1.json'));
    // A rule without `match` is refused by the schema (rules require name and match).
    expect(validateAgainstFile(path.join(schemasDir(), 'datreeio/kyverno.io/clusterpolicy_v1.json'), { spec: { rules: [{ name: 'r' }] } }))
      .toEqual([expect.stringContaining("must have required property 'match'")]);
  });
});
