/**
 * Manual scale check (not a jest test: timings depend on the machine).
 *
 *   npx ts-node --transpile-only test/analysis/scale-check.ts [namespaces=1000] [podsPerNamespace=10]
 *
 * Prints the time of computeConnectivity and summary() on the synthetic inventory, and the peak RSS.
 */
import { syntheticInventory } from '../../bench/synthetic-inventory';
import { computeConnectivity } from '../../src/analysis';

function main(): void {
  const namespaces = Number(process.argv[2] ?? 1000);
  const podsPerNamespace = Number(process.argv[3] ?? 10);
  const started = process.hrtime.bigint();
  const objects = syntheticInventory(namespaces, podsPerNamespace);
  const generated = process.hrtime.bigint();
  const connectivity = computeConnectivity(objects, { externals: { 'internet': '93.184.216.34', 'intranet-host': '10.200.0.1' } });
  const computed = process.hrtime.bigint();
  const summary = connectivity.summary();
  const summarized = process.hrtime.bigint();
  const ms = (from: bigint, to: bigint): number => Number((to - from) / 1_000_000n);
  console.log(JSON.stringify({
    namespaces,
    podsPerNamespace,
    objects: objects.length,
    endpoints: summary.endpoints,
    probePorts: summary.ports,
    evaluated: summary.evaluated,
    allowed: summary.allowed,
    namespacePairs: summary.namespacePairs.length,
    generateMs: ms(started, generated),
    computeConnectivityMs: ms(generated, computed),
    summaryMs: ms(computed, summarized),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }, null, 2));
}

main();
