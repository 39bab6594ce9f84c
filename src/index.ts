// Constructs
export * from './constructs/platform';
export * from './constructs/zero-trust-namespace';
export * from './constructs/workload';
export * from './constructs/tenant-boundary';
export * from './constructs/external-namespace';
export { NamespaceManifestsChart } from './constructs/namespace-manifests-chart';
export * from './synth/zero-trust-app';

// Values and the model
export { Backend } from './backends/backend-choice';
export { Port, Protocol, PortSpec } from './model/port';
export { Peer, IPeer, PeerSpec, CidrPeerOptions, PodsPeerOptions } from './model/peer';
export { LabelSelector, LabelRequirement, SelectorOperator } from './model/selector';
export { ValidationIssue, ZeroTrustValidationError, formatIssue } from './model/issues';
export { Manifest, ObjectMetadata } from './backends/manifest';
export { MANAGED_BY_LABEL, MANAGED_BY_VALUE, TENANT_LABEL, NAMESPACE_NAME_LABEL } from './model/resolved';

// The connectivity analyzer (reads manifests only). Its Protocol is the same 'TCP' | 'UDP' | 'SCTP'
// union as the constructs' Protocol, exported above.
export {
  analyze,
  explain,
  explainConnection,
  computeConnectivity,
  Connectivity,
  loadManifestFiles,
  loadManifestText,
  LoadManifestOptions,
  LoadedManifests,
  ManifestInput,
  SourcedDocument,
  InvalidManifestsError,
  formatManifestIssue,
} from './analysis';
export {
  ProbePort,
  ManifestSource,
  ManifestIssue,
  ConnectionVerdict,
  ConnectivityReport,
  AnalysisNotes,
  ConnectivitySummary,
  AnalyzeOptions,
  ExplainQuery,
  RuleReference,
  SideExplanation,
  Explanation,
} from './analysis/types';
