/**
 * The support table is the one source of which intent each built-in backend can express: every "no"
 * cell must fail synthesis with the table's own words (construct path, feature, fix), and declaring
 * that the target omits the feature must remove the intent instead, never widen it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import {
  Backend,
  BuiltInBackend,
  Feature,
  HttpMethod,
  MeshStrictMtls,
  Peer,
  Port,
  SUPPORT_TABLE,
  supportTableMarkdown,
  ZeroTrustNamespace,
  ZeroTrustPlatform,
  ZeroTrustPlatformProps,
} from '../../src';
import { FEATURES } from '../../src/model/features';

/** A program that uses one feature, and where the issue about it must point. */
interface FeatureProgram {
  readonly props?: Partial<ZeroTrustPlatformProps>;
  readonly declare: (platform: ZeroTrustPlatform) => void;
  readonly path: string;
  readonly field: string;
}

function web(platform: ZeroTrustPlatform) {
  const ns = new ZeroTrustNamespace(platform, 'web', { name: 'web' });
  return {
    api: ns.workload('api', { labels: { app: 'api' }, serviceAccount: 'api' }),
    db: ns.workload('db', { labels: { app: 'db' } }),
  };
}

const PROGRAMS: Record<string, FeatureProgram> = {
  [Feature.FQDN]: { declare: (p) => web(p).api.allowTo(Peer.fqdn('api.github.com'), Port.tcp(443)), path: 'platform/web/api', field: 'allowTo(#1)' },
  [Feature.HTTP]: {
    declare: (p) => {
      const { api, db } = web(p);
      api.allowTo(db, Port.tcp(8080).http({ methods: [HttpMethod.GET] }));
    },
    path: 'platform/web/api',
    field: 'allowTo(#1)',
  },
  [Feature.KUBE_APISERVER]: { declare: (p) => web(p).api.allowTo(Peer.kubeApiserver(), Port.tcp(443)), path: 'platform/web/api', field: 'allowTo(#1)' },
  [Feature.NODES]: { declare: (p) => web(p).api.allowFrom(Peer.localNode(), Port.tcp(10254)), path: 'platform/web/api', field: 'allowFrom(#1)' },
  [Feature.WORLD]: { declare: (p) => web(p).api.allowTo(Peer.world(), Port.tcp(443)), path: 'platform/web/api', field: 'allowTo(#1)' },
  [Feature.CLUSTER]: { declare: (p) => web(p).api.allowFrom(Peer.cluster(), Port.tcp(8080)), path: 'platform/web/api', field: 'allowFrom(#1)' },
  [Feature.NODE_LOCAL_DNS]: { props: { dns: { nodeLocal: '169.254.20.10' } }, declare: (p) => web(p), path: 'platform', field: 'dns.nodeLocal' },
  [Feature.SERVICE_ACCOUNT]: {
    declare: (p) => {
      const { api, db } = web(p);
      db.allowFrom(api.byServiceAccount(), Port.tcp(5432));
    },
    path: 'platform/web/db',
    field: 'allowFrom(#1)',
  },
  [Feature.DENY]: {
    declare: (p) => {
      web(p);
      p.denyEgress('no-metadata', Peer.cidr('169.254.169.254/32'));
    },
    path: 'platform/no-metadata',
    field: 'denyEgress',
  },
  [Feature.CLUSTER_WIDE]: {
    declare: (p) => {
      web(p);
      p.denyEgress('no-metadata', Peer.cidr('169.254.169.254/32'), { clusterWide: true });
    },
    path: 'platform/no-metadata',
    field: 'denyEgress.clusterWide',
  },
  [Feature.CIDR]: { declare: (p) => web(p).api.allowTo(Peer.cidr('203.0.113.0/24'), Port.tcp(443)), path: 'platform/web/api', field: 'allowTo(#1)' },
};

/**
 * The mesh governs what workloads receive: its "no" cells are about callers, so its programs use
 * the feature as a caller (the egress programs above are not the mesh's part, and synthesize).
 */
const ISTIO_PROGRAMS: Partial<Record<string, FeatureProgram>> = {
  [Feature.KUBE_APISERVER]: { declare: (p) => web(p).api.allowFrom(Peer.kubeApiserver(), Port.tcp(8080)), path: 'platform/web/api', field: 'allowFrom(#1)' },
  [Feature.WORLD]: { declare: (p) => web(p).api.allowFrom(Peer.world(), Port.tcp(8080)), path: 'platform/web/api', field: 'allowFrom(#1)' },
  [Feature.CIDR]: { declare: (p) => web(p).api.allowFrom(Peer.cidr('203.0.113.0/24'), Port.tcp(8080)), path: 'platform/web/api', field: 'allowFrom(#1)' },
};

