/**
 * CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy and CiliumCIDRGroup (cilium.io), as the Cilium agent
 * enforces them (https://docs.cilium.io/en/stable/security/policy/). Kubernetes NetworkPolicy under Cilium is
 * the `kubernetesNetworkPolicyUnderCilium` dialect; the fold (`connectivity.ts`) unions both per endpoint, a deny
 * winning, as the agent merges them into one policy per endpoint.
 */
import { CompiledCilium } from './compile';
import { decideCilium } from './decision';
import { CCNP_KIND, CIDR_GROUP_KIND, CidrGroup, CiliumPolicy, CNP_KIND } from './model';
import { CiliumProbeSets } from './probe-sets';
import { parseCidrGroup } from './read-cidr-group';
import { parseCiliumPolicy } from './read-policy';
import { EndpointUniverse } from '../../core/endpoint-universe';
import { CompileContext, CompiledPolicies, Decision, Dialect, DirectionQuery, PolicyReader, ProbeSets } from '../../dialect';
import { ObjectKind } from '../../manifests/object-kinds';
import { ProbePort } from '../../types';

export { CompiledCilium } from './compile';
export { CCNP_KIND, CIDR_GROUP_KIND, CNP_KIND } from './model';

class CompiledCiliumPolicies implements CompiledPolicies {
  constructor(readonly compiled: CompiledCilium) {}

  decide(query: DirectionQuery): Decision {
    return decideCilium(this.compiled, query);
  }

  probeSets(probe: ProbePort): ProbeSets {
    return new CiliumProbeSets(this.compiled, probe);
  }
}

/** The kinds the Cilium dialect reads; CiliumCIDRGroup is served as v2alpha1 and, from Cilium 1.18, v2. */
export const CILIUM_KINDS: readonly ObjectKind[] = [
  { apiVersion: 'cilium.io/v2', kind: CNP_KIND, namespaced: true },
  { apiVersion: 'cilium.io/v2', kind: CCNP_KIND, namespaced: false },
  { apiVersion: 'cilium.io/v2alpha1', kind: CIDR_GROUP_KIND, namespaced: false },
  { apiVersion: 'cilium.io/v2', kind: CIDR_GROUP_KIND, namespaced: false },
];

export const ciliumNetworkPolicy: Dialect = {
  name: 'Cilium network policy',
  layer: 'network',
  kinds: CILIUM_KINDS,
  nodesAreEndpoints: true,
  reader(): PolicyReader {
    const policies: CiliumPolicy[] = [];
    const groups: CidrGroup[] = [];
    return {
      read(object, identity, issues) {
        if (identity.kind === CIDR_GROUP_KIND) {
          const group = parseCidrGroup(object, identity, issues);
          if (group) groups.push(group);
          return;
        }
        const policy = parseCiliumPolicy(object, identity, issues);
        if (policy) policies.push(policy);
      },
      compile(universe: EndpointUniverse, context?: CompileContext): CompiledPolicies {
        return new CompiledCiliumPolicies(new CompiledCilium(universe, policies, groups, context?.services ?? []));
      },
    };
  },
};
