export * from './types';
export { loadManifestFiles, loadManifestText, LoadManifestOptions } from './manifests/load';
export { LoadedManifests, ManifestInput, SourcedDocument } from './manifests/documents';
export { InvalidManifestsError, formatManifestIssue } from './manifests/issues';
export { computeConnectivity, Connectivity } from './connectivity';
export { analyze } from './analyze';
export { explain, explainConnection, explainDestination, explainTarget, isServiceExplanation } from './explain';
export { policyCoverage, PolicyCoverage } from './policy-coverage';
export { ServiceRouteError, SERVICE_PREFIX } from './services';
export { UnknownEndpointError } from './core/endpoint-lookup';
export {
  CNI_OPTIONS,
  CniOption,
  EndpointRef,
  evaluateProbes,
  formatProbeProblem,
  HttpRequest,
  InvalidProbesError,
  loadProbesFile,
  MESH_OPTIONS,
  MeshOption,
  parseProbes,
  parseProbesText,
  Probe,
  ProbeEndpointInput,
  ProbeInput,
  ProbeOptions,
  ProbeProblem,
  ProbeProtocol,
  ProbeReason,
  ProbeReport,
  ProbeResult,
  ProbeRunOptions,
  ProbesFile,
  ProbesInput,
  ProbeSummary,
  ProbeVerdict,
  ReasonEffect,
  runProbes,
  UnsupportedProbeError,
} from './probe';
