/**
 * Calico's policy evaluation for one direction of one connection
 * (https://docs.tigera.io/calico/latest/network-policy/policy-tiers/tiered-policy; Felix felix/rules):
 *
 * 1. tiers in ascending `order` (no order: last; ties by name); a tier applies to an endpoint and direction only
 *    if one of its enforced policies selects the endpoint with the direction in `types`;
 * 2. in an applying tier, policies by `order` (none: last), ties by name; rules in list order: Allow and Deny are
 *    final, Log continues, Pass leaves the tier; with no action taken, the tier's `defaultAction` (Deny: the
 *    end-of-tier deny; Pass: on to the next tier);
 * 3. after the last tier, or when none applies, the profiles: the namespace profile `kns.<ns>` allows pods.
 *
 * Staged policies never enforce and never make a tier apply; `preview` evaluates as if they were applied.
 */
import { ConvertedKubernetesPolicy } from './kubernetes-policy';
import {
  Action,
  CalicoNetworkSet,
  CalicoPolicy,
  CalicoRule,
  CalicoTier,
  DEFAULT_TIER,
  DEFAULT_TIER_ORDER,
  EntityRule,
  KUBERNETES_ORCHESTRATOR,
  NAME_LABEL,
  NAMESPACE_LABEL,
  ORCHESTRATOR_LABEL,
  PortMatch,
  RuleProtocol,
  SERVICE_ACCOUNT_LABEL,
} from './model';
import { matchesSelector, SelectorNode } from './selector';
import { ServiceEndpoints } from './service-endpoints';
import { EndpointUniverse } from '../../core/endpoint-universe';
import { Endpoint } from '../../core/endpoints';
import { cidrContainsAddress } from '../../core/ip-address';
import { ConnectionProbe, Direction, DirectionQuery, isIcmpProbe, queryProbe } from '../../dialect';
import { ServiceRecord } from '../../manifests/service';

/** Built-in tiers (Calico v3.32+): `kube-admin` and `kube-baseline` pass by default; `default` denies. */
export const BUILT_IN_TIERS: readonly CalicoTier[] = [
  { name: 'kube-admin', order: 1000, defaultAction: 'Pass' },
  { name: DEFAULT_TIER, order: DEFAULT_TIER_ORDER, defaultAction: 'Deny' },
  { name: 'kube-baseline', order: 10_000_000, defaultAction: 'Pass' },
];

/** How the evaluation ended. */
export type Outcome =
  /** A rule's Allow or Deny. */
  | { readonly kind: 'rule'; readonly action: 'Allow' | 'Deny'; readonly policy: CalicoPolicy; readonly ruleIndex: number; readonly tier: string }
  /** The end-of-tier deny of an applying tier where no policy acted. */
  | { readonly kind: 'end-of-tier'; readonly tier: string }
  /** The profiles: pods are allowed by their namespace profile. `passedFrom` names the tiers that passed. */
  | { readonly kind: 'profile'; readonly allowed: boolean; readonly applyingTiers: readonly string[] };

/** One step of the evaluation, for explanations: a Log or Pass rule, or a tier's Pass default action. */
export interface Step {
  readonly tier: string;
  readonly policy?: CalicoPolicy;
  readonly ruleIndex?: number;
  readonly action: Action | 'tier-pass';
}

export interface Evaluation {
  readonly outcome: Outcome;
  readonly steps: readonly Step[];
  /** Enforced (or, in a preview, previewed) policies selecting the subject for the direction. */
  readonly selecting: readonly CalicoPolicy[];
}

