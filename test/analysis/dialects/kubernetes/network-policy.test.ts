/** NetworkPolicy validation: every case the API server would reject becomes an issue naming file, document and field. */
import { computeConnectivity, InvalidManifestsError, ManifestIssue } from '../../../../src/analysis';
import { Manifest, netpol, pod } from '../../helpers';

function issuesOf(objects: unknown[]): ManifestIssue[] {
  try {
    computeConnectivity(objects);
  } catch (error) {
    if (error instanceof InvalidManifestsError) return error.issues;
    throw error;
  }
  throw new Error('expected InvalidManifestsError');
}

function ingressFrom(peer: unknown): Manifest {
  return netpol('ns/bad', { podSelector: {}, ingress: [{ from: [peer] }] });
}

function ingressPort(port: unknown): Manifest {
  return netpol('ns/bad', { podSelector: {}, ingress: [{ ports: [port] }] });
}

const selector = (expression: unknown): Manifest => ingressFrom({ podSelector: { matchExpressions: [expression] } });

const cases: [string, Manifest, string, RegExp][] = [
  ['invalid selector operator', selector({ key: 'app', operator: 'in', values: ['a'] }),
    'spec.ingress[0].from[0].podSelector.matchExpressions[0].operator', /must be one of In, NotIn, Exists, DoesNotExist.*"in"/],
  ['In without values', selector({ key: 'app', operator: 'In' }),
    'spec.ingress[0].from[0].podSelector.matchExpressions[0].values', /must be non-empty when operator is In/],
  ['NotIn with empty values', selector({ key: 'app', operator: 'NotIn', values: [] }),
    'spec.ingress[0].from[0].podSelector.matchExpressions[0].values', /must be non-empty when operator is NotIn/],
  ['Exists with values', selector({ key: 'app', operator: 'Exists', values: ['a'] }),
    'spec.ingress[0].from[0].podSelector.matchExpressions[0].values', /must be empty when operator is Exists/],
  ['DoesNotExist with values', selector({ key: 'app', operator: 'DoesNotExist', values: ['a'] }),
    'spec.ingress[0].from[0].podSelector.matchExpressions[0].values', /must be empty when operator is DoesNotExist/],
  ['invalid label key in matchLabels', ingressFrom({ namespaceSelector: { matchLabels: { 'a/b/c': 'x' } } }),
    'spec.ingress[0].from[0].namespaceSelector.matchLabels.a/b/c', /invalid label key "a\/b\/c": a label key may contain at most one '\/'/],
  ['invalid label key prefix', selector({ key: 'Example.com/app', operator: 'Exists' }),
    'spec.ingress[0].from[0].podSelector.matchExpressions[0].key', /prefix "Example.com" must be a lowercase RFC 1123 subdomain/],
  ['invalid label value', ingressFrom({ podSelector: { matchLabels: { app: '-web' } } }),
    'spec.ingress[0].from[0].podSelector.matchLabels.app', /invalid label value "-web"/],
  ['label value too long', selector({ key: 'app', operator: 'In', values: ['x'.repeat(64)] }),
    'spec.ingress[0].from[0].podSelector.matchExpressions[0].values[0]', /no more than 63 characters/],
  ['non-string label value', ingressFrom({ podSelector: { matchLabels: { version: 2 } } }),
    'spec.ingress[0].from[0].podSelector.matchLabels.version', /label value must be a string/],
  ['peer with no field', ingressFrom({}),
    'spec.ingress[0].from[0]', /must specify a peer/],
  ['peer with only a misspelt field', ingressFrom({ podSelecter: {} }),
    'spec.ingress[0].from[0].podSelecter', /unknown field/],
  ['ipBlock combined with podSelector', ingressFrom({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }),
    'spec.ingress[0].from[0]', /ipBlock may not be combined with podSelector or namespaceSelector/],
  ['ipBlock without cidr', ingressFrom({ ipBlock: {} }),
    'spec.ingress[0].from[0].ipBlock.cidr', /is required/],
  ['invalid CIDR', ingressFrom({ ipBlock: { cidr: '10.0.0.0/33' } }),
    'spec.ingress[0].from[0].ipBlock.cidr', /invalid CIDR "10.0.0.0\/33"/],
  ['CIDR without prefix', ingressFrom({ ipBlock: { cidr: '10.0.0.1' } }),
    'spec.ingress[0].from[0].ipBlock.cidr', /invalid CIDR/],
  ['except equal to cidr', ingressFrom({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }),
    'spec.ingress[0].from[0].ipBlock.except[0]', /must be strictly within cidr "10.0.0.0\/8"/],
  ['except outside cidr', ingressFrom({ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] } }),
    'spec.ingress[0].from[0].ipBlock.except[0]', /must be strictly within cidr/],
  ['except of another family', ingressFrom({ ipBlock: { cidr: '10.0.0.0/8', except: ['::/64'] } }),
    'spec.ingress[0].from[0].ipBlock.except[0]', /same family/],
  ['invalid except', ingressFrom({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.300/24'] } }),
    'spec.ingress[0].from[0].ipBlock.except[0]', /invalid CIDR "10.0.0.300\/24"/],
  ['lowercase protocol', ingressPort({ protocol: 'tcp', port: 80 }),
    'spec.ingress[0].ports[0].protocol', /must be TCP, UDP or SCTP \(uppercase\), got "tcp"/],
  ['ICMP protocol', ingressPort({ protocol: 'ICMP' }),
    'spec.ingress[0].ports[0].protocol', /must be TCP, UDP or SCTP/],
  ['port 0', ingressPort({ port: 0 }),
    'spec.ingress[0].ports[0].port', /must be an integer between 1 and 65535, got 0/],
  ['port above 65535', ingressPort({ port: 65536 }),
    'spec.ingress[0].ports[0].port', /between 1 and 65535, got 65536/],
  ['non-integer port', ingressPort({ port: 80.5 }),
    'spec.ingress[0].ports[0].port', /between 1 and 65535/],
  ['numeric string port', ingressPort({ port: '80' }),
    'spec.ingress[0].ports[0].port', /invalid named port "80": must contain at least one letter/],
  ['named port too long', ingressPort({ port: 'a-very-long-port-name' }),
    'spec.ingress[0].ports[0].port', /must be 1 to 15 characters/],
  ['named port with uppercase', ingressPort({ port: 'HTTP' }),
    'spec.ingress[0].ports[0].port', /only lowercase alphanumerics/],
  ['named port with double dash', ingressPort({ port: 'my--port' }),
    'spec.ingress[0].ports[0].port', /must not contain '--'/],
  ['named port with leading dash', ingressPort({ port: '-http' }),
    'spec.ingress[0].ports[0].port', /must not begin or end with '-'/],
  ['endPort without port', ingressPort({ endPort: 90 }),
    'spec.ingress[0].ports[0].endPort', /may not be specified without port/],
  ['endPort with a named port', ingressPort({ port: 'http', endPort: 90 }),
    'spec.ingress[0].ports[0].endPort', /may not be specified when port is a named port/],
  ['endPort below port', ingressPort({ port: 90, endPort: 80 }),
    'spec.ingress[0].ports[0].endPort', /must be greater than or equal to port \(90\), got 80/],
  ['endPort out of range', ingressPort({ port: 90, endPort: 70000 }),
    'spec.ingress[0].ports[0].endPort', /between 1 and 65535, got 70000/],
  ['policyTypes entry', netpol('ns/bad', { podSelector: {}, policyTypes: ['ingress'] }),
    'spec.policyTypes[0]', /must be Ingress or Egress, got "ingress"/],
  ['more than two policyTypes', netpol('ns/bad', { podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] }),
    'spec.policyTypes', /at most 2 entries, got 3/],
  ['missing podSelector', netpol('ns/bad', { ingress: [{}] }),
    'spec.podSelector', /is required/],
  ['egress peer error', netpol('ns/bad', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: 'nope' } }] }] }),
    'spec.egress[0].to[0].ipBlock.cidr', /invalid CIDR "nope"/],
  ['misspelt rule field', netpol('ns/bad', { podSelector: {}, ingress: [{ form: [] }] }),
    'spec.ingress[0].form', /unknown field \(expected one of from, ports\)/],
  ['from in an egress rule', netpol('ns/bad', { podSelector: {}, egress: [{ from: [] }] }),
    'spec.egress[0].from', /unknown field \(expected one of to, ports\)/],
  ['ingress not a list', netpol('ns/bad', { podSelector: {}, ingress: { from: [] } }),
    'spec.ingress', /must be a list, got an object/],
];

