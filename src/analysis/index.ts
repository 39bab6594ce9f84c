export * from './types';
export { loadManifestFiles, loadManifestText, LoadManifestOptions } from './manifests/load';
export { LoadedManifests, ManifestInput, SourcedDocument } from './manifests/documents';
export { InvalidManifestsError, formatManifestIssue } from './manifests/issues';
export { computeConnectivity, Connectivity } from './connectivity';
export { analyze } from './analyze';
export { explain, explainConnection } from './explain';
export { UnknownEndpointError } from './core/endpoint-lookup';
