/**
 * One far end as the peer side of Calico rules (https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#entityrule).
 *
 * - Pods are named by namespace (`namespaceSelector` on `projectcalico.org/name`) AND a pod selector
 *   that always holds `projectcalico.org/orchestrator == 'k8s'`, so that a NetworkSet a tenant creates
 *   in a namespace, listing any addresses, never matches a pod peer.
 * - A service account is `serviceAccounts.names`, ANDed with the namespace and the workload's labels.
 * - A CIDR is `nets`, its excepts `notNets`. A named range selects its GlobalNetworkSet
 *   (`namespaceSelector: global()`), which holds the CIDR; the excepts stay `notNets` of the rule.
 * - The API server, given its addresses, is `nets` of them, one rule per address family (Calico
 *   refuses IPv4 and IPv6 in one rule).
 * - Everything else has no Calico form; the support table refuses it before rendering.
 */
import { GLOBAL, namespacesNamed, networkSetNamed, PODS, podSelector } from './selectors';
import { CalicoEntityRule } from './types';
import { Endpoint } from '../../model/resolved';

/** The entity rules that together match exactly the end (ORed: one Calico rule each), or undefined when Calico cannot express it. */
export function peerEntities(endpoint: Endpoint): CalicoEntityRule[] | undefined {
  switch (endpoint.kind) {
    case 'workload':
    case 'pods':
      return [{ namespaceSelector: namespacesNamed([endpoint.namespace]), selector: podSelector(endpoint.selector) }];
    case 'namespace':
      return [{ namespaceSelector: namespacesNamed([endpoint.namespace]), selector: PODS }];
    case 'service-account':
      return [{
        namespaceSelector: namespacesNamed([endpoint.namespace]),
        selector: podSelector(endpoint.workload?.selector),
        serviceAccounts: { names: [endpoint.name] },
      }];
    case 'cidr': {
      const notNets = endpoint.except.length > 0 ? { notNets: [...endpoint.except] } : {};
      if (endpoint.name !== undefined) return [{ namespaceSelector: GLOBAL, selector: networkSetNamed(endpoint.name), ...notNets }];
      return [{ nets: [endpoint.cidr], ...notNets }];
    }
    case 'entity': {
      if (endpoint.entity !== 'kube-apiserver' || endpoint.addresses.length === 0) return undefined;
      const v4 = endpoint.addresses.filter((a) => !a.includes(':'));
      const v6 = endpoint.addresses.filter((a) => a.includes(':'));
      return [v4, v6].filter((nets) => nets.length > 0).map((nets) => ({ nets }));
    }
    case 'fqdn':
      return undefined;
  }
}

/** The pods of a namespace as a rule side: every pod, or those a workload selector picks. */
export function podsOf(namespace: string, selector?: Parameters<typeof podSelector>[0]): CalicoEntityRule {
  return { namespaceSelector: namespacesNamed([namespace]), selector: podSelector(selector) };
}

/** The named ranges an end refers to, with their CIDR (one GlobalNetworkSet each). */
export function networkSetOf(endpoint: Endpoint): { readonly name: string; readonly cidr: string } | undefined {
  return endpoint.kind === 'cidr' && endpoint.name !== undefined ? { name: endpoint.name, cidr: endpoint.cidr } : undefined;
}