function programFor(backend: BuiltInBackend, feature: Feature): FeatureProgram {
  return (backend === 'istio' ? ISTIO_PROGRAMS[feature] : undefined) ?? PROGRAMS[feature];
}

function platformWith(backend: Backend, program: FeatureProgram): ZeroTrustPlatform {
  const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backend, ...program.props });
  if (backend.id === 'istio') new MeshStrictMtls(platform, 'mesh');
  program.declare(platform);
  return platform;
}

const BACKENDS: Record<BuiltInBackend, (omit?: Feature[]) => Backend> = {
  kubernetes: (omit) => Backend.kubernetes({ omit }),
  cilium: (omit) => Backend.cilium({ omit }),
  calico: (omit) => Backend.calico({ omit }),
  istio: (omit) => Backend.istio({ omit }),
};

const cells = SUPPORT_TABLE.flatMap((row) =>
  (Object.keys(row.support) as BuiltInBackend[]).map((backend) => ({ row, backend, support: row.support[backend] })),
);
const noCells = cells.filter((c) => !c.support.supported && c.row.feature !== undefined);

describe('the support table', () => {
  test('every feature has exactly one row, and every row without a feature is supported everywhere', () => {
    for (const feature of FEATURES) expect(SUPPORT_TABLE.filter((r) => r.feature === feature)).toHaveLength(1);
    for (const row of SUPPORT_TABLE.filter((r) => r.feature === undefined)) {
      expect(Object.values(row.support).every((s) => s.supported)).toBe(true);
    }
  });

  test('every feature has a program here that uses it', () => {
    expect(Object.keys(PROGRAMS).sort()).toEqual([...FEATURES].sort());
  });

  test('every "yes" cell of a feature synthesizes its program', () => {
    const yesCells = cells.filter((c) => c.support.supported && c.row.feature !== undefined);
    expect(yesCells.length).toBeGreaterThan(0);
    for (const cell of yesCells) {
      const platform = platformWith(BACKENDS[cell.backend](), programFor(cell.backend, cell.row.feature!));
      expect({ cell: `${cell.backend}/${cell.row.feature}`, issues: platform.validateIntent() }).toEqual({ cell: `${cell.backend}/${cell.row.feature}`, issues: [] });
    }
  });

  test.each(noCells.map((c) => [c.backend, c.row.feature!, c] as const))('%s cannot express %s: synthesis fails with the table\'s words', (backend, feature, cell) => {
    const program = programFor(backend, feature);
    const issues = platformWith(BACKENDS[backend](), program).validateIntent();
    const about = issues.filter((i) => i.path === program.path && i.field === program.field);
    expect(about).toHaveLength(1);
    expect(about[0].message).toContain(`the '${backend}' backend cannot express ${cell.row.name}`);
    if (cell.support.supported) throw new Error('unreachable');
    expect(about[0].message).toContain(cell.support.why);
    expect(about[0].fix).toBe(cell.support.fix);
    expect(() => platformWith(BACKENDS[backend](), program).manifests()).toThrow(cell.row.name);
  });

  test.each(noCells.map((c) => [c.backend, c.row.feature!] as const))('%s told to omit %s: no issue, and nothing of it is emitted', (backend, feature) => {
    const program = programFor(backend, feature);
    const platform = platformWith(BACKENDS[backend]([feature]), program);
    expect(platform.validateIntent()).toEqual([]);
    const manifests = platform.manifests();
    const output = JSON.stringify(manifests);
    expect(output).not.toContain('api.github.com');
    expect(output).not.toContain('10254');
    expect(output).not.toContain('169.254.169.254');
    expect(output).not.toContain('169.254.20.10');
    expect(output).not.toContain('8080');
    expect(output).not.toContain('203.0.113.0');
    // The half of the flow that needs the service account (db's ingress) is gone; api's egress toward
    // db is declared intent of its own, and cannot carry a connection without db's ingress.
    expect(manifests.map((m) => m.metadata.name)).not.toContain('db-ingress');
  });

  test('a Kubernetes "yes" for NodeLocal DNS: an ipBlock of the address beside the DNS pods, on the DNS ports', () => {
    const platform = platformWith(Backend.kubernetes(), PROGRAMS[Feature.NODE_LOCAL_DNS]);
    const dns = platform.manifests().find((m) => m.metadata.name === 'allow-dns-egress') as unknown as { spec: { egress: unknown[] } };
    expect(dns.spec.egress).toEqual([{
      to: [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
        { ipBlock: { cidr: '169.254.20.10/32' } },
      ],
      ports: [{ protocol: 'TCP', port: 53 }, { protocol: 'UDP', port: 53 }],
    }]);
  });

  test('the README table is generated from the same rows', () => {
    const markdown = supportTableMarkdown();
    expect(markdown.split('\n')).toHaveLength(SUPPORT_TABLE.length + 2);
    for (const row of SUPPORT_TABLE) expect(markdown).toContain(`| ${row.intent} |`);
    expect(markdown).toContain('**no**: NetworkPolicy matches addresses, not DNS names');
  });
});

