/**
 * The output does not depend on the order of declarations: the same platform declared with its
 * tenants, namespaces, workloads and flows in another order writes the same files, byte for byte.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import {
  Backend,
  ExternalNamespace,
  OutputLayout,
  Peer,
  Port,
  TenantBoundary,
  ZeroTrustApp,
  ZeroTrustNamespace,
  ZeroTrustPlatform,
} from '../../src';
import { removeTempDirs, tempOutdir } from '../constructs/support';

afterAll(removeTempDirs);

/** A platform as data, so that it can be declared in any order. */
interface PlatformSpec {
  readonly tenants: readonly { readonly name: string; readonly namespaces: readonly string[] }[];
  /** Namespaces outside any tenant. */
  readonly shared: readonly string[];
  readonly workloads: readonly { readonly namespace: string; readonly name: string }[];
  readonly flows: readonly FlowSpec[];
}

type FlowSpec =
  | { readonly kind: 'to-workload'; readonly from: string; readonly to: string; readonly port: number }
  | { readonly kind: 'from-workload'; readonly to: string; readonly from: string; readonly port: number }
  | { readonly kind: 'to-cidr'; readonly from: string; readonly cidr: string; readonly port: number }
  | { readonly kind: 'from-ingress'; readonly to: string; readonly port: number }
  | { readonly kind: 'to-tenant'; readonly from: string; readonly tenant: string; readonly port: number };

/** Workload keys are `namespace/name`. */
const SPEC: PlatformSpec = {
  tenants: [
    { name: 'alpha', namespaces: ['alpha-web', 'alpha-data'] },
    { name: 'beta', namespaces: ['beta-web', 'beta-data'] },
    { name: 'gamma', namespaces: ['gamma-app'] },
  ],
  shared: ['monitoring', 'logging'],
  workloads: [
    { namespace: 'alpha-web', name: 'frontend' },
    { namespace: 'alpha-web', name: 'backend' },
    { namespace: 'alpha-data', name: 'database' },
    { namespace: 'alpha-data', name: 'cache' },
    { namespace: 'beta-web', name: 'frontend' },
    { namespace: 'beta-web', name: 'backend' },
    { namespace: 'beta-data', name: 'database' },
    { namespace: 'gamma-app', name: 'api' },
    { namespace: 'gamma-app', name: 'worker' },
    { namespace: 'monitoring', name: 'prometheus' },
    { namespace: 'logging', name: 'collector' },
  ],
  flows: [
    { kind: 'from-ingress', to: 'alpha-web/frontend', port: 443 },
    { kind: 'from-ingress', to: 'beta-web/frontend', port: 443 },
    { kind: 'from-ingress', to: 'alpha-web/frontend', port: 80 },
    { kind: 'to-workload', from: 'alpha-web/frontend', to: 'alpha-web/backend', port: 8080 },
    { kind: 'to-workload', from: 'alpha-web/backend', to: 'alpha-data/database', port: 5432 },
    { kind: 'from-workload', to: 'alpha-data/cache', from: 'alpha-web/backend', port: 6379 },
    { kind: 'to-workload', from: 'beta-web/frontend', to: 'beta-web/backend', port: 8080 },
    { kind: 'to-workload', from: 'beta-web/backend', to: 'beta-data/database', port: 5432 },
    { kind: 'to-workload', from: 'gamma-app/api', to: 'gamma-app/worker', port: 9000 },
    { kind: 'to-cidr', from: 'alpha-web/backend', cidr: '203.0.113.0/24', port: 443 },
    { kind: 'to-cidr', from: 'gamma-app/worker', cidr: '198.51.100.0/24', port: 443 },
    { kind: 'to-cidr', from: 'gamma-app/worker', cidr: '192.0.2.0/24', port: 8443 },
    { kind: 'to-tenant', from: 'monitoring/prometheus', tenant: 'alpha', port: 9090 },
    { kind: 'to-tenant', from: 'monitoring/prometheus', tenant: 'beta', port: 9090 },
    { kind: 'to-tenant', from: 'monitoring/prometheus', tenant: 'gamma', port: 9090 },
    { kind: 'to-workload', from: 'alpha-web/frontend', to: 'logging/collector', port: 24224 },
    { kind: 'to-workload', from: 'beta-web/frontend', to: 'logging/collector', port: 24224 },
  ],
};

/** Where each list is permuted: `order[i]` is the position, in the declaration, of element i. */
interface DeclarationOrder {
  readonly tenants: readonly number[];
  readonly tenantNamespaces: readonly (readonly number[])[];
  readonly shared: readonly number[];
  readonly workloads: readonly number[];
  readonly flows: readonly number[];
  /** Shared namespaces declared before the tenants, or after. */
  readonly sharedFirst: boolean;
}

function permute<T>(items: readonly T[], order: readonly number[]): T[] {
  return order.map((i) => items[i]);
}

