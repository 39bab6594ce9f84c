// Constructs
export * from './constructs/platform';
export * from './constructs/zero-trust-namespace';
export * from './constructs/workload';
export * from './constructs/tenant-boundary';
export * from './constructs/external-namespace';
export { MeshStrictMtls, MeshStrictMtlsProps, IstiodOptions, MtlsOverrideOptions, PortMtlsOptions, WithoutSidecarOptions, MtlsMode } from './constructs/mesh-strict-mtls';
export {
  KyvernoGuardrails,
  KyvernoGuardrailsProps,
  ManagedNamespaces,
  ValidationFailureAction,
  DEFAULT_SYSTEM_NAMESPACES,
} from './constructs/kyverno-guardrails';
export { PlatformRule, RuleScopeOptions, DenyOptions, RestrictIngressOptions, AllowRuleOptions } from './constructs/platform-rules';
export * from './synth/zero-trust-app';

// GitOps delivery of the folder-per-backend output (Argo CD, Flux)
export { GitOpsDelivery, GitOpsDeliveryProps, DeliveryUnitProps } from './gitops/delivery';
export { DeliveryTarget, TARGETS_FOLDER, NAMESPACES_FOLDER } from './constructs/delivery-targets';
export { GitRevision, GitRevisionKind } from './gitops/source';
export {
  ArgoCdApplication,
  ArgoCdApplicationProps,
  ArgoCdApplicationSet,
  ArgoCdApplicationSetProps,
  ArgoCdClusterTarget,
  ArgoCdDestination,
  ArgoCdSyncProps,
  ARGOCD_DEFAULT_SYNC_OPTIONS,
  ARGOCD_IN_CLUSTER,
} from './gitops/argocd';
export { FluxGitRepository, FluxGitRepositoryProps, FluxKustomization, FluxKustomizationProps, FluxReference } from './gitops/flux';

// Values
export { Port, Protocol, PortSpec } from './model/port';
export { Peer, IPeer, CidrPeerOptions, PodsPeerOptions, KubeApiserverPeerOptions, ServiceAccountPeerOptions, IstioIngressGatewayPeerOptions, Entity } from './model/peer';
export { HttpMethod, HttpRule } from './model/http';
export { Feature } from './model/features';
export { FqdnMatch } from './model/fqdn';
export { LabelSelector, LabelRequirement, SelectorOperator, NormalizedSelector } from './model/selector';
export { ValidationIssue, ZeroTrustValidationError, formatIssue } from './model/issues';
export { MANAGED_BY_LABEL, MANAGED_BY_VALUE, TENANT_LABEL, NAMESPACE_NAME_LABEL } from './model/resolved';

// Backends, and what a backend of your own (`Backend.custom(renderer)`) reads and returns
export { Backend, KubernetesBackendOptions, CiliumBackendOptions, CalicoBackendOptions, CalicoTierOptions, IstioBackendOptions } from './backends/registry';
export { SUPPORT_TABLE, IntentRow, Support, BuiltInBackend, supportTableMarkdown } from './backends/support-table';
export { PolicyRenderer, RenderResult } from './backends/backend';
export { PlatformRendering, BackendOutput, GuardrailsOutput } from './backends/render';
export { Manifest, ObjectMetadata } from './backends/manifest';
export {
  PolicyPlan,
  NamespacePlan,
  PlannedPolicy,
  PlannedRule,
  PlanSubject,
  PlanDirection,
  Baseline,
} from './model/plan';
export {
  ResolvedModel,
  ResolvedNamespace,
  ResolvedWorkload,
  ResolvedFlow,
  ResolvedDns,
  ResolvedDeny,
  DenySubjects,
  DenyPeers,
  DeclarationSite,
  Endpoint as FlowEndpoint,
} from './model/resolved';
export { ResolvedMesh, ResolvedMeshWorkload, ResolvedMtlsOverride, ResolvedPortException } from './model/mesh';

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
  // zt probe: connectivity expectations as data
  evaluateProbes,
  loadProbesFile,
  parseProbes,
  parseProbesText,
  ProbesFile,
  InvalidProbesError,
  UnsupportedProbeError,
  formatProbeProblem,
  ProbeProblem,
  ProbeInput,
  ProbesInput,
  ProbeEndpointInput,
  Probe,
  EndpointRef,
  HttpRequest,
  ProbeOptions,
  ProbeRunOptions,
  ProbeProtocol,
  ProbeVerdict,
  ProbeReason,
  ReasonEffect,
  ProbeResult,
  ProbeReport,
  ProbeSummary,
  CniOption,
  MeshOption,
} from './analysis';
export { probe } from './testing/probe';
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
