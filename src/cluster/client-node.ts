/**
 * Loads `@kubernetes/client-node`, the Kubernetes client that reads kubeconfig files (KUBECONFIG, ~/.kube/config,
 * in-cluster service accounts) and authenticates (tokens, client certificates, exec plugins, OIDC).
 *
 * Its 1.x line is published as ES modules only, and this package is CommonJS. Node.js 20.19+ (and 22.12+) load an
 * ES module with `require()` (https://nodejs.org/api/modules.html#loading-ecmascript-modules-using-require), so the
 * module is required, synchronously, on first use: `zt analyze` and the library never pay for loading it. The
 * `require` used is Node's own, made by `createRequire` of the built-in `module` as `process.getBuiltinModule`
 * returns it: a runtime that replaces `require()` with its own loader (jest's module registry, which cannot load
 * ES modules without transforming them) still gets the client loaded natively.
 */
import type * as ClientNode from '@kubernetes/client-node';

export type KubernetesClient = typeof ClientNode;

/** `@kubernetes/client-node` could not be loaded: Node.js is too old to `require()` an ES module. */
export class ClientNodeUnavailableError extends Error {
  constructor(detail: string) {
    super(
      `cannot load @kubernetes/client-node (${detail}). zt audit needs Node.js 20.19 or later (22.12 or later on the ` +
        `22 line), which load ES modules with require(); this is Node.js ${process.versions.node}. Upgrade Node.js and rerun.`,
    );
    this.name = 'ClientNodeUnavailableError';
  }
}

let loaded: KubernetesClient | undefined;

/** The client module, loaded once. Throws `ClientNodeUnavailableError` where Node.js cannot load it. */
export function kubernetesClient(): KubernetesClient {
  if (loaded) return loaded;
  const getBuiltinModule = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (typeof getBuiltinModule !== 'function') throw new ClientNodeUnavailableError('process.getBuiltinModule is missing');
  const nodeModule = getBuiltinModule('module') as typeof import('module');
  try {
    loaded = nodeModule.createRequire(__filename)('@kubernetes/client-node') as KubernetesClient;
  } catch (error) {
    const code = (error as { code?: unknown } | undefined)?.code;
    if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE') {
      throw new ClientNodeUnavailableError(String(code));
    }
    throw error;
  }
  return loaded;
}
