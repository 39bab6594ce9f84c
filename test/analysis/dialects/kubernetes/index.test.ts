import { compile } from './compile';
import { kubernetesNetworkPolicy } from '../../../../src/analysis/dialects/kubernetes';
import { netpol, pod } from '../../helpers';

describe('the Kubernetes NetworkPolicy dialect', () => {
  test('reads networking.k8s.io/v1 NetworkPolicy on the network layer', () => {
    expect(kubernetesNetworkPolicy.layer).toBe('network');
    expect(kubernetesNetworkPolicy.kinds).toEqual([{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespaced: true }]);
  });

  test('its reader compiles what it read', () => {
    const { universe, dialect } = compile([pod('ns/a'), netpol('ns/deny', { podSelector: {} })]);
    const a = universe.endpoints[0];
    expect(dialect.decide({ direction: 'Ingress', subject: a, peer: a, probe: { port: 80, protocol: 'TCP' }, destination: a }).effect).toBe('isolated');
    expect(dialect.probeSets({ port: 80, protocol: 'TCP' }).ingress(0)).toEqual({ isolates: true, allow: universe.none });
    expect(dialect.probeSets({ port: 80, protocol: 'TCP' }).egress(0)).toBeUndefined();
  });
});
