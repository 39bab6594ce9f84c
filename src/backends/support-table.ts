/**
 * Which intent each built-in backend can express: one table, as data. The synthesis errors of a
 * backend that cannot express an intent, the check of `omit` lists, and the README's support table
 * are all read from it, so that they cannot disagree.
 */
import { Feature } from '../model/features';

/** The built-in backends, by id. */
export type BuiltInBackend = 'kubernetes' | 'cilium' | 'calico' | 'istio';
export const BUILT_IN_BACKENDS: readonly BuiltInBackend[] = ['kubernetes', 'cilium', 'calico', 'istio'];

/** One cell: how the backend expresses the intent, or why it cannot and what to do instead. */
export type Support =
  | { readonly supported: true; readonly how: string }
  | { readonly supported: false; readonly why: string; readonly fix: string };

export interface IntentRow {
  /** The intent in words, as the README lists it. */
  readonly intent: string;
  /** The declaration that states it. */
  readonly example: string;
  /** The feature a backend may lack; undefined for intents every built-in backend expresses. */
  readonly feature?: Feature;
  /** Short words for the feature in errors, e.g. `FQDN peers`. */
  readonly name: string;
  readonly support: Readonly<Record<BuiltInBackend, Support>>;
}

const yes = (how: string): Support => ({ supported: true, how });
const no = (why: string, fix: string): Support => ({ supported: false, why, fix });

const OMIT_HINT = (feature: Feature) => `or declare that this target omits it: Backend.kubernetes({ omit: [Feature.${featureConstant(feature)}] })`;
const ISTIO_OMIT_HINT = (feature: Feature) => `or declare that the mesh omits it: Backend.istio({ omit: [Feature.${featureConstant(feature)}] }) (the mesh then refuses that caller; the network backends keep the rule)`;
/** The Istio column's words for intents that are only egress: AuthorizationPolicy governs what a workload receives. */
const NOT_THE_MESHS = (what: string) => yes(`not the mesh's part: ${what} is egress, which AuthorizationPolicy does not restrict; the network backends render it`);
const NO_IDENTITY = (what: string) => `${what} has no mesh identity, and AuthorizationPolicy admits callers by their certificate`;
const CALICO_OMIT_HINT = (feature: Feature) => `or declare that this target omits it: Backend.calico({ omit: [Feature.${featureConstant(feature)}] })`;

