/**
 * The Cilium semantics table: one row per rule (research notes section 3, checked against docs.cilium.io and
 * github.com/cilium/cilium), each a small manifest set on top of BASE, one connection and the expected verdict.
 * Shared by the semantics test and the schema checks of test inputs.
 */
import { BASE, ccnp, cidrGroup, cnp, cnpSpecs, EXTERNALS, icmp, Manifest, netpol, sctp, service, tcp, udp, Verdict } from './support';
import { ApplicationRequest, ConnectionProbe } from '../../../../src/analysis/dialect';
import { AnalyzeOptions } from '../../../../src/analysis/types';

export interface Case {
  /** The rule it checks, as numbered in the semantics notes (3.x). */
  readonly rule: string;
  readonly name: string;
  readonly objects: readonly Manifest[];
  readonly from: string;
  readonly to: string;
  readonly probe?: ConnectionProbe;
  readonly request?: ApplicationRequest;
  readonly options?: AnalyzeOptions;
  readonly expected: Verdict;
}

export const web = { matchLabels: { app: 'web' } };
const denyAllIngress = (id: string): Manifest => cnp(id, { endpointSelector: {}, ingress: [{}] });
export const egressOf = (egress: unknown[], extra: Manifest = {}): Manifest => cnp('prod/egress', { endpointSelector: web, egress, ...extra });
const ingressOf = (ingress: unknown[], extra: Manifest = {}): Manifest => cnp('prod/ingress', { endpointSelector: web, ingress, ...extra });
const http = (method: string, path: string, extra: Partial<NonNullable<ApplicationRequest['http']>> = {}): ApplicationRequest => ({ http: { method, path, headers: {}, ...extra } });
const fqdn = (name: string, lookupAllowed = true): ApplicationRequest => ({ fqdn: { name, lookupAllowed } });

