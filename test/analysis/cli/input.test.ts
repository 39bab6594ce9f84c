import { countPolicies } from '../../../src/cli/input';

const document = (object: unknown) => ({ source: { file: 'f', documentIndex: 0 }, object });

describe('countPolicies', () => {
  test('counts the objects of every kind a dialect reads, inside lists too', () => {
    const policy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' };
    const loaded = {
      documents: [
        document(policy),
        document({ apiVersion: 'v1', kind: 'List', items: [policy, { apiVersion: 'v1', kind: 'Pod' }, [policy]] }),
        document({ apiVersion: 'example.dev/v1', kind: 'NetworkPolicy' }),
        document({ kind: 'NetworkPolicy' }),
      ],
      issues: [],
    };
    expect(countPolicies(loaded)).toBe(3);
    expect(countPolicies(loaded, [])).toBe(0);
  });
});
