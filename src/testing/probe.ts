import { ConnectivitySubject, toAnalysisInput } from './subject';
import { evaluateProbes, ProbeOptions, ProbeReport, ProbesFile, ProbesInput } from '../analysis';

/**
 * `zt probe` from TypeScript: evaluates probes (a list, or `{probes: [...]}`, as a probes file holds them)
 * against an App, a Chart, a ZeroTrustPlatform (its declared workloads are represented, as for
 * `connectivity()`), manifest objects or YAML text, and returns the records `zt probe --format json` prints.
 *
 * Throws `InvalidProbesError` for probes that are invalid or name what the input does not hold,
 * `UnsupportedProbeError` for a dialect that is not implemented yet, and `InvalidManifestsError`.
 */
export function probe(subject: ConnectivitySubject, probes: ProbesInput | ProbesFile, options: ProbeOptions = {}): ProbeReport {
  const { input, externals, externalPorts } = toAnalysisInput(subject);
  return evaluateProbes(input, probes, { ...options, externals, externalPorts });
}
