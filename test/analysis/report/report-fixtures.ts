import { ConnectionVerdict, ConnectivityReport, Protocol } from '../../../src/analysis/types';

/** A verdict with empty policy lists unless given. */
export function verdict(
  from: string,
  to: string,
  port: number,
  allowed: boolean,
  protocol: Protocol = 'TCP',
  policies: { egress?: string[]; ingress?: string[] } = {},
): ConnectionVerdict {
  return { from, to, port, protocol, allowed, egressPolicies: policies.egress ?? [], ingressPolicies: policies.ingress ?? [] };
}

/**
 * Two namespaces and an external:
 * - 8080/TCP probed on alpha-data/backend only; frontend may reach it, nothing else may.
 * - 80/TCP probed on alpha-web/frontend; everyone may reach it except the external.
 */
export function smallReport(): ConnectivityReport {
  const pods = ['alpha-data/backend', 'alpha-web/frontend', 'external:dns'];
  const connections: ConnectionVerdict[] = [];
  for (const from of pods) {
    connections.push(verdict(from, 'alpha-data/backend', 8080, from === 'alpha-web/frontend', 'TCP', from === 'alpha-web/frontend'
      ? { egress: ['alpha-web/frontend-egress'], ingress: ['alpha-data/backend-ingress'] }
      : {}));
  }
  for (const from of pods) connections.push(verdict(from, 'alpha-web/frontend', 80, from !== 'external:dns'));
  return { pods, connections };
}

/**
 * 30 pods in 3 namespaces; one pod has a 70-character name. 8080/TCP is probed on every pod and
 * allowed within a namespace only; 5432/TCP is probed on the three `db-*` pods and allowed from `api-*` pods.
 */
export function thirtyPodReport(): ConnectivityReport {
  const pods: string[] = [];
  for (const ns of ['tenant-a', 'tenant-b', 'tenant-c']) {
    for (let i = 0; i < 10; i++) {
      const name = i === 0 ? 'api-0' : i === 1 ? 'db-1' : i === 2 && ns === 'tenant-c' ? `worker-${'x'.repeat(50)}-2` : `web-${i}`;
      pods.push(`${ns}/${name}`);
    }
  }
  pods.sort();
  const connections: ConnectionVerdict[] = [];
  const ns = (id: string): string => id.split('/')[0];
  for (const from of pods) {
    for (const to of pods) {
      connections.push(verdict(from, to, 8080, ns(from) === ns(to)));
      if (to.includes('/db-')) connections.push(verdict(from, to, 5432, from.includes('/api-')));
    }
  }
  return { pods, connections };
}
