/** Cilium's label model and DNS name patterns, against upstream's own examples. */
import { isIdentityRelevant, parseSelectorKey, podIdentityLabels } from '../../../../src/analysis/dialects/cilium/labels';
import { canonicalName, matchNameRegex, matchPatternRegex } from '../../../../src/analysis/dialects/cilium/patterns';

describe('selector keys (pkg/labels parseSource)', () => {
  test.each([
    ['app', 'any', 'app'],
    ['k8s:app', 'k8s', 'app'],
    ['reserved:host', 'reserved', 'host'],
    ['$host', 'reserved', 'host'],
    ['any:io.kubernetes.pod.namespace', 'any', 'io.kubernetes.pod.namespace'],
    ['k8s:app.kubernetes.io/name', 'k8s', 'app.kubernetes.io/name'],
  ])('%s', (text, source, key) => {
    expect(parseSelectorKey(text)).toEqual({ source, key });
  });
});

describe('identity-relevant labels (pkg/labelsfilter defaults)', () => {
  test.each([
    ['app', true],
    ['app.kubernetes.io/name', true],
    ['io.kubernetes.pod.namespace', true],
    ['io.cilium.k8s.namespace.labels.team', true],
    ['io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name', true],
    ['io.cilium.k8s.policy.serviceaccount', true],
    ['io.cilium.k8s.policy.cluster', true],
    ['io.kubernetes.container.name', false],
    ['kubernetes.io/hostname', false],
    ['node.kubernetes.io/instance-type', true],
    ['failure-domain.beta.kubernetes.io/zone', false],
    ['k8s.io/cluster-service', false],
    ['pod-template-hash', false],
    ['pod-template-generation', false],
    ['controller-revision-hash', false],
    ['statefulset.kubernetes.io/pod-name', false],
    ['annotation.foo', false],
    ['etcd_node', false],
  ])('%s → %s', (key, relevant) => {
    expect(isIdentityRelevant(key)).toBe(relevant);
  });

  test('a pod identity holds its labels, namespace, service account, cluster and namespace labels, all k8s:', () => {
    const labels = podIdentityLabels(new Map([['app', 'web'], ['pod-template-hash', 'x']]), 'prod', new Map([['team', 'a']]), 'sa', 'default');
    expect(Object.fromEntries(labels)).toEqual({
      'k8s:app': 'web',
      'any:app': 'web',
      'k8s:io.cilium.k8s.namespace.labels.team': 'a',
      'any:io.cilium.k8s.namespace.labels.team': 'a',
      'k8s:io.cilium.k8s.policy.serviceaccount': 'sa',
      'any:io.cilium.k8s.policy.serviceaccount': 'sa',
      'k8s:io.cilium.k8s.policy.cluster': 'default',
      'any:io.cilium.k8s.policy.cluster': 'default',
      'k8s:io.kubernetes.pod.namespace': 'prod',
      'any:io.kubernetes.pod.namespace': 'prod',
    });
  });
});

describe('DNS name patterns (pkg/fqdn/matchpattern and the CRD examples)', () => {
  const matches = (pattern: string, name: string): boolean => matchPatternRegex(pattern).test(canonicalName(name));
  test.each([
    ['*.cilium.io', 'www.cilium.io', true],
    ['*.cilium.io', 'blog.cilium.io', true],
    ['*.cilium.io', 'cilium.io', false],
    ['*.cilium.io', 'a.b.cilium.io', false],
    ['*.cilium.io', 'google.com', false],
    ['*cilium.io', 'cilium.io', true],
    ['*cilium.io', 'subcilium.io', true],
    ['*cilium.io', 'sub-cilium.io', true],
    ['*cilium.io', 'www.cilium.io', false],
    ['sub*.cilium.io', 'sub.cilium.io', true],
    ['sub*.cilium.io', 'subdomain.cilium.io', true],
    ['sub*.cilium.io', 'www.cilium.io', false],
    ['**.cilium.io', 'a.cilium.io', true],
    ['**.cilium.io', 'a.b.cilium.io', true],
    ['**.cilium.io', 'cilium.io', false],
    ['*', 'anything.example.com', true],
    ['*', '.', true],
    ['***.cilium.io', 'a.b.cilium.io', true],
    ['CILIUM.io', 'cilium.io.', true],
  ])('%s ~ %s → %s', (pattern, name, expected) => {
    expect(matches(pattern, name)).toBe(expected);
  });

  test('matchName is literal, case-insensitive, with an implied trailing dot', () => {
    expect(matchNameRegex('API.example.com').test(canonicalName('api.example.com.'))).toBe(true);
    expect(matchNameRegex('api.example.com').test(canonicalName('apiXexample.com'))).toBe(false);
    expect(matchNameRegex('api.example.com').test(canonicalName('x.api.example.com'))).toBe(false);
  });
});
