import { ComputedConnectivity, Connectivity } from './connectivity';

/** Which policy objects of the input select at least one of its pods. */
export interface PolicyCoverage {
  /** Pods in the input (externals excluded). */
  readonly pods: number;
  /** Policy objects read, of every dialect. */
  readonly policies: number;
  /** `Kind namespace/name` of the policies that select no pod of the input, in input order: their rules decided nothing. */
  readonly unselected: readonly string[];
}

/**
 * Kinds the policy dialects read that select no endpoint themselves: policies refer to them (Calico tiers and network
 * sets, Cilium CIDR groups). They are never "unselected".
 */
const REFERENCED_KINDS: ReadonlySet<string> = new Set(['Tier', 'NetworkSet', 'GlobalNetworkSet', 'CiliumCIDRGroup']);

/** A port no policy treats specially: selection does not depend on the port. */
const ANY_PROBE = { port: 1, protocol: 'TCP' } as const;

/**
 * Policies that select no pod of the input were never exercised: the input lacks the pods they are
 * meant for, so the report says nothing about them. One self-connection per pod gives, for both
 * directions, every policy that selects it.
 */
export function policyCoverage(connectivity: Connectivity): PolicyCoverage {
  if (!(connectivity instanceof ComputedConnectivity)) throw new Error('policyCoverage needs a Connectivity returned by computeConnectivity');
  const selected = new Set<string>();
  let pods = 0;
  for (const endpoint of connectivity.universe.endpoints) {
    if (endpoint.kind !== 'pod') continue;
    pods++;
    const evaluation = connectivity.evaluate(endpoint.id, endpoint.id, ANY_PROBE);
    for (const side of [evaluation.egress, evaluation.ingress]) {
      for (const layer of side.layers) {
        for (const decision of layer.decisions) for (const policy of decision.selectingPolicies) selected.add(`${policy.kind} ${policy.key}`);
      }
    }
  }
  const policies = connectivity.extras.policies
    .filter((policy) => !REFERENCED_KINDS.has(policy.kind))
    .map((policy) => `${policy.kind} ${policy.key}`);
  return { pods, policies: policies.length, unselected: policies.filter((policy) => !selected.has(policy)) };
}
