/**
 * Istio's verdict for one connection at the destination's inbound proxy (sidecar mode):
 *
 * 1. Only TCP is proxied (https://istio.io/latest/docs/ops/deployment/application-requirements/): UDP, SCTP and
 *    ICMP pass the mesh untouched, as does a port the sidecar does not intercept.
 * 2. Does the destination have a proxy? Without one no Istio policy applies: plaintext passes, and a client
 *    that sends Istio mTLS fails (istio/istio tests/integration/security/reachability_test.go).
 * 3. Does the client send Istio mTLS? As the probe says (`clientMtls`), else as auto mTLS does: when the client
 *    has a proxy and the destination port's mode is not DISABLE
 *    (https://istio.io/latest/docs/tasks/security/authentication/authn-policy/#auto-mutual-tls).
 * 4. The port's effective PeerAuthentication mode: STRICT refuses plaintext, DISABLE refuses Istio mTLS
 *    (tests/integration/security/pass_through_filter_chain_test.go).
 * 5. AuthorizationPolicy (`authorization.ts`), without the dry-run policies, which are evaluated separately and
 *    only reported (https://istio.io/latest/docs/tasks/security/authorization/authz-dry-run/).
 *
 * Which policies apply: those of the root namespace (mesh-wide, or by selector in every namespace) and of the
 * workload's namespace (all of it, or by selector); `targetRefs` attach to a Gateway's pods; Service and
 * ServiceEntry targets attach to waypoints only, so they never apply to a sidecar
 * (https://istio.io/latest/docs/reference/config/security/authorization-policy/#AuthorizationPolicy).
 */
import { authorize, AuthzResult, ConnectionAttributes, HttpAttributes, PeerIdentity, Traffic } from './authorization';
import { AuthorizationPolicy, MeshSettings, PeerAuthentication } from './model';
import { EffectiveMode, PeerAuthentications } from './peer-authentication';
import { bypassesSidecar, declaredProtocol, DeclaredProtocol, podTrustedProxies, principalOf, ProxyKind, proxyOf } from './workloads';
import { EndpointUniverse } from '../../core/endpoint-universe';
import { Endpoint } from '../../core/endpoints';
import { IpAddress, parseIpAddress } from '../../core/ip-address';
import { Labels } from '../../core/label-selector';
import { ApplicationRequest, DirectionQuery, Effect } from '../../dialect';
import { ServiceRecord } from '../../manifests/service';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const GATEWAY_NAME_LABELS = ['gateway.networking.k8s.io/gateway-name', 'istio.io/gateway-name'];

/** How one connection fared at the destination's proxy. */
export type IstioOutcome =
  /** The mesh does not see the connection (not TCP, or a port the sidecar does not intercept). */
  | { readonly kind: 'not-proxied'; readonly why: string }
  /** No proxy at the destination: plaintext passes; Istio mTLS fails. */
  | { readonly kind: 'no-proxy'; readonly mtls: boolean; readonly mtlsGiven: boolean }
  /** The destination is in ambient mode, which the analyzer does not judge. */
  | { readonly kind: 'ambient' }
  /** The PeerAuthentication mode refuses the connection's TLS mode. */
  | { readonly kind: 'mtls-refused'; readonly mode: EffectiveMode; readonly mtls: boolean; readonly mtlsGiven: boolean }
  /** Authorization decided. `dryRun` is the verdict the dry-run policies would give, when some apply. */
  | {
    readonly kind: 'authorized';
    readonly proxy: 'sidecar' | 'gateway';
    readonly mode?: EffectiveMode;
    readonly mtls: boolean;
    readonly mtlsGiven: boolean;
    readonly traffic: Traffic;
    readonly result: AuthzResult;
    readonly dryRun?: { readonly policies: readonly AuthorizationPolicy[]; readonly result: AuthzResult };
  };

/** The verdict of an outcome: `unknown` is never an allow. */
export function outcomeVerdict(outcome: IstioOutcome): 'allow' | 'deny' | 'unknown' {
  switch (outcome.kind) {
    case 'not-proxied':
      return 'allow';
    case 'no-proxy':
      return outcome.mtls ? 'deny' : 'allow';
    case 'ambient':
      return 'unknown';
    case 'mtls-refused':
      return 'deny';
    case 'authorized':
      return outcome.result.verdict;
  }
}

