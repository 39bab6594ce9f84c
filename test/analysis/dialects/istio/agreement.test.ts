/**
 * The set form (`probeSets`, used by `zt analyze --summary`) agrees with the per-connection decision for every
 * pair, on random mixes of PeerAuthentications and AuthorizationPolicies; and through the fold, the summary
 * counts exactly the allowed connections of the full report.
 */
import { ap, Manifest, MESH, pa, pod } from './support';
import { compileConnectivity, peerEffect, readInput, universeCluster } from '../../../../src/analysis/connectivity';
import { EndpointUniverse } from '../../../../src/analysis/core/endpoint-universe';
import { DirectionQuery } from '../../../../src/analysis/dialect';
import { istioMesh } from '../../../../src/analysis/dialects/istio';
import { kubernetesNetworkPolicy } from '../../../../src/analysis/dialects/kubernetes';

const POOL: readonly Manifest[] = [
  pa('istio-system/default', { mtls: { mode: 'STRICT' } }),
  pa('shop/default', { mtls: { mode: 'PERMISSIVE' } }),
  pa('shop/web', { selector: { matchLabels: { app: 'web' } }, mtls: { mode: 'DISABLE' }, portLevelMtls: { 8080: { mode: 'STRICT' } } }),
  pa('legacy/opted', { selector: { matchLabels: { app: 'opted' } }, mtls: { mode: 'STRICT' } }),
  ap('shop/allow-nothing', {}),
  ap('shop/api-to-web', { selector: { matchLabels: { app: 'web' } }, rules: [{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/api'] } }], to: [{ operation: { ports: ['8080'] } }] }] }),
  ap('shop/from-legacy', { rules: [{ from: [{ source: { notNamespaces: ['shop'] } }] }] }),
  ap('shop/deny-plaintext', { action: 'DENY', rules: [{ from: [{ source: { notPrincipals: ['*'] } }], to: [{ operation: { ports: ['5432'] } }] }] }),
  ap('shop/ip', { selector: { matchLabels: { app: 'db' } }, rules: [{ from: [{ source: { ipBlocks: ['10.0.1.0/24'] } }] }] }),
  ap('shop/get-only', { selector: { matchLabels: { app: 'web' } }, rules: [{ to: [{ operation: { methods: ['GET'] } }] }] }),
  ap('istio-system/deny-rev', { action: 'DENY', rules: [{ from: [{ source: { namespaces: ['rev'] } }] }] }),
  ap('legacy/opted', { rules: [{ when: [{ key: 'source.ip', values: ['10.0.0.0/16'] }] }] }),
  ap('shop/custom', { action: 'CUSTOM', provider: { name: 'opa' }, rules: [{ to: [{ operation: { ports: ['8081'] } }] }] }),
  ap('shop/dry', { action: 'DENY', rules: [{}] }, { annotations: { 'istio.io/dry-run': 'true' } }),
];

/** A deterministic linear congruential generator (Numerical Recipes' constants). */
function random(seed: number): () => number {
  let state = seed % 2 ** 32;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

const EXTRA = [pod('shop/web2', { labels: { app: 'web' }, serviceAccount: 'web', ports: [{ port: 8080, name: 'http' }, { port: 8081 }], ip: '10.0.0.11' }), pod('shop/nip', {})];

describe('Istio set form agrees with the per-connection decision', () => {
  test.each(Array.from({ length: 12 }, (_, seed) => [seed]))('random mix %i', (seed) => {
    const next = random(seed + 1);
    const objects = POOL.filter(() => next() < 0.4);
    const read = readInput([...MESH, ...EXTRA, ...objects], [kubernetesNetworkPolicy, istioMesh]);
    const { inventory } = read;
    const universe = new EndpointUniverse(inventory.namespaces, inventory.pods, [], universeCluster(inventory));
    const mesh = read.readers.find(({ dialect }) => dialect.layer === 'mesh')!.reader.compile(universe, { services: inventory.services });
    const computed = compileConnectivity(read, universe);
    const endpoints = universe.endpoints;
    for (const probe of [{ port: 8080, protocol: 'TCP' as const }, { port: 5432, protocol: 'TCP' as const }, { port: 8081, protocol: 'TCP' as const }]) {
      const sets = mesh.probeSets(probe);
      for (const destination of endpoints) {
        const peerSets = destination.kind === 'external' ? undefined : sets.ingress(destination.index);
        for (const source of endpoints) {
          const query: DirectionQuery = { direction: 'Ingress', subject: destination, peer: source, probe, destination };
          const expected = destination.kind === 'external' ? 'not-isolated' : mesh.decide(query).effect;
          expect([objects.map((object) => (object.metadata as { name: string }).name).join(','), destination.id, source.id, probe.port, peerEffect(peerSets, source.index)])
            .toEqual([expect.any(String), destination.id, source.id, probe.port, expected]);
        }
      }
    }
    const report = computed.report();
    expect(computed.summary().allowed).toBe(report.connections.filter((connection) => connection.allowed).length);
  });
});
