/** `zt probe`: connectivity expectations as data. */
export * from './types';
export { formatProbeProblem, InvalidProbesError, ProbeProblem, UnsupportedProbeError } from './errors';
export { parseProbes, PROBES_IN_CODE } from './parse-probes';
export { loadProbesFile, parseProbesText, ProbesFile, readProbesValue } from './probes-file';
export { evaluateProbes, ProbeRunOptions, runProbes } from './run-probes';
