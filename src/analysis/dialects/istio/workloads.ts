/**
 * What Istio knows about an endpoint: whether a proxy runs beside it (a sidecar the injection webhook adds, a
 * gateway, or none), its identity, what protocol a port carries, and how many proxies in front of it
 * X-Forwarded-For trusts.
 */
import { parse as parseYaml } from 'yaml';
import { Endpoint } from '../../core/endpoints';
import { Labels } from '../../core/label-selector';
import { isRecord } from '../../manifests/fields';
import { ServiceRecord } from '../../manifests/service';

/**
 * - `sidecar`: an injected istio-proxy enforces PeerAuthentication and AuthorizationPolicy on inbound traffic;
 * - `gateway`: a gateway proxy (its own Envoy, not injected): AuthorizationPolicy applies, and as a client it
 *   speaks Istio mTLS;
 * - `ambient`: the namespace or pod is in ambient mode (ztunnel, waypoints), which this analyzer does not judge;
 * - `none`: no proxy: the mesh enforces nothing there.
 */
export type ProxyKind = 'sidecar' | 'gateway' | 'ambient' | 'none';

const INJECTION_LABEL = 'istio-injection';
const REVISION_LABEL = 'istio.io/rev';
const INJECT = 'sidecar.istio.io/inject';
const DATAPLANE_MODE = 'istio.io/dataplane-mode';
const GATEWAY_NAME_LABELS = ['gateway.networking.k8s.io/gateway-name', 'istio.io/gateway-name'];
const GATEWAY_TEMPLATES = 'inject.istio.io/templates';
/** Namespaces the injector never injects (https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/). */
const NEVER_INJECTED = new Set(['kube-system', 'kube-public']);

function truthy(value: string): boolean {
  // The injector reads the pod's value as a YAML boolean (pkg/kube/inject/webhook.go injectRequired).
  return ['y', 'yes', 'true', 'on'].includes(value.toLowerCase());
}

/**
 * Whether the injection webhook adds a sidecar to the pod, as https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/#controlling-the-injection-policy
 * documents it: a namespace label `istio-injection=disabled` or a pod `sidecar.istio.io/inject` that is not true
 * (the label, else the annotation) keeps the sidecar out; otherwise `istio-injection=enabled` or `istio.io/rev` on
 * the namespace, or the pod label `sidecar.istio.io/inject=true` or `istio.io/rev`, brings it. hostNetwork pods
 * and kube-system / kube-public are never injected.
 */
export function isInjected(pod: Endpoint, namespaceLabels: Labels): boolean {
  if (pod.kind !== 'pod' || pod.hostNetwork || NEVER_INJECTED.has(pod.namespace ?? '')) return false;
  const namespaceValue = namespaceLabels.get(INJECTION_LABEL);
  const podLabel = pod.labels.get(INJECT);
  const podValue = podLabel ?? pod.annotations?.get(INJECT);
  if (namespaceValue === 'disabled') return false;
  if (podValue !== undefined && podValue !== '' && !truthy(podValue)) return false;
  // The namespace webhook fires for istio-injection=enabled, or istio.io/rev without istio-injection.
  const namespaceEnabled = namespaceValue === 'enabled' || (namespaceValue === undefined && namespaceLabels.has(REVISION_LABEL));
  // The object-selector webhook fires for the pod label sidecar.istio.io/inject=true or istio.io/rev.
  const podEnabled = podLabel === 'true' || pod.labels.has(REVISION_LABEL);
  return namespaceEnabled || podEnabled;
}

/** A gateway deployment's pod: it runs Envoy itself, so it has a proxy without an injected sidecar. */
export function isGatewayPod(pod: Endpoint): boolean {
  if (pod.kind !== 'pod') return false;
  const istioLabel = pod.labels.get('istio');
  return istioLabel === 'ingressgateway' || istioLabel === 'egressgateway'
    || GATEWAY_NAME_LABELS.some((label) => pod.labels.has(label))
    || (pod.annotations?.get(GATEWAY_TEMPLATES) ?? '').split(',').map((part) => part.trim()).includes('gateway');
}

/** Ambient mode (https://istio.io/latest/docs/ambient/usage/add-workloads/): the namespace or pod label `istio.io/dataplane-mode=ambient`. */
function isAmbient(pod: Endpoint, namespaceLabels: Labels): boolean {
  const podMode = pod.labels.get(DATAPLANE_MODE);
  if (podMode !== undefined) return podMode === 'ambient';
  return namespaceLabels.get(DATAPLANE_MODE) === 'ambient';
}

export function proxyOf(endpoint: Endpoint, namespaceLabels: Labels): ProxyKind {
  if (endpoint.kind !== 'pod') return 'none';
  if (isGatewayPod(endpoint)) return 'gateway';
  if (isInjected(endpoint, namespaceLabels)) return 'sidecar';
  if (!endpoint.hostNetwork && isAmbient(endpoint, namespaceLabels)) return 'ambient';
  return 'none';
}

