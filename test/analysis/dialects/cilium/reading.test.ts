/** What the analyzer refuses to read, as the API server or the Cilium agent would (see invalid-cases.ts). */
import { INVALID_CASES } from './invalid-cases';
import { BASE, ccnp, cidrGroup, cnp, Manifest } from './support';
import { computeConnectivity, InvalidManifestsError } from '../../../../src/analysis';

function issuesOf(objects: readonly Manifest[]): { field?: string; message: string; object?: string }[] {
  try {
    computeConnectivity([...BASE, ...objects], { cni: 'cilium' });
  } catch (error) {
    if (error instanceof InvalidManifestsError) return error.issues;
    throw error;
  }
  return [];
}

describe('reading Cilium policies', () => {
  test.each(INVALID_CASES.map((c) => [c.name, c] as const))('rejects: %s', (_, c) => {
    const issues = issuesOf([c.object]);
    expect(issues).toEqual(expect.arrayContaining([expect.objectContaining({ field: c.field, message: expect.stringContaining(c.message) })]));
  });

  test('names the object in every issue', () => {
    const issues = issuesOf([cnp('prod/bad', { endpointSelector: {}, ingress: [{ fromEntities: ['nobody'] }] })]);
    expect(issues[0].object).toBe('CiliumNetworkPolicy prod/bad');
  });

  test('a cluster-wide policy has no namespace', () => {
    const issues = issuesOf([ccnp('bad', { endpointSelector: {}, egress: [{ toEntities: ['nobody'] }] })]);
    expect(issues[0].object).toBe('CiliumClusterwideNetworkPolicy bad');
  });

  test('accepts every valid form of the semantics table', () => {
    expect(issuesOf([
      cnp('prod/ok', { endpointSelector: {}, ingress: [{}], egress: [{ toFQDNs: [{ matchPattern: '**.example.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }], serverNames: ['*.example.com'] }] }] }),
      ccnp('ok', { nodeSelector: {}, egress: [{ toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }], rules: { dns: [{ matchName: 'example.com' }] } }] }] }),
      cidrGroup('g', ['10.0.0.0/8']),
    ])).toEqual([]);
  });

  test('CiliumCIDRGroup: externalCIDRs must be CIDRs', () => {
    expect(issuesOf([cidrGroup('g', ['not-a-cidr'])])).toEqual([expect.objectContaining({ field: 'spec.externalCIDRs[0]', object: 'CiliumCIDRGroup g' })]);
  });

  test('without cni cilium the Cilium kinds are ignored, not read', () => {
    const connectivity = computeConnectivity([...BASE, cnp('prod/bad', { endpointSelector: {}, ingress: [] })]);
    expect(connectivity.notes.ignoredKinds).toEqual(expect.arrayContaining([{ kind: 'cilium.io/v2/CiliumNetworkPolicy', count: 1 }]));
  });
});
