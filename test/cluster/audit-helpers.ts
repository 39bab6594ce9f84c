import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { FakeApiServer, FakeClusterOptions, startFakeApiServer, writeKubeconfig } from './fake-api-server';

export const AUDIT_FIXTURES = path.join(__dirname, '..', 'fixtures', 'audit');

/** The live objects of the fixture cluster. */
export function clusterObjects(): Record<string, unknown>[] {
  const text = fs.readFileSync(path.join(AUDIT_FIXTURES, 'cluster.yaml'), 'utf8');
  return parseAllDocuments(text).map((document) => document.toJSON() as Record<string, unknown>).filter((object) => object !== null);
}

/** Served groups of a plain Kubernetes cluster with Istio: no Cilium, no Calico. */
export const KUBERNETES_GROUPS = { 'networking.k8s.io': ['v1'], 'discovery.k8s.io': ['v1'], 'security.istio.io': ['v1', 'v1beta1'] };

export interface FakeCluster {
  readonly server: FakeApiServer;
  readonly dir: string;
  readonly kubeconfig: string;
  close(): Promise<void>;
}

/** Starts the fake API server with `options` (the fixture objects by default) and writes a kubeconfig for it. */
export async function fakeCluster(options: Partial<FakeClusterOptions> = {}, token = 'test-token'): Promise<FakeCluster> {
  const server = await startFakeApiServer({ objects: clusterObjects(), groups: KUBERNETES_GROUPS, token: 'test-token', ...options });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-audit-'));
  const kubeconfig = writeKubeconfig(dir, 'kubeconfig', [{ name: 'test', server: server.url, token }]);
  return {
    server,
    dir,
    kubeconfig,
    close: async () => {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