/** The effect of an outcome in the fold; `unknown` is a `deny`. */
export function outcomeEffect(outcome: IstioOutcome): Effect {
  switch (outcome.kind) {
    case 'not-proxied':
      return 'not-isolated';
    case 'no-proxy':
      return outcome.mtls ? 'deny' : 'not-isolated';
    case 'ambient':
    case 'mtls-refused':
      return 'deny';
    case 'authorized': {
      const { verdict, step } = outcome.result;
      if (verdict === 'allow') return step === 'allow-rule' ? 'allow' : 'not-isolated';
      if (verdict === 'deny') return step === 'no-allow-match' ? 'isolated' : 'deny';
      return 'deny';
    }
  }
}

function selects(selector: ReadonlyMap<string, string>, labels: Labels): boolean {
  return [...selector].every(([key, value]) => labels.get(key) === value);
}

export class IstioEvaluator {
  readonly peerAuthentications: PeerAuthentications;
  private readonly proxies: (ProxyKind | undefined)[];
  private readonly identities: (PeerIdentity | 'unknown' | undefined)[] = [];
  private readonly applicable = new Map<number, readonly AuthorizationPolicy[]>();
  private readonly namespaceLabels = new Map<string, Labels>();
  private readonly byNamespace = new Map<string, AuthorizationPolicy[]>();
  private readonly protocols = new Map<string, DeclaredProtocol>();

  constructor(
    readonly universe: EndpointUniverse,
    peerAuthentications: readonly PeerAuthentication[],
    readonly policies: readonly AuthorizationPolicy[],
    private readonly services: readonly ServiceRecord[],
    readonly settings: MeshSettings,
  ) {
    this.peerAuthentications = new PeerAuthentications(peerAuthentications, settings.rootNamespace);
    this.proxies = new Array(universe.size);
    for (const range of universe.namespaces) this.namespaceLabels.set(range.namespace.name, range.namespace.labels);
    for (const policy of policies) {
      const list = this.byNamespace.get(policy.ref.namespace!) ?? [];
      list.push(policy);
      this.byNamespace.set(policy.ref.namespace!, list);
    }
  }

  proxyOf(endpoint: Endpoint): ProxyKind {
    if (endpoint.index < 0 || this.universe.endpoints[endpoint.index] !== endpoint) {
      return proxyOf(endpoint, this.namespaceLabels.get(endpoint.namespace ?? '') ?? new Map());
    }
    let kind = this.proxies[endpoint.index];
    if (kind === undefined) {
      kind = proxyOf(endpoint, this.namespaceLabels.get(endpoint.namespace ?? '') ?? new Map());
      this.proxies[endpoint.index] = kind;
    }
    return kind;
  }

  /** The AuthorizationPolicies (dry-run ones included) that apply to a workload. */
  policiesFor(workload: Endpoint): readonly AuthorizationPolicy[] {
    const cached = workload.index >= 0 ? this.applicable.get(workload.index) : undefined;
    if (cached) return cached;
    const root = this.settings.rootNamespace;
    const candidates = [...(this.byNamespace.get(root) ?? []), ...(workload.namespace !== root ? this.byNamespace.get(workload.namespace ?? '') ?? [] : [])];
    const found = candidates.filter((policy) => this.applies(policy, workload));
    if (workload.index >= 0) this.applicable.set(workload.index, found);
    return found;
  }

  private applies(policy: AuthorizationPolicy, workload: Endpoint): boolean {
    if (policy.targetRefs) {
      // A Gateway's pods carry its name; Service and ServiceEntry targets bind waypoints, never sidecars.
      return policy.ref.namespace === workload.namespace && policy.targetRefs.some((ref) => ref.group === GATEWAY_GROUP && ref.kind === 'Gateway'
        && GATEWAY_NAME_LABELS.some((label) => workload.labels.get(label) === ref.name));
    }
    if (policy.selector) return selects(policy.selector, workload.labels);
    return true;
  }

  /** A pod's effective mode on a port. */
  modeOf(pod: Endpoint, port: number): EffectiveMode {
    return this.peerAuthentications.effectiveMode(pod, port);
  }

  private protocolOf(pod: Endpoint, port: number): DeclaredProtocol {
    const key = `${pod.index}/${port}`;
    if (this.protocols.has(key)) return this.protocols.get(key);
    const protocol = declaredProtocol(pod, port, this.services);
    this.protocols.set(key, protocol);
    return protocol;
  }

  private traffic(destination: Endpoint, port: number, request: ApplicationRequest | undefined): Traffic {
    const declared = this.protocolOf(destination, port);
    if (declared === 'tcp' || request?.tls) return 'tcp';
    if (declared === 'conflict') return 'unknown';
    // A declared HTTP port, or an undeclared one where Istio sniffs HTTP.
    return request?.http ? 'http' : 'http-unchecked';
  }

