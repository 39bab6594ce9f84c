import { summarizeConnectivity } from './kubernetes/connectivity-counts';
import { unknownEndpointError } from './kubernetes/endpoint-lookup';
import { EXTERNAL_PREFIX, Endpoint } from './kubernetes/endpoints';
import { parseIpAddress } from './kubernetes/ip-address';
import { isValidPortNumber } from './kubernetes/label-syntax';
import { PolicyModel } from './kubernetes/policy-model';
import { allowingPolicies, evaluateSide } from './kubernetes/rule-matching';
import { ManifestInput, normalizeInput } from './manifests/documents';
import { buildInventory } from './manifests/inventory';
import { InvalidManifestsError, sortIssues } from './manifests/issues';
import {
  AnalysisNotes,
  AnalyzeOptions,
  ConnectionVerdict,
  ConnectivityReport,
  ConnectivitySummary,
  ProbePort,
  Protocol,
} from './types';

/** The evaluated connectivity of one inventory. */
export interface Connectivity {
  /** Endpoint ids, in the same order as `ConnectivityReport.pods`. */
  readonly endpoints: readonly string[];
  readonly notes: AnalysisNotes;
  isAllowed(from: string, to: string, port: ProbePort): boolean;
  verdict(from: string, to: string, port: ProbePort): ConnectionVerdict;
  /** Every ordered pair (self included) × the ports probed for the destination. Meant for small inventories. */
  report(): ConnectivityReport;
  /** Allowed connections counted per namespace pair, computed with set operations: fine for 10^8 pairs. */
  summary(): ConnectivitySummary;
  /** The ports probed for that destination. */
  probedPorts(to: string): readonly ProbePort[];
}

const PROTOCOL_ORDER: Readonly<Record<Protocol, number>> = { TCP: 0, UDP: 1, SCTP: 2 };

function sortProbes(ports: readonly ProbePort[]): ProbePort[] {
  const unique = new Map<string, ProbePort>();
  for (const port of ports) unique.set(`${port.port}/${port.protocol}`, { port: port.port, protocol: port.protocol });
  return [...unique.values()].sort((a, b) => a.port - b.port || PROTOCOL_ORDER[a.protocol] - PROTOCOL_ORDER[b.protocol]);
}

function validateProbe(port: ProbePort, what: string): void {
  if (!isValidPortNumber(port.port) || !(port.protocol in PROTOCOL_ORDER)) {
    throw new Error(`${what}: ${JSON.stringify(port)} is not a port 1-65535 with protocol TCP, UDP or SCTP`);
  }
}

function externalEndpoints(externals: Readonly<Record<string, string>> | undefined): Endpoint[] {
  return Object.keys(externals ?? {}).sort().map((name) => {
    const text = externals![name];
    const ip = typeof text === 'string' ? parseIpAddress(text) : undefined;
    if (name === '' || /[\s/]/.test(name)) throw new Error(`External endpoint name ${JSON.stringify(name)} must be non-empty, without spaces or '/'`);
    if (!ip) throw new Error(`External endpoint "${name}": ${JSON.stringify(text)} is not an IPv4 or IPv6 address`);
    return { index: -1, id: `${EXTERNAL_PREFIX}${name}`, kind: 'external', name, labels: new Map(), ips: [ip], ports: [] };
  });
}

/** The `Connectivity` of an inventory, backed by its `PolicyModel`. */
export class ComputedConnectivity implements Connectivity {
  readonly endpoints: readonly string[];
  private readonly indexById: ReadonlyMap<string, number>;
  private readonly probes: readonly (readonly ProbePort[])[];
  private cachedSummary: ConnectivitySummary | undefined;

  constructor(readonly model: PolicyModel, readonly notes: AnalysisNotes, ports: readonly ProbePort[] | undefined) {
    this.endpoints = model.endpoints.map((endpoint) => endpoint.id);
    this.indexById = new Map(this.endpoints.map((id, index) => [id, index]));
    if (ports) {
      ports.forEach((port) => validateProbe(port, 'Probe port'));
      const shared = sortProbes(ports);
      this.probes = model.endpoints.map(() => shared);
    } else {
      this.probes = model.endpoints.map((endpoint) => sortProbes(endpoint.ports));
    }
  }

  endpoint(id: string): Endpoint {
    const index = this.indexById.get(id);
    if (index === undefined) throw unknownEndpointError(id, this.endpoints);
    return this.model.endpoints[index];
  }

  isAllowed(from: string, to: string, port: ProbePort): boolean {
    return this.verdict(from, to, port).allowed;
  }

  verdict(from: string, to: string, port: ProbePort): ConnectionVerdict {
    validateProbe(port, 'Port');
    return this.verdictOf(this.endpoint(from), this.endpoint(to), port);
  }

  report(): ConnectivityReport {
    const connections: ConnectionVerdict[] = [];
    for (const source of this.model.endpoints) {
      for (const destination of this.model.endpoints) {
        for (const probe of this.probes[destination.index]) connections.push(this.verdictOf(source, destination, probe));
      }
    }
    return { pods: [...this.endpoints], connections };
  }

  summary(): ConnectivitySummary {
    this.cachedSummary ??= summarizeConnectivity(this.model, this.probes);
    return this.cachedSummary;
  }

  probedPorts(to: string): readonly ProbePort[] {
    return this.probes[this.endpoint(to).index];
  }

  private verdictOf(source: Endpoint, destination: Endpoint, probe: ProbePort): ConnectionVerdict {
    const egress = evaluateSide(this.model, 'Egress', source, destination, probe, destination);
    const ingress = evaluateSide(this.model, 'Ingress', destination, source, probe, destination);
    const allowed = egress.allowed && ingress.allowed;
    return {
      from: source.id,
      to: destination.id,
      port: probe.port,
      protocol: probe.protocol,
      allowed,
      egressPolicies: allowed ? allowingPolicies(egress) : [],
      ingressPolicies: allowed ? allowingPolicies(ingress) : [],
    };
  }
}

/**
 * Loads the inventory and evaluates NetworkPolicy connectivity. Throws `InvalidManifestsError` listing
 * every issue when any document is broken or would be rejected by the API server.
 */
export function computeConnectivity(input: ManifestInput, options: AnalyzeOptions = {}): Connectivity {
  return buildConnectivity(input, options);
}

/** `computeConnectivity` with access to the model, for explanations. */
export function buildConnectivity(input: ManifestInput, options: AnalyzeOptions = {}): ComputedConnectivity {
  const inventory = buildInventory(normalizeInput(input));
  if (inventory.issues.length > 0) throw new InvalidManifestsError(sortIssues(inventory.issues));
  const model = new PolicyModel(inventory, externalEndpoints(options.externals));
  return new ComputedConnectivity(model, inventory.notes, options.ports);
}
