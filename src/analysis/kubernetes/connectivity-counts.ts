import { ConnectivitySummary, ProbePort } from '../types';
import { andInto, Bitset, countBySegments, emptyBitset, orInto, transposeBlockColumn, wordCount, wordSegments } from './bitset';
import { PolicyModel } from './policy-model';
import { portEntryMatches } from './rule-matching';

/** A contiguous run of source endpoints counted together: a namespace's pods, or one external. */
interface EndpointGroup {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

function endpointGroups(model: PolicyModel): { groups: EndpointGroup[]; groupOf: Int32Array } {
  const groups: EndpointGroup[] = model.namespaces
    .filter((range) => range.end > range.start)
    .map((range) => ({ name: range.namespace.name, start: range.start, end: range.end }));
  for (const endpoint of model.endpoints) {
    if (endpoint.kind === 'external') groups.push({ name: endpoint.id, start: endpoint.index, end: endpoint.index + 1 });
  }
  groups.sort((a, b) => a.start - b.start);
  const groupOf = new Int32Array(model.size);
  groups.forEach((group, index) => groupOf.fill(index, group.start, group.end));
  return { groups, groupOf };
}

function probeKey(probe: ProbePort): string {
  return `${probe.port}/${probe.protocol}`;
}

/**
 * Builds, for one probe port, the set of endpoints each source's egress admits and the set of sources each
 * destination's ingress admits. Sets are unions of rule peer sets, cached by the list of contributing rules:
 * endpoints selected by the same policies share one set.
 */
class ProbeSets {
  private readonly egressCache = new Map<string, Bitset>();
  private readonly ingressCache = new Map<string, Bitset>();
  private readonly none: Bitset;

  constructor(private readonly model: PolicyModel, private readonly probe: ProbePort) {
    this.none = emptyBitset(model.size);
  }

  /** Destinations that `source`'s egress admits on this probe (named ports depend on the destination, hence per-rule target sets). */
  egress(source: number): Bitset {
    const model = this.model;
    const rules = model.egressRules[source];
    if (model.endpoints[source].kind === 'external' || !rules) return model.all;
    const parts: string[] = [];
    const contributions: { bits: Bitset | undefined; named?: string }[] = [];
    for (const rule of rules) {
      const ports = rule.rule.ports;
      // Numeric entries do not depend on the destination; named ones are resolved per destination below.
      const numericMatch = !ports
        || ports.some((entry) => entry.portName === undefined && portEntryMatches(entry, this.probe, model.endpoints[source]));
      if (numericMatch) {
        if (!rule.peerUnion) return model.all;
        parts.push(String(rule.id));
        contributions.push({ bits: rule.peerUnion });
        continue;
      }
      for (const entry of ports) {
        if (entry.portName === undefined || entry.protocol !== this.probe.protocol) continue;
        parts.push(`${rule.id}:${entry.portName}`);
        contributions.push({ bits: rule.peerUnion, named: entry.portName });
      }
    }
    if (parts.length === 0) return this.none;
    const key = parts.join(',');
    let bits = this.egressCache.get(key);
    if (!bits) {
      bits = emptyBitset(model.size);
      for (const contribution of contributions) {
        if (contribution.named === undefined) {
          orInto(bits, contribution.bits!);
          continue;
        }
        const targets = model.namedPortTargetsOf(contribution.named, this.probe.protocol, this.probe.port).slice();
        if (contribution.bits) andInto(targets, contribution.bits);
        orInto(bits, targets);
      }
      this.egressCache.set(key, bits);
    }
    return bits;
  }

  /** Sources that `destination`'s ingress admits on this probe. */
  ingress(destination: number): Bitset {
    const model = this.model;
    const rules = model.ingressRules[destination];
    const endpoint = model.endpoints[destination];
    if (endpoint.kind === 'external' || !rules) return model.all;
    const matching = rules.filter((rule) => !rule.rule.ports || rule.rule.ports.some((entry) => portEntryMatches(entry, this.probe, endpoint)));
    if (matching.some((rule) => !rule.peerUnion)) return model.all;
    if (matching.length === 0) return this.none;
    const key = matching.map((rule) => rule.id).join(',');
    let bits = this.ingressCache.get(key);
    if (!bits) {
      bits = emptyBitset(model.size);
      for (const rule of matching) orInto(bits, rule.peerUnion!);
      this.ingressCache.set(key, bits);
    }
    return bits;
  }
}

/**
 * Counts allowed (source, destination, port) triples per namespace pair without materialising them.
 *
 * For each probe port, the egress sets form a source × destination bit matrix. It is read 32 destination
 * columns at a time through a 32×32 bit transpose, giving for each destination the sources whose egress
 * admits it; ANDed with the destination's ingress set and counted per source namespace run, that yields the
 * allowed pairs in O(N²/32) word operations per port.
 */
export function summarizeConnectivity(model: PolicyModel, probedPorts: readonly (readonly ProbePort[])[]): ConnectivitySummary {
  const { groups, groupOf } = endpointGroups(model);
  const groupCount = groups.length;
  const probes = new Map<string, { probe: ProbePort; destinations: number[] }>();
  const probesPerGroup = new Float64Array(groupCount);
  let evaluated = 0;
  probedPorts.forEach((ports, destination) => {
    probesPerGroup[groupOf[destination]] += ports.length;
    evaluated += ports.length * model.size;
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
  const words = wordCount(model.size);
  const columns = new Uint32Array(32 * words);
  const perSourceGroup = new Float64Array(groupCount);
  const segments = wordSegments(groups, model.size);
  let allowed = 0;
  for (const { probe, destinations } of probes.values()) {
    const sets = new ProbeSets(model, probe);
    const rows = model.endpoints.map((endpoint) => sets.egress(endpoint.index));
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
  return { endpoints: model.size, ports: probes.size, evaluated, allowed, namespacePairs };
}
