import { ConnectivitySubject, toProbeInput } from './subject';
import { evaluateProbes, ProbeOptions, ProbeReport, ProbesFile, ProbesInput } from '../analysis';

/**
 * `zt probe` from TypeScript: evaluates probes (a list, or `{probes: [...]}`, as a probes file holds them)
 * against an App, a Chart, a ZeroTrustPlatform (its declared workloads are represented, as for
 * `connectivity()`), manifest objects or YAML text, and returns the records `zt probe --format json` prints.
 *
 * `cni` (default `auto`) chooses the dialects: `cilium` probes NetworkPolicy and Cilium's kinds as Cilium
 * enforces them, merged per endpoint; `calico` walks NetworkPolicy and Calico's kinds through the tiers. A
 * platform that emits several backends is probed on one of them:
 * `backend` (e.g. `{ backend: 'cilium' }`), else the backend named like `cni`; a platform's only backend needs
 * no choice. A platform with the mesh on (`Backend.istio()`) is probed with the mesh layer on top of that
 * backend, unless `mesh: 'none'`.
 *
 * Throws `InvalidProbesError` for probes that are invalid or name what the input does not hold,
 * `UnsupportedProbeError` for a dialect that is not implemented yet (or a backend that cannot be chosen), and
 * `InvalidManifestsError`.
 */
export function probe(subject: ConnectivitySubject, probes: ProbesInput | ProbesFile, options: ProbeOptions = {}): ProbeReport {
  const { input, externals, externalPorts } = toProbeInput(subject, options);
  return evaluateProbes(input, probes, { ...options, externals, externalPorts });
}
