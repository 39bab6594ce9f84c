/**
 * The Calico semantics table: one row per rule (research notes sections 4 and 7, checked against
 * docs.tigera.io/calico and github.com/projectcalico/calico), each a small manifest set on top of the shared
 * BASE cluster (prod: web, api, db; dev: client; kube-system: coredns), one connection and the expected verdict.
 */
import { buildConnectivity, peerEffect } from '../../../../src/analysis/connectivity';
import { EndpointUniverse } from '../../../../src/analysis/core/endpoint-universe';
import { externalEndpoints } from '../../../../src/analysis/core/endpoints';
import { CompiledPolicies, ConnectionProbe } from '../../../../src/analysis/dialect';
import { calicoNetworkPolicy, stagedEffectOf } from '../../../../src/analysis/dialects/calico';
import { normalizeInput } from '../../../../src/analysis/manifests/documents';
import { buildInventory } from '../../../../src/analysis/manifests/inventory';
import { ProbePort } from '../../../../src/analysis/types';
import { BASE, EXTERNALS, icmp, Manifest, namespace, netpol, pod, tcp, udp } from '../cilium/support';

type Verdict = 'allow' | 'deny';
const V3 = 'projectcalico.org/v3';

function np(id: string, spec: Manifest, kind = 'NetworkPolicy'): Manifest {
  const [ns, name] = id.split('/');
  return { apiVersion: V3, kind, metadata: { name, namespace: ns }, spec };
}
function gnp(name: string, spec: Manifest, kind = 'GlobalNetworkPolicy'): Manifest {
  return { apiVersion: V3, kind, metadata: { name }, spec };
}
function tier(name: string, spec: Manifest): Manifest {
  return { apiVersion: V3, kind: 'Tier', metadata: { name }, spec };
}
function gns(name: string, nets: string[], labels: Record<string, string>): Manifest {
  return { apiVersion: V3, kind: 'GlobalNetworkSet', metadata: { name, labels }, spec: { nets } };
}
function networkSet(id: string, nets: string[], labels: Record<string, string>): Manifest {
  const [namespaceName, name] = id.split('/');
  return { apiVersion: V3, kind: 'NetworkSet', metadata: { name, namespace: namespaceName, labels }, spec: { nets } };
}

function connect(objects: readonly Manifest[], from: string, to: string, probe: ConnectionProbe, base: readonly Manifest[] = BASE) {
  const connectivity = buildConnectivity([...base, ...objects], { cni: 'calico', externals: EXTERNALS });
  return connectivity.evaluateEndpoints(connectivity.endpoint(from), connectivity.endpoint(to), probe);
}

function verdict(objects: readonly Manifest[], from: string, to: string, probe: ConnectionProbe = tcp(80)): Verdict {
  return connect(objects, from, to, probe).allowed ? 'allow' : 'deny';
}

interface ServicePort { port: number; targetPort?: number | string; protocol?: string }
function svc(id: string, selector: Record<string, string> | undefined, ports: ServicePort[], type?: string): Manifest {
  const [namespaceName, name] = id.split('/');
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: namespaceName }, spec: { ...(selector ? { selector } : {}), ...(type ? { type } : {}), ports } };
}
/** Egress of dev/client limited to the destinations of one rule (`extra`: more rules after it). */
const clientEgress = (destination: Manifest, extra: Manifest[] = []): Manifest => np('dev/e', { selector: "app == 'client'", egress: [{ action: 'Allow', destination }, ...extra] });
const WEB_SVC = svc('prod/web-svc', { app: 'web' }, [{ port: 8080, targetPort: 80 }]);
const API_SVC = svc('prod/api-svc', { app: 'api' }, [{ port: 80, targetPort: 'http' }]);
const DNS_SVC = svc('kube-system/dns', { 'k8s-app': 'kube-dns' }, [{ port: 53, protocol: 'UDP' }]);
const DB_SVC = svc('prod/db-svc', { app: 'db' }, [{ port: 5432 }]);
const CLIENT_SVC = svc('dev/client-svc', { app: 'client' }, [{ port: 9999 }]);

const WEB = "app == 'web'";
const allowAll = (action = 'Allow'): Manifest => ({ action });
/** Ingress policy on prod/web. */
const webIngress = (name: string, ingress: Manifest[], extra: Manifest = {}): Manifest => np(`prod/${name}`, { selector: WEB, ingress, ...extra });

interface Case {
  readonly rule: string;
  readonly name: string;
  readonly objects: readonly Manifest[];
  readonly from: string;
  readonly to: string;
  readonly probe?: ConnectionProbe;
  readonly expected: Verdict;
  readonly base?: readonly Manifest[];
}

