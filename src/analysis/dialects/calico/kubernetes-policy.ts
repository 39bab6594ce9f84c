/**
 * Kubernetes NetworkPolicy as Calico applies it (libcalico-go/lib/converter conversion.go,
 * https://docs.tigera.io/calico/latest/network-policy/get-started/kubernetes-policy/kubernetes-network-policy):
 * a Calico NetworkPolicy in the `default` tier with order 1000, Allow rules, `types` from `policyTypes`, pod
 * selectors ANDed with `projectcalico.org/orchestrator == 'k8s'`, `namespaceSelector: {}` as `all()`, ipBlock as
 * `nets`/`notNets`, one rule per peer and protocol, and no ports meaning every protocol.
 */
import { CalicoPolicy, CalicoRule, DEFAULT_TIER, EntityRule, KUBERNETES_ORCHESTRATOR, KUBERNETES_POLICY_ORDER, ORCHESTRATOR_LABEL, PortMatch } from './model';
import { SelectorNode } from './selector';
import { LabelSelector } from '../../core/label-selector';
import { Direction } from '../../dialect';
import { NetworkPolicy, PolicyRule } from '../kubernetes/network-policy';

const PODS: SelectorNode = { kind: 'compare', key: ORCHESTRATOR_LABEL, op: '==', value: KUBERNETES_ORCHESTRATOR };

/** A Kubernetes label selector as a Calico selector (In → in, NotIn → not in, Exists → has(), DoesNotExist → !has()). */
export function labelSelectorToCalico(selector: LabelSelector): SelectorNode {
  const terms: SelectorNode[] = selector.requirements.map((requirement): SelectorNode => {
    switch (requirement.operator) {
      case 'In': return { kind: 'set', key: requirement.key, negated: false, values: requirement.values };
      case 'NotIn': return { kind: 'set', key: requirement.key, negated: true, values: requirement.values };
      case 'Exists': return { kind: 'has', key: requirement.key };
      case 'DoesNotExist': return { kind: 'not', operand: { kind: 'has', key: requirement.key } };
    }
  });
  if (terms.length === 0) return { kind: 'all' };
  return terms.length === 1 ? terms[0] : { kind: 'and', operands: terms };
}

function pods(selector: LabelSelector | undefined): SelectorNode {
  const labels = selector ? labelSelectorToCalico(selector) : { kind: 'all' as const };
  return labels.kind === 'all' ? PODS : { kind: 'and', operands: [PODS, ...(labels.kind === 'and' ? labels.operands : [labels])] };
}

function peerEntities(rule: PolicyRule): EntityRule[] {
  if (!rule.peers) return [{}];
  return rule.peers.map((peer): EntityRule => {
    if (peer.kind === 'ipBlock') return { nets: [peer.cidr], ...(peer.except.length > 0 ? { notNets: peer.except } : {}) };
    return {
      selector: pods(peer.podSelector),
      ...(peer.namespaceSelector ? { namespaceSelector: labelSelectorToCalico(peer.namespaceSelector) } : {}),
    };
  });
}

/** The rule's ports grouped by protocol; `[undefined]` when the rule has none (every protocol). */
function portGroups(rule: PolicyRule): { protocol?: 'TCP' | 'UDP' | 'SCTP'; ports?: PortMatch[] }[] {
  if (!rule.ports) return [{}];
  const byProtocol = new Map<'TCP' | 'UDP' | 'SCTP', PortMatch[] | undefined>();
  for (const entry of rule.ports) {
    const protocol = entry.protocol;
    const current = byProtocol.has(protocol) ? byProtocol.get(protocol) : [];
    let match: PortMatch | undefined;
    if (entry.portName !== undefined) match = { kind: 'named', name: entry.portName };
    else if (entry.port !== undefined) match = { kind: 'range', min: entry.port, max: entry.endPort ?? entry.port };
    // An entry without a port admits every port of the protocol: the group has no port list.
    byProtocol.set(protocol, match === undefined || current === undefined ? undefined : [...current, match]);
  }
  return [...byProtocol].map(([protocol, ports]) => ({ protocol, ...(ports ? { ports } : {}) }));
}

function convertRules(rules: readonly PolicyRule[], direction: Direction): { rules: CalicoRule[]; origins: number[] } {
  const converted: CalicoRule[] = [];
  const origins: number[] = [];
  for (const rule of rules) {
    for (const peer of peerEntities(rule)) {
      for (const group of portGroups(rule)) {
        const ports: EntityRule = group.ports ? { ports: group.ports } : {};
        converted.push({
          action: 'Allow',
          ...(group.protocol ? { protocol: group.protocol } : {}),
          source: direction === 'Ingress' ? peer : {},
          destination: direction === 'Ingress' ? ports : { ...peer, ...ports },
          hasHttp: false,
        });
        origins.push(rule.index);
      }
    }
  }
  return { rules: converted, origins };
}

/** A converted Kubernetes NetworkPolicy, with, per converted rule, the index of the Kubernetes rule it came from. */
export interface ConvertedKubernetesPolicy extends CalicoPolicy {
  readonly ingressOrigins: readonly number[];
  readonly egressOrigins: readonly number[];
}

export function convertKubernetesPolicy(policy: NetworkPolicy, staged: boolean, kind: string): ConvertedKubernetesPolicy {
  const ingress = convertRules(policy.ingress ?? [], 'Ingress');
  const egress = convertRules(policy.egress ?? [], 'Egress');
  const types = new Set<Direction>();
  if (policy.ingress) types.add('Ingress');
  if (policy.egress) types.add('Egress');
  return {
    ref: { kind, namespace: policy.namespace, name: policy.name, key: policy.key },
    namespace: policy.namespace,
    staged,
    fromKubernetes: true,
    tier: DEFAULT_TIER,
    order: KUBERNETES_POLICY_ORDER,
    selector: pods(policy.podSelector),
    serviceAccountSelector: { kind: 'all' },
    types,
    ingress: ingress.rules,
    egress: egress.rules,
    ingressOrigins: ingress.origins,
    egressOrigins: egress.origins,
    doNotTrack: false,
    preDNAT: false,
    applyOnForward: false,
  };
}
