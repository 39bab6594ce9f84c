import { namespacesSelector, peerSelector, unselectableKey } from '../../../src/backends/cilium/selectors';
import { normalizeSelector, SelectorOperator } from '../../../src/model/selector';

describe('endpoint selectors', () => {
  test('a peer always names its namespace, then the service account and the cluster when given, then its own labels', () => {
    const selector = normalizeSelector({ matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: SelectorOperator.EXISTS }] });
    expect(peerSelector({ clusterName: 'prod' }, 'web', selector, 'api')).toEqual({
      matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'web', 'k8s:io.cilium.k8s.policy.serviceaccount': 'api', 'k8s:io.cilium.k8s.policy.cluster': 'prod', 'app': 'api' },
      matchExpressions: [{ key: 'tier', operator: 'Exists' }],
    });
    expect(peerSelector({}, 'web')).toEqual({ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'web' } });
  });

  test('namespaces In / NotIn', () => {
    expect(namespacesSelector('NotIn', ['monitoring'])).toEqual({ matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'NotIn', values: ['monitoring'] }] });
  });

  test.each([
    ['app', undefined],
    ['app.kubernetes.io/name', undefined],
    ['team.example.com/owner', undefined],
    ['pod-template-hash', 'out of the pod identity'],
    ['controller-revision-hash', 'out of the pod identity'],
    ['kubernetes.io/os', 'out of the pod identity'],
    ['k8s.io/x', 'out of the pod identity'],
    ['beta.kubernetes.io/arch', 'out of the pod identity'],
    ['annotation.x', 'out of the pod identity'],
    ['statefulset.kubernetes.io/pod-name', "cluster's label filter"],
    ['batch.kubernetes.io/job-name', "cluster's label filter"],
  ])('%s: %s', (key, why) => {
    const problem = unselectableKey(key);
    if (why === undefined) expect(problem).toBeUndefined();
    else expect(problem).toContain(why);
  });
});
