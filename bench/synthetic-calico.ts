/**
 * The synthetic benchmark inventory with every NetworkPolicy translated into an equivalent Calico
 * `projectcalico.org/v3` NetworkPolicy, so that the Calico evaluator (`cni: 'calico'`) runs on the same
 * 10^8-verdict shape as the Kubernetes and Cilium ones, parsing and compiling Calico selectors rather than
 * converted label selectors.
 *
 * Translation, as Calico converts NetworkPolicy itself (libcalico-go `lib/backend/k8s/conversion`,
 * https://docs.tigera.io/calico/latest/network-policy/get-started/calico-policy/calico-network-policy): the
 * podSelector becomes the `selector` (matchLabels `k == 'v'`, In `k in {…}`, NotIn `k not in {…}`, Exists
 * `has(k)`, DoesNotExist `!has(k)`, `{}` `all()`); a peer's podSelector and namespaceSelector the rule's
 * `selector` and `namespaceSelector` (`{}`: `all()`); an ipBlock `nets`/`notNets`; one Allow rule per protocol and
 * peer, with the ports as `destination.ports` (`port:endPort` for ranges); `types` from policyTypes; order 1000 in
 * the default tier.
 */
import { syntheticInventory } from './synthetic-inventory';

type Manifest = Record<string, unknown>;
type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
interface Peer { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: { cidr: string; except?: string[] } }
interface Port { port?: number | string; endPort?: number; protocol?: string }
interface Rule { from?: Peer[]; to?: Peer[]; ports?: Port[] }

const quoted = (value: string): string => `'${value}'`;

/** A label selector as a Calico selector expression. */
export function calicoSelector(selector: Selector): string {
  const terms = [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key} == ${quoted(value)}`),
    ...(selector.matchExpressions ?? []).map((expression) => {
      const values = `{${(expression.values ?? []).map(quoted).join(', ')}}`;
      switch (expression.operator) {
        case 'In': return `${expression.key} in ${values}`;
        case 'NotIn': return `${expression.key} not in ${values}`;
        case 'Exists': return `has(${expression.key})`;
        case 'DoesNotExist': return `!has(${expression.key})`;
        default: throw new Error(`unknown operator ${expression.operator}`);
      }
    }),
  ];
  return terms.length > 0 ? terms.join(' && ') : 'all()';
}

function entity(peer: Peer | undefined): Manifest {
  if (!peer) return {};
  if (peer.ipBlock) return { nets: [peer.ipBlock.cidr], ...(peer.ipBlock.except ? { notNets: peer.ipBlock.except } : {}) };
  return {
    ...(peer.podSelector ? { selector: calicoSelector(peer.podSelector) } : {}),
    ...(peer.namespaceSelector ? { namespaceSelector: calicoSelector(peer.namespaceSelector) } : {}),
  };
}

function portText(port: Port): number | string {
  return port.endPort !== undefined ? `${port.port}:${port.endPort}` : port.port!;
}

function translateRules(rules: readonly Rule[], direction: 'from' | 'to'): Manifest[] {
  const out: Manifest[] = [];
  for (const rule of rules) {
    const peers: (Peer | undefined)[] = rule[direction] && rule[direction]!.length > 0 ? rule[direction]! : [undefined];
    // Ports grouped by protocol (TCP when omitted); an entry without a port admits the whole protocol.
    const byProtocol = new Map<string, (number | string)[] | undefined>();
    for (const port of rule.ports ?? []) {
      const protocol = port.protocol ?? 'TCP';
      if (port.port === undefined) byProtocol.set(protocol, undefined);
      else if (!byProtocol.has(protocol) || byProtocol.get(protocol)) byProtocol.set(protocol, [...(byProtocol.get(protocol) ?? []), portText(port)]);
    }
    const protocols: [string | undefined, (number | string)[] | undefined][] = byProtocol.size > 0 ? [...byProtocol] : [[undefined, undefined]];
    for (const [protocol, ports] of protocols) {
      for (const peer of peers) {
        const side = entity(peer);
        const destinationPorts = ports ? { ports } : {};
        out.push({
          action: 'Allow',
          ...(protocol ? { protocol } : {}),
          ...(direction === 'from'
            ? { ...(Object.keys(side).length > 0 ? { source: side } : {}), ...(ports ? { destination: destinationPorts } : {}) }
            : { ...(Object.keys(side).length > 0 || ports ? { destination: { ...side, ...destinationPorts } } : {}) }),
        });
      }
    }
  }
  return out;
}

/** A NetworkPolicy (as the synthetic inventory writes them) as an equivalent Calico NetworkPolicy. */
export function networkPolicyToCalico(policy: Manifest): Manifest {
  const spec = policy.spec as { podSelector: Selector; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] };
  const types = spec.policyTypes && spec.policyTypes.length > 0 ? spec.policyTypes : ['Ingress', ...(spec.egress && spec.egress.length > 0 ? ['Egress'] : [])];
  const ingress = types.includes('Ingress') ? translateRules(spec.ingress ?? [], 'from') : [];
  const egress = types.includes('Egress') ? translateRules(spec.egress ?? [], 'to') : [];
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: policy.metadata,
    spec: {
      order: 1000,
      selector: calicoSelector(spec.podSelector),
      types,
      ...(ingress.length > 0 ? { ingress } : {}),
      ...(egress.length > 0 ? { egress } : {}),
    },
  };
}

/** `syntheticInventory` with Calico NetworkPolicies instead of NetworkPolicies. */
export function syntheticCalicoInventory(namespaces: number, podsPerNamespace: number): unknown[] {
  return syntheticInventory(namespaces, podsPerNamespace)
    .map((object) => ((object as Manifest).kind === 'NetworkPolicy' ? networkPolicyToCalico(object as Manifest) : object));
}