function compareOrder(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a - b;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = { TCP: 6, UDP: 17, ICMP: 1, ICMPv6: 58, SCTP: 132, UDPLite: 136 };

function protocolNumber(protocol: RuleProtocol): number {
  return typeof protocol === 'number' ? protocol : PROTOCOL_NUMBERS[protocol];
}

/** Policies of one tier in evaluation order: `order` ascending (none last), then name, then `namespace/name`. */
export function comparePolicies(a: CalicoPolicy, b: CalicoPolicy): number {
  return compareOrder(a.order, b.order) || compareText(a.ref.name, b.ref.name) || compareText(a.ref.key, b.ref.key);
}

/** The compiled inputs of one evaluation. */
export class CalicoEvaluator {
  /** Every tier a policy may name, in evaluation order. */
  readonly tiers: readonly CalicoTier[];
  private readonly namespaceLabels = new Map<string, Map<string, string>>();
  private readonly endpointLabels = new Map<number, Map<string, string>>();
  /** The Services' endpoints, for rules with `services`. */
  readonly services: ServiceEndpoints;

  constructor(
    readonly universe: EndpointUniverse,
    readonly policies: readonly CalicoPolicy[],
    declaredTiers: readonly CalicoTier[],
    readonly networkSets: readonly CalicoNetworkSet[],
    services: readonly ServiceRecord[] = [],
  ) {
    this.services = new ServiceEndpoints(universe, services);
    const tiers = new Map(BUILT_IN_TIERS.map((tier) => [tier.name, tier]));
    for (const tier of declaredTiers) {
      // The built-in tiers' order is fixed by Calico (a Tier object for them cannot change it).
      const builtIn = BUILT_IN_TIERS.find((candidate) => candidate.name === tier.name);
      tiers.set(tier.name, builtIn ? { ...builtIn, defaultAction: builtIn.name === DEFAULT_TIER ? 'Deny' : tier.defaultAction } : tier);
    }
    // A policy naming a tier the input does not declare: Calico refuses to create it; we evaluate it in a tier with
    // no order and the Deny default (the reader cannot tell, as the Tier may live in another file or the cluster).
    for (const policy of policies) if (!tiers.has(policy.tier)) tiers.set(policy.tier, { name: policy.tier, defaultAction: 'Deny' });
    this.tiers = [...tiers.values()].sort((a, b) => compareOrder(a.order, b.order) || compareText(a.name, b.name));
    for (const range of universe.namespaces) {
      this.namespaceLabels.set(range.namespace.name, new Map([...range.namespace.labels, [NAME_LABEL, range.namespace.name]]));
    }
  }

  /** A namespace's labels plus `projectcalico.org/name`; undefined when the input does not hold the namespace. */
  labelsOfNamespace(namespace: string): ReadonlyMap<string, string> {
    return this.namespaceLabels.get(namespace) ?? new Map([[NAME_LABEL, namespace]]);
  }

  /** A pod's labels plus the ones Calico adds. */
  podLabels(endpoint: Endpoint): ReadonlyMap<string, string> {
    let labels = this.endpointLabels.get(endpoint.index);
    if (!labels) {
      labels = new Map(endpoint.labels);
      labels.set(NAMESPACE_LABEL, endpoint.namespace!);
      labels.set(ORCHESTRATOR_LABEL, KUBERNETES_ORCHESTRATOR);
      labels.set(SERVICE_ACCOUNT_LABEL, endpoint.serviceAccount ?? 'default');
      this.endpointLabels.set(endpoint.index, labels);
    }
    return labels;
  }

  serviceAccountLabels(endpoint: Endpoint): ReadonlyMap<string, string> {
    const name = endpoint.serviceAccount ?? 'default';
    const labels = this.universe.serviceAccounts.get(`${endpoint.namespace}/${name}`);
    return new Map([...(labels ?? []), [NAME_LABEL, name]]);
  }

  /** Whether the policy selects the endpoint (its top-level selectors), whatever the direction. */
  selects(policy: CalicoPolicy, endpoint: Endpoint): boolean {
    // Only pods are workload endpoints here; host endpoints (HostEndpoint objects) are not read yet. A hostNetwork
    // pod has no workload endpoint: Calico's policies reach it only through its node's host endpoint.
    if (!isWorkload(endpoint)) return false;
    if (policy.namespace !== undefined && policy.namespace !== endpoint.namespace) return false;
    if (policy.namespaceSelector && !matchesSelector(policy.namespaceSelector, this.labelsOfNamespace(endpoint.namespace))) return false;
    if (!matchesSelector(policy.selector, this.podLabels(endpoint))) return false;
    return matchesSelector(policy.serviceAccountSelector, this.serviceAccountLabels(endpoint));
  }

  /**
   * The policies that act in this evaluation: enforced ones, or, for a preview, the staged ones applied over them
   * (a staged policy replaces the enforced policy of the same kind, namespace and name).
   */
  activePolicies(preview: boolean): readonly CalicoPolicy[] {
    if (!preview) return this.policies.filter((policy) => !policy.staged);
    const staged = this.policies.filter((policy) => policy.staged);
    // A Kubernetes NetworkPolicy and a Calico NetworkPolicy may share a name: the origin tells them apart.
    const identity = (policy: CalicoPolicy): string => `${policy.fromKubernetes ? 'k8s' : 'calico'}/${enforcedKind(policy.ref.kind)}/${policy.ref.key}`;
    const replaced = new Set(staged.map(identity));
    return [...this.policies.filter((policy) => !policy.staged && !replaced.has(identity(policy))), ...staged];
  }

  evaluate(query: DirectionQuery, preview = false): Evaluation {
    const { subject, direction } = query;
    const policies = this.activePolicies(preview).filter((policy) => policy.types.has(direction) && this.selects(policy, subject));
    const steps: Step[] = [];
    const applyingTiers: string[] = [];
    for (const tier of this.tiers) {
      const inTier = policies.filter((policy) => policy.tier === tier.name).sort(comparePolicies);
      if (inTier.length === 0) continue;
      applyingTiers.push(tier.name);
      let passed = false;
      policyLoop: for (const policy of inTier) {
        const rules = direction === 'Ingress' ? policy.ingress : policy.egress;
        for (let index = 0; index < rules.length; index++) {
          const rule = rules[index];
          if (!this.ruleMatches(rule, policy, query)) continue;
          if (rule.action === 'Allow' || rule.action === 'Deny') {
            return { outcome: { kind: 'rule', action: rule.action, policy, ruleIndex: index, tier: tier.name }, steps, selecting: policies };
          }
          steps.push({ tier: tier.name, policy, ruleIndex: index, action: rule.action });
          if (rule.action === 'Pass') {
            passed = true;
            break policyLoop;
          }
        }
      }
      if (passed) continue;
      if (tier.defaultAction === 'Deny') return { outcome: { kind: 'end-of-tier', tier: tier.name }, steps, selecting: policies };
      steps.push({ tier: tier.name, action: 'tier-pass' });
    }
    return { outcome: { kind: 'profile', allowed: isWorkload(subject), applyingTiers }, steps, selecting: policies };
  }

  /** Every criterion of the rule, positive and negative, must match (AND). */
  ruleMatches(rule: CalicoRule, policy: CalicoPolicy, query: DirectionQuery): boolean {
    const probe = queryProbe(query);
    const source = query.direction === 'Ingress' ? query.peer : query.subject;
    const destination = query.direction === 'Ingress' ? query.subject : query.peer;
    if (!protocolMatches(rule, probe)) return false;
    if (rule.ipVersion !== undefined && familyOf(probe, query.peer, query.subject) !== rule.ipVersion) return false;
    return this.entityMatches(rule.source, policy, source, undefined, probe)
      && this.entityMatches(rule.destination, policy, destination, query.destination, probe);
  }

  /**
   * One side of a rule against the endpoint on that side. `nets` test its address, any address. The selectors
   * test what owns the address: the pod, and the network sets listing it. `portOwner` is the destination
   * (whose container ports named ports resolve against); undefined for the source side, whose port is an
   * ephemeral one we do not know: `source.ports` never match and `source.notPorts` never exclude.
   */
  entityMatches(
    entity: EntityRule, policy: CalicoPolicy, endpoint: Endpoint, portOwner: Endpoint | undefined, probe: ConnectionProbe,
  ): boolean {
    if (entity.services) {
      // The reader admits `services` only on the peer side: an egress destination (address and port) or an ingress source.
      const namespace = serviceNamespace(entity, policy);
      if (namespace === undefined) return false;
      if (portOwner) {
        if (isIcmpProbe(probe) || !this.services.matchesDestination(namespace, entity.services.name, endpoint, probe)) return false;
      } else if (!this.services.matchesSource(namespace, entity.services.name, endpoint)) {
        return false;
      }
    }
    if (entity.nets && !entity.nets.some((cidr) => endpoint.ips.some((ip) => cidrContainsAddress(cidr, ip)))) return false;
    if (entity.notNets && entity.notNets.some((cidr) => endpoint.ips.some((ip) => cidrContainsAddress(cidr, ip)))) return false;
    if (entity.ports) {
      if (!portOwner || isIcmpProbe(probe)) return false;
      if (!entity.ports.some((port) => portMatches(port, probe.port, probe.protocol, portOwner))) return false;
    }
    if (entity.notPorts && portOwner && !isIcmpProbe(probe)) {
      if (entity.notPorts.some((port) => portMatches(port, probe.port, probe.protocol, portOwner))) return false;
    }
    const selectsOwners = entity.selector !== undefined || entity.namespaceSelector !== undefined || entity.serviceAccounts !== undefined
      // In a namespaced policy a lone notSelector also limits the rule to the policy's namespace (libcalico-go rules.go).
      || (policy.namespace !== undefined && entity.notSelector !== undefined);
    if (!selectsOwners && !entity.notSelector) return true;
    const owners = this.owners(endpoint);
    if (selectsOwners) {
      const selector: SelectorNode = entity.selector ?? { kind: 'all' };
      const positive = owners.some((owner) => this.inScope(entity, policy, owner)
        && matchesSelector(selector, owner.labels) && this.serviceAccountsMatch(entity, owner));
      if (!positive) return false;
    }
    // The notSelector is not scoped to a namespace (libcalico-go updateprocessors/rules.go keeps it as written).
    if (entity.notSelector) {
      const notSelector = entity.notSelector;
      if (owners.some((owner) => matchesSelector(notSelector, owner.labels))) return false;
    }
    return true;
  }

  /**
   * Service accounts become selector terms on the owner (rules.go parseServiceAccounts): names as
   * `projectcalico.org/serviceaccount in {...}`, the selector over the account's labels. Network sets have neither.
   */
  serviceAccountsMatch(entity: EntityRule, owner: Owner): boolean {
    const match = entity.serviceAccounts;
    if (!match) return true;
    if (match.names && !(owner.pod && match.names.includes(owner.pod.serviceAccount ?? 'default'))) return false;
    return !match.selector || matchesSelector(match.selector, owner.pod ? this.serviceAccountLabels(owner.pod) : new Map());
  }

  /**
   * The rule's namespace scope (rules.go getEndpointSelector): a `namespaceSelector` over the owner's namespace labels
   * (none for non-namespaced owners), where `all()` means "namespaced" and `global()` "not namespaced"; else, in a
   * namespaced policy, the policy's namespace; else (a global policy) everything.
   */
  inScope(entity: EntityRule, policy: CalicoPolicy, owner: Owner): boolean {
    if (entity.namespaceSelector) {
      const labels = owner.namespace !== undefined ? new Map([...this.labelsOfNamespace(owner.namespace), [NAMESPACED, '']]) : new Map<string, string>();
      return matchesSelector(namespaceScope(entity.namespaceSelector), labels);
    }
    return policy.namespace === undefined || owner.namespace === policy.namespace;
  }

  /** What owns the endpoint's addresses: the pod (a workload endpoint), and every network set that lists one of them. */
  private owners(endpoint: Endpoint): Owner[] {
    const owners: Owner[] = [];
    if (isWorkload(endpoint)) owners.push({ namespace: endpoint.namespace, labels: this.podLabels(endpoint), pod: endpoint });
    for (const set of this.networkSets) {
      if (!set.nets.some((cidr) => endpoint.ips.some((ip) => cidrContainsAddress(cidr, ip)))) continue;
      owners.push(networkSetOwner(set));
    }
    return owners;
  }
}

/** A key no real label can have (it holds a NUL): marks the namespace labels of a namespaced owner. */
export const NAMESPACED = '\u0000namespaced';

/** rules.go replaces `all()` in a namespaceSelector with `has(projectcalico.org/namespace)` and `global()` with its negation. */
export function namespaceScope(node: SelectorNode): SelectorNode {
  switch (node.kind) {
    case 'all': return { kind: 'has', key: NAMESPACED };
    case 'global': return { kind: 'not', operand: { kind: 'has', key: NAMESPACED } };
    case 'not': return { kind: 'not', operand: namespaceScope(node.operand) };
    case 'and': case 'or': return { kind: node.kind, operands: node.operands.map(namespaceScope) };
    default: return node;
  }
}

/** A pod with a workload endpoint: not a hostNetwork pod (https://docs.tigera.io/calico/latest/reference/host-endpoints/). */
export function isWorkload(endpoint: Endpoint): endpoint is Endpoint & { readonly namespace: string } {
  return endpoint.kind === 'pod' && endpoint.namespace !== undefined && !endpoint.hostNetwork;
}

/** A network set as the owner of the addresses it lists: its labels, plus `projectcalico.org/namespace` when namespaced. */
export function networkSetOwner(set: CalicoNetworkSet): Owner {
  const labels = set.namespace !== undefined ? new Map([...set.labels, [NAMESPACE_LABEL, set.namespace]]) : set.labels;
  return { ...(set.namespace !== undefined ? { namespace: set.namespace } : {}), labels };
}

/** The namespace of a rule's Service: its own, else the policy's (a GlobalNetworkPolicy must name one). */
export function serviceNamespace(entity: EntityRule, policy: CalicoPolicy): string | undefined {
  return entity.services?.namespace ?? policy.namespace;
}

/** The rule's protocol, notProtocol, icmp and notICMP against the probe: criteria that depend on the probe alone. */
export function protocolMatches(rule: CalicoRule, probe: ConnectionProbe): boolean {
  const protocol = isIcmpProbe(probe) ? (probe.family === 'IPv6' ? 58 : 1) : PROTOCOL_NUMBERS[probe.protocol];
  if (rule.protocol !== undefined && protocolNumber(rule.protocol) !== protocol) return false;
  if (rule.notProtocol !== undefined && protocolNumber(rule.notProtocol) === protocol) return false;
  if (rule.icmp && !(isIcmpProbe(probe) && icmpMatches(rule.icmp, probe))) return false;
  if (rule.notICMP && isIcmpProbe(probe) && icmpMatches(rule.notICMP, probe)) return false;
  return true;
}

export interface Owner {
  /** Undefined for GlobalNetworkSets. */
  readonly namespace?: string;
  readonly labels: ReadonlyMap<string, string>;
  readonly pod?: Endpoint;
}

function enforcedKind(kind: string): string {
  if (kind === 'StagedKubernetesNetworkPolicy') return 'NetworkPolicy';
  return kind.replace(/^Staged/, '');
}

function icmpMatches(match: { type?: number; code?: number }, probe: { type: number; code?: number }): boolean {
  if (match.type !== undefined && match.type !== probe.type) return false;
  if (match.code !== undefined && match.code !== (probe.code ?? 0)) return false;
  return true;
}

export function familyOf(probe: ConnectionProbe, peer: Endpoint, subject: Endpoint): 4 | 6 | undefined {
  if (isIcmpProbe(probe)) return probe.family === 'IPv6' ? 6 : 4;
  return (peer.ips[0] ?? subject.ips[0])?.family;
}

export function portMatches(port: PortMatch, number: number, protocol: string, owner: Endpoint): boolean {
  if (port.kind === 'range') return number >= port.min && number <= port.max;
  return owner.ports.some((container) => container.name === port.name && container.port === number && container.protocol === protocol);
}

/** Where a converted Kubernetes rule came from, for words: the Kubernetes rule index, else the Calico one. */
export function sourceRuleIndex(policy: CalicoPolicy, direction: Direction, index: number): number {
  const origins = (policy as Partial<ConvertedKubernetesPolicy>)[direction === 'Ingress' ? 'ingressOrigins' : 'egressOrigins'];
  return origins?.[index] ?? index;
}
