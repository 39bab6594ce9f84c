/**
 * `zt diff` on the 1,000-tenant example: one flow closed (one NetworkPolicy's port changed). The change touches
 * one endpoint, so the diff should answer in about the time of one analysis of the platform, not of two.
 */
import { computeConnectivity } from '../src';
import { scaledPlatformInventory } from './analysis';
import { diffConnectivity } from '../src/analysis/diff';

export interface DiffRun {
  readonly endpoints: number;
  readonly comparedEndpoints: number;
  readonly opened: number;
  readonly closed: number;
  /** The diff of the one-flow change. */
  readonly seconds: number;
  readonly peakRssMb: number;
}

/** One analysis of the base (every verdict counted, as `zt analyze --summary` does), in a child of its own. */
export interface BaseAnalysisRun {
  readonly seconds: number;
  readonly peakRssMb: number;
}

type Obj = Record<string, unknown>;

/** The base with the first ingress port of the first policy that has one moved by one: a one-flow change. */
function closeOneFlow(objects: readonly unknown[]): unknown[] {
  const head = structuredClone(objects) as Obj[];
  for (const object of head) {
    if (object.kind !== 'NetworkPolicy') continue;
    const ingress = ((object.spec as Obj).ingress ?? []) as Obj[];
    const ports = (ingress[0]?.ports ?? []) as Obj[];
    if (ports.length > 0 && typeof ports[0].port === 'number') {
      ports[0].port = (ports[0].port as number) + 1;
      return head;
    }
  }
  throw new Error('bench: no NetworkPolicy with an ingress port to change');
}

export async function runDiff(tenants: number): Promise<DiffRun> {
  const base = scaledPlatformInventory(tenants);
  const head = closeOneFlow(base);
  global.gc?.();
  const start = process.hrtime.bigint();
  const diff = diffConnectivity(base, head);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    endpoints: diff.scope.endpoints,
    comparedEndpoints: diff.scope.comparedEndpoints,
    opened: diff.opened.length,
    closed: diff.closed.length,
    seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

export async function runBaseAnalysis(tenants: number): Promise<BaseAnalysisRun> {
  const base = scaledPlatformInventory(tenants);
  global.gc?.();
  const start = process.hrtime.bigint();
  computeConnectivity(base).summary();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}
