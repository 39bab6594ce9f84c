/**
 * Cilium policies the API server (CRD schema) or the Cilium agent (github.com/cilium/cilium
 * `pkg/policy/api/rule_validation.go`) rejects. `by` says which: the schema check asserts that schema-level
 * rejections are indeed rejected by the upstream schema, and the others accepted by it (the agent rejects
 * them, or kubectl's strict field validation for unknown fields, which the upstream schema does not reject).
 */
import { ccnp, cnp, Manifest } from './support';

export interface InvalidCase {
  readonly name: string;
  readonly object: Manifest;
  /** Field of the first expected issue (as reported, without the document prefix). */
  readonly field: string;
  /** A fragment of its message. */
  readonly message: string;
  readonly by: 'schema' | 'agent';
}

const web = { matchLabels: { app: 'web' } };
const ingress = (rule: unknown, extra: Manifest = {}): Manifest => cnp('prod/bad', { endpointSelector: web, ingress: [rule], ...extra });
const egress = (rule: unknown): Manifest => cnp('prod/bad', { endpointSelector: web, egress: [rule] });

export const INVALID_CASES: readonly InvalidCase[] = [
  { name: 'neither spec nor specs', object: { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'bad', namespace: 'prod' } }, field: 'spec', message: 'spec or specs is required', by: 'agent' },
  { name: 'both endpointSelector and nodeSelector', object: ccnp('bad', { endpointSelector: {}, nodeSelector: {}, ingress: [{}] }), field: 'spec', message: 'cannot have both', by: 'schema' },
  { name: 'neither endpointSelector nor nodeSelector', object: cnp('prod/bad', { ingress: [{}] }), field: 'spec', message: 'must have one of endpointSelector or nodeSelector', by: 'schema' },
  { name: 'nodeSelector in a CNP', object: cnp('prod/bad', { nodeSelector: {}, ingress: [{}] }), field: 'spec.nodeSelector', message: 'only allowed in a CiliumClusterwideNetworkPolicy', by: 'agent' },
  { name: 'every rule list empty', object: cnp('prod/bad', { endpointSelector: web, ingress: [] }), field: 'spec', message: 'at least one of ingress, ingressDeny, egress, egressDeny', by: 'agent' },
  { name: 'two L3 peer kinds in one rule', object: egress({ toEndpoints: [{}], toCIDR: ['10.0.0.0/8'] }), field: 'spec.egress[0]', message: 'combining toEndpoints and toCIDR is not supported', by: 'agent' },
  { name: 'icmps with toPorts', object: ingress({ icmps: [{ fields: [{ type: 8 }] }], toPorts: [{ ports: [{ port: '80' }] }] }), field: 'spec.ingress[0]', message: 'ICMPs block may only be present without ToPorts', by: 'agent' },
  { name: 'unknown entity', object: ingress({ fromEntities: ['everyone'] }), field: 'spec.ingress[0].fromEntities[0]', message: 'unsupported entity', by: 'schema' },
  { name: 'port as a number', object: ingress({ toPorts: [{ ports: [{ port: 80 }] }] }), field: 'spec.ingress[0].toPorts[0].ports[0].port', message: 'must be a string', by: 'schema' },
  { name: 'port out of range', object: ingress({ toPorts: [{ ports: [{ port: '70000' }] }] }), field: 'spec.ingress[0].toPorts[0].ports[0].port', message: 'unable to parse port', by: 'agent' },
  { name: 'ICMP as a port protocol', object: ingress({ toPorts: [{ ports: [{ port: '0', protocol: 'ICMP' }] }] }), field: 'spec.ingress[0].toPorts[0].ports[0].protocol', message: 'ICMP goes in icmps', by: 'schema' },
  { name: 'HTTP rules on UDP', object: ingress({ toPorts: [{ ports: [{ port: '80', protocol: 'UDP' }], rules: { http: [{ method: 'GET' }] } }] }), field: 'spec.ingress[0].toPorts[0].rules', message: 'L7 rules can only apply to TCP', by: 'agent' },
  { name: 'HTTP rules on ANY', object: ingress({ toPorts: [{ ports: [{ port: '80' }], rules: { http: [{ method: 'GET' }] } }] }), field: 'spec.ingress[0].toPorts[0].rules', message: 'L7 rules can only apply to TCP', by: 'agent' },
  { name: 'L7 rules on port 0', object: ingress({ toPorts: [{ ports: [{ port: '0', protocol: 'TCP' }], rules: { http: [{ method: 'GET' }] } }] }), field: 'spec.ingress[0].toPorts[0].rules', message: 'port is 0', by: 'agent' },
  { name: 'DNS rules on ingress', object: ingress({ toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }], rules: { dns: [{ matchPattern: '*' }] } }] }), field: 'spec.ingress[0].toPorts[0].rules.dns', message: 'not allowed on ingress', by: 'agent' },
  { name: 'DNS rules on a port range', object: egress({ toPorts: [{ ports: [{ port: '53', endPort: 54, protocol: 'UDP' }], rules: { dns: [{ matchPattern: '*' }] } }] }), field: 'spec.egress[0].toPorts[0].ports[0].endPort', message: 'DNS rules do not support port ranges', by: 'agent' },
  { name: 'DNS rules without ports', object: egress({ toPorts: [{ rules: { dns: [{ matchPattern: '*' }] } }] }), field: 'spec.egress[0].toPorts[0].rules.dns', message: 'port 53 must be specified', by: 'agent' },
  { name: 'two L7 types in one port rule', object: egress({ toPorts: [{ ports: [{ port: '53', protocol: 'TCP' }], rules: { dns: [{ matchPattern: '*' }], http: [{}] } }] }), field: 'spec.egress[0].toPorts[0].rules', message: 'multiple L7 protocol rule types', by: 'schema' },
  { name: 'serverNames with L7 rules and no terminatingTLS', object: ingress({ toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }], serverNames: ['a.example.com'], rules: { http: [{}] } }] }), field: 'spec.ingress[0].toPorts[0].serverNames', message: 'without TLS termination', by: 'agent' },
  { name: 'empty server name', object: ingress({ toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }], serverNames: [''] }] }), field: 'spec.ingress[0].toPorts[0].serverNames[0]', message: 'empty server name', by: 'schema' },
  { name: 'a wildcard inside a server name', object: ingress({ toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }], serverNames: ['a.*.example.com'] }] }), field: 'spec.ingress[0].toPorts[0].serverNames[0]', message: 'optional *. or **. prefix', by: 'schema' },
  { name: 'a bare IP in toCIDR (the CRD wants address/prefix)', object: egress({ toCIDR: ['203.0.113.7'] }), field: 'spec.egress[0].toCIDR[0]', message: 'must be a CIDR', by: 'schema' },
  { name: 'except outside its CIDR', object: egress({ toCIDRSet: [{ cidr: '10.0.0.0/16', except: ['192.168.0.0/24'] }] }), field: 'spec.egress[0].toCIDRSet[0].except[0]', message: 'does not contain exclude CIDR prefix', by: 'agent' },
  { name: 'cidr and cidrGroupRef together', object: egress({ toCIDRSet: [{ cidr: '10.0.0.0/16', cidrGroupRef: 'g' }] }), field: 'spec.egress[0].toCIDRSet[0]', message: 'more than one of cidr, cidrGroupRef', by: 'schema' },
  { name: 'toFQDNs in egressDeny', object: cnp('prod/bad', { endpointSelector: web, egressDeny: [{ toFQDNs: [{ matchName: 'a.example.com' }] }] }), field: 'spec.egressDeny[0].toFQDNs', message: 'unknown field', by: 'agent' },
  { name: 'L7 rules in a deny rule', object: cnp('prod/bad', { endpointSelector: web, ingressDeny: [{ toPorts: [{ ports: [{ port: '80' }], rules: { http: [{}] } }] }] }), field: 'spec.ingressDeny[0].toPorts[0].rules', message: 'unknown field', by: 'agent' },
  { name: 'listener on ingress', object: ingress({ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], listener: { name: 'l', envoyConfig: { name: 'e' } } }] }), field: 'spec.ingress[0].toPorts[0].listener', message: 'not allowed on ingress', by: 'agent' },
  { name: 'HTTP rules in a host policy', object: ccnp('bad', { nodeSelector: {}, egress: [{ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{}] } }] }] }), field: 'spec.egress[0].toPorts[0].rules.http', message: 'not supported on host policies', by: 'agent' },
  { name: 'invalid HTTP path regex', object: ingress({ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{ path: '/(' }] } }] }), field: 'spec.ingress[0].toPorts[0].rules.http[0].path', message: 'invalid regular expression', by: 'agent' },
  { name: 'ICMP type name of the other family', object: ingress({ icmps: [{ fields: [{ type: 'PacketTooBig', family: 'IPv4' }] }] }), field: 'spec.ingress[0].icmps[0].fields[0].type', message: 'IPv4 ICMP type name', by: 'agent' },
  { name: 'matchPattern with forbidden characters', object: egress({ toFQDNs: [{ matchPattern: 'a?.example.com' }] }), field: 'spec.egress[0].toFQDNs[0].matchPattern', message: 'must be a DNS pattern', by: 'schema' },
  { name: 'matchName and matchPattern together', object: egress({ toFQDNs: [{ matchName: 'a.example.com', matchPattern: '*' }] }), field: 'spec.egress[0].toFQDNs[0]', message: 'only one of matchName and matchPattern', by: 'schema' },
  { name: 'log value longer than 32 characters', object: ingress({}, { log: { value: 'x'.repeat(33) } }), field: 'spec.log.value', message: 'at most 32 printable characters', by: 'schema' },
  { name: 'misspelt rule field', object: ingress({ fromEndpoint: [{}] }), field: 'spec.ingress[0].fromEndpoint', message: 'unknown field', by: 'agent' },
  { name: 'invalid selector operator', object: ingress({ fromEndpoints: [{ matchExpressions: [{ key: 'app', operator: 'Is' }] }] }), field: 'spec.ingress[0].fromEndpoints[0].matchExpressions[0].operator', message: 'must be one of In, NotIn, Exists, DoesNotExist', by: 'schema' },
  { name: 'In without values', object: ingress({ fromEndpoints: [{ matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }] }), field: 'spec.ingress[0].fromEndpoints[0].matchExpressions[0].values', message: 'must be non-empty', by: 'agent' },
  { name: 'enableDefaultDeny not a boolean', object: ingress({}, { enableDefaultDeny: { ingress: 'no' } }), field: 'spec.enableDefaultDeny.ingress', message: 'must be a boolean', by: 'schema' },
];
