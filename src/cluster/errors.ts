/**
 * Why a cluster could not be read. Each message names the server, the request and what to do; the CLI maps `reason`
 * to an exit code (`context` is a usage error, the rest mean the cluster was unreadable).
 */

/** What was asked of the API server, for messages and RBAC rules. */
export interface ApiRequest {
  readonly verb: 'list' | 'get';
  /** The API group, `''` for the core group. */
  readonly group: string;
  /** The resource (plural), e.g. `pods`. */
  readonly resource: string;
  /** Set for a request limited to one namespace. */
  readonly namespace?: string;
  /** Set for a `get` of one object. */
  readonly name?: string;
}

export type ClusterErrorReason =
  | 'kubeconfig'
  | 'context'
  | 'credentials'
  | 'unreachable'
  | 'tls'
  | 'timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'server'
  | 'bad-response';

export class ClusterAccessError extends Error {
  constructor(message: string, public readonly reason: ClusterErrorReason, public readonly status?: number) {
    super(message);
    this.name = 'ClusterAccessError';
  }
}

/** The read-only ClusterRole shipped with the examples: what to apply when RBAC denies a request. */
export const EXAMPLE_CLUSTER_ROLE = 'examples/audit/zt-audit-clusterrole.yaml';

/** `pods`, `networkpolicies.networking.k8s.io`: how kubectl names a resource. */
export function resourceName(request: Pick<ApiRequest, 'group' | 'resource'>): string {
  return request.group === '' ? request.resource : `${request.resource}.${request.group}`;
}

/** Where the request looked: `at the cluster scope`, `in namespace default`. */
function scopeOf(request: ApiRequest): string {
  return request.namespace === undefined ? 'at the cluster scope' : `in namespace ${request.namespace}`;
}

/** One RBAC rule that allows the request, as YAML flow lines of a ClusterRole's `rules`. */
export function ruleFor(request: ApiRequest): string {
  const names = request.name !== undefined ? `, resourceNames: [${JSON.stringify(request.name)}]` : '';
  return `- {apiGroups: [${JSON.stringify(request.group)}], resources: [${JSON.stringify(request.resource)}], verbs: [${request.verb}]${names}}`;
}

/**
 * RBAC denied one or more requests (403). Every denied request is listed with the rule that allows it, so one run
 * gives the whole ClusterRole to ask for.
 */
export class ClusterForbiddenError extends ClusterAccessError {
  constructor(public readonly denials: readonly { readonly request: ApiRequest; readonly message: string }[], user: string) {
    const lines = denials.map(({ request, message }) =>
      `  ${request.verb} ${resourceName(request)}${request.name ? ` ${request.name}` : ''} ${scopeOf(request)}${message ? `: ${message}` : ''}`);
    const rules = [...new Set(denials.map(({ request }) => `    ${ruleFor(request)}`))];
    super(
      `RBAC denied ${denials.length === 1 ? 'a request' : `${denials.length} requests`} of ${user} (403 Forbidden):\n${lines.join('\n')}\n` +
        'zt audit only reads. Bind the read-only ClusterRole of ' + `${EXAMPLE_CLUSTER_ROLE} to this user, or add these rules to one of its roles:\n` +
        `${rules.join('\n')}\n` +
        'Check with kubectl auth can-i, e.g. kubectl auth can-i ' +
        `${denials[0].request.verb} ${resourceName(denials[0].request)}${denials[0].request.namespace === undefined ? ' --all-namespaces' : ` -n ${denials[0].request.namespace}`}.`,
      'forbidden',
      403,
    );
    this.name = 'ClusterForbiddenError';
  }
}