describe('omit lists', () => {
  test('omitting what the backend can express, listing a feature twice, or something else is refused', () => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', {
      backend: Backend.kubernetes({ omit: [Feature.NODE_LOCAL_DNS, Feature.FQDN, Feature.FQDN, 'l7' as Feature] }),
    });
    new ZeroTrustNamespace(platform, 'web', { name: 'web' });
    expect(platform.validateIntent().map((i) => `${i.field}: ${i.message}. Fix: ${i.fix}`)).toEqual([
      "backends[0].omit[0]: backend 'kubernetes' can express 'node-local-dns', so omitting it would drop intent it could keep. Fix: remove 'node-local-dns' from omit",
      "backends[0].omit[2]: 'fqdn' is listed twice. Fix: list each feature once",
      expect.stringContaining("backends[0].omit[3]: 'l7' is not a feature. Fix: use one of Feature.FQDN, Feature.HTTP"),
    ]);
  });

  test('an omitted HTTP port is not emitted at all (never widened to the port without its rules); other ports stay', () => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.kubernetes({ omit: [Feature.HTTP] }) });
    const { api, db } = web(platform);
    api.allowTo(db, Port.tcp(8080).http({ path: '/health' }), Port.tcp(9000));
    const egress = platform.manifests().find((m) => m.metadata.name === 'api-egress') as unknown as { spec: { egress: unknown[] } };
    expect(egress.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } }, podSelector: { matchLabels: { app: 'db' } } }],
      ports: [{ protocol: 'TCP', port: 9000 }],
    }]);
  });

  test('an omitted deny that an allow of the program overlaps is refused: without it the target would allow more', () => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', { backend: Backend.kubernetes({ omit: [Feature.DENY] }) });
    const { api, db } = web(platform);
    api.allowTo(db, Port.all());
    platform.denyEgress('no-db-admin', db, { ports: [Port.tcp(9999)] });
    const issues = platform.validateIntent();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: 'platform/no-db-admin', field: 'denyEgress' });
    expect(issues[0].message).toContain("the target 'kubernetes' omits 'deny', but the flow allowTo(#1) of platform/web/api may carry connections this deny refuses");
    expect(issues[0].fix).toContain('narrow those allows');
  });

  test('a denied address inside an allowed CIDR is excepted from it: omitting the deny then widens nothing', () => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', {
      backend: Backend.kubernetes({ omit: [Feature.DENY] }),
      clusterNetworks: ['10.244.0.0/16'],
    });
    web(platform).api.allowTo(Peer.anyIpv4(), Port.tcp(443));
    platform.denyEgress('no-metadata', Peer.cidr('169.254.169.254/32'));
    expect(platform.validateIntent()).toEqual([]);
    const egress = platform.manifests().find((m) => m.metadata.name === 'api-egress') as unknown as { spec: { egress: unknown[] } };
    expect(egress.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.244.0.0/16', '169.254.169.254/32'] } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
  });

  test('one platform, two targets: the one that omits drops the intent, the other expresses it', () => {
    const platform = new ZeroTrustPlatform(Testing.app(), 'platform', {
      backends: [Backend.kubernetes({ omit: [Feature.FQDN] }), Backend.cilium()],
    });
    web(platform).api.allowTo(Peer.fqdn('api.github.com'), Port.tcp(443));
    expect(platform.validateIntent()).toEqual([]);
    const [kubernetes, cilium] = platform.renderOutput().backends;
    expect(JSON.stringify([...kubernetes.byNamespace.values()])).not.toContain('api.github.com');
    expect(JSON.stringify([...cilium.byNamespace.values()])).toContain('{"toFQDNs":[{"matchName":"api.github.com"}]');
  });
});

describe('docs/intents.md', () => {
  test('holds the support table exactly as the code generates it', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'intents.md'), 'utf8');
    expect(doc).toContain(supportTableMarkdown());
  });
});
