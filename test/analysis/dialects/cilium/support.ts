/** Builders and evaluation helpers for the Cilium dialect tests. */
import { buildConnectivity } from '../../../../src/analysis/connectivity';
import { ApplicationRequest, ConnectionProbe, IcmpProbe } from '../../../../src/analysis/dialect';
import { AnalyzeOptions, ProbePort } from '../../../../src/analysis/types';

export type Manifest = Record<string, unknown>;

export function cnp(id: string, spec: Manifest, key: 'spec' | 'specs' = 'spec'): Manifest {
  const [ns, name] = id.split('/');
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: ns }, [key]: spec };
}

export function cnpSpecs(id: string, specs: Manifest[]): Manifest {
  const [ns, name] = id.split('/');
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: ns }, specs };
}

export function ccnp(name: string, spec: Manifest): Manifest {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec };
}

export function cidrGroup(name: string, cidrs: string[], labels: Record<string, string> = {}): Manifest {
  return { apiVersion: 'cilium.io/v2alpha1', kind: 'CiliumCIDRGroup', metadata: { name, labels }, spec: { externalCIDRs: cidrs } };
}

export function netpol(id: string, spec: Manifest): Manifest {
  const [ns, name] = id.split('/');
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

interface PodOptions {
  readonly labels?: Record<string, string>;
  readonly node?: string;
  readonly serviceAccount?: string;
  readonly hostNetwork?: boolean;
  readonly ports?: readonly { port: number; protocol?: string; name?: string }[];
  readonly ip?: string;
}

export function pod(id: string, options: PodOptions = {}): Manifest {
  const [ns, name] = id.split('/');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: options.labels ?? {} },
    spec: {
      ...(options.node ? { nodeName: options.node } : {}),
      ...(options.serviceAccount ? { serviceAccountName: options.serviceAccount } : {}),
      ...(options.hostNetwork ? { hostNetwork: true } : {}),
      containers: [{
        name: 'main',
        image: 'example',
        ports: (options.ports ?? [{ port: 80 }])
          .map((p) => ({ containerPort: p.port, ...(p.protocol ? { protocol: p.protocol } : {}), ...(p.name ? { name: p.name } : {}) })),
      }],
    },
    ...(options.ip ? { status: { podIP: options.ip } } : {}),
  };
}

export function namespace(name: string, labels: Record<string, string> = {}): Manifest {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function node(name: string, ip: string, labels: Record<string, string> = {}): Manifest {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, status: { addresses: [{ type: 'InternalIP', address: ip }] } };
}

export function apiServerEndpoints(...ips: string[]): Manifest {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default' }, subsets: [{ addresses: ips.map((ip) => ({ ip })) }] };
}

export function service(id: string, selector: Record<string, string> | undefined, labels: Record<string, string> = {}, port = 80): Manifest {
  const [ns, name] = id.split('/');
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels },
    spec: { ...(selector ? { selector } : {}), ports: [{ port, targetPort: port }] },
  };
}

export const tcp = (port: number): ProbePort => ({ port, protocol: 'TCP' });
export const udp = (port: number): ProbePort => ({ port, protocol: 'UDP' });
export const sctp = (port: number): ProbePort => ({ port, protocol: 'SCTP' });
export const icmp = (type: number, family: 'IPv4' | 'IPv6' = 'IPv4'): IcmpProbe => ({ protocol: 'ICMP', type, family });

/**
 * A small cluster: namespaces prod (team=a) and dev (team=b), kube-system; nodes n1 (worker) and n2
 * (control plane, serving the API); pods on both; a hostNetwork pod on n1.
 */
export const BASE: readonly Manifest[] = [
  namespace('prod', { team: 'a' }),
  namespace('dev', { team: 'b' }),
  namespace('kube-system'),
  node('n1', '172.18.0.2', { role: 'worker' }),
  node('n2', '172.18.0.3', { role: 'control-plane' }),
  apiServerEndpoints('172.18.0.3'),
  pod('prod/web', { labels: { app: 'web' }, node: 'n1', ip: '10.0.1.10', ports: [{ port: 80, name: 'http' }, { port: 443 }] }),
  pod('prod/api', { labels: { app: 'api' }, node: 'n2', serviceAccount: 'api-sa', ip: '10.0.2.10', ports: [{ port: 8080, name: 'http' }, { port: 9090, name: 'metrics' }] }),
  pod('prod/db', { labels: { 'app': 'db', 'pod-template-hash': 'abc' }, node: 'n1', ip: '10.0.1.11', ports: [{ port: 5432 }] }),
  pod('dev/client', { labels: { app: 'client' }, node: 'n2', ip: '10.0.2.11' }),
  pod('kube-system/coredns', { labels: { 'k8s-app': 'kube-dns' }, node: 'n1', ip: '10.0.1.53', ports: [{ port: 53, protocol: 'UDP', name: 'dns' }, { port: 53, name: 'dns-tcp' }] }),
  pod('prod/agent', { labels: { app: 'agent' }, node: 'n1', hostNetwork: true, ip: '172.18.0.2' }),
];

export const EXTERNALS: Readonly<Record<string, string>> = { internet: '203.0.113.7', corp: '10.200.0.5', github: '140.82.112.3', apiext: '192.0.2.10' };

export type Verdict = 'allow' | 'deny';

/** Evaluates one connection on BASE plus `objects` under Cilium (or `cni`), with optional L7 attributes. */
export function verdict(
  objects: readonly Manifest[],
  from: string,
  to: string,
  probe: ConnectionProbe = tcp(80),
  request?: ApplicationRequest,
  options: AnalyzeOptions = {},
  base: readonly Manifest[] = BASE,
): Verdict {
  const connectivity = buildConnectivity([...base, ...objects], { cni: 'cilium', externals: EXTERNALS, ...options });
  const evaluation = connectivity.evaluateEndpoints(connectivity.endpoint(from), connectivity.endpoint(to), probe, request);
  return evaluation.allowed ? 'allow' : 'deny';
}
