export { ConnectionChange, ConnectivityDiff, diffConnectivity, DiffOptions, DiffScope, DiffSideExplanation } from './connectivity-diff';
export { canonicalJson } from './document-changes';