function reversed(n: number): number[] {
  return [...Array(n).keys()].reverse();
}

function identity(n: number): number[] {
  return [...Array(n).keys()];
}

const DECLARED: DeclarationOrder = {
  tenants: identity(SPEC.tenants.length),
  tenantNamespaces: SPEC.tenants.map((t) => identity(t.namespaces.length)),
  shared: identity(SPEC.shared.length),
  workloads: identity(SPEC.workloads.length),
  flows: identity(SPEC.flows.length),
  sharedFirst: true,
};

const REVERSED: DeclarationOrder = {
  tenants: reversed(SPEC.tenants.length),
  tenantNamespaces: SPEC.tenants.map((t) => reversed(t.namespaces.length)),
  shared: reversed(SPEC.shared.length),
  workloads: reversed(SPEC.workloads.length),
  flows: reversed(SPEC.flows.length),
  sharedFirst: false,
};

/** Declares SPEC in the given order into a new ZeroTrustApp writing to a fresh directory. */
function declare(order: DeclarationOrder, layout: OutputLayout = OutputLayout.FLAT): ZeroTrustApp {
  const app = new ZeroTrustApp({ outdir: tempOutdir(), layout });
  const platform = new ZeroTrustPlatform(app, 'platform', { backends: [Backend.KUBERNETES] });
  const ingress = new ExternalNamespace(platform, 'ingress-nginx').pods({ labels: { 'app.kubernetes.io/name': 'ingress-nginx' } });
  const namespaces = new Map<string, ZeroTrustNamespace>();
  const tenants = new Map<string, TenantBoundary>();
  const declareShared = () => {
    for (const name of permute(SPEC.shared, order.shared)) namespaces.set(name, new ZeroTrustNamespace(platform, name, { name }));
  };
  if (order.sharedFirst) declareShared();
  for (const i of order.tenants) {
    const spec = SPEC.tenants[i];
    const tenant = new TenantBoundary(platform, spec.name, { namespaces: permute(spec.namespaces, order.tenantNamespaces[i]) });
    tenants.set(spec.name, tenant);
    for (const ns of tenant.namespaces) namespaces.set(ns.name, ns);
  }
  if (!order.sharedFirst) declareShared();
  const workloads = new Map(
    permute(SPEC.workloads, order.workloads).map((w) => [
      `${w.namespace}/${w.name}`,
      namespaces.get(w.namespace)!.workload(w.name, { labels: { app: w.name } }),
    ]),
  );
  const workload = (key: string) => workloads.get(key)!;
  for (const flow of permute(SPEC.flows, order.flows)) {
    const port = Port.tcp(flow.port);
    switch (flow.kind) {
      case 'to-workload': workload(flow.from).allowTo(workload(flow.to), port); break;
      case 'from-workload': workload(flow.to).allowFrom(workload(flow.from), port); break;
      case 'to-cidr': workload(flow.from).allowTo(Peer.cidr(flow.cidr), port); break;
      case 'from-ingress': workload(flow.to).allowFrom(ingress, port); break;
      case 'to-tenant': workload(flow.from).allowTo(tenants.get(flow.tenant)!, port); break;
    }
  }
  return app;
}

/** Every file under `dir` (hidden ones too), relative path → content. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
  }
  return files;
}

function written(order: DeclarationOrder, layout: OutputLayout = OutputLayout.FLAT): Record<string, string> {
  const app = declare(order, layout);
  app.synth();
  return tree(app.outdir);
}

describe('declaration order', () => {
  test.each([OutputLayout.FLAT, OutputLayout.FOLDER_PER_BACKEND])('reversed declarations write the same files, byte for byte (%s)', (layout) => {
    const expected = written(DECLARED, layout);
    expect(Object.keys(expected).length).toBeGreaterThan(SPEC.tenants.length);
    expect(written(REVERSED, layout)).toEqual(expected);
  });

  test('synthFiles() lists the files in the same order, sorted by name', () => {
    const names = declare(DECLARED).synthFiles().map((f) => f.fileName);
    expect(names).toEqual([...names].sort());
    expect(declare(REVERSED).synthFiles()).toEqual(declare(DECLARED).synthFiles());
  });

  test('property: any permutation of tenants, namespaces, workloads and flows writes the same bytes', () => {
    const expected = declare(DECLARED).synthFiles();
    const perm = (n: number) => fc.shuffledSubarray(identity(n), { minLength: n, maxLength: n });
    const orders = fc.record({
      tenants: perm(SPEC.tenants.length),
      tenantNamespaces: fc.tuple(...SPEC.tenants.map((t) => perm(t.namespaces.length))),
      shared: perm(SPEC.shared.length),
      workloads: perm(SPEC.workloads.length),
      flows: perm(SPEC.flows.length),
      sharedFirst: fc.boolean(),
    });
    fc.assert(
      fc.property(orders, (order) => {
        expect(declare(order).synthFiles()).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});
