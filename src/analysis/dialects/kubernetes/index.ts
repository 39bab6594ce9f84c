import { CompiledRules, NetworkPolicyEnforcement } from './compiled-rules';
import { decide } from './decision';
import { NETWORK_POLICY_KIND, NetworkPolicy, parseNetworkPolicy } from './network-policy';
import { NetworkPolicyProbeSets } from './probe-sets';
import { EndpointUniverse } from '../../core/endpoint-universe';
import { CompiledPolicies, Decision, Dialect, DirectionQuery, PolicyReader, ProbeSets } from '../../dialect';
import { ProbePort } from '../../types';

class CompiledNetworkPolicies implements CompiledPolicies {
  constructor(private readonly rules: CompiledRules) {}

  decide(query: DirectionQuery): Decision {
    return decide(this.rules, query);
  }

  probeSets(probe: ProbePort): ProbeSets {
    return new NetworkPolicyProbeSets(this.rules, probe);
  }
}

function networkPolicyDialect(name: string, enforcement: NetworkPolicyEnforcement): Dialect {
  return {
    name,
    layer: 'network',
    kinds: [{ apiVersion: 'networking.k8s.io/v1', kind: NETWORK_POLICY_KIND, namespaced: true }],
    nodesAreEndpoints: enforcement.cni === 'cilium',
    reader(): PolicyReader {
      const policies: NetworkPolicy[] = [];
      return {
        read(object, identity, issues) {
          // The kind is namespaced, so the inventory always gives a namespace.
          const policy = parseNetworkPolicy(object, { namespace: identity.namespace!, name: identity.name, source: identity.source }, issues);
          if (policy) policies.push(policy);
        },
        compile(universe: EndpointUniverse): CompiledPolicies {
          return new CompiledNetworkPolicies(new CompiledRules(universe, policies, enforcement));
        },
      };
    },
  };
}

/** Kubernetes NetworkPolicy (https://kubernetes.io/docs/concepts/services-networking/network-policies/): enforced by the CNI. */
export const kubernetesNetworkPolicy: Dialect = networkPolicyDialect('Kubernetes NetworkPolicy', { cni: 'kubernetes' });

/**
 * Kubernetes NetworkPolicy as Cilium enforces it (https://docs.cilium.io/en/stable/network/kubernetes/policy/):
 * the same rules, on Cilium identities (see `NetworkPolicyEnforcement`). Its answer is folded with the Cilium
 * dialect's for the same endpoint: allows are unioned and a Cilium deny wins.
 */
export const kubernetesNetworkPolicyUnderCilium: Dialect = networkPolicyDialect('Kubernetes NetworkPolicy (enforced by Cilium)', { cni: 'cilium' });