const CASES: readonly Case[] = [
  // 4.1 scope
  { rule: '4.1', name: 'no policy: the namespace profile allows', objects: [], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.1', name: 'an NP selects only pods of its namespace', objects: [np('dev/deny', { selector: WEB, ingress: [{ action: 'Deny' }] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.1', name: 'a GNP selects pods of every namespace', objects: [gnp('deny', { selector: WEB, ingress: [{ action: 'Deny' }] })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.1', name: 'a GNP namespaceSelector scopes it (projectcalico.org/name)', objects: [gnp('deny', { namespaceSelector: "projectcalico.org/name == 'dev'", ingress: [{ action: 'Deny' }] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.1', name: 'a GNP selector on projectcalico.org/namespace', objects: [gnp('deny', { selector: "projectcalico.org/namespace == 'prod'", ingress: [{ action: 'Deny' }] })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.1', name: 'a staged deny never enforces', objects: [np('prod/s', { selector: WEB, ingress: [{ action: 'Deny' }] }, 'StagedNetworkPolicy')], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.1', name: 'a staged GNP does not make its tier apply (no end-of-tier deny)', objects: [gnp('s', { selector: WEB, types: ['Ingress'] }, 'StagedGlobalNetworkPolicy')], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.1', name: 'a staged Kubernetes policy never enforces', objects: [np('prod/s', { podSelector: {}, policyTypes: ['Ingress'] }, 'StagedKubernetesNetworkPolicy')], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.1', name: 'serviceAccountSelector is ANDed with the selector', objects: [np('prod/sa', { serviceAccountSelector: "projectcalico.org/name == 'api-sa'", ingress: [{ action: 'Deny' }] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.1', name: 'serviceAccountSelector selects the pod of that account', objects: [np('prod/sa', { serviceAccountSelector: "projectcalico.org/name == 'api-sa'", ingress: [{ action: 'Deny' }] })], from: 'dev/client', to: 'prod/api', probe: tcp(8080), expected: 'deny' },

  { rule: '4.1', name: 'a hostNetwork pod has no workload endpoint: no policy selects it', objects: [gnp('deny', { ingress: [{ action: 'Deny' }] })], from: 'dev/client', to: 'prod/agent', expected: 'allow' },
  { rule: '4.1', name: 'a hostNetwork pod is no pod to rule selectors', objects: [gnp('p', { selector: WEB, ingress: [{ action: 'Allow', source: { selector: "app == 'agent'" } }] })], from: 'prod/agent', to: 'prod/web', expected: 'deny' },
  { rule: '4.1', name: 'a hostNetwork pod matches nets by its node address', objects: [gnp('p', { selector: WEB, ingress: [{ action: 'Allow', source: { nets: ['172.18.0.0/16'] } }] })], from: 'prod/agent', to: 'prod/web', expected: 'allow' },

  // 4.2 selectors and Calico labels
  { rule: '4.2', name: 'projectcalico.org/orchestrator is k8s', objects: [gnp('d', { selector: "projectcalico.org/orchestrator == 'k8s' && app == 'web'", ingress: [{ action: 'Deny' }] })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.2', name: "orchestrator == 'kubernetes' matches nothing", objects: [gnp('d', { selector: "projectcalico.org/orchestrator == 'kubernetes'", ingress: [{ action: 'Deny' }] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.2', name: 'projectcalico.org/serviceaccount on pods', objects: [webIngress('p', [{ action: 'Allow', source: { selector: "projectcalico.org/serviceaccount == 'api-sa'", namespaceSelector: 'all()' } }])], from: 'prod/api', to: 'prod/web', expected: 'allow' },
  { rule: '4.2', name: 'operators: in, not in, contains, starts with, ends with', objects: [gnp('d', { selector: "app in {'web','db'} && app not in {'db'} && app contains 'e' && app starts with 'w' && app ends with 'b'", ingress: [{ action: 'Deny' }] })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.2', name: "k != 'v' also matches pods without k", objects: [gnp('d', { selector: "tier != 'x' && app == 'web'", ingress: [{ action: 'Deny' }] })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.2', name: 'precedence: !a || b && c', objects: [gnp('d', { selector: "!has(app) || app == 'web' && has(app)", ingress: [{ action: 'Deny' }] })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.2', name: 'rule namespaceSelector selects over namespace labels', objects: [webIngress('p', [{ action: 'Allow', source: { namespaceSelector: "team == 'b'" } }])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.2', name: 'rule namespaceSelector of another team', objects: [webIngress('p', [{ action: 'Allow', source: { namespaceSelector: "team == 'a'" } }])], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.2', name: 'NP rule selector: own namespace only', objects: [webIngress('p', [{ action: 'Allow', source: { selector: "app == 'client'" } }])], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.2', name: 'GNP rule selector: every namespace', objects: [gnp('p', { selector: WEB, ingress: [{ action: 'Allow', source: { selector: "app == 'client'" } }] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },

  // 4.3 types
  { rule: '4.3', name: 'egress rules only: types [Egress], ingress not isolated', objects: [np('prod/e', { selector: WEB, egress: [{ action: 'Allow' }] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.3', name: 'no rules: types [Ingress], end-of-tier deny', objects: [np('prod/i', { selector: WEB })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.3', name: 'types [Egress] with no rules: default-deny egress', objects: [np('prod/e', { selector: WEB, types: ['Egress'] })], from: 'prod/web', to: 'prod/db', probe: tcp(5432), expected: 'deny' },
  { rule: '4.3', name: 'types [Egress]: ingress stays open', objects: [np('prod/e', { selector: WEB, types: ['Egress'] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },

  // 4.4 rules
  { rule: '4.4', name: 'a rule with no criteria matches everything', objects: [webIngress('p', [allowAll()])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.4', name: 'first match wins: Deny before Allow', objects: [webIngress('p', [{ action: 'Deny' }, { action: 'Allow' }])], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.4', name: 'Log continues', objects: [webIngress('p', [{ action: 'Log' }, { action: 'Allow' }])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.4', name: 'destination ports: the pod port', objects: [webIngress('p', [{ action: 'Allow', protocol: 'TCP', destination: { ports: [80] } }])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.4', name: 'destination ports: another port', objects: [webIngress('p', [{ action: 'Allow', protocol: 'TCP', destination: { ports: [443] } }])], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.4', name: 'port range', objects: [webIngress('p', [{ action: 'Allow', protocol: 'TCP', destination: { ports: ['70:90'] } }])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.4', name: 'named port resolves on the destination', objects: [webIngress('p', [{ action: 'Allow', protocol: 'TCP', destination: { ports: ['http'] } }])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.4', name: 'notPorts excludes', objects: [webIngress('p', [{ action: 'Allow', protocol: 'TCP', destination: { notPorts: [80] } }])], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.4', name: 'source.ports is the client port, not the pod port', objects: [webIngress('p', [{ action: 'Allow', protocol: 'TCP', source: { ports: [80] } }])], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.4', name: 'protocol UDP does not match TCP', objects: [webIngress('p', [{ action: 'Allow', protocol: 'UDP' }])], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.4', name: 'protocol by number (6 = TCP)', objects: [webIngress('p', [{ action: 'Allow', protocol: 6 }])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.4', name: 'notProtocol', objects: [webIngress('p', [{ action: 'Allow', notProtocol: 'TCP' }])], from: 'dev/client', to: 'prod/web', probe: udp(80), expected: 'allow' },
  { rule: '4.4', name: 'ICMP type matches', objects: [webIngress('p', [{ action: 'Allow', protocol: 'ICMP', icmp: { type: 8 } }])], from: 'dev/client', to: 'prod/web', probe: icmp(8), expected: 'allow' },
  { rule: '4.4', name: 'ICMP other type', objects: [webIngress('p', [{ action: 'Allow', protocol: 'ICMP', icmp: { type: 0 } }])], from: 'dev/client', to: 'prod/web', probe: icmp(8), expected: 'deny' },
  { rule: '4.4', name: 'notICMP', objects: [webIngress('p', [{ action: 'Allow', protocol: 'ICMP', notICMP: { type: 8 } }])], from: 'dev/client', to: 'prod/web', probe: icmp(8), expected: 'deny' },
  { rule: '4.4', name: 'no protocol: ICMP included', objects: [webIngress('p', [allowAll()])], from: 'dev/client', to: 'prod/web', probe: icmp(8), expected: 'allow' },
  { rule: '4.4', name: 'nets match any IP, pods included', objects: [webIngress('p', [{ action: 'Allow', source: { nets: ['10.0.2.0/24'] } }])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.4', name: 'notNets excludes', objects: [webIngress('p', [{ action: 'Allow', source: { nets: ['10.0.0.0/16'], notNets: ['10.0.2.0/24'] } }])], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.4', name: 'egress nets to an external address', objects: [np('prod/e', { selector: WEB, egress: [{ action: 'Allow', destination: { nets: ['203.0.113.0/24'] } }] })], from: 'prod/web', to: 'external:internet', expected: 'allow' },
  { rule: '4.4', name: 'rule selector all() does not match external addresses', objects: [np('prod/e', { selector: WEB, egress: [{ action: 'Allow', destination: { selector: 'all()', namespaceSelector: 'all()' } }] })], from: 'prod/web', to: 'external:internet', expected: 'deny' },
  { rule: '4.4', name: 'GNP notSelector matches external addresses', objects: [gnp('e', { selector: WEB, egress: [{ action: 'Allow', destination: { notSelector: "app == 'db'" } }] })], from: 'prod/web', to: 'external:internet', expected: 'allow' },
  { rule: '4.4', name: 'GNP notSelector excludes the selected', objects: [gnp('e', { selector: WEB, egress: [{ action: 'Allow', destination: { notSelector: "app == 'db'" } }] })], from: 'prod/web', to: 'prod/db', probe: tcp(5432), expected: 'deny' },
  { rule: '4.4', name: 'NP lone notSelector: own namespace only, externals excluded', objects: [np('prod/e', { selector: WEB, egress: [{ action: 'Allow', destination: { notSelector: "app == 'db'" } }] })], from: 'prod/web', to: 'external:internet', expected: 'deny' },
  { rule: '4.4', name: 'NP lone notSelector: other namespaces excluded', objects: [np('prod/e', { selector: WEB, egress: [{ action: 'Allow', destination: { notSelector: "app == 'db'" } }] })], from: 'prod/web', to: 'dev/client', expected: 'deny' },
  { rule: '4.4', name: 'NP lone notSelector: own-namespace pods without the label', objects: [np('prod/e', { selector: WEB, egress: [{ action: 'Allow', destination: { notSelector: "app == 'db'" } }] })], from: 'prod/web', to: 'prod/api', probe: tcp(8080), expected: 'allow' },
  { rule: '4.4', name: 'serviceAccounts.names', objects: [webIngress('p', [{ action: 'Allow', source: { serviceAccounts: { names: ['api-sa'] } } }])], from: 'prod/api', to: 'prod/web', expected: 'allow' },
  { rule: '4.4', name: 'serviceAccounts.names, other account', objects: [webIngress('p', [{ action: 'Allow', source: { serviceAccounts: { names: ['api-sa'] } } }])], from: 'prod/db', to: 'prod/web', expected: 'deny' },

  // 4.5 tiers, order, Pass, end of tier, profiles
  { rule: '4.5', name: 'lower order first: Allow at 10 beats Deny at 20', objects: [webIngress('a', [allowAll()], { order: 10 }), webIngress('b', [{ action: 'Deny' }], { order: 20 })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.5', name: 'lower order first: Deny at 10 beats Allow at 20', objects: [webIngress('a', [allowAll()], { order: 20 }), webIngress('b', [{ action: 'Deny' }], { order: 10 })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.5', name: 'no order runs last', objects: [webIngress('a', [allowAll()]), webIngress('b', [{ action: 'Deny' }], { order: 1e9 })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.5', name: 'equal order: by name', objects: [webIngress('b', [allowAll()], { order: 5 }), webIngress('a', [{ action: 'Deny' }], { order: 5 })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.5', name: 'NP and GNP interleave by order', objects: [webIngress('a', [allowAll()], { order: 20 }), gnp('g', { selector: WEB, ingress: [{ action: 'Deny' }], order: 10 })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.5', name: 'tiers ascending: an earlier tier decides first', objects: [tier('security', { order: 100 }), gnp('g', { tier: 'security', selector: WEB, ingress: [{ action: 'Deny' }] }), webIngress('a', [allowAll()], { order: 1 })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.5', name: 'end-of-tier deny where the tier applies', objects: [tier('security', { order: 100 }), gnp('g', { tier: 'security', selector: WEB, ingress: [{ action: 'Allow', source: { selector: "app == 'api'" } }] })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.5', name: 'a tier that does not apply is skipped', objects: [tier('security', { order: 100 }), gnp('g', { tier: 'security', selector: "app == 'db'", ingress: [allowAll()] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.5', name: 'Pass jumps to the next tier', objects: [tier('security', { order: 100 }), gnp('g', { tier: 'security', selector: WEB, ingress: [{ action: 'Pass' }, { action: 'Deny' }] }), webIngress('a', [allowAll()])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.5', name: 'Pass out of the last applying tier: the profile allows', objects: [tier('security', { order: 100 }), gnp('g', { tier: 'security', selector: WEB, ingress: [{ action: 'Pass' }] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.5', name: 'Pass skips later policies of the same tier', objects: [webIngress('a', [{ action: 'Pass' }], { order: 1 }), webIngress('b', [{ action: 'Deny' }], { order: 2 })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.5', name: 'defaultAction Pass: no end-of-tier deny', objects: [tier('security', { order: 100, defaultAction: 'Pass' }), gnp('g', { tier: 'security', selector: WEB, ingress: [{ action: 'Allow', source: { selector: "app == 'api'" } }] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.5', name: 'defaultAction Pass then the default tier denies', objects: [tier('security', { order: 100, defaultAction: 'Pass' }), gnp('g', { tier: 'security', selector: WEB, ingress: [{ action: 'Log' }] }), webIngress('a', [])], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.5', name: 'a tier with no order runs after the default tier', objects: [tier('late', {}), gnp('g', { tier: 'late', selector: WEB, ingress: [{ action: 'Deny' }] }), webIngress('a', [allowAll()])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.5', name: 'kube-admin runs before default', objects: [gnp('g', { tier: 'kube-admin', selector: WEB, ingress: [{ action: 'Deny' }] }), webIngress('a', [allowAll()], { order: 1 })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.5', name: 'kube-baseline passes by default to the profile', objects: [gnp('g', { tier: 'kube-baseline', selector: WEB, ingress: [{ action: 'Allow', source: { selector: "app == 'api'" } }] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.5', name: 'both ends: egress and ingress must allow', objects: [np('dev/e', { selector: "app == 'client'", types: ['Egress'] })], from: 'dev/client', to: 'prod/web', expected: 'deny' },

  // 4.6 Kubernetes NetworkPolicy under Calico
  { rule: '4.6', name: 'K8s NP isolates (default tier end-of-tier)', objects: [netpol('prod/k', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.6', name: 'Calico Deny at order 100 beats a K8s allow (order 1000)', objects: [netpol('prod/k', { podSelector: {}, ingress: [{}] }), webIngress('d', [{ action: 'Deny' }], { order: 100 })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.6', name: 'Calico Deny with no order runs after a K8s allow', objects: [netpol('prod/k', { podSelector: {}, ingress: [{}] }), webIngress('d', [{ action: 'Deny' }])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.6', name: 'Calico Allow at order 100 beats K8s isolation', objects: [netpol('prod/k', { podSelector: {}, policyTypes: ['Ingress'] }), webIngress('a', [allowAll()], { order: 100 })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.6', name: 'K8s peer with namespaceSelector {}', objects: [netpol('prod/k', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.6', name: 'K8s podSelector peer: own namespace', objects: [netpol('prod/k', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: '4.6', name: 'K8s ipBlock matches pod IPs', objects: [netpol('prod/k', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.2.0/24' } }] }] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.6', name: 'K8s no ports: every protocol, ICMP included', objects: [netpol('prod/k', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] })], from: 'dev/client', to: 'prod/web', probe: icmp(8), expected: 'allow' },
  { rule: '4.6', name: 'K8s port without protocol is TCP', objects: [netpol('prod/k', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] })], from: 'dev/client', to: 'prod/web', probe: udp(80), expected: 'deny' },
  { rule: '4.6', name: 'K8s endPort range', objects: [netpol('prod/k', { podSelector: {}, ingress: [{ ports: [{ port: 70, endPort: 90 }] }] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  // Found by the cross-backend property (a tenant's allow-everything written in both forms under one name):
  // projectcalico.org NetworkPolicy and networking.k8s.io NetworkPolicy are two resources, so one name fits both.
  { rule: '4.6', name: 'a Calico NP and a K8s NP of the same name coexist (both apply)', objects: [np('prod/same', { selector: WEB, order: 1, ingress: [{ action: 'Deny', protocol: 'UDP' }] }), netpol('prod/same', { podSelector: {}, ingress: [{}] })], from: 'dev/client', to: 'prod/web', probe: udp(80), expected: 'deny' },
  { rule: '4.6', name: 'a Calico NP and a K8s NP of the same name: the K8s one allows the rest', objects: [np('prod/same', { selector: WEB, order: 1, ingress: [{ action: 'Deny', protocol: 'UDP' }] }), netpol('prod/same', { podSelector: {}, ingress: [{}] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: '4.6', name: 'an earlier tier runs before every K8s NP', objects: [tier('security', { order: 100 }), gnp('g', { tier: 'security', selector: WEB, ingress: [{ action: 'Deny' }] }), netpol('prod/k', { podSelector: {}, ingress: [{}] })], from: 'dev/client', to: 'prod/web', expected: 'deny' },

  // Network sets
  { rule: 'sets', name: 'a GlobalNetworkSet matched by a GNP selector', objects: [gns('internet', ['203.0.113.0/24'], { kind: 'internet' }), gnp('e', { selector: WEB, egress: [{ action: 'Allow', destination: { selector: "kind == 'internet'" } }] })], from: 'prod/web', to: 'external:internet', expected: 'allow' },
  { rule: 'sets', name: 'a GlobalNetworkSet needs global() in an NP', objects: [gns('internet', ['203.0.113.0/24'], { kind: 'internet' }), np('prod/e', { selector: WEB, egress: [{ action: 'Allow', destination: { selector: "kind == 'internet'" } }] })], from: 'prod/web', to: 'external:internet', expected: 'deny' },
  { rule: 'sets', name: 'global() selects GlobalNetworkSets from an NP', objects: [gns('internet', ['203.0.113.0/24'], { kind: 'internet' }), np('prod/e', { selector: WEB, egress: [{ action: 'Allow', destination: { selector: "kind == 'internet'", namespaceSelector: 'global()' } }] })], from: 'prod/web', to: 'external:internet', expected: 'allow' },
  { rule: 'sets', name: 'a NetworkSet in the NP namespace', objects: [networkSet('prod/corp', ['10.200.0.0/16'], { kind: 'corp' }), np('prod/e', { selector: WEB, egress: [{ action: 'Allow', destination: { selector: "kind == 'corp'" } }] })], from: 'prod/web', to: 'external:corp', expected: 'allow' },
  { rule: 'sets', name: 'a NetworkSet of another namespace', objects: [networkSet('dev/corp', ['10.200.0.0/16'], { kind: 'corp' }), np('prod/e', { selector: WEB, egress: [{ action: 'Allow', destination: { selector: "kind == 'corp'" } }] })], from: 'prod/web', to: 'external:corp', expected: 'deny' },
  { rule: 'sets', name: 'a negated namespaceSelector also matches GlobalNetworkSets (no namespace labels)', objects: [gns('internet', ['203.0.113.0/24'], { kind: 'internet' }), np('prod/e', { selector: WEB, egress: [{ action: 'Allow', destination: { selector: "kind == 'internet'", namespaceSelector: '!has(team)' } }] })], from: 'prod/web', to: 'external:internet', expected: 'allow' },
  { rule: 'sets', name: 'namespaceSelector all() means namespaced: GlobalNetworkSets excluded', objects: [gns('internet', ['203.0.113.0/24'], { kind: 'internet' }), gnp('e', { selector: WEB, egress: [{ action: 'Allow', destination: { selector: "kind == 'internet'", namespaceSelector: 'all()' } }] })], from: 'prod/web', to: 'external:internet', expected: 'deny' },
  { rule: 'sets', name: 'a GNP rule selector also matches namespaced NetworkSets', objects: [networkSet('dev/corp', ['10.200.0.0/16'], { kind: 'corp' }), gnp('e', { selector: WEB, egress: [{ action: 'Allow', destination: { selector: "kind == 'corp'" } }] })], from: 'prod/web', to: 'external:corp', expected: 'allow' },
  { rule: 'sets', name: 'notSelector is not scoped: a GlobalNetworkSet excludes from an NP rule', objects: [networkSet('prod/corp', ['10.200.0.0/16'], { kind: 'corp' }), gns('flagged', ['10.200.0.5/32'], { flag: 'bad' }), np('prod/e', { selector: WEB, egress: [{ action: 'Allow', destination: { selector: "kind == 'corp'", notSelector: "flag == 'bad'" } }] })], from: 'prod/web', to: 'external:corp', expected: 'deny' },
  { rule: 'sets', name: 'the same rule without the flagged set allows', objects: [networkSet('prod/corp', ['10.200.0.0/16'], { kind: 'corp' }), np('prod/e', { selector: WEB, egress: [{ action: 'Allow', destination: { selector: "kind == 'corp'", notSelector: "flag == 'bad'" } }] })], from: 'prod/web', to: 'external:corp', expected: 'allow' },
  { rule: 'sets', name: 'an address in no set does not match a selector', objects: [gns('internet', ['203.0.113.0/24'], { kind: 'internet' }), gnp('e', { selector: WEB, egress: [{ action: 'Allow', destination: { selector: "kind == 'internet'" } }] })], from: 'prod/web', to: 'external:github', expected: 'deny' },

  // services (Kubernetes datastore): the Service's endpoints, derived from its selector; felix serviceindex.go and rule_scanner.go
  { rule: 'services', name: 'egress destination.services: a backend on its targetPort', objects: [WEB_SVC, clientEgress({ services: { name: 'web-svc', namespace: 'prod' } })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: 'services', name: 'egress destination.services: another port of the backend', objects: [WEB_SVC, clientEgress({ services: { name: 'web-svc', namespace: 'prod' } })], from: 'dev/client', to: 'prod/web', probe: tcp(443), expected: 'deny' },
  { rule: 'services', name: 'egress destination.services: not a backend', objects: [WEB_SVC, clientEgress({ services: { name: 'web-svc', namespace: 'prod' } })], from: 'dev/client', to: 'prod/db', probe: tcp(5432), expected: 'deny' },
  { rule: 'services', name: 'a named targetPort resolves on the backend', objects: [API_SVC, clientEgress({ services: { name: 'api-svc', namespace: 'prod' } })], from: 'dev/client', to: 'prod/api', probe: tcp(8080), expected: 'allow' },
  { rule: 'services', name: 'the service port itself is not the backend port', objects: [API_SVC, clientEgress({ services: { name: 'api-svc', namespace: 'prod' } })], from: 'dev/client', to: 'prod/api', probe: tcp(80), expected: 'deny' },
  { rule: 'services', name: 'the port protocol counts: UDP 53', objects: [DNS_SVC, clientEgress({ services: { name: 'dns', namespace: 'kube-system' } })], from: 'dev/client', to: 'kube-system/coredns', probe: udp(53), expected: 'allow' },
  { rule: 'services', name: 'the port protocol counts: TCP 53 is not a port of the Service', objects: [DNS_SVC, clientEgress({ services: { name: 'dns', namespace: 'kube-system' } })], from: 'dev/client', to: 'kube-system/coredns', probe: tcp(53), expected: 'deny' },
  { rule: 'services', name: 'ICMP never matches a destination service', objects: [WEB_SVC, clientEgress({ services: { name: 'web-svc', namespace: 'prod' } })], from: 'dev/client', to: 'prod/web', probe: icmp(8), expected: 'deny' },
  { rule: 'services', name: "namespace defaults to the policy's", objects: [DB_SVC, np('prod/e', { selector: WEB, egress: [{ action: 'Allow', destination: { services: { name: 'db-svc' } } }] })], from: 'prod/web', to: 'prod/db', probe: tcp(5432), expected: 'allow' },
  { rule: 'services', name: "namespace defaults to the policy's: no such Service there", objects: [DB_SVC, clientEgress({ services: { name: 'db-svc' } })], from: 'dev/client', to: 'prod/db', probe: tcp(5432), expected: 'deny' },
  { rule: 'services', name: 'a Service the input does not hold matches nothing', objects: [clientEgress({ services: { name: 'web-svc', namespace: 'prod' } })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: 'services', name: 'a Service without a selector has no derived endpoints', objects: [svc('prod/web-svc', undefined, [{ port: 80 }]), clientEgress({ services: { name: 'web-svc', namespace: 'prod' } })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: 'services', name: 'an ExternalName Service has no endpoints', objects: [svc('prod/web-svc', { app: 'web' }, [{ port: 80 }], 'ExternalName'), clientEgress({ services: { name: 'web-svc', namespace: 'prod' } })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: 'services', name: 'a Deny to a Service comes first', objects: [WEB_SVC, gnp('d', { selector: "app == 'client'", egress: [{ action: 'Deny', destination: { services: { name: 'web-svc', namespace: 'prod' } } }, { action: 'Allow' }] })], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: 'services', name: 'a Deny to a Service leaves other destinations', objects: [WEB_SVC, gnp('d', { selector: "app == 'client'", egress: [{ action: 'Deny', destination: { services: { name: 'web-svc', namespace: 'prod' } } }, { action: 'Allow' }] })], from: 'dev/client', to: 'prod/api', probe: tcp(8080), expected: 'allow' },
  { rule: 'services', name: 'ingress source.services: a backend, any port', objects: [CLIENT_SVC, webIngress('p', [{ action: 'Allow', source: { services: { name: 'client-svc', namespace: 'dev' } } }])], from: 'dev/client', to: 'prod/web', expected: 'allow' },
  { rule: 'services', name: 'ingress source.services: not a backend', objects: [CLIENT_SVC, webIngress('p', [{ action: 'Allow', source: { services: { name: 'client-svc', namespace: 'dev' } } }])], from: 'prod/api', to: 'prod/web', expected: 'deny' },
  { rule: 'services', name: 'ingress source.services with destination ports', objects: [CLIENT_SVC, webIngress('p', [{ action: 'Allow', protocol: 'TCP', source: { services: { name: 'client-svc', namespace: 'dev' } }, destination: { ports: [443] } }])], from: 'dev/client', to: 'prod/web', expected: 'deny' },
  { rule: 'services', name: 'the IP set holds addresses: an endpoint sharing a backend address matches', objects: [pod('prod/agent2', { labels: { app: 'agent2' }, node: 'n1', hostNetwork: true, ip: '172.18.0.2' }), svc('prod/agent-svc', { app: 'agent' }, [{ port: 80 }]), clientEgress({ services: { name: 'agent-svc', namespace: 'prod' } })], from: 'dev/client', to: 'prod/agent2', expected: 'allow' },
  { rule: 'services', name: 'a GNP names the Service namespace', objects: [WEB_SVC, gnp('e', { selector: "app == 'client'", egress: [{ action: 'Allow', destination: { services: { name: 'web-svc', namespace: 'prod' } } }] })], from: 'dev/client', to: 'prod/web', expected: 'allow' },
];

describe('Calico semantics, rule by rule', () => {
  test.each(CASES.map((c) => [`${c.rule} ${c.name}`, c] as const))('%s', (_, c) => {
    expect(verdict(c.objects, c.from, c.to, c.probe ?? tcp(80))).toBe(c.expected);
  });

  test('every section has cases', () => {
    const rules = new Set(CASES.map((c) => c.rule));
    for (const rule of ['4.1', '4.2', '4.3', '4.4', '4.5', '4.6', 'sets', 'services']) expect(rules).toContain(rule);
  });

  test('pods without a namespace object still get the Calico labels', () => {
    const base = [namespace('prod'), pod('prod/a', { labels: { app: 'a' }, ip: '10.0.0.1' }), pod('prod/b', { labels: { app: 'b' }, ip: '10.0.0.2' })];
    const objects = [gnp('d', { selector: "projectcalico.org/namespace == 'prod' && app == 'b'", ingress: [{ action: 'Deny' }] })];
    expect(connect(objects, 'prod/a', 'prod/b', tcp(80), base).allowed).toBe(false);
  });
});

describe('staged policies are reported, never enforced', () => {
  test('the decision carries what the staged policies would do, and says it', () => {
    const objects = [np('prod/s', { selector: WEB, ingress: [{ action: 'Deny' }] }, 'StagedNetworkPolicy')];
    const evaluation = connect(objects, 'dev/client', 'prod/web', tcp(80));
    expect(evaluation.allowed).toBe(true);
    const decision = evaluation.ingress.layers[0].decisions[0];
    expect(decision.effect).toBe('not-isolated');
    expect(stagedEffectOf(decision)).toBe('deny');
    expect(decision.describe().reason).toContain('Staged policies would deny it');
  });

  test('a staged policy replaces the enforced one of the same name in the preview', () => {
    const objects = [
      np('prod/p', { selector: WEB, ingress: [{ action: 'Deny' }] }),
      np('prod/p', { selector: WEB, ingress: [{ action: 'Allow' }] }, 'StagedNetworkPolicy'),
    ];
    const decision = connect(objects, 'dev/client', 'prod/web', tcp(80)).ingress.layers[0].decisions[0];
    expect(decision.effect).toBe('deny');
    expect(stagedEffectOf(decision)).toBe('allow');
    expect(decision.describe().reason).toContain('Staged policies would allow it');
  });
});

describe('words', () => {
  test('a deny names the policy, its tier and order, and the rule', () => {
    const decision = connect([webIngress('d', [{ action: 'Deny' }], { order: 100 })], 'dev/client', 'prod/web', tcp(80)).ingress.layers[0].decisions[0];
    expect(decision.describe().reason).toBe('Calico: Deny by NetworkPolicy prod/d (tier default, order 100) spec.ingress[0] for ingress 80/TCP');
    expect(decision.matches[0].rule).toMatchObject({ index: 0, direction: 'Ingress', policy: { key: 'prod/d' } });
  });

  test('the end-of-tier deny names the tier', () => {
    const decision = connect([webIngress('i', [])], 'dev/client', 'prod/web', tcp(80)).ingress.layers[0].decisions[0];
    expect(decision.effect).toBe('isolated');
    expect(decision.describe().reason).toContain('end-of-tier deny');
  });

  test('a services rule names the Service it matched', () => {
    const decision = connect([WEB_SVC, clientEgress({ services: { name: 'web-svc', namespace: 'prod' } })], 'dev/client', 'prod/web', tcp(80)).egress.layers[0].decisions[0];
    expect(decision.effect).toBe('allow');
    expect(decision.describe().matchDetails).toEqual(['action Allow, services prod/web-svc']);
  });

  test('a converted Kubernetes rule points at the Kubernetes rule', () => {
    const k8s = netpol('prod/k', { podSelector: {}, ingress: [{ ports: [{ port: 443 }] }, { from: [{ namespaceSelector: {} }, { ipBlock: { cidr: '10.0.0.0/8' } }] }] });
    const decision = connect([k8s], 'dev/client', 'prod/web', tcp(80)).ingress.layers[0].decisions[0];
    expect(decision.effect).toBe('allow');
    expect(decision.matches[0].rule).toMatchObject({ index: 1, policy: { kind: 'NetworkPolicy', key: 'prod/k' } });
  });
});

describe('the two forms agree', () => {
  const PROBES: readonly ProbePort[] = [tcp(80), udp(80), tcp(443), tcp(5432), tcp(8080), udp(53), { port: 80, protocol: 'SCTP' }];

  function compile(objects: readonly unknown[]): { universe: EndpointUniverse; compiled: CompiledPolicies } {
    const reader = calicoNetworkPolicy.reader();
    const inventory = buildInventory(normalizeInput(objects), [{ kinds: calicoNetworkPolicy.kinds, read: reader.read.bind(reader) }]);
    if (inventory.issues.length > 0) throw new Error(`invalid case: ${JSON.stringify(inventory.issues)}`);
    const serviceAccounts = new Map(inventory.serviceAccounts.map((account) => [account.id, account.labels]));
    const universe = new EndpointUniverse(inventory.namespaces, inventory.pods, externalEndpoints(EXTERNALS), { serviceAccounts });
    return { universe, compiled: reader.compile(universe, { services: inventory.services }) };
  }

  test.each(CASES.map((c) => [`${c.rule} ${c.name}`, c] as const))('decide() and probeSets() on %s', (_, c) => {
    const { universe, compiled } = compile([...BASE, ...c.objects]);
    for (const probe of PROBES) {
      const sets = compiled.probeSets(probe);
      for (const subject of universe.endpoints) {
        if (subject.kind === 'external') continue;
        for (const direction of ['Egress', 'Ingress'] as const) {
          const answer = direction === 'Egress' ? sets.egress(subject.index) : sets.ingress(subject.index);
          for (const peer of universe.endpoints) {
            const destination = direction === 'Egress' ? peer : subject;
            const decided = compiled.decide({ direction, subject, peer, probe, destination }).effect;
            expect(`${direction} ${subject.id} ${peer.id} ${probe.port}/${probe.protocol}: ${peerEffect(answer, peer.index)}`)
              .toBe(`${direction} ${subject.id} ${peer.id} ${probe.port}/${probe.protocol}: ${decided}`);
          }
        }
      }
    }
  });
});
