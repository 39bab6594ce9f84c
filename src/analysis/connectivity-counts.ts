import { andInto, Bitset, countBySegments, transposeBlockColumn, wordCount, wordSegments } from './core/bitset';
import { EndpointUniverse } from './core/endpoint-universe';
import { ConnectivitySummary, ProbePort } from './types';

/** For one probe port: what each side admits, every dialect folded in (see `connectivity.ts`). Never modify the sets. */
export interface AdmittedSets {
  /** The destinations that the source's egress admits. */
  egress(source: number): Bitset;
  /** The sources that the destination's ingress admits. */
  ingress(destination: number): Bitset;
}

function probeKey(probe: ProbePort): string {
  return `${probe.port}/${probe.protocol}`;
}

/** A contiguous run of source endpoints counted together: a namespace's pods, or one external or node. */
interface EndpointGroup {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

function endpointGroups(universe: EndpointUniverse): { groups: EndpointGroup[]; groupOf: Int32Array } {
  const groups: EndpointGroup[] = universe.namespaces
    .filter((range) => range.end > range.start)
    .map((range) => ({ name: range.namespace.name, start: range.start, end: range.end }));
  for (const endpoint of universe.endpoints) {
    if (endpoint.kind !== 'pod') groups.push({ name: endpoint.id, start: endpoint.index, end: endpoint.index + 1 });
  }
  groups.sort((a, b) => a.start - b.start);
  const groupOf = new Int32Array(universe.size);
  groups.forEach((group, index) => groupOf.fill(index, group.start, group.end));
  return { groups, groupOf };
}

/**
 * Counts allowed (source, destination, port) triples per namespace pair without materialising them.
 *
 * For each probe port, the egress sets form a source × destination bit matrix. It is read 32 destination
 * columns at a time through a 32×32 bit transpose, giving for each destination the sources whose egress
 * admits it; ANDed with the destination's ingress set and counted per source namespace run, that yields the
 * allowed pairs in O(N²/32) word operations per port.
 */
export function summarizeConnectivity(
  universe: EndpointUniverse,
  probedPorts: readonly (readonly ProbePort[])[],
  admittedOn: (probe: ProbePort) => AdmittedSets,
): ConnectivitySummary {
  const { groups, groupOf } = endpointGroups(universe);
  const groupCount = groups.length;
  const probes = new Map<string, { probe: ProbePort; destinations: number[] }>();
  const probesPerGroup = new Float64Array(groupCount);
  let evaluated = 0;
  probedPorts.forEach((ports, destination) => {
    probesPerGroup[groupOf[destination]] += ports.length;
    evaluated += ports.length * universe.size;
    for (const probe of ports) {
      const key = probeKey(probe);
      let entry = probes.get(key);
      if (!entry) {
        entry = { probe, destinations: [] };
        probes.set(key, entry);
      }
      entry.destinations.push(destination);
    }
  });

  const allowedByPair = new Map<number, number>();
  const words = wordCount(universe.size);
  const columns = new Uint32Array(32 * words);
  const perSourceGroup = new Float64Array(groupCount);
  const segments = wordSegments(groups, universe.size);
  let allowed = 0;
  for (const { probe, destinations } of probes.values()) {
    const sets = admittedOn(probe);
    const rows = universe.endpoints.map((endpoint) => sets.egress(endpoint.index));
    let currentGroup = -1;
    const flush = (): void => {
      if (currentGroup < 0) return;
      for (let source = 0; source < groupCount; source++) {
        const count = perSourceGroup[source];
        if (count === 0) continue;
        const key = source * groupCount + currentGroup;
        allowedByPair.set(key, (allowedByPair.get(key) ?? 0) + count);
        perSourceGroup[source] = 0;
      }
    };
    let next = 0;
    while (next < destinations.length) {
      const blockColumn = Math.floor(destinations[next] / 32);
      transposeBlockColumn(rows, blockColumn, words, columns);
      for (; next < destinations.length && Math.floor(destinations[next] / 32) === blockColumn; next++) {
        const destination = destinations[next];
        const offset = (destination - blockColumn * 32) * words;
        const admitted = columns.subarray(offset, offset + words);
        andInto(admitted, sets.ingress(destination));
        if (groupOf[destination] !== currentGroup) {
          flush();
          currentGroup = groupOf[destination];
        }
        allowed += countBySegments(admitted, segments, perSourceGroup);
      }
    }
    flush();
  }

  const namespacePairs = [...allowedByPair]
    .map(([key, count]) => {
      const from = groups[Math.floor(key / groupCount)];
      const to = key % groupCount;
      return { from: from.name, to: groups[to].name, allowed: count, evaluated: (from.end - from.start) * probesPerGroup[to] };
    })
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  return { endpoints: universe.size, ports: probes.size, evaluated, allowed, namespacePairs };
}
