import { App } from 'cdk8s';
import { ArgoCdApplicationSet, GitOpsDelivery } from '../src';

/** The repository the example's output is committed to (a placeholder: use your repository's clone URL). */
export const EXAMPLE_REPO_URL = 'https://github.com/example-org/platform.git';

/**
 * How Argo CD applies the example: one ApplicationSet whose list gives each cluster its target, written to
 * `dist/delivery/` (apply it once to the cluster running Argo CD). Argo CD's own cluster (`in-cluster`) runs
 * Cilium, so it gets `dist/targets/cilium/`.
 */
export function buildExampleDelivery(app: App): GitOpsDelivery {
  const delivery = new GitOpsDelivery(app, 'delivery', { repoUrl: EXAMPLE_REPO_URL, path: 'dist' });
  new ArgoCdApplicationSet(delivery, 'zero-trust', { clusters: [{ cluster: 'in-cluster', target: 'cilium' }] });
  return delivery;
}
