import { formatExplanation } from '../../../src/analysis/report';
import { Explanation, SideExplanation } from '../../../src/analysis/types';

const egressAllowed: SideExplanation = {
  direction: 'Egress',
  endpoint: 'alpha-web/frontend',
  applicable: true,
  selectingPolicies: ['alpha-web/default-deny', 'alpha-web/frontend'],
  isolated: true,
  allowed: true,
  allowedBy: [{ policy: 'alpha-web/frontend', kind: 'NetworkPolicy', namespace: 'alpha-web', name: 'frontend', ruleIndex: 1, detail: 'to[0] (namespaceSelector+podSelector), ports[0] 5432/TCP' }],
  reason: 'rule 1 of alpha-web/frontend allows it',
};

const ingressDenied: SideExplanation = {
  direction: 'Ingress',
  endpoint: 'alpha-data/db',
  applicable: true,
  selectingPolicies: ['alpha-data/default-deny'],
  isolated: true,
  allowed: false,
  allowedBy: [],
  reason: 'alpha-data/default-deny selects it and has no ingress rules',
};

const base: Explanation = {
  from: 'alpha-web/frontend', to: 'alpha-data/db', port: 5432, protocol: 'TCP', allowed: false, egress: egressAllowed, ingress: ingressDenied,
};

describe('formatExplanation', () => {
  test('denied: verdict first naming the blocking side, then the evidence of each side', () => {
    expect(formatExplanation(base)).toBe([
      'DENIED: alpha-web/frontend -> alpha-data/db on 5432/TCP (blocked by ingress of alpha-data/db)',
      '',
      'Egress from alpha-web/frontend: allowed',
      '  selected by: alpha-web/default-deny, alpha-web/frontend',
      '  isolated for egress: yes',
      '  allowed by:',
      '    alpha-web/frontend egress[1]: to[0] (namespaceSelector+podSelector), ports[0] 5432/TCP',
      '  why: rule 1 of alpha-web/frontend allows it',
      '',
      'Ingress to alpha-data/db: denied',
      '  selected by: alpha-data/default-deny',
      '  isolated for ingress: yes',
      '  allowed by: no rule (none of the ingress rules of the selecting policies matches)',
      '  why: alpha-data/default-deny selects it and has no ingress rules',
      '',
    ].join('\n'));
  });

  test('allowed, destination not isolated', () => {
    const out = formatExplanation({
      ...base,
      allowed: true,
      ingress: { ...ingressDenied, selectingPolicies: [], isolated: false, allowed: true, reason: 'no policy selects it for ingress' },
    });
    expect(out.split('\n')[0]).toBe('ALLOWED: alpha-web/frontend -> alpha-data/db on 5432/TCP');
    expect(out).toContain('Ingress to alpha-data/db: allowed\n  selected by: none\n  isolated for ingress: no (all ingress is allowed)\n  why:');
    expect(out).not.toContain('allowed by: no rule');
  });

  test('both sides denied are both named; externals are not applicable', () => {
    const out = formatExplanation({
      ...base,
      from: 'external:dns',
      egress: { ...egressAllowed, endpoint: 'external:dns', applicable: false, selectingPolicies: [], isolated: false, allowedBy: [], reason: 'external endpoints send freely' },
    });
    expect(out).toContain('Egress from external:dns: not applicable (network policies do not govern external endpoints)\n  why: external endpoints send freely\n');
    const both = formatExplanation({ ...base, egress: { ...egressAllowed, allowed: false, allowedBy: [] } });
    expect(both.split('\n')[0]).toMatch(/\(blocked by egress of alpha-web\/frontend and ingress of alpha-data\/db\)$/);
  });
});
