/**
 * `zt probe` and `probe()`: connectivity expectations as data, evaluated under the dialects the run
 * enforces. Order of the checks: the probes (exit 1), the dialects asked for (exit 2), the probes those
 * dialects cannot answer (exit 2), the manifests (exit 1), the endpoints and ports the probes name (exit 1).
 */
import { calicoUncheckedNote, evaluateCalicoProbe } from './calico-evaluation';
import { evaluateCiliumProbe } from './cilium-evaluation';
import { familyKinds, selectDialects } from './dialect-selection';
import { UnsupportedProbeError } from './errors';
import { withUndeterminedMesh } from './istio-evaluation';
import { evaluateKubernetesProbe } from './kubernetes-evaluation';
import { parseProbes, PROBES_IN_CODE } from './parse-probes';
import { ProbeConnectivity } from './probe-universe';
import { ProbesFile } from './probes-file';
import { resolveProbes } from './resolve-endpoints';
import { ExpectationCni, Probe, ProbeOptions, ProbeReport, ProbeResult, ProbesInput, ProbeSummary } from './types';
import { readInput } from '../connectivity';
import { ManifestInput, normalizeInput } from '../manifests/documents';
import { noteLines } from '../report/notes';
import { ProbePort } from '../types';

/** `probe()`'s options, plus the external endpoints an inventory or a platform brings. */
export interface ProbeRunOptions extends ProbeOptions {
  readonly externals?: Readonly<Record<string, string>>;
  readonly externalPorts?: Readonly<Record<string, readonly ProbePort[]>>;
}

/** NetworkPolicy defines TCP, UDP and SCTP only; what it does to ICMP is the plugin's choice, so under --cni kubernetes no verdict is given. */
function refuseIcmp(probes: readonly Probe[], file: string): void {
  const icmp = probes.filter((probe) => probe.protocol === 'ICMP');
  if (icmp.length === 0) return;
  throw new UnsupportedProbeError(icmp.map((probe) => ({
    file,
    probe: probe.id,
    field: 'protocol',
    problem: 'ICMP has no verdict under --cni kubernetes: NetworkPolicy defines only TCP, UDP and SCTP, and what it does to ICMP is up to the ' +
      'network plugin (https://kubernetes.io/docs/concepts/services-networking/network-policies/)',
    fix: 'evaluate ICMP probes with the plugin\'s dialect (--cni cilium), or remove them',
  })));
}

export function summarize(results: readonly ProbeResult[]): ProbeSummary {
  return {
    probes: results.length,
    allow: results.filter((result) => result.verdict === 'allow').length,
    deny: results.filter((result) => result.verdict === 'deny').length,
    failed: results.filter((result) => result.ok === false).length,
  };
}

/** The probe with the expectation its file gives for `cni`, when it gives one per CNI. */
function expectationUnder(probe: Probe, cni: ExpectationCni): Probe {
  if (!probe.expectedByCni) return probe;
  const { expected: _none, ...rest } = probe;
  const expected = probe.expectedByCni[cni];
  return expected ? { ...rest, expected } : rest;
}

/** Evaluates validated probes against manifests. Throws `UnsupportedProbeError`, `InvalidManifestsError` or `InvalidProbesError`. */
export function runProbes(input: ManifestInput, given: readonly Probe[], options: ProbeRunOptions = {}): ProbeReport {
  const file = options.file ?? PROBES_IN_CODE;
  const loaded = normalizeInput(input);
  const selection = selectDialects(familyKinds(loaded), options.cni, options.mesh);
  const probes = given.map((probe) => expectationUnder(probe, selection.cni));
  if (selection.cni === 'kubernetes') refuseIcmp(probes, file);
  const read = readInput(loaded, selection.dialects);
  const connectivity = new ProbeConnectivity(read, probes, options);
  const evaluate = selection.cni === 'cilium' ? evaluateCiliumProbe : selection.cni === 'calico' ? evaluateCalicoProbe : evaluateKubernetesProbe;
  const evaluated = resolveProbes(connectivity, probes, file).map((resolved) => evaluate(connectivity, resolved));
  const results = selection.mesh === 'istio' ? evaluated.map(withUndeterminedMesh) : evaluated;
  const notes = read.inventory.notes;
  const unchecked = selection.cni === 'calico' ? calicoUncheckedNote(probes, selection.mesh) : undefined;
  const uncheckedNotes = unchecked !== undefined ? [unchecked] : [];
  const ignoredKinds = notes.ignoredKinds.filter(({ kind }) => !selection.notedKinds.has(kind));
  return {
    cni: selection.cni,
    mesh: selection.mesh,
    probes: results,
    summary: summarize(results),
    notes: [...selection.notes, ...uncheckedNotes, ...noteLines({ ...notes, ignoredKinds })],
  };
}

/** Evaluates a loaded probes file, or validates probes given in code (a list, or `{probes: [...]}`) and evaluates them. */
export function evaluateProbes(input: ManifestInput, probes: ProbesInput | ProbesFile, options: ProbeRunOptions = {}): ProbeReport {
  if (probes instanceof ProbesFile) return runProbes(input, probes.probes, { file: probes.file, ...options });
  return runProbes(input, parseProbes(probes, options.file ?? PROBES_IN_CODE), options);
}