export const CASES: readonly Case[] = [
  // 3.1 spec / specs, CNP and CCNP together
  { rule: '3.1', name: 'specs: every rule of the list applies', objects: [cnpSpecs('prod/two', [{ endpointSelector: web, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }] }, { endpointSelector: web, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'db' } }] }] }])], from: 'prod/db', to: 'prod/web', expected: 'allow' },
  { rule: '3.1', name: 'spec and specs together', objects: [{ ...cnp('prod/both', { endpointSelector: web, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }] }), specs: [{ endpointSelector: web, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'db' } }] }] }] }], from: 'prod/api', to: 'prod/web', expected: 'allow' },
  { rule: '3.1', name: 'CNP and CCNP allows are unioned', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }]), ccnp('from-dev', { endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'prod' } }, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'dev' } }] }] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '3.1', name: 'a peer neither allows stays denied', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }]), ccnp('from-dev', { endpointSelector: {}, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'dev' } }] }] })], from: 'prod/db', to: 'prod/web', expected: 'deny' },

  // 3.2 subject selection
  { rule: '3.2', name: 'CNP endpointSelector {} selects only its namespace', objects: [denyAllIngress('prod/deny')], from: 'prod/web', to: 'dev/client', expected: 'allow' },
  { rule: '3.2', name: 'CNP endpointSelector {} selects every pod of its namespace', objects: [denyAllIngress('prod/deny')], from: 'dev/client', to: 'prod/db', expected: 'deny' },
  { rule: '3.2', name: 'a CNP cannot select another namespace (the agent overrides the namespace match)', objects: [cnp('prod/other', { endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'dev' } }, ingress: [{}] })], from: 'prod/web', to: 'dev/client', expected: 'allow' },
  { rule: '3.2', name: 'the overridden namespace match selects the policy namespace', objects: [cnp('prod/other', { endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'dev' } }, ingress: [{}] })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '3.2', name: 'CCNP endpointSelector {} selects pods of every namespace', objects: [ccnp('deny-all', { endpointSelector: {}, ingress: [{}] })], from: 'prod/web', to: 'dev/client', expected: 'deny' },
  { rule: '3.2', name: 'CCNP scoped with io.kubernetes.pod.namespace', objects: [ccnp('deny-dev', { endpointSelector: { matchLabels: { 'io.kubernetes.pod.namespace': 'dev' } }, ingress: [{}] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '3.2', name: 'endpointSelector never selects a hostNetwork pod', objects: [ccnp('deny-all', { endpointSelector: {}, ingress: [{}] })], from: 'dev/client', to: 'prod/agent', expected: 'allow' },
  { rule: '3.2', name: 'nodeSelector selects the host endpoint of matching nodes', objects: [ccnp('host', { nodeSelector: { matchLabels: { role: 'worker' } }, ingress: [{}] })], from: 'dev/client', to: 'node:n1', expected: 'deny' },
  { rule: '3.2', name: 'nodeSelector leaves other nodes alone', objects: [ccnp('host', { nodeSelector: { matchLabels: { role: 'worker' } }, ingress: [{}] })], from: 'dev/client', to: 'node:n2', expected: 'allow' },
  { rule: '3.2', name: 'a host policy covers hostNetwork pods of the node', objects: [ccnp('host', { nodeSelector: { matchLabels: { role: 'worker' } }, ingress: [{}] })], from: 'dev/client', to: 'prod/agent', expected: 'deny' },
  { rule: '3.2', name: 'a host policy does not select pods', objects: [ccnp('host', { nodeSelector: {}, ingress: [{}] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },

  // 3.3 labels and namespace scoping of peers
  { rule: '3.3', name: 'k8s: source prefix', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { 'k8s:app': 'api' } }] }])], from: 'prod/api', to: 'prod/web', expected: 'allow' },
  { rule: '3.3', name: 'any: source prefix', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { 'any:app': 'api' } }] }])], from: 'prod/api', to: 'prod/web', expected: 'allow' },
  { rule: '3.3', name: 'another source does not match k8s labels', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { 'container:app': 'api' } }] }])], from: 'prod/api', to: 'prod/web', expected: 'deny' },
  { rule: '3.3', name: 'service account label', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.policy.serviceaccount': 'api-sa' } }] }])], from: 'prod/api', to: 'prod/web', expected: 'allow' },
  { rule: '3.3', name: 'the default service account is "default"', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.policy.serviceaccount': 'default' } }] }])], from: 'prod/db', to: 'prod/web', expected: 'allow' },
  { rule: '3.3', name: 'namespace labels (io.cilium.k8s.namespace.labels.*) in a CCNP', objects: [ccnp('team-b', { endpointSelector: web, ingress: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'b' } }] }] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '3.3', name: 'namespace labels in a CNP reach other namespaces (getEndpointSelector adds no own-namespace match)', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.team': 'b' } }] }])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '3.3', name: 'kubernetes.io/metadata.name via namespace labels', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name': 'dev' } }] }])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '3.3', name: 'cluster label, default name', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.policy.cluster': 'default', 'io.kubernetes.pod.namespace': 'dev' } }] }])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '3.3', name: 'cluster label follows cilium-config cluster-name', objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cilium-config', namespace: 'kube-system' }, data: { 'cluster-name': 'east' } }, ingressOf([{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.policy.cluster': 'default', 'io.kubernetes.pod.namespace': 'dev' } }] }])], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '3.3', name: 'labels outside the identity (pod-template-hash) cannot be selected', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { 'pod-template-hash': 'abc' } }] }])], from: 'prod/db', to: 'prod/web', expected: 'deny' },
  { rule: '3.3', name: 'CNP fromEndpoints [{}] = own namespace only', objects: [ingressOf([{ fromEndpoints: [{}] }])], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '3.3', name: 'CNP fromEndpoints [{}] admits own namespace', objects: [ingressOf([{ fromEndpoints: [{}] }])], from: 'prod/api', to: 'prod/web', expected: 'allow' },
  { rule: '3.3', name: 'a namespace key in matchExpressions counts', objects: [ingressOf([{ fromEndpoints: [{ matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'In', values: ['dev'] }] }] }])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '3.3', name: 'CCNP fromEndpoints [{}] = every pod', objects: [ccnp('pods', { endpointSelector: web, ingress: [{ fromEndpoints: [{}] }] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '3.3', name: 'CCNP fromEndpoints [{}] is not world', objects: [ccnp('pods', { endpointSelector: web, ingress: [{ fromEndpoints: [{}] }] })], from: 'external:internet', to: 'prod/web', expected: 'deny' },
  { rule: '3.3', name: 'CCNP fromEndpoints [{}] is not remote-node', objects: [ccnp('pods', { endpointSelector: web, ingress: [{ fromEndpoints: [{}] }] })], from: 'node:n2', to: 'prod/web', expected: 'deny' },
  { rule: '3.3', name: 'a namespace NotIn also matches identities without a namespace (world)', objects: [ingressOf([{ fromEndpoints: [{ matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'NotIn', values: ['dev'] }] }] }])], from: 'external:internet', to: 'prod/web', expected: 'allow' },
  { rule: '3.3', name: 'selectors on reserved: keys get no namespace', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { 'reserved:remote-node': '' } }] }])], from: 'node:n2', to: 'prod/web', expected: 'allow' },
  { rule: '3.3', name: '$host is reserved:host', objects: [egressOf([{ toEndpoints: [{ matchLabels: { $host: '' } }] }])], from: 'prod/web', to: 'node:n1', expected: 'allow' },

  // 3.4 default deny
  { rule: '3.4', name: 'an ingress rule isolates ingress', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }])], from: 'prod/db', to: 'prod/web', expected: 'deny' },
  { rule: '3.4', name: 'an ingress rule leaves egress open', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }])], from: 'prod/web', to: 'external:internet', expected: 'allow' },
  { rule: '3.4', name: 'enableDefaultDeny.ingress false: unmatched ingress allowed', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }], { enableDefaultDeny: { ingress: false } })], from: 'prod/db', to: 'prod/web', expected: 'allow' },
  { rule: '3.4', name: 'a deny-only policy isolates', objects: [egressOf([], { egressDeny: [{ toCIDR: ['10.200.0.0/16'] }] })], from: 'prod/web', to: 'external:internet', expected: 'deny' },
  { rule: '3.4', name: 'a deny-only policy with enableDefaultDeny false does not isolate', objects: [egressOf([], { egressDeny: [{ toCIDR: ['10.200.0.0/16'] }], enableDefaultDeny: { egress: false } })], from: 'prod/web', to: 'external:internet', expected: 'allow' },
  { rule: '3.4', name: 'one isolating policy is enough', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }], { enableDefaultDeny: { ingress: false } }), cnp('prod/strict', { endpointSelector: web, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'client' }, matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'Exists' }] }] }] })], from: 'prod/db', to: 'prod/web', expected: 'deny' },
  { rule: '3.4', name: 'a NetworkPolicy selecting the pod isolates it under Cilium', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }], { enableDefaultDeny: { ingress: false } }), netpol('prod/np', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] })], from: 'prod/db', to: 'prod/web', expected: 'deny' },
  { rule: '3.4', name: 'enableDefaultDeny false still adds its allows', objects: [netpol('prod/np', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] }), ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }], { enableDefaultDeny: { ingress: false } })], from: 'prod/api', to: 'prod/web', expected: 'allow' },

  // 3.5 rule structure
  { rule: '3.5', name: 'entries of a peer list are ORed', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }, { matchLabels: { app: 'db' } }] }])], from: 'prod/db', to: 'prod/web', expected: 'allow' },
  { rule: '3.5', name: 'rules of a list are ORed', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }, { fromEntities: ['world'] }])], from: 'external:internet', to: 'prod/web', expected: 'allow' },
  { rule: '3.5', name: 'fromRequires narrows the fromEndpoints of every rule selecting the endpoint', objects: [ingressOf([{ fromEndpoints: [{}] }]), cnp('prod/req', { endpointSelector: web, ingress: [{ fromRequires: [{ matchLabels: { app: 'api' } }] }] })], from: 'prod/db', to: 'prod/web', expected: 'deny' },
  { rule: '3.5', name: 'fromRequires keeps the peers that meet it', objects: [ingressOf([{ fromEndpoints: [{}] }]), cnp('prod/req', { endpointSelector: web, ingress: [{ fromRequires: [{ matchLabels: { app: 'api' } }] }] })], from: 'prod/api', to: 'prod/web', expected: 'allow' },
  { rule: '3.5', name: 'fromRequires does not narrow entities', objects: [ingressOf([{ fromEntities: ['cluster'] }]), cnp('prod/req', { endpointSelector: web, ingress: [{ fromRequires: [{ matchLabels: { app: 'api' } }] }] })], from: 'prod/db', to: 'prod/web', expected: 'allow' },
  { rule: '3.5', name: 'toRequires narrows toEndpoints', objects: [egressOf([{ toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'dev' } }] }, { toRequires: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'prod' } }] }])], from: 'prod/web', to: 'dev/client', expected: 'deny' },
  { rule: '3.5', name: 'fromGroups (cloud security groups) matches nothing the analyzer knows', objects: [ingressOf([{ fromGroups: [{ aws: { securityGroupsIds: ['sg-1'] } }] }])], from: 'external:internet', to: 'prod/web', expected: 'deny' },

  // 3.6 empty vs omitted
  { rule: '3.6', name: 'L3-only rule: every port and protocol', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }])], from: 'prod/api', to: 'prod/web', probe: udp(9999), expected: 'allow' },
  { rule: '3.6', name: 'L3-only rule: ICMP too', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }])], from: 'prod/api', to: 'prod/web', probe: icmp(8), expected: 'allow' },
  { rule: '3.6', name: 'L4-only rule admits world', objects: [ingressOf([{ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }])], from: 'external:internet', to: 'prod/web', expected: 'allow' },
  { rule: '3.6', name: 'L4-only rule admits remote nodes', objects: [ingressOf([{ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }])], from: 'node:n2', to: 'prod/web', expected: 'allow' },
  { rule: '3.6', name: 'L4-only rule: only its ports', objects: [ingressOf([{ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }])], from: 'dev/client', to: 'prod/web', probe: tcp(443), expected: 'deny' },
  { rule: '3.6', name: 'L3 and L4 in one rule are ANDed', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [{ ports: [{ port: '443' }] }] }])], from: 'prod/api', to: 'prod/web', expected: 'deny' },
  { rule: '3.6', name: 'ingress: [{}] allows nothing', objects: [ingressOf([{}])], from: 'prod/api', to: 'prod/web', expected: 'deny' },
  { rule: '3.6', name: 'egress: [{}] allows nothing', objects: [egressOf([{}])], from: 'prod/web', to: 'prod/api', probe: tcp(8080), expected: 'deny' },
  { rule: '3.6', name: 'fromEndpoints: [] selects nothing, even with toPorts', objects: [ingressOf([{ fromEndpoints: [], toPorts: [{ ports: [{ port: '80' }] }] }])], from: 'prod/api', to: 'prod/web', expected: 'deny' },
  { rule: '3.6', name: 'fromEntities: [] selects nothing', objects: [ingressOf([{ fromEntities: [], toPorts: [{ ports: [{ port: '80' }] }] }])], from: 'external:internet', to: 'prod/web', expected: 'deny' },
  { rule: '3.6', name: 'ingress: [] beside egress rules: ingress untouched', objects: [egressOf([{ toEntities: ['world'] }], { ingress: [] })], from: 'prod/db', to: 'prod/web', expected: 'allow' },
  { rule: '3.6', name: 'toPorts: [] is no port restriction', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [] }])], from: 'prod/api', to: 'prod/web', probe: tcp(443), expected: 'allow' },
  { rule: '3.6', name: 'a toPorts entry without ports admits nothing', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [{}] }])], from: 'prod/api', to: 'prod/web', expected: 'deny' },

  // 3.7 ports
  { rule: '3.7', name: 'omitted protocol is ANY: UDP', objects: [ingressOf([{ toPorts: [{ ports: [{ port: '80' }] }] }])], from: 'prod/api', to: 'prod/web', probe: udp(80), expected: 'allow' },
  { rule: '3.7', name: 'omitted protocol is ANY: SCTP', objects: [ingressOf([{ toPorts: [{ ports: [{ port: '80' }] }] }])], from: 'prod/api', to: 'prod/web', probe: sctp(80), expected: 'allow' },
  { rule: '3.7', name: 'ANY is not ICMP', objects: [ingressOf([{ toPorts: [{ ports: [{ port: '0' }] }] }])], from: 'prod/api', to: 'prod/web', probe: icmp(8), expected: 'deny' },
  { rule: '3.7', name: 'port 0: every port of the protocol', objects: [ingressOf([{ toPorts: [{ ports: [{ port: '0', protocol: 'TCP' }] }] }])], from: 'prod/api', to: 'prod/web', probe: tcp(31337), expected: 'allow' },
  { rule: '3.7', name: 'port 0 TCP is not UDP', objects: [ingressOf([{ toPorts: [{ ports: [{ port: '0', protocol: 'TCP' }] }] }])], from: 'prod/api', to: 'prod/web', probe: udp(53), expected: 'deny' },
  { rule: '3.7', name: 'endPort range includes its ends', objects: [ingressOf([{ toPorts: [{ ports: [{ port: '8000', endPort: 8080, protocol: 'TCP' }] }] }])], from: 'prod/api', to: 'prod/web', probe: tcp(8080), expected: 'allow' },
  { rule: '3.7', name: 'endPort range excludes beyond', objects: [ingressOf([{ toPorts: [{ ports: [{ port: '8000', endPort: 8080, protocol: 'TCP' }] }] }])], from: 'prod/api', to: 'prod/web', probe: tcp(8081), expected: 'deny' },
  { rule: '3.7', name: 'a named port resolves on the destination', objects: [egressOf([{ toPorts: [{ ports: [{ port: 'http' }] }] }])], from: 'prod/web', to: 'prod/api', probe: tcp(8080), expected: 'allow' },
  { rule: '3.7', name: 'a named port does not match another number', objects: [egressOf([{ toPorts: [{ ports: [{ port: 'http' }] }] }])], from: 'prod/web', to: 'prod/api', probe: tcp(80), expected: 'deny' },
  { rule: '3.7', name: 'port names are lower-cased', objects: [egressOf([{ toPorts: [{ ports: [{ port: 'HTTP' }] }] }])], from: 'prod/web', to: 'prod/api', probe: tcp(8080), expected: 'allow' },
  { rule: '3.7', name: 'a name cannot widen the protocol', objects: [egressOf([{ toPorts: [{ ports: [{ port: 'http', protocol: 'UDP' }] }] }])], from: 'prod/web', to: 'prod/api', probe: tcp(8080), expected: 'deny' },
  { rule: '3.7', name: 'icmps admits the listed type', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }], icmps: [{ fields: [{ type: 8, family: 'IPv4' }] }] }])], from: 'prod/api', to: 'prod/web', probe: icmp(8), expected: 'allow' },
  { rule: '3.7', name: 'icmps by name (EchoRequest)', objects: [ingressOf([{ icmps: [{ fields: [{ type: 'EchoRequest' }] }] }])], from: 'external:internet', to: 'prod/web', probe: icmp(8), expected: 'allow' },
  { rule: '3.7', name: 'icmps: another type is dropped', objects: [ingressOf([{ icmps: [{ fields: [{ type: 8 }] }] }])], from: 'prod/api', to: 'prod/web', probe: icmp(0), expected: 'deny' },
  { rule: '3.7', name: 'icmps: the family must match', objects: [ingressOf([{ icmps: [{ fields: [{ type: 'EchoRequest', family: 'IPv6' }] }] }])], from: 'prod/api', to: 'prod/web', probe: icmp(8), expected: 'deny' },
  { rule: '3.7', name: 'icmps do not admit TCP', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }], icmps: [{ fields: [{ type: 8 }] }] }])], from: 'prod/api', to: 'prod/web', expected: 'deny' },
  { rule: '3.7', name: 'a toPorts rule does not admit ICMP', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [{ ports: [{ port: '80' }] }] }])], from: 'prod/api', to: 'prod/web', probe: icmp(8), expected: 'deny' },

  // 3.8 entities
  { rule: '3.8', name: 'host: the subject\'s own node', objects: [egressOf([{ toEntities: ['host'] }])], from: 'prod/web', to: 'node:n1', expected: 'allow' },
  { rule: '3.8', name: 'host is not another node', objects: [egressOf([{ toEntities: ['host'] }])], from: 'prod/web', to: 'node:n2', expected: 'deny' },
  { rule: '3.8', name: 'remote-node: other nodes', objects: [egressOf([{ toEntities: ['remote-node'] }])], from: 'prod/web', to: 'node:n2', expected: 'allow' },
  { rule: '3.8', name: 'remote-node is not the own node', objects: [egressOf([{ toEntities: ['remote-node'] }])], from: 'prod/web', to: 'node:n1', expected: 'deny' },
  { rule: '3.8', name: 'a hostNetwork pod on the same node is host', objects: [egressOf([{ toEntities: ['host'] }])], from: 'prod/web', to: 'prod/agent', expected: 'allow' },
  { rule: '3.8', name: 'a hostNetwork pod is not selected by its pod labels', objects: [egressOf([{ toEndpoints: [{ matchLabels: { app: 'agent' } }] }])], from: 'prod/web', to: 'prod/agent', expected: 'deny' },
  { rule: '3.8', name: 'a hostNetwork pod on another node is remote-node', objects: [egressOf([{ toEntities: ['remote-node'] }])], from: 'prod/api', to: 'prod/agent', options: {}, expected: 'allow' },
  { rule: '3.8', name: 'kube-apiserver: the node serving the API (default/kubernetes endpoints)', objects: [egressOf([{ toEntities: ['kube-apiserver'] }])], from: 'prod/web', to: 'node:n2', probe: tcp(6443), expected: 'allow' },
  { rule: '3.8', name: 'kube-apiserver is not every node', objects: [egressOf([{ toEntities: ['kube-apiserver'] }])], from: 'prod/web', to: 'node:n1', probe: tcp(6443), expected: 'deny' },
  { rule: '3.8', name: 'kube-apiserver outside the cluster', objects: [apiServerEndpointsOutside(), egressOf([{ toEntities: ['kube-apiserver'] }])], from: 'prod/web', to: 'external:apiext', probe: tcp(443), base: withoutApiServer(), expected: 'allow' } as Case,
  { rule: '3.8', name: 'world: addresses outside the cluster', objects: [egressOf([{ toEntities: ['world'] }])], from: 'prod/web', to: 'external:internet', expected: 'allow' },
  { rule: '3.8', name: 'world is not a pod', objects: [egressOf([{ toEntities: ['world'] }])], from: 'prod/web', to: 'dev/client', expected: 'deny' },
  { rule: '3.8', name: 'world is not a node', objects: [egressOf([{ toEntities: ['world'] }])], from: 'prod/web', to: 'node:n2', expected: 'deny' },
  { rule: '3.8', name: 'cluster: pods of every namespace', objects: [egressOf([{ toEntities: ['cluster'] }])], from: 'prod/web', to: 'dev/client', expected: 'allow' },
  { rule: '3.8', name: 'cluster: nodes', objects: [egressOf([{ toEntities: ['cluster'] }])], from: 'prod/web', to: 'node:n2', expected: 'allow' },
  { rule: '3.8', name: 'cluster is not world', objects: [egressOf([{ toEntities: ['cluster'] }])], from: 'prod/web', to: 'external:internet', expected: 'deny' },
  { rule: '3.8', name: 'all: everything', objects: [egressOf([{ toEntities: ['all'] }])], from: 'prod/web', to: 'external:internet', expected: 'allow' },
  { rule: '3.8', name: 'none: nothing', objects: [egressOf([{ toEntities: ['none'] }])], from: 'prod/web', to: 'dev/client', expected: 'deny' },
  { rule: '3.8', name: 'health matches no modelled endpoint', objects: [egressOf([{ toEntities: ['health', 'init', 'unmanaged', 'ingress'] }])], from: 'prod/web', to: 'node:n2', expected: 'deny' },
  { rule: '3.8', name: 'fromEntities host at ingress', objects: [ingressOf([{ fromEntities: ['remote-node'] }])], from: 'node:n2', to: 'prod/web', expected: 'allow' },

  // 3.9 CIDR
  { rule: '3.9', name: 'toCIDR admits an external address', objects: [egressOf([{ toCIDR: ['203.0.113.0/24'] }])], from: 'prod/web', to: 'external:internet', expected: 'allow' },
  { rule: '3.9', name: 'a /32 is a single host', objects: [egressOf([{ toCIDR: ['203.0.113.7/32'] }])], from: 'prod/web', to: 'external:internet', expected: 'allow' },
  { rule: '3.9', name: 'a /32 is only that host', objects: [egressOf([{ toCIDR: ['203.0.113.8/32'] }])], from: 'prod/web', to: 'external:internet', expected: 'deny' },
  { rule: '3.9', name: 'CIDR never matches a Cilium-managed pod', objects: [egressOf([{ toCIDR: ['10.0.0.0/8'] }])], from: 'prod/web', to: 'dev/client', expected: 'deny' },
  { rule: '3.9', name: 'CIDR does not match a node (default policy-cidr-match-mode)', objects: [egressOf([{ toCIDR: ['172.18.0.0/16'] }])], from: 'prod/web', to: 'node:n2', expected: 'deny' },
  { rule: '3.9', name: 'toCIDRSet except', objects: [egressOf([{ toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.200.0.0/16'] }] }])], from: 'prod/web', to: 'external:corp', expected: 'deny' },
  { rule: '3.9', name: 'toCIDRSet except leaves the rest', objects: [egressOf([{ toCIDRSet: [{ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }] }])], from: 'prod/web', to: 'external:internet', expected: 'allow' },
  { rule: '3.9', name: 'except equal to cidr is accepted and excludes it all', objects: [egressOf([{ toCIDRSet: [{ cidr: '203.0.113.0/24', except: ['203.0.113.0/24'] }] }])], from: 'prod/web', to: 'external:internet', expected: 'deny' },
  { rule: '3.9', name: 'CiliumCIDRGroup by name', objects: [cidrGroup('partners', ['140.82.112.0/20']), egressOf([{ toCIDRSet: [{ cidrGroupRef: 'partners' }] }])], from: 'prod/web', to: 'external:github', expected: 'allow' },
  { rule: '3.9', name: 'CiliumCIDRGroup by label selector', objects: [cidrGroup('partners', ['140.82.112.0/20'], { kind: 'partner' }), egressOf([{ toCIDRSet: [{ cidrGroupSelector: { matchLabels: { kind: 'partner' } } }] }])], from: 'prod/web', to: 'external:github', expected: 'allow' },
  { rule: '3.9', name: 'CiliumCIDRGroup except', objects: [cidrGroup('partners', ['140.82.112.0/20']), egressOf([{ toCIDRSet: [{ cidrGroupRef: 'partners', except: ['140.82.112.0/24'] }] }])], from: 'prod/web', to: 'external:github', expected: 'deny' },
  { rule: '3.9', name: 'a missing CiliumCIDRGroup matches nothing', objects: [egressOf([{ toCIDRSet: [{ cidrGroupRef: 'missing' }] }])], from: 'prod/web', to: 'external:github', expected: 'deny' },
  { rule: '3.9', name: 'fromCIDR at ingress', objects: [ingressOf([{ fromCIDR: ['203.0.113.0/24'] }])], from: 'external:internet', to: 'prod/web', expected: 'allow' },

  // 3.10 toFQDNs and the DNS proxy
  { rule: '3.10', name: 'toFQDNs matchName with a proxied lookup', objects: [egressOf([{ toFQDNs: [{ matchName: 'api.github.com' }] }])], from: 'prod/web', to: 'external:github', probe: tcp(443), request: fqdn('api.github.com'), expected: 'allow' },
  { rule: '3.10', name: 'toFQDNs without a lookup learns no address', objects: [egressOf([{ toFQDNs: [{ matchName: 'api.github.com' }] }])], from: 'prod/web', to: 'external:github', probe: tcp(443), expected: 'deny' },
  { rule: '3.10', name: 'toFQDNs when the lookup did not go through the DNS proxy', objects: [egressOf([{ toFQDNs: [{ matchName: 'api.github.com' }] }])], from: 'prod/web', to: 'external:github', probe: tcp(443), request: fqdn('api.github.com', false), expected: 'deny' },
  { rule: '3.10', name: 'matchName is case-insensitive, trailing dot implied', objects: [egressOf([{ toFQDNs: [{ matchName: 'API.GitHub.com' }] }])], from: 'prod/web', to: 'external:github', probe: tcp(443), request: fqdn('api.github.com.'), expected: 'allow' },
  { rule: '3.10', name: '*.github.com matches one label', objects: [egressOf([{ toFQDNs: [{ matchPattern: '*.github.com' }] }])], from: 'prod/web', to: 'external:github', request: fqdn('api.github.com'), expected: 'allow' },
  { rule: '3.10', name: '*.github.com does not match github.com', objects: [egressOf([{ toFQDNs: [{ matchPattern: '*.github.com' }] }])], from: 'prod/web', to: 'external:github', request: fqdn('github.com'), expected: 'deny' },
  { rule: '3.10', name: '*.github.com does not match two labels', objects: [egressOf([{ toFQDNs: [{ matchPattern: '*.github.com' }] }])], from: 'prod/web', to: 'external:github', request: fqdn('a.b.github.com'), expected: 'deny' },
  { rule: '3.10', name: '**.github.com matches several labels', objects: [egressOf([{ toFQDNs: [{ matchPattern: '**.github.com' }] }])], from: 'prod/web', to: 'external:github', request: fqdn('a.b.github.com'), expected: 'allow' },
  { rule: '3.10', name: '*github.com matches github.com', objects: [egressOf([{ toFQDNs: [{ matchPattern: '*github.com' }] }])], from: 'prod/web', to: 'external:github', request: fqdn('github.com'), expected: 'allow' },
  { rule: '3.10', name: 'a lone * matches every name', objects: [egressOf([{ toFQDNs: [{ matchPattern: '*' }] }])], from: 'prod/web', to: 'external:github', request: fqdn('x.y.z'), expected: 'allow' },
  { rule: '3.10', name: 'toFQDNs never matches an in-cluster address', objects: [egressOf([{ toFQDNs: [{ matchPattern: '*' }] }])], from: 'prod/web', to: 'dev/client', request: fqdn('client.dev.svc.cluster.local'), expected: 'deny' },
  { rule: '3.10', name: 'toFQDNs isolates egress', objects: [egressOf([{ toFQDNs: [{ matchName: 'api.github.com' }] }])], from: 'prod/web', to: 'external:internet', expected: 'deny' },
  { rule: '3.10', name: 'toFQDNs with toPorts: other ports denied', objects: [egressOf([{ toFQDNs: [{ matchName: 'api.github.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }])], from: 'prod/web', to: 'external:github', probe: tcp(80), request: fqdn('api.github.com'), expected: 'deny' },
  { rule: '3.10', name: 'rules.dns: a query that matches is allowed', objects: [egressOf([{ toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*.github.com' }] } }] }])], from: 'prod/web', to: 'kube-system/coredns', probe: udp(53), request: { dns: { query: 'api.github.com' } }, expected: 'allow' },
  { rule: '3.10', name: 'rules.dns: another query is refused', objects: [egressOf([{ toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*.github.com' }] } }] }])], from: 'prod/web', to: 'kube-system/coredns', probe: udp(53), request: { dns: { query: 'example.com' } }, expected: 'deny' },
  { rule: '3.10', name: 'rules.dns: without a query the connection counts at L4', objects: [egressOf([{ toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*.github.com' }] } }] }])], from: 'prod/web', to: 'kube-system/coredns', probe: udp(53), expected: 'allow' },
  { rule: '3.10', name: 'a DNS allow without a namespace key stays in the policy namespace', objects: [egressOf([{ toEndpoints: [{ matchLabels: { 'k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }] }] }])], from: 'prod/web', to: 'kube-system/coredns', probe: udp(53), expected: 'deny' },

  // 3.11 HTTP
  ...httpCases(),

  // 3.12 toServices
  { rule: '3.12', name: 'k8sService with a selector stands for its backends', objects: [service('prod/api', { app: 'api' }), egressOf([{ toServices: [{ k8sService: { serviceName: 'api', namespace: 'prod' } }] }])], from: 'prod/web', to: 'prod/api', probe: tcp(8080), expected: 'allow' },
  { rule: '3.12', name: 'k8sService: other pods stay denied', objects: [service('prod/api', { app: 'api' }), egressOf([{ toServices: [{ k8sService: { serviceName: 'api', namespace: 'prod' } }] }])], from: 'prod/web', to: 'prod/db', probe: tcp(5432), expected: 'deny' },
  { rule: '3.12', name: 'k8sService without namespace selects nothing', objects: [service('prod/api', { app: 'api' }), egressOf([{ toServices: [{ k8sService: { serviceName: 'api' } }] }])], from: 'prod/web', to: 'prod/api', probe: tcp(8080), expected: 'deny' },
  { rule: '3.12', name: 'k8sServiceSelector by Service labels', objects: [service('prod/api', { app: 'api' }, { tier: 'backend' }), egressOf([{ toServices: [{ k8sServiceSelector: { selector: { matchLabels: { tier: 'backend' } }, namespace: 'prod' } }] }])], from: 'prod/web', to: 'prod/api', probe: tcp(8080), expected: 'allow' },
  { rule: '3.12', name: 'toServices with toPorts', objects: [service('prod/api', { app: 'api' }), egressOf([{ toServices: [{ k8sService: { serviceName: 'api', namespace: 'prod' } }], toPorts: [{ ports: [{ port: '9090' }] }] }])], from: 'prod/web', to: 'prod/api', probe: tcp(8080), expected: 'deny' },
  { rule: '3.12', name: 'default/kubernetes has no selector: its endpoints are CIDRs, never a node', objects: [service('default/kubernetes', undefined, {}, 443), egressOf([{ toServices: [{ k8sService: { serviceName: 'kubernetes', namespace: 'default' } }] }])], from: 'prod/web', to: 'node:n2', probe: tcp(6443), expected: 'deny' },
  { rule: '3.12', name: 'default/kubernetes outside the cluster: its addresses as CIDRs', objects: [apiServerEndpointsOutside(), service('default/kubernetes', undefined, {}, 443), egressOf([{ toServices: [{ k8sService: { serviceName: 'kubernetes', namespace: 'default' } }] }])], from: 'prod/web', to: 'external:apiext', probe: tcp(443), base: withoutApiServer(), expected: 'allow' } as Case,

  // 3.13 deny
  { rule: '3.13', name: 'ingressDeny beats an allow of the same policy', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }], { ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }] })], from: 'prod/api', to: 'prod/web', expected: 'deny' },
  { rule: '3.13', name: 'a CCNP deny beats a CNP allow', objects: [ingressOf([{ fromEntities: ['all'] }]), ccnp('no-dev', { endpointSelector: {}, ingressDeny: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'dev' } }] }] })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '3.13', name: 'a deny beats a NetworkPolicy allow', objects: [netpol('prod/np', { podSelector: {}, ingress: [{}] }), cnp('prod/deny', { endpointSelector: web, ingressDeny: [{ fromEntities: ['world'] }] })], from: 'external:internet', to: 'prod/web', expected: 'deny' },
  { rule: '3.13', name: 'a deny on port 80 leaves 443 to the allows', objects: [ingressOf([{ fromEntities: ['all'] }], { ingressDeny: [{ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }] })], from: 'prod/api', to: 'prod/web', probe: tcp(443), expected: 'allow' },
  { rule: '3.13', name: 'a ports-only deny denies every peer', objects: [ingressOf([{ fromEntities: ['all'] }], { ingressDeny: [{ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }] })], from: 'node:n2', to: 'prod/web', expected: 'deny' },
  { rule: '3.13', name: 'a deny beats allow-localhost', objects: [cnp('prod/deny', { endpointSelector: web, ingressDeny: [{ fromEntities: ['host'] }] })], from: 'node:n1', to: 'prod/web', expected: 'deny' },
  { rule: '3.13', name: 'egressDeny of a CIDR', objects: [egressOf([{ toEntities: ['world'] }], { egressDeny: [{ toCIDR: ['203.0.113.7/32'] }] })], from: 'prod/web', to: 'external:internet', expected: 'deny' },
  { rule: '3.13', name: 'deny icmps', objects: [ingressOf([{ fromEntities: ['all'] }], { ingressDeny: [{ icmps: [{ fields: [{ type: 8 }] }] }] })], from: 'prod/api', to: 'prod/web', probe: icmp(8), expected: 'deny' },
  { rule: '3.13', name: 'an L3-only deny also denies ICMP', objects: [ingressOf([{ fromEntities: ['all'] }], { ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: 'api' } }] }] })], from: 'prod/api', to: 'prod/web', probe: icmp(8), expected: 'deny' },

  // 3.14 NetworkPolicy under Cilium
  { rule: '3.14', name: 'NetworkPolicy and CNP allows are unioned', objects: [netpol('prod/np', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }] }] }), ingressOf([{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'dev' } }] }])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '3.14', name: 'NetworkPolicy allow alone under Cilium', objects: [netpol('prod/np', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }] }] }), ingressOf([{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'dev' } }] }])], from: 'prod/api', to: 'prod/web', expected: 'allow' },
  { rule: '3.14', name: 'ipBlock does not match pods under Cilium', objects: [netpol('prod/np', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '3.14', name: 'ipBlock still matches external addresses', objects: [netpol('prod/np', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }] })], from: 'external:internet', to: 'prod/web', expected: 'allow' },
  { rule: '3.14', name: 'ipBlock does not match nodes under Cilium', objects: [netpol('prod/np', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '172.18.0.0/16' } }] }] })], from: 'node:n2', to: 'prod/web', expected: 'deny' },
  { rule: '3.14', name: 'a NetworkPolicy does not select hostNetwork pods under Cilium', objects: [netpol('prod/np', { podSelector: {}, policyTypes: ['Ingress'] })], from: 'dev/client', to: 'prod/agent', expected: 'allow' },
  { rule: '3.14', name: 'a NetworkPolicy podSelector peer does not match hostNetwork pods', objects: [netpol('prod/np', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'agent' } } }] }] })], from: 'prod/web', to: 'prod/agent', expected: 'deny' },
  { rule: '3.14', name: 'a NetworkPolicy port without protocol is TCP, not UDP', objects: [netpol('prod/np', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 80 }] }] })], from: 'prod/api', to: 'prod/web', probe: udp(80), expected: 'deny' },
  { rule: '3.14', name: 'a NetworkPolicy rule without ports admits ICMP', objects: [netpol('prod/np', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }] }] })], from: 'prod/api', to: 'prod/web', probe: icmp(8), expected: 'allow' },
  { rule: '3.14', name: 'a NetworkPolicy rule with ports does not admit ICMP', objects: [netpol('prod/np', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 80 }] }] })], from: 'prod/api', to: 'prod/web', probe: icmp(8), expected: 'deny' },
  { rule: '3.14', name: 'the local node reaches an isolated pod (allow-localhost)', objects: [netpol('prod/np', { podSelector: {}, policyTypes: ['Ingress'] })], from: 'node:n1', to: 'prod/web', expected: 'allow' },
  { rule: '3.14', name: 'another node does not', objects: [netpol('prod/np', { podSelector: {}, policyTypes: ['Ingress'] })], from: 'node:n2', to: 'prod/web', expected: 'deny' },

  // 3.15 both sides
  { rule: '3.15', name: 'the source egress must allow too', objects: [ingressOf([{ fromEntities: ['all'] }]), cnp('prod/api-egress', { endpointSelector: { matchLabels: { app: 'api' } }, egress: [{ toEntities: ['world'] }] })], from: 'prod/api', to: 'prod/web', expected: 'deny' },
  { rule: '3.15', name: 'an external source is subject to ingress only', objects: [ingressOf([{ fromEntities: ['world'] }])], from: 'external:internet', to: 'prod/web', expected: 'allow' },
];

