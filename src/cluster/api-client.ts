/**
 * Read-only GETs against the API server of a kubeconfig context. `@kubernetes/client-node` supplies the transport
 * settings (CA, client certificate, token from a file, an exec plugin or OIDC, proxy) through
 * `KubeConfig.applyToHTTPSOptions`; the requests themselves are plain GETs whose JSON is kept as the server wrote
 * it (the client's typed models would drop fields they do not know and reformat others), so the objects read are
 * exactly those `kubectl get -o json` shows.
 */
import * as http from 'http';
import * as https from 'https';
import { ApiRequest, ClusterAccessError, ClusterForbiddenError } from './errors';
import { LoadedKubeConfig } from './kubeconfig';
import { formatByteSize } from '../analysis/input/limits';

export interface ApiClientOptions {
  /** The longest a request may take, response included, in milliseconds. */
  readonly timeoutMs: number;
  /** The largest response accepted, in bytes. */
  readonly maxResponseBytes: number;
}

/** The answer to a GET: the parsed JSON, or the two statuses a reader handles itself. */
export type ApiResponse =
  | { readonly status: 'ok'; readonly body: unknown }
  | { readonly status: 'not-found'; readonly message: string }
  | { readonly status: 'gone'; readonly message: string };

/** Error codes of Node's sockets that mean the server could not be reached (https://nodejs.org/api/errors.html#common-system-errors). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

function isTlsError(code: string): boolean {
  return /^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|EPROTO$|ERR_OSSL_)/.test(code);
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

/** `message` of a Kubernetes `Status` body (https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-deletion), if it is one. */
function statusMessage(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') {
      return (parsed as { message: string }).message;
    }
  } catch {
    // Not JSON: a proxy's page, say.
  }
  return body.trim().slice(0, 200);
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

/** A marker for a response cut short because it exceeded the size limit. */
class ResponseTooLarge extends Error {}
/** A marker for the request's deadline. */
class RequestTimedOut extends Error {}

export class ApiClient {
  /** Resolves the credentials of the context (running an exec plugin if it has one). Nothing is sent to the server yet. */
  static async connect(cluster: LoadedKubeConfig, options: ApiClientOptions): Promise<ApiClient> {
    const transport: https.RequestOptions = {};
    try {
      await cluster.config.applyToHTTPSOptions(transport);
    } catch (error) {
      const message = messageOf(error);
      if (/HTTP protocol is not allowed/.test(message)) {
        throw new ClusterAccessError(
          `the server of context "${cluster.context}" is ${cluster.server}, plain HTTP, and its cluster entry does not set insecure-skip-tls-verify: ` +
            'use the https:// address of the API server.',
          'kubeconfig',
        );
      }
      throw new ClusterAccessError(`cannot get the credentials of user "${cluster.user}" of context "${cluster.context}": ${message}`, 'credentials');
    }
    return new ApiClient(cluster, transport, options);
  }

  private constructor(
    private readonly cluster: LoadedKubeConfig,
    private readonly transport: https.RequestOptions,
    private readonly options: ApiClientOptions,
  ) {}

  get server(): string {
    return this.cluster.server;
  }

  /** The kubeconfig user the requests authenticate as, for messages. */
  get user(): string {
    return this.cluster.user;
  }

  /** GET `path` (with its query) and parse the JSON answer. 404 and 410 are returned; every other failure throws. */
  async get(path: string, request: ApiRequest): Promise<ApiResponse> {
    const url = new URL(this.cluster.server.replace(/\/+$/, '') + path);
    let status: number;
    let body: string;
    try {
      ({ status, body } = await this.send(url));
    } catch (error) {
      throw this.transportError(error, url);
    }
    if (status >= 200 && status < 300) {
      try {
        return { status: 'ok', body: JSON.parse(body) as unknown };
      } catch {
        throw new ClusterAccessError(
          `${this.cluster.server} answered GET ${path} with something that is not JSON (${body.trim().slice(0, 80) || 'an empty body'}); ` +
            `is it a Kubernetes API server? Check the server of context "${this.cluster.context}".`,
          'bad-response',
          status,
        );
      }
    }
    const message = statusMessage(body);
    switch (status) {
      case 401:
        throw new ClusterAccessError(
          `${this.cluster.server} rejected the credentials of user "${this.cluster.user}" of context "${this.cluster.context}" (401 Unauthorized): ` +
            'they are expired or invalid. Renew them (log in again, or refresh the token your cloud CLI or exec plugin issues) and rerun; ' +
            `kubectl --context ${this.cluster.context} auth whoami checks them.`,
          'unauthorized',
          401,
        );
      case 403:
        throw new ClusterForbiddenError([{ request, message }], `user "${this.cluster.user}"`);
      case 404:
        return { status: 'not-found', message };
      case 410:
        return { status: 'gone', message };
      default:
        throw new ClusterAccessError(
          `${this.cluster.server} answered GET ${path} with ${status}${message ? `: ${message}` : ''}. ` +
            (status === 429 || status >= 500 ? 'The API server is overloaded or failing; rerun later.' : 'This is not an answer zt audit expects.'),
          'server',
          status,
        );
    }
  }

  private transportError(error: unknown, url: URL): ClusterAccessError {
    const where = `${this.cluster.server} (context "${this.cluster.context}")`;
    if (error instanceof RequestTimedOut) {
      return new ClusterAccessError(
        `no answer from ${where} to GET ${url.pathname}${url.search} within ${seconds(this.options.timeoutMs)}: the server is unreachable or overloaded. ` +
          'Check the network path to it (VPN, proxy), or raise --request-timeout.',
        'timeout',
      );
    }
    if (error instanceof ResponseTooLarge) {
      return new ClusterAccessError(
        `the answer of ${where} to GET ${url.pathname}${url.search} is larger than ${formatByteSize(this.options.maxResponseBytes)}: ` +
          'lower --page-size, or raise --max-input-size.',
        'bad-response',
      );
    }
    const code = String((error as { code?: unknown } | undefined)?.code ?? '');
    if (isTlsError(code)) {
      return new ClusterAccessError(
        `TLS with ${where} failed (${code}): ${messageOf(error)}. The server's certificate does not match the certificate-authority ` +
          'of the kubeconfig\'s cluster entry, or its name (set tls-server-name if the address differs).',
        'tls',
      );
    }
    if (UNREACHABLE_CODES.has(code)) {
      return new ClusterAccessError(
        `cannot reach the API server ${where}: ${messageOf(error)}. Check that the cluster is running and that this machine can reach it ` +
          `(kubectl --context ${this.cluster.context} cluster-info).`,
        'unreachable',
      );
    }
    return new ClusterAccessError(`GET ${url.pathname}${url.search} on ${where} failed: ${messageOf(error)}`, 'unreachable');
  }

  private send(url: URL): Promise<{ status: number; body: string }> {
    const { timeoutMs, maxResponseBytes } = this.options;
    const transport = this.transport;
    const headers: http.OutgoingHttpHeaders = { ...(transport.headers as http.OutgoingHttpHeaders | undefined), Accept: 'application/json' };
    const options: https.RequestOptions = { ...transport, method: 'GET', headers };
    return new Promise((resolve, reject) => {
      const request = (url.protocol === 'http:' ? http : https).request(url, options, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxResponseBytes) {
            request.destroy(new ResponseTooLarge());
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
      const timer = setTimeout(() => request.destroy(new RequestTimedOut()), timeoutMs);
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      request.end();
    });
  }
}