export const SUPPORT_TABLE: readonly IntentRow[] = [
  {
    intent: 'default-deny in both directions, per namespace',
    name: 'default-deny',
    example: "new ZeroTrustNamespace(platform, 'web', { name: 'web' })",
    support: {
      kubernetes: yes('NetworkPolicy default-deny-all'),
      cilium: yes('CiliumNetworkPolicy default-deny-all'),
      calico: yes('NetworkPolicy default-deny-all selecting every pod: the tier applies to them, and ends in Deny'),
      istio: yes('AuthorizationPolicy allow-nothing (ALLOW without rules) per namespace with sidecars'),
    },
  },
  {
    intent: 'DNS egress to the cluster DNS (UDP and TCP 53)',
    name: 'DNS egress',
    example: 'allowDns (on by default)',
    support: {
      kubernetes: yes('namespaceSelector + podSelector'),
      cilium: yes('toEndpoints with the DNS proxy rule when names are peers'),
      calico: yes('one Allow rule per protocol to the DNS pods'),
      istio: NOT_THE_MESHS('DNS'),
    },
  },
  {
    intent: 'workload → workload, same or other namespace',
    name: 'workload flows',
    example: 'frontend.allowTo(backend, Port.tcp(8080))',
    support: {
      kubernetes: yes('podSelector AND namespaceSelector'),
      cilium: yes('toEndpoints/fromEndpoints with the namespace label'),
      calico: yes('namespaceSelector by projectcalico.org/name AND a pod selector'),
      istio: yes('an ALLOW per destination workload, admitting the caller\'s principal (its service account, which must be its own)'),
    },
  },
  {
    intent: 'whole namespace, whole tenant, every tenant, external namespace or its pods as a peer',
    name: 'namespace and tenant peers',
    example: 'registry.allowFrom(Peer.allTenants(), Port.tcp(5000))',
    support: {
      kubernetes: yes('namespaceSelector by name'),
      cilium: yes('endpoint selectors on io.kubernetes.pod.namespace'),
      calico: yes('namespaceSelector by projectcalico.org/name'),
      istio: yes('source.namespaces; pods of an external namespace only by service account (Peer.serviceAccount, Peer.istioIngressGateway)'),
    },
  },
  {
    intent: 'CIDR peers with except; cluster networks carved out',
    name: 'CIDR peers',
    example: "Peer.cidr('203.0.113.0/24', { except: ['203.0.113.128/25'] })",
    feature: Feature.CIDR,
    support: {
      kubernetes: yes('ipBlock'),
      cilium: yes('toCIDRSet/fromCIDRSet'),
      calico: yes('nets/notNets; a named range is a GlobalNetworkSet'),
      istio: no(NO_IDENTITY('an address'), `as a caller, let the traffic enter through an ingress gateway and allow Peer.istioIngressGateway(), ${ISTIO_OMIT_HINT(Feature.CIDR)}`),
    },
  },
  {
    intent: 'TCP, UDP, SCTP; single ports, ranges, named ports, all ports',
    name: 'ports',
    example: 'Port.tcpRange(8000, 8080), Port.named("http"), Port.all()',
    support: {
      kubernetes: yes('ports'),
      cilium: yes('toPorts'),
      calico: yes('one rule per protocol, destination.ports'),
      istio: yes('operation.ports, one string per TCP port (ranges up to 128 ports); UDP and SCTP are not intercepted by the sidecar and stay with the network backends; named ports are refused (give the number)'),
    },
  },
  {
    intent: 'same-namespace and intra-tenant allowances',
    name: 'same-namespace and intra-tenant allowances',
    example: 'allowSameNamespace, allowIntraTenant',
    support: {
      kubernetes: yes('podSelector {} / namespaceSelector'),
      cilium: yes('endpoint selectors'),
      calico: yes('namespaceSelector by projectcalico.org/name'),
      istio: yes('ALLOW from source.namespaces'),
    },
  },
  {
    intent: 'platform allowances for every managed pod (or a tenant, namespace or workload)',
    name: 'platform allowances',
    example: "platform.allowEgress('apiserver', Peer.kubeApiserver({ addresses }), { ports: [Port.tcp(443)] })",
    support: {
      kubernetes: yes('rules in all-pods policies'),
      cilium: yes('rules in all-pods policies'),
      calico: yes('rules in all-pods policies'),
      istio: yes('ALLOW policies without selector, for what the pods receive'),
    },
  },
  {
    intent: 'the kube-apiserver, given its endpoint addresses',
    name: 'the kube-apiserver by address',
    example: "Peer.kubeApiserver({ addresses: ['172.18.0.2/32'] })",
    support: {
      kubernetes: yes('ipBlock per address'),
      cilium: yes('the kube-apiserver entity'),
      calico: yes('nets of its addresses'),
      istio: yes('as a destination (egress, the network backends\' part); as a caller it has no mesh identity and is refused'),
    },
  },
  {
    intent: 'FQDN peers: exact names and `*.` patterns',
    name: 'FQDN peers',
    example: "Peer.fqdn('api.github.com'), Peer.fqdnPattern('*.s3.amazonaws.com')",
    feature: Feature.FQDN,
    support: {
      kubernetes: no('NetworkPolicy matches addresses, not DNS names', `FQDN peers need the Cilium backend, ${OMIT_HINT(Feature.FQDN)}`),
      cilium: yes('toFQDNs, with the DNS proxy rule on the DNS egress'),
      calico: no('Calico Open Source matches addresses, not DNS names (domain rules are Calico Enterprise only)', `FQDN peers need the Cilium backend, ${CALICO_OMIT_HINT(Feature.FQDN)}`),
      istio: NOT_THE_MESHS('a DNS name is only ever a destination: it'),
    },
  },
  {
    intent: 'L7 HTTP rules on a port: methods, path, host, headers',
    name: 'L7 HTTP rules',
    example: "Port.tcp(8080).http({ methods: [HttpMethod.GET], path: '/api/.*' })",
    feature: Feature.HTTP,
    support: {
      kubernetes: no('NetworkPolicy filters connections, not HTTP requests', `L7 HTTP rules need the Cilium backend, ${OMIT_HINT(Feature.HTTP)} (the port is then not allowed at all)`),
      cilium: yes('toPorts.rules.http'),
      calico: no('Calico Open Source policy filters connections, not HTTP requests', `L7 HTTP rules need the Cilium backend, ${CALICO_OMIT_HINT(Feature.HTTP)} (the port is then not allowed at all)`),
      istio: yes('operation methods, paths (a literal, a prefix .*, [^/]+ segments) and hosts; headers as presence conditions; never on DENY rules'),
    },
  },
  {
    intent: 'the kube-apiserver as an entity, without addresses',
    name: 'the kube-apiserver without its addresses',
    example: 'Peer.kubeApiserver()',
    feature: Feature.KUBE_APISERVER,
    support: {
      kubernetes: no('NetworkPolicy has no API-server entity, and selects it only by address', "give its endpoint addresses, Peer.kubeApiserver({ addresses: ['172.18.0.2/32'] }), or use the Cilium backend"),
      cilium: yes('the kube-apiserver entity'),
      calico: no('Calico has no API-server entity, and selects it only by address', "give its endpoint addresses, Peer.kubeApiserver({ addresses: ['172.18.0.2/32'] }), or use the Cilium backend"),
      istio: no(NO_IDENTITY('the kube-apiserver'), `as a caller (admission webhooks), leave it to the network backends: ${ISTIO_OMIT_HINT(Feature.KUBE_APISERVER)}`),
    },
  },
  {
    intent: "the nodes: the pod's own node, the other nodes",
    name: 'node peers',
    example: 'Peer.localNode(), Peer.remoteNodes()',
    feature: Feature.NODES,
    support: {
      kubernetes: no(
        'NetworkPolicy cannot select nodes: hostNetwork pods and node traffic are left to the CNI, and an ipBlock of node addresses is not the node',
        `node peers need the Cilium backend (host, remote-node), ${OMIT_HINT(Feature.NODES)}`,
      ),
      cilium: yes('the host and remote-node entities'),
      calico: no(
        'Calico selects nodes only as host endpoints, which a cluster need not define, and nets of node addresses are not the node',
        `node peers need the Cilium backend (host, remote-node), ${CALICO_OMIT_HINT(Feature.NODES)}`,
      ),
      istio: no(NO_IDENTITY('a node'), `kubelet probes reach the sidecar's agent, not the app; other node callers need the network backends, ${ISTIO_OMIT_HINT(Feature.NODES)}`),
    },
  },
  {
    intent: 'the world: every address outside the cluster',
    name: 'the world entity',
    example: 'Peer.world()',
    feature: Feature.WORLD,
    support: {
      kubernetes: no(
        'an ipBlock of 0.0.0.0/0 also holds the nodes and, on some CNIs, the pods',
        `use Peer.anyIpv4() with the platform's clusterNetworks for addresses, use the Cilium backend, ${OMIT_HINT(Feature.WORLD)}`,
      ),
      cilium: yes('the world entity'),
      calico: no(
        'Calico has no entity for everything outside the cluster, and nets of 0.0.0.0/0 also hold the nodes and the pods',
        `use Peer.anyIpv4() with the platform's clusterNetworks for addresses, use the Cilium backend, ${CALICO_OMIT_HINT(Feature.WORLD)}`,
      ),
      istio: no(NO_IDENTITY('an address outside the cluster'), `let the traffic enter through an ingress gateway and allow Peer.istioIngressGateway(), ${ISTIO_OMIT_HINT(Feature.WORLD)}`),
    },
  },
  {
    intent: 'the whole cluster: every pod and node',
    name: 'the cluster entity',
    example: 'Peer.cluster()',
    feature: Feature.CLUSTER,
    support: {
      kubernetes: no('NetworkPolicy cannot select the nodes, so namespaceSelector {} would not be the whole cluster', `use the Cilium backend, name the namespaces or tenants, ${OMIT_HINT(Feature.CLUSTER)}`),
      cilium: yes('the cluster entity'),
      calico: no('Calico has no entity for every pod and node, and selects nodes only as host endpoints', `use the Cilium backend, name the namespaces or tenants, ${CALICO_OMIT_HINT(Feature.CLUSTER)}`),
      istio: no(NO_IDENTITY('a node (the cluster entity holds them)'), `name the namespaces or tenants, ${ISTIO_OMIT_HINT(Feature.CLUSTER)}`),
    },
  },
  {
    intent: 'NodeLocal DNSCache (a link-local address) as a DNS server',
    name: 'NodeLocal DNSCache',
    example: "dns: { nodeLocal: '169.254.20.10' }",
    feature: Feature.NODE_LOCAL_DNS,
    support: {
      kubernetes: yes('ipBlock of the address in allow-dns-egress'),
      cilium: no(
        "Cilium gives addresses of the node's own interfaces the host identity, so a CIDR rule for the link-local address does not match",
        'run NodeLocal DNSCache behind a Cilium Local Redirect Policy (https://docs.cilium.io/en/stable/network/kubernetes/local-redirect-policy/) and point the platform dns labels at its pods, or declare that this target omits it: Backend.cilium({ omit: [Feature.NODE_LOCAL_DNS] })',
      ),
      calico: yes('nets of the address in allow-dns-egress'),
      istio: NOT_THE_MESHS('DNS'),
    },
  },
  {
    intent: 'service accounts as identity',
    name: 'service-account identity',
    example: 'backend.allowFrom(frontend.byServiceAccount(), Port.tcp(8080))',
    feature: Feature.SERVICE_ACCOUNT,
    support: {
      kubernetes: no('NetworkPolicy selects pods by labels only', `service-account peers need the Cilium backend (io.cilium.k8s.policy.serviceaccount), ${OMIT_HINT(Feature.SERVICE_ACCOUNT)}`),
      cilium: yes('the io.cilium.k8s.policy.serviceaccount label'),
      calico: yes('serviceAccounts.names, ANDed with the namespace and the labels'),
      istio: yes('source.principals <trustDomain>/ns/<namespace>/sa/<name>'),
    },
  },
  {
    intent: 'explicit denies and restrictions, which win over every allow',
    name: 'explicit denies',
    example: "platform.denyEgress('no-metadata', Peer.cidr('169.254.169.254/32'))",
    feature: Feature.DENY,
    support: {
      kubernetes: no(
        'NetworkPolicy only allows; it has no deny that wins over the allows of other policies',
        `denies need the Cilium backend, ${OMIT_HINT(Feature.DENY)} (refused while an allow of the program overlaps the deny)`,
      ),
      cilium: yes('CiliumClusterwideNetworkPolicy ingressDeny/egressDeny'),
      calico: yes('GlobalNetworkPolicy Deny rules in the platform tier, before every allow'),
      istio: yes('AuthorizationPolicy DENY for ingress denies (principals, namespaces, notNamespaces, ipBlocks, ports); egress denies are the network backends\' part'),
    },
  },
  {
    intent: 'rules for every pod of the cluster, managed namespaces or not',
    name: 'cluster-wide rules',
    example: "platform.denyEgress('no-metadata', peer, { clusterWide: true })",
    feature: Feature.CLUSTER_WIDE,
    support: {
      kubernetes: no('NetworkPolicy is namespaced, and the platform emits it only in its own namespaces', `use the Cilium backend (CiliumClusterwideNetworkPolicy), apply the rule to the managed namespaces, ${OMIT_HINT(Feature.CLUSTER_WIDE)}`),
      cilium: yes('CiliumClusterwideNetworkPolicy with an empty endpointSelector'),
      calico: yes("GlobalNetworkPolicy selecting every pod (projectcalico.org/orchestrator == 'k8s')"),
      istio: yes('a DENY AuthorizationPolicy in the root namespace, for every workload of the mesh'),
    },
  },
];