function httpCases(): Case[] {
  const rule = (rules: unknown[], extra: Manifest = {}): Manifest => ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: rules }, ...extra }] }]);
  const base = { rule: '3.11', from: 'prod/api', to: 'prod/web' };
  return [
    { ...base, name: 'method and path match', objects: [rule([{ method: 'GET', path: '/public' }])], request: http('GET', '/public'), expected: 'allow' },
    { ...base, name: 'another method is refused', objects: [rule([{ method: 'GET', path: '/public' }])], request: http('POST', '/public'), expected: 'deny' },
    { ...base, name: 'path is a full match: /public does not cover /public/x', objects: [rule([{ method: 'GET', path: '/public' }])], request: http('GET', '/public/x'), expected: 'deny' },
    { ...base, name: 'path regex /public/.* covers the subtree', objects: [rule([{ path: '/public/.*' }])], request: http('DELETE', '/public/a/b'), expected: 'allow' },
    { ...base, name: 'method regex', objects: [rule([{ method: 'GET|HEAD' }])], request: http('HEAD', '/'), expected: 'allow' },
    { ...base, name: 'entries are ORed', objects: [rule([{ method: 'GET' }, { method: 'PUT' }])], request: http('PUT', '/x'), expected: 'allow' },
    { ...base, name: 'without a request the connection is accepted (L4)', objects: [rule([{ method: 'GET', path: '/public' }])], expected: 'allow' },
    { ...base, name: 'host is matched', objects: [rule([{ host: 'shop\\.example\\.com' }])], request: http('GET', '/', { host: 'shop.example.com' }), expected: 'allow' },
    { ...base, name: 'another host is refused', objects: [rule([{ host: 'shop\\.example\\.com' }])], request: http('GET', '/', { host: 'evil.example.com' }), expected: 'deny' },
    { ...base, name: 'headers: presence required', objects: [rule([{ headers: ['X-Token'] }])], request: http('GET', '/', { headers: { 'x-token': 'a' } }), expected: 'allow' },
    { ...base, name: 'headers: missing header refused', objects: [rule([{ headers: ['X-Token'] }])], request: http('GET', '/'), expected: 'deny' },
    { ...base, name: 'headers: "Name: value" needs that value', objects: [rule([{ headers: ['X-Env: prod'] }])], request: http('GET', '/', { headers: { 'X-Env': 'dev' } }), expected: 'deny' },
    { ...base, name: 'headerMatches: a mismatch denies by default', objects: [rule([{ headerMatches: [{ name: 'X-Env', value: 'prod' }] }])], request: http('GET', '/', { headers: { 'X-Env': 'dev' } }), expected: 'deny' },
    { ...base, name: 'headerMatches with mismatch LOG lets it through', objects: [rule([{ headerMatches: [{ name: 'X-Env', value: 'prod', mismatch: 'LOG' }] }])], request: http('GET', '/', { headers: { 'X-Env': 'dev' } }), expected: 'allow' },
    { ...base, name: 'an L4 allow on the same peer and port lifts the L7 restriction', objects: [rule([{ method: 'GET' }]), cnp('prod/l4', { endpointSelector: web, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [{ ports: [{ port: '80' }] }] }] })], request: http('POST', '/'), expected: 'allow' },
    { ...base, name: 'an L4 allow for another peer does not', objects: [rule([{ method: 'GET' }]), cnp('prod/l4', { endpointSelector: web, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'db' } }], toPorts: [{ ports: [{ port: '80' }] }] }] })], request: http('POST', '/'), expected: 'deny' },
    { ...base, name: 'a NetworkPolicy allow on the port lifts it too', objects: [rule([{ method: 'GET' }]), netpol('prod/np', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 80 }] }] })], request: http('POST', '/'), expected: 'allow' },
    { ...base, name: 'TLS payloads never match HTTP rules', objects: [rule([{ method: 'GET' }])], request: { tls: { sni: 'web.prod' }, http: { method: 'GET', path: '/', headers: {} } }, expected: 'deny' },
    { ...base, name: 'with enableDefaultDeny false, a refused request is still dropped', objects: [rule([{ method: 'GET' }], {}), cnp('prod/open', { endpointSelector: web, enableDefaultDeny: { ingress: false }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'db' } }] }] })], request: http('POST', '/'), expected: 'deny' },
    { ...base, name: 'serverNames: matching SNI', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }], serverNames: ['*.example.com'] }] }])], probe: tcp(443), request: { tls: { sni: 'shop.example.com' } }, expected: 'allow' },
    { ...base, name: 'serverNames: another SNI', objects: [ingressOf([{ fromEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }], serverNames: ['*.example.com'] }] }])], probe: tcp(443), request: { tls: { sni: 'evil.org' } }, expected: 'deny' },
    { ...base, name: 'egress HTTP rules', from: 'prod/web', to: 'prod/api', probe: tcp(8080), objects: [egressOf([{ toEndpoints: [{ matchLabels: { app: 'api' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }] }])], request: http('DELETE', '/'), expected: 'deny' },
  ];
}

/** BASE without its in-cluster kube-apiserver endpoints. */
export function withoutApiServer(): Manifest[] {
  return BASE.filter((object) => object.kind !== 'Endpoints');
}

function apiServerEndpointsOutside(): Manifest {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default' }, subsets: [{ addresses: [{ ip: EXTERNALS.apiext }] }] };
}

