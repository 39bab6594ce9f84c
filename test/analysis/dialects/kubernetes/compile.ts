/** Compiles manifests with the NetworkPolicy dialect alone, for its unit tests. */
import { EndpointUniverse } from '../../../../src/analysis/core/endpoint-universe';
import { externalEndpoints } from '../../../../src/analysis/core/endpoints';
import { CompiledPolicies } from '../../../../src/analysis/dialect';
import { kubernetesNetworkPolicy } from '../../../../src/analysis/dialects/kubernetes';
import { CompiledRules } from '../../../../src/analysis/dialects/kubernetes/compiled-rules';
import { NetworkPolicy, parseNetworkPolicy } from '../../../../src/analysis/dialects/kubernetes/network-policy';
import { normalizeInput } from '../../../../src/analysis/manifests/documents';
import { buildInventory } from '../../../../src/analysis/manifests/inventory';

export interface Compiled {
  readonly universe: EndpointUniverse;
  readonly rules: CompiledRules;
  /** The same policies through the dialect's own reader. */
  readonly dialect: CompiledPolicies;
}

export function compile(objects: readonly unknown[], externals: Readonly<Record<string, string>> = {}): Compiled {
  const policies: NetworkPolicy[] = [];
  const reader = kubernetesNetworkPolicy.reader();
  const inventory = buildInventory(normalizeInput(objects), [{
    kinds: kubernetesNetworkPolicy.kinds,
    read: (object, identity, issues) => {
      reader.read(object, identity, issues);
      const policy = parseNetworkPolicy(object, { namespace: identity.namespace!, name: identity.name, source: identity.source }, issues);
      if (policy) policies.push(policy);
    },
  }]);
  if (inventory.issues.length > 0) throw new Error(JSON.stringify(inventory.issues));
  const universe = new EndpointUniverse(inventory.namespaces, inventory.pods, externalEndpoints(externals));
  return { universe, rules: new CompiledRules(universe, policies), dialect: reader.compile(universe) };
}