describe('NetworkPolicy validation', () => {
  test.each(cases)('%s', (_name, policy, field, message) => {
    const issues = issuesOf([pod('ns/a'), policy]);
    expect(issues).toContainEqual(expect.objectContaining({
      file: '<memory>',
      documentIndex: 1,
      object: 'NetworkPolicy ns/bad',
      field,
      message: expect.stringMatching(message),
    }));
  });

  test('a missing metadata.name is reported', () => {
    const issues = issuesOf([{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace: 'ns' }, spec: { podSelector: {} } }]);
    expect(issues).toEqual([{ file: '<memory>', documentIndex: 0, field: 'metadata.name', message: 'is required' }]);
  });

  test('an invalid metadata.name is reported', () => {
    const issues = issuesOf([netpol('ns/Bad_Name', { podSelector: {} })]);
    expect(issues).toEqual([expect.objectContaining({ field: 'metadata.name', message: expect.stringMatching(/invalid name "Bad_Name"/) })]);
  });

  test('duplicate objects are reported at the second occurrence', () => {
    const issues = issuesOf([netpol('ns/p', { podSelector: {} }), pod('ns/a'), netpol('ns/p', { podSelector: {} })]);
    expect(issues).toEqual([{
      file: '<memory>',
      documentIndex: 2,
      object: 'NetworkPolicy ns/p',
      field: 'metadata.name',
      message: 'duplicate NetworkPolicy ns/p: already defined at <memory>#0',
    }]);
  });

  test('all issues are collected before failing once, and the message lists each as file:doc: field: message', () => {
    let error: unknown;
    try {
      computeConnectivity([
        netpol('ns/one', { podSelector: {}, ingress: [{ ports: [{ port: 0 }] }] }),
        netpol('ns/two', { podSelector: {}, ingress: [{ from: [{}], ports: [{ protocol: 'tcp' }] }] }),
      ]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidManifestsError);
    const invalid = error as InvalidManifestsError;
    expect(invalid.issues).toHaveLength(3);
    expect(invalid.message).toBe([
      'Invalid manifests (3 issues):',
      '  - <memory>:0: spec.ingress[0].ports[0].port: must be an integer between 1 and 65535, got 0 [NetworkPolicy ns/one]',
      '  - <memory>:1: spec.ingress[0].from[0]: must specify a peer: podSelector, namespaceSelector and/or ipBlock [NetworkPolicy ns/two]',
      '  - <memory>:1: spec.ingress[0].ports[0].protocol: must be TCP, UDP or SCTP (uppercase), got "tcp" [NetworkPolicy ns/two]',
    ].join('\n'));
  });

  test('valid edge cases are accepted: IPv6 blocks, masked host bits, endPort equal to port, empty label values', () => {
    expect(() => computeConnectivity([
      pod('ns/a'),
      netpol('ns/ok', {
        podSelector: { matchLabels: { empty: '' } },
        policyTypes: ['Ingress', 'Ingress'],
        ingress: [{
          from: [
            { ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8::/33'] } },
            { ipBlock: { cidr: '10.0.0.1/24', except: ['10.0.0.128/25'] } },
            { podSelector: { matchExpressions: [{ key: 'example.com/tier', operator: 'Exists' }] } },
          ],
          ports: [{ port: 80, endPort: 80 }, { port: 'http-alt' }, null],
        }, null],
      }),
    ])).not.toThrow();
  });
});
