import { computeConnectivity, InvalidManifestsError, loadManifestText } from '../../../src/analysis';

/** Runs the analyzer; returns the connectivity, or the issues' messages when the input is rejected. */
function analyze(yaml: string, externals?: Record<string, string>) {
  try {
    return { connectivity: computeConnectivity(loadManifestText(yaml, 'x.yaml'), { externals }) };
  } catch (error) {
    if (error instanceof InvalidManifestsError) return { issues: error.issues.map((issue) => `${issue.field ?? ''}: ${issue.message}`) };
    throw error;
  }
}

describe('names and keys that are also Object.prototype members never crash the analyzer', () => {
  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('kind: %s is an ignored kind', (kind) => {
    const { connectivity } = analyze(`apiVersion: apps/v1\nkind: ${kind}\nmetadata: {name: a}\n`);
    expect(connectivity?.notes.ignoredKinds).toEqual([{ kind: `apps/v1/${kind}`, count: 1 }]);
  });

  test('__proto__ and constructor keys in metadata, labels and spec are fields like any other', () => {
    const { issues } = analyze([
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      '  namespace: ns',
      '  __proto__: {name: evil}',
      '  labels: {__proto__: x, constructor: "1"}',
      'spec:',
      '  constructor: {}',
      '  containers: [{name: c, __proto__: 1, ports: [{containerPort: 80, constructor: 1}]}]',
    ].join('\n'));
    expect(issues).toEqual([expect.stringMatching(/^metadata\.labels\.__proto__: invalid label key "__proto__"/)]);
  });

  test('namespaces, pods, labels, port names and externals called constructor are analyzed normally', () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: constructor, namespace: constructor, labels: {constructor: "1"}}
spec: {containers: [{name: c, ports: [{containerPort: 80, name: constructor}, {containerPort: 81, name: tostring}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: constructor, namespace: constructor}
spec:
  podSelector: {matchLabels: {constructor: "1"}}
  ingress:
  - from: [{podSelector: {matchExpressions: [{key: constructor, operator: Exists}]}}]
    ports: [{port: constructor}, {port: hasownproperty}]
`;
    const { connectivity } = analyze(yaml, { constructor: '192.0.2.1' });
    expect(connectivity?.endpoints).toEqual(['constructor/constructor', 'external:constructor']);
    expect(connectivity?.isAllowed('constructor/constructor', 'constructor/constructor', { port: 80, protocol: 'TCP' })).toBe(true);
    expect(connectivity?.isAllowed('constructor/constructor', 'constructor/constructor', { port: 81, protocol: 'TCP' })).toBe(false);
    expect(connectivity?.isAllowed('external:constructor', 'constructor/constructor', { port: 80, protocol: 'TCP' })).toBe(false);
  });
});
