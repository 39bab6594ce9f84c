/**
 * `toPorts` (https://docs.cilium.io/en/stable/security/policy/language/#layer-4-examples). Every port
 * states its protocol, since an omitted protocol means ANY here (TCP, UDP and SCTP), unlike
 * NetworkPolicy. "All ports" omits `toPorts` (the rule is then L3 only); a whole protocol is port "0".
 * A port with HTTP rules gets a PortRule of its own with `rules.http`.
 */
import { CiliumHttpRule, CiliumPortProtocol, CiliumPortRule } from './types';
import { HttpRule } from '../../model/http';
import { PortSpec } from '../../model/port';

/** Cilium accepts at most 40 ports in one PortRule. */
const MAX_PORTS_PER_RULE = 40;

/** The `toPorts` of a rule, or undefined for every port and protocol. */
export function renderToPorts(ports: readonly PortSpec[]): CiliumPortRule[] | undefined {
  if (ports.some((p) => p.kind === 'all')) return undefined;
  const plain = ports.filter((p) => p.http === undefined).map(portProtocol);
  const rules: CiliumPortRule[] = [];
  for (let i = 0; i < plain.length; i += MAX_PORTS_PER_RULE) rules.push({ ports: plain.slice(i, i + MAX_PORTS_PER_RULE) });
  for (const port of ports) {
    if (port.http === undefined) continue;
    rules.push({ ports: [portProtocol(port)], rules: { http: port.http.flatMap(httpRules) } });
  }
  return rules;
}

/** Ports only, for deny rules (which take no L7 rules). */
export function renderDenyPorts(ports: readonly PortSpec[]): { ports: CiliumPortProtocol[] }[] | undefined {
  const rules = renderToPorts(ports);
  return rules?.map((r) => ({ ports: r.ports }));
}

export function portProtocol(port: PortSpec): CiliumPortProtocol {
  switch (port.kind) {
    case 'protocol':
      return { port: '0', protocol: port.protocol };
    case 'number':
      return { port: String(port.port), protocol: port.protocol };
    case 'range':
      return port.from === port.to
        ? { port: String(port.from), protocol: port.protocol }
        : { port: String(port.from), endPort: port.to, protocol: port.protocol };
    case 'named':
      return { port: port.name, protocol: port.protocol };
    case 'all':
      throw new Error('internal: every port is rendered as a rule without toPorts');
  }
}

/**
 * One Cilium rule per method (Cilium's `method` is one regular expression; one rule each keeps
 * them literal). The path is a full-match expression in both models. The host is exact here and a
 * regular expression in Cilium, so its dots are escaped: `api.example.com` would also match
 * `apiXexample.com` (see the `host` field of PortRuleHTTP).
 */
function httpRules(rule: HttpRule): CiliumHttpRule[] {
  const common: CiliumHttpRule = {
    ...(rule.path !== undefined ? { path: rule.path } : {}),
    ...(rule.host !== undefined ? { host: rule.host.replace(/\./g, '\\.') } : {}),
    ...(rule.headers?.length ? { headers: [...rule.headers] } : {}),
  };
  if (!rule.methods?.length) return [common];
  return rule.methods.map((method) => ({ method, ...common }));
}
