import { computeConnectivity, policyCoverage } from '../../src/analysis';

const policy = (name: string, namespace: string, podSelector: Record<string, unknown>, policyTypes: string[]) => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { podSelector, policyTypes },
});
const pod = (name: string, namespace: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels } });

describe('policyCoverage', () => {
  test('a policy counts as exercised when it selects a pod for either direction', () => {
    const coverage = policyCoverage(computeConnectivity([
      pod('a', 'web', { app: 'a' }),
      policy('ingress-a', 'web', { matchLabels: { app: 'a' } }, ['Ingress']),
      policy('egress-a', 'web', { matchLabels: { app: 'a' } }, ['Egress']),
      policy('b', 'web', { matchLabels: { app: 'b' } }, ['Ingress', 'Egress']),
      policy('elsewhere', 'db', {}, ['Ingress']),
    ], { externals: { dns: '8.8.8.8' } }));
    expect(coverage).toEqual({ pods: 1, policies: 4, unselected: ['NetworkPolicy web/b', 'NetworkPolicy db/elsewhere'] });
  });

  test('no policy, no pod', () => {
    expect(policyCoverage(computeConnectivity([]))).toEqual({ pods: 0, policies: 0, unselected: [] });
  });
});