/** `<trust domain>/ns/<namespace>/sa/<service account>` (https://istio.io/latest/docs/reference/config/security/authorization-policy/#Source). */
export function principalOf(pod: Endpoint, trustDomain: string): string | undefined {
  if (pod.kind !== 'pod' || pod.namespace === undefined) return undefined;
  return `${trustDomain}/ns/${pod.namespace}/sa/${pod.serviceAccount ?? 'default'}`;
}

/** `gatewayTopology.numTrustedProxies` of the pod's `proxy.istio.io/config`; undefined when not set, `NaN` when unreadable. */
export function podTrustedProxies(pod: Endpoint): number | undefined {
  const text = pod.annotations?.get('proxy.istio.io/config');
  if (text === undefined) return undefined;
  let config: unknown;
  try {
    config = parseYaml(text, { maxAliasCount: 0 });
  } catch {
    return NaN;
  }
  if (!isRecord(config) || !isRecord(config.gatewayTopology) || config.gatewayTopology.numTrustedProxies === undefined) return undefined;
  const value = config.gatewayTopology.numTrustedProxies;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : NaN;
}

/**
 * The proxy's own inbound ports that injection always leaves out of interception: Envoy's Prometheus port 15090, the
 * health port 15021 and the agent's status port (15020, or `status.sidecar.istio.io/port`). The injected
 * `istio-iptables` runs with `-d 15090,15021,<status port>`, so connections to them never meet Envoy's inbound
 * listener or its AuthorizationPolicies (https://istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio,
 * https://istio.io/latest/docs/reference/config/annotations/#SidecarStatusPort).
 */
function proxyOwnPorts(pod: Endpoint): readonly number[] {
  const status = Number(pod.annotations?.get('status.sidecar.istio.io/port') ?? '15020');
  return [15090, 15021, Number.isInteger(status) && status > 0 ? status : 15020];
}

/**
 * Ports the sidecar does not intercept inbound (the proxy's own, `traffic.sidecar.istio.io/excludeInboundPorts`, or ports
 * outside `includeInboundPorts` when it is not `*`): https://istio.io/latest/docs/reference/config/annotations/.
 */
export function bypassesSidecar(pod: Endpoint, port: number): boolean {
  const list = (name: string): string[] | undefined => pod.annotations?.get(name)?.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (proxyOwnPorts(pod).includes(port)) return true;
  if (list('traffic.sidecar.istio.io/excludeInboundPorts')?.includes(String(port))) return true;
  const include = list('traffic.sidecar.istio.io/includeInboundPorts');
  return include !== undefined && !include.includes('*') && !include.includes(String(port));
}

/** What a port carries for Istio: declared HTTP, declared other (TCP), or not declared (Istio sniffs HTTP). */
export type DeclaredProtocol = 'http' | 'tcp' | 'conflict' | undefined;

const HTTP_PROTOCOLS = new Set(['http', 'http2', 'grpc', 'grpc-web', 'kubernetes.io/h2c']);
const OTHER_PROTOCOLS = new Set(['tcp', 'tls', 'https', 'mongo', 'mysql', 'redis', 'udp', 'kubernetes.io/ws', 'kubernetes.io/wss']);

/**
 * A Service port's protocol as Istio selects it (https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/):
 * `appProtocol`, else the port name `<protocol>[-<suffix>]`; undefined when neither names a protocol.
 */
export function servicePortProtocol(port: { readonly name?: string; readonly appProtocol?: string }): 'http' | 'tcp' | undefined {
  const classify = (text: string): 'http' | 'tcp' | undefined => {
    const lower = text.toLowerCase();
    if (HTTP_PROTOCOLS.has(lower)) return 'http';
    if (OTHER_PROTOCOLS.has(lower)) return 'tcp';
    return undefined;
  };
  if (port.appProtocol !== undefined) {
    const fromApp = classify(port.appProtocol);
    if (fromApp) return fromApp;
  }
  if (port.name === undefined) return undefined;
  return classify(port.name) ?? classify(port.name.split('-')[0]);
}

/** The protocol the Services that select the pod declare for its container port `port`. */
export function declaredProtocol(pod: Endpoint, port: number, services: readonly ServiceRecord[]): DeclaredProtocol {
  const found = new Set<'http' | 'tcp'>();
  for (const service of services) {
    if (service.namespace !== pod.namespace || !service.selector || service.selector.size === 0) continue;
    if (![...service.selector].every(([key, value]) => pod.labels.get(key) === value)) continue;
    for (const servicePort of service.ports) {
      if (servicePort.protocol !== 'TCP') continue;
      const target = typeof servicePort.targetPort === 'number'
        ? servicePort.targetPort
        : pod.ports.find((container) => container.name === servicePort.targetPort)?.port;
      if (target !== port) continue;
      const protocol = servicePortProtocol(servicePort);
      if (protocol) found.add(protocol);
    }
  }
  if (found.size > 1) return 'conflict';
  return found.values().next().value;
}
