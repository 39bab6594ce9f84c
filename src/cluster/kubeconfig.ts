/**
 * Finds the kubeconfig as kubectl does (https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/):
 * `--kubeconfig FILE`; else the files of `KUBECONFIG` (merged, the first one's current context wins); else
 * `~/.kube/config`; else, inside a pod, its service account. `--context` picks another context than the current one.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { KubeConfig } from '@kubernetes/client-node';
import { kubernetesClient } from './client-node';
import { ClusterAccessError } from './errors';

export interface KubeConfigOptions {
  /** A kubeconfig file; when unset, the usual places are searched. */
  readonly kubeconfig?: string;
  /** A context of the kubeconfig; when unset, its current context. */
  readonly context?: string;
  /** The environment to read `KUBECONFIG`, `HOME` and the in-cluster variables from; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** A kubeconfig loaded, with the context chosen. */
export interface LoadedKubeConfig {
  readonly config: KubeConfig;
  /** Where it came from, for messages: a file, `KUBECONFIG=...`, or `in-cluster service account`. */
  readonly source: string;
  readonly context: string;
  /** The API server's URL. */
  readonly server: string;
  /** The user entry of the context, for messages. */
  readonly user: string;
}

/** Where a pod's service account credentials are mounted (https://kubernetes.io/docs/tasks/run-application/access-api-from-pod/). */
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

function fileExists(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

function loadFile(config: KubeConfig, file: string): void {
  if (!fileExists(file)) {
    throw new ClusterAccessError(`the kubeconfig ${file} does not exist or is not a file. Give an existing file with --kubeconfig, or set KUBECONFIG.`, 'kubeconfig');
  }
  try {
    config.loadFromFile(file);
  } catch (error) {
    throw new ClusterAccessError(`cannot read the kubeconfig ${file}: ${messageOf(error)}`, 'kubeconfig');
  }
}

/** Loads the kubeconfig and selects the context; throws `ClusterAccessError` (reason `kubeconfig` or `context`). */
export function loadKubeConfig(options: KubeConfigOptions = {}): LoadedKubeConfig {
  const env = options.env ?? process.env;
  const { KubeConfig: KubeConfigClass } = kubernetesClient();
  const config = new KubeConfigClass();
  let source: string;
  if (options.kubeconfig !== undefined) {
    loadFile(config, options.kubeconfig);
    source = options.kubeconfig;
  } else if (env.KUBECONFIG) {
    // Like kubectl: the files are merged; missing ones are skipped, but one of them must exist.
    const files = env.KUBECONFIG.split(path.delimiter).filter((file) => file !== '');
    const present = files.filter(fileExists);
    if (present.length === 0) {
      throw new ClusterAccessError(`none of the files of KUBECONFIG exists (${files.join(path.delimiter)}). Fix KUBECONFIG, or give --kubeconfig FILE.`, 'kubeconfig');
    }
    loadFile(config, present[0]);
    for (const file of present.slice(1)) {
      const other = new KubeConfigClass();
      loadFile(other, file);
      config.mergeConfig(other, true);
    }
    source = `KUBECONFIG=${env.KUBECONFIG}`;
  } else {
    const home = env.HOME ?? os.homedir();
    const file = path.join(home, '.kube', 'config');
    if (fileExists(file)) {
      loadFile(config, file);
      source = file;
    } else if (env.KUBERNETES_SERVICE_HOST && fileExists(SERVICE_ACCOUNT_TOKEN)) {
      try {
        config.loadFromCluster();
      } catch (error) {
        throw new ClusterAccessError(`cannot use the in-cluster service account: ${messageOf(error)}`, 'kubeconfig');
      }
      source = 'in-cluster service account';
    } else {
      throw new ClusterAccessError(
        `no kubeconfig found: --kubeconfig is not given, KUBECONFIG is not set, ${file} does not exist and this is not a pod with a service account. ` +
          'Give --kubeconfig FILE or set KUBECONFIG.',
        'kubeconfig',
      );
    }
  }
  return selectContext(config, source, options.context);
}

function selectContext(config: KubeConfig, source: string, wanted: string | undefined): LoadedKubeConfig {
  const names = config.getContexts().map((context) => context.name);
  if (wanted !== undefined) {
    if (!config.getContextObject(wanted)) {
      const known = names.length > 0 ? `its contexts are ${names.join(', ')}` : 'it has no context';
      throw new ClusterAccessError(`context "${wanted}" is not in the kubeconfig (${source}); ${known}. Pick one with --context.`, 'context');
    }
    config.setCurrentContext(wanted);
  }
  const context = config.getCurrentContext();
  if (!context || !config.getContextObject(context)) {
    const known = names.length > 0 ? ` (${names.join(', ')})` : '';
    throw new ClusterAccessError(`the kubeconfig (${source}) has no current context: choose one with --context NAME${known}.`, 'context');
  }
  const cluster = config.getCurrentCluster();
  if (!cluster || !cluster.server) {
    throw new ClusterAccessError(`context "${context}" of the kubeconfig (${source}) names a cluster that is missing or has no server.`, 'kubeconfig');
  }
  const user = config.getCurrentUser();
  return { config, source, context, server: cluster.server, user: user?.name ?? '(no user)' };
}