  /** `remote.ip`: the source address, or the X-Forwarded-For entry `numTrustedProxies` from the right. */
  private remoteIps(destination: Endpoint, sourceIps: readonly IpAddress[], http: HttpAttributes | undefined): readonly IpAddress[] | 'unknown' {
    const forwarded = http?.headers.get('x-forwarded-for');
    if (forwarded === undefined) return sourceIps;
    const trusted = podTrustedProxies(destination) ?? this.settings.numTrustedProxies;
    if (Number.isNaN(trusted)) return 'unknown';
    if (trusted === 0) return sourceIps;
    const hops = forwarded.split(',').map((part) => part.trim()).filter((part) => part !== '');
    if (hops.length < trusted) return 'unknown';
    const address = parseIpAddress(hops[hops.length - trusted]);
    return address ? [address] : 'unknown';
  }

  /** The identity a pod's certificate carries; `unknown` for anything else. */
  identity(source: Endpoint): PeerIdentity | 'unknown' {
    const cached = source.index >= 0 && this.universe.endpoints[source.index] === source ? this.identities[source.index] : undefined;
    if (cached) return cached;
    const principal = principalOf(source, this.settings.trustDomain);
    const identity: PeerIdentity | 'unknown' = principal === undefined ? 'unknown' : {
      principal,
      namespace: source.namespace!,
      serviceAccount: `${source.namespace}/${source.serviceAccount ?? 'default'}`,
      trustDomain: this.settings.trustDomain,
    };
    if (source.index >= 0 && this.universe.endpoints[source.index] === source) this.identities[source.index] = identity;
    return identity;
  }

  /** The outcome of one connection; egress queries are never restricted by the mesh (authorization is inbound). */
  evaluate(query: DirectionQuery): IstioOutcome {
    const destination = query.subject;
    const source = query.peer;
    const { probe, request } = query;
    if (query.icmp || probe.protocol !== 'TCP') {
      return { kind: 'not-proxied', why: `${query.icmp ? 'ICMP' : probe.protocol} is not proxied by Istio's sidecar, which intercepts TCP only` };
    }
    const destinationProxy = this.proxyOf(destination);
    const sourceProxy = this.proxyOf(source);
    const mtlsGiven = request?.mtls !== undefined;
    if (destinationProxy === 'none') return { kind: 'no-proxy', mtls: request?.mtls ?? false, mtlsGiven };
    if (destinationProxy === 'ambient') return { kind: 'ambient' };
    if (destinationProxy === 'sidecar' && bypassesSidecar(destination, probe.port)) {
      return { kind: 'not-proxied', why: `port ${probe.port} is not intercepted by the sidecar of ${destination.id} (traffic.sidecar.istio.io annotations)` };
    }
    // PeerAuthentication applies to sidecars, not to a gateway's own listeners.
    const mode = destinationProxy === 'sidecar' ? this.modeOf(destination, probe.port) : undefined;
    const clientHasProxy = sourceProxy === 'sidecar' || sourceProxy === 'gateway';
    const mtls = request?.mtls ?? (clientHasProxy && mode?.mode !== 'DISABLE');
    if (mode && ((mode.mode === 'STRICT' && !mtls) || (mode.mode === 'DISABLE' && mtls))) return { kind: 'mtls-refused', mode, mtls, mtlsGiven };
    const http = request?.http && !request.tls ? httpAttributes(request.http) : undefined;
    const traffic = this.traffic(destination, probe.port, request);
    const attributes: ConnectionAttributes = {
      mtls,
      ...(mtls ? { peer: this.identity(source) } : {}),
      sourceIps: source.ips,
      remoteIps: this.remoteIps(destination, source.ips, traffic === 'http' ? http : undefined),
      destinationIps: destination.ips,
      port: probe.port,
      traffic,
      ...(traffic === 'http' && http ? { http } : {}),
    };
    const all = this.policiesFor(destination);
    const enforced = all.filter((policy) => !policy.dryRun);
    const result = authorize(enforced, attributes);
    const dryRunPolicies = all.filter((policy) => policy.dryRun);
    const dryRun = dryRunPolicies.length > 0 ? { policies: dryRunPolicies, result: authorize(all, attributes) } : undefined;
    return { kind: 'authorized', proxy: destinationProxy, ...(mode ? { mode } : {}), mtls, mtlsGiven, traffic, result, ...(dryRun ? { dryRun } : {}) };
  }
}

function httpAttributes(http: NonNullable<ApplicationRequest['http']>): HttpAttributes {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(http.headers)) headers.set(name.toLowerCase(), value);
  return { method: http.method, path: http.path, ...(http.host !== undefined ? { host: http.host } : {}), headers };
}
