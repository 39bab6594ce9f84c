export { ApiClient, ApiClientOptions, ApiResponse } from './api-client';
export { kubernetesClient, ClientNodeUnavailableError } from './client-node';
export { ApiRequest, ClusterAccessError, ClusterErrorReason, ClusterForbiddenError, EXAMPLE_CLUSTER_ROLE, resourceName, ruleFor } from './errors';
export { KubeConfigOptions, LoadedKubeConfig, loadKubeConfig } from './kubeconfig';
export { ClusterRead, clusterSource, readCluster, ReadClusterOptions, ResourceRead } from './read-cluster';
export { CLUSTER_RESOURCES, ClusterResource, groupKind } from './resources';