function featureConstant(feature: Feature): string {
  const entry = Object.entries(Feature).find(([, value]) => value === feature);
  return entry ? entry[0] : feature;
}

/** The row of a feature. Every feature has exactly one (a test checks it). */
export function rowOf(feature: Feature): IntentRow {
  const row = SUPPORT_TABLE.find((r) => r.feature === feature);
  if (!row) throw new Error(`internal: no row for feature '${feature}' in the support table`);
  return row;
}

/** How `backend` supports `feature`. */
export function supportOf(backend: BuiltInBackend, feature: Feature): Support {
  return rowOf(feature).support[backend];
}

/** The table as Markdown, for the README: one row per intent, one column per built-in backend. */
export function supportTableMarkdown(): string {
  const header = `| intent | example | ${BUILT_IN_BACKENDS.map((b) => `\`${b}\``).join(' | ')} |`;
  const rule = `| --- | --- | ${BUILT_IN_BACKENDS.map(() => '---').join(' | ')} |`;
  const rows = SUPPORT_TABLE.map((row) => {
    const cells = BUILT_IN_BACKENDS.map((b) => {
      const cell = row.support[b];
      return cell.supported ? `yes: ${cell.how}` : `**no**: ${cell.why}`;
    });
    return `| ${row.intent} | \`${row.example.replace(/\|/g, '\\|')}\` | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}
