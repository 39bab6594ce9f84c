import { computeConnectivity, explain, ZeroTrustApp } from '../src';
import { syntheticCalicoInventory } from './synthetic-calico';
import { syntheticCiliumInventory } from './synthetic-cilium';
import { syntheticInventory } from './synthetic-inventory';
import { buildScaledPlatform, SCALED_TENANT_WORKLOADS, scaledTenantName } from '../examples/scaled-platform';

/** Figures of one full connectivity computation. */
export interface AnalysisRun {
  readonly objects: number;
  readonly endpoints: number;
  readonly policies: number;
  /** Ordered endpoint pairs × probed ports. */
  readonly evaluated: number;
  readonly allowed: number;
  /** Inventory, policy index and every verdict counted per namespace pair. */
  readonly seconds: number;
  readonly peakRssMb: number;
}

export interface ExplainRun {
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly allowed: boolean;
}

/** Deployments for every workload of the scaled example, so that its policies govern real pods. */
export function scaledPlatformPods(tenants: number): unknown[] {
  const pods: unknown[] = [];
  const deployment = (namespace: string, name: string, labels: Record<string, string>, ports: number[]) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name, image: name, ports: ports.map((containerPort) => ({ containerPort })) }] } },
    },
  });
  for (let i = 1; i <= tenants; i++) {
    const tenant = scaledTenantName(i);
    for (const [suffix, name, port] of SCALED_TENANT_WORKLOADS) pods.push(deployment(`${tenant}-${suffix}`, name, { app: name }, [port, 9090]));
  }
  pods.push(deployment('monitoring', 'prometheus', { 'app.kubernetes.io/name': 'prometheus' }, [9090]));
  return pods;
}

/**
 * A benchmark input: the analyzer's synthetic inventory, the same with every NetworkPolicy translated into a
 * CiliumNetworkPolicy (evaluated under `cni: 'cilium'`) or a Calico NetworkPolicy (under `cni: 'calico'`), or our
 * scaled platform plus its pods.
 */
export type AnalysisInput = 'synthetic' | 'synthetic-cilium' | 'synthetic-calico' | 'platform';

/** The analyzer options of an input: the CNI whose policies it holds. */
function optionsOf(input: AnalysisInput): { cni?: 'cilium' | 'calico' } {
  if (input === 'synthetic-cilium') return { cni: 'cilium' };
  if (input === 'synthetic-calico') return { cni: 'calico' };
  return {};
}

/**
 * The inventory of one benchmark input. Building the scaled platform leaves its app (constructs, model,
 * rendering) behind as garbage; it is collected here (the children run with --expose-gc), so that the peak is
 * the analyzer's own. Left to V8, that garbage outlives the analysis or not depending on where the last full
 * collection happens to fall, which moved the peak by some 50 MB between two versions whose analyzers need
 * nearly the same memory.
 */
function inventory(input: AnalysisInput, size: number): unknown[] {
  if (input === 'synthetic') return syntheticInventory(size, 10);
  if (input === 'synthetic-cilium') return syntheticCiliumInventory(size, 10);
  if (input === 'synthetic-calico') return syntheticCalicoInventory(size, 10);
  const objects = scaledPlatformInventory(size);
  global.gc?.();
  return objects;
}

/** In a function of its own, so that no frame still holds the app when `inventory` collects it. */
export function scaledPlatformInventory(size: number): unknown[] {
  const app = new ZeroTrustApp();
  return [...buildScaledPlatform(app, size).manifests(), ...scaledPlatformPods(size)];
}

function countKinds(objects: readonly unknown[], kind: string): number {
  return objects.filter((o) => (o as { kind?: unknown }).kind === kind).length;
}

/**
 * Every verdict of the input, counted per namespace pair (the `--summary` computation). The input is
 * built before the clock starts: only the analyzer is timed. Run it in a fresh child (measure.ts).
 */
export async function runAnalysis(input: AnalysisInput, size: number): Promise<AnalysisRun> {
  const objects = inventory(input, size);
  const start = process.hrtime.bigint();
  const connectivity = computeConnectivity(objects, optionsOf(input));
  const summary = connectivity.summary();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    objects: objects.length,
    endpoints: summary.endpoints,
    // Kubernetes and Calico NetworkPolicies share the kind.
    policies: countKinds(objects, 'NetworkPolicy') + countKinds(objects, 'CiliumNetworkPolicy'),
    evaluated: summary.evaluated,
    allowed: summary.allowed,
    seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/** One `explain` on the same input: what a reviewer waits for when asking about a single connection. */
export async function runExplain(input: AnalysisInput, size: number): Promise<ExplainRun> {
  const objects = inventory(input, size);
  const query =
    input !== 'platform'
      ? { from: 'ns-0001/web-0', to: 'ns-0002/api-1', port: 8080 }
      : { from: `${scaledTenantName(1)}-web/frontend`, to: `${scaledTenantName(1)}-web/backend`, port: 8080 };
  const start = process.hrtime.bigint();
  const explanation = explain(objects, query, optionsOf(input));
  return {
    seconds: Number(process.hrtime.bigint() - start) / 1e9,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    allowed: explanation.allowed,
  };
}
