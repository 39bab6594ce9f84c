/** Reading Calico v3 objects: defaulting, and what the API server or Calico's validator would refuse. */
import { GLOBAL_NETWORK_SET_KIND, GNP_KIND, NETWORK_SET_KIND, NP_KIND, STAGED_NP_KIND, TIER_KIND } from '../../../../src/analysis/dialects/calico/model';
import { readCalicoPolicy, readNetworkSet, readTier } from '../../../../src/analysis/dialects/calico/read';
import { DocumentIssues } from '../../../../src/analysis/manifests/issues';
import { ManifestIssue } from '../../../../src/analysis/types';

const SOURCE = { file: 'calico.yaml', documentIndex: 0 };

type Reader<T> = (object: Record<string, unknown>, identity: never, issues: DocumentIssues) => T;

function read<T>(reader: Reader<T>, kind: string, name: string, spec: unknown, namespace?: string, metadata: Record<string, unknown> = {}) {
  const sink: ManifestIssue[] = [];
  const identity = { kind, name, source: SOURCE, ...(namespace !== undefined ? { namespace } : {}) };
  const result = reader({ apiVersion: 'projectcalico.org/v3', kind, metadata: { name, ...metadata }, spec }, identity as never, new DocumentIssues(sink, SOURCE, undefined));
  return { result, issues: sink.map((issue) => ({ field: issue.field, message: issue.message })) };
}

const np = (spec: unknown, name = 'p') => read(readCalicoPolicy, NP_KIND, name, spec, 'prod');
const gnp = (spec: unknown, name = 'p') => read(readCalicoPolicy, GNP_KIND, name, spec);

describe('reading Calico policies', () => {
  test('defaults: tier default, no order, selector all(), types from the rules', () => {
    const { result, issues } = np({});
    expect(issues).toEqual([]);
    expect(result).toMatchObject({ tier: 'default', selector: { kind: 'all' }, serviceAccountSelector: { kind: 'all' }, staged: false, ref: { key: 'prod/p', kind: 'NetworkPolicy' } });
    expect(result!.order).toBeUndefined();
    expect([...result!.types]).toEqual(['Ingress']);
  });

  test.each([
    [{}, ['Ingress']],
    [{ ingress: [{ action: 'Allow' }] }, ['Ingress']],
    [{ egress: [{ action: 'Allow' }] }, ['Egress']],
    [{ ingress: [{ action: 'Allow' }], egress: [{ action: 'Allow' }] }, ['Ingress', 'Egress']],
    [{ types: ['Egress'] }, ['Egress']],
    [{ types: [] }, ['Ingress']],
  ])('types defaulting %j', (spec, types) => {
    const { result, issues } = np(spec);
    expect(issues).toEqual([]);
    expect([...result!.types].sort()).toEqual([...types].sort());
  });

  test('reads rules: ports, ranges, named ports, nets, ICMP, service accounts', () => {
    const { result, issues } = gnp({
      order: 10.5,
      namespaceSelector: "projectcalico.org/name == 'prod'",
      egress: [
        { action: 'Allow', protocol: 'TCP', destination: { ports: [80, '8000:8080', 'http', '443'], nets: ['10.0.0.0/8', '192.168.1.1'], notNets: ['10.1.0.0/16'] } },
        { action: 'Deny', protocol: 'ICMP', icmp: { type: 8, code: 0 } },
        { action: 'Pass', destination: { namespaceSelector: 'global()', selector: "role == 'x'" } },
        { action: 'Log', source: { serviceAccounts: { names: ['sa'], selector: 'has(team)' } } },
        { action: 'Allow', protocol: 132 },
      ],
    });
    expect(issues).toEqual([]);
    expect(result!.order).toBe(10.5);
    expect(result!.egress[0].destination.ports).toEqual([
      { kind: 'range', min: 80, max: 80 }, { kind: 'range', min: 8000, max: 8080 }, { kind: 'named', name: 'http' }, { kind: 'range', min: 443, max: 443 },
    ]);
    expect(result!.egress[0].destination.nets!.map((cidr) => cidr.prefix)).toEqual([8, 32]);
    expect(result!.egress[1].icmp).toEqual({ type: 8, code: 0 });
    expect(result!.egress[2].destination.namespaceSelector).toEqual({ kind: 'global' });
    expect(result!.egress[3].source.serviceAccounts).toEqual({ names: ['sa'], selector: { kind: 'has', key: 'team' } });
    expect(result!.egress[4].protocol).toBe(132);
    expect([...result!.types]).toEqual(['Egress']);
  });

  test('staged policies are read and marked staged', () => {
    const { result, issues } = read(readCalicoPolicy, STAGED_NP_KIND, 'p', { stagedAction: 'Set', ingress: [{ action: 'Deny' }] }, 'prod');
    expect(issues).toEqual([]);
    expect(result!.staged).toBe(true);
  });

  test.each<[string, () => { issues: { field?: string; message: string }[] }, string | undefined, string]>([
    ['unknown spec field', () => np({ selectr: 'all()' }), 'spec.selectr', 'unknown field'],
    ['GNP fields in an NP', () => np({ namespaceSelector: 'all()' }), 'spec.namespaceSelector', 'unknown field'],
    ['bad selector, with position', () => np({ selector: "app = 'x'" }), 'spec.selector', "expected '==' (a single '=' is not an operator) at character 5"],
    ['global() in a top-level selector', () => gnp({ selector: 'global()' }), 'spec.selector', 'global() is only valid'],
    ['global() not alone in a rule namespaceSelector', () => gnp({ ingress: [{ action: 'Allow', source: { namespaceSelector: 'global() || has(a)' } }] }), 'spec.ingress[0].source.namespaceSelector', 'global() must be the only term'],
    ['missing action', () => np({ ingress: [{}] }), 'spec.ingress[0].action', 'is required'],
    ['lowercase action', () => np({ ingress: [{ action: 'allow' }] }), 'spec.ingress[0].action', 'must be one of Allow, Deny, Log, Pass'],
    ['ports without protocol', () => np({ ingress: [{ action: 'Allow', destination: { ports: [80] } }] }), 'spec.ingress[0].destination', 'need protocol TCP, UDP or SCTP'],
    ['ports with ICMP', () => np({ ingress: [{ action: 'Allow', protocol: 'ICMP', destination: { ports: [80] } }] }), 'spec.ingress[0].destination', 'need protocol'],
    ['bad port range', () => np({ ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: ['90:80'] } }] }), 'spec.ingress[0].destination.ports[0]', 'invalid port range'],
    ['port out of range', () => np({ ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [70000] } }] }), 'spec.ingress[0].destination.ports[0]', 'must be a port'],
    ['icmp without ICMP protocol', () => np({ ingress: [{ action: 'Allow', icmp: { type: 8 } }] }), 'spec.ingress[0].icmp', 'needs protocol ICMP or ICMPv6'],
    ['icmp code without type', () => np({ ingress: [{ action: 'Allow', protocol: 'ICMP', icmp: { code: 0 } }] }), 'spec.ingress[0].icmp.code', 'without an ICMP type'],
    ['icmp type 255', () => np({ ingress: [{ action: 'Allow', protocol: 'ICMP', icmp: { type: 255 } }] }), 'spec.ingress[0].icmp.type', 'must be an integer 0-254'],
    ['bad protocol', () => np({ ingress: [{ action: 'Allow', protocol: 'tcp' }] }), 'spec.ingress[0].protocol', 'must be one of'],
    ['protocol 0', () => np({ ingress: [{ action: 'Allow', protocol: 0 }] }), 'spec.ingress[0].protocol', 'must be one of'],
    ['unmasked CIDR', () => np({ egress: [{ action: 'Allow', destination: { nets: ['10.0.0.1/8'] } }] }), 'spec.egress[0].destination.nets[0]', 'host bits set'],
    ['mixed families', () => np({ egress: [{ action: 'Allow', destination: { nets: ['10.0.0.0/8'], notNets: ['fd00::/8'] } }] }), 'spec.egress[0].destination', 'cannot mix IPv4 and IPv6'],
    ['ipVersion against CIDRs', () => np({ egress: [{ action: 'Allow', ipVersion: 6, destination: { nets: ['10.0.0.0/8'] } }] }), 'spec.egress[0].destination', 'not IPv6'],
    ['ICMP with ipVersion 6', () => np({ egress: [{ action: 'Allow', ipVersion: 6, protocol: 'ICMP' }] }), 'spec.egress[0].ipVersion', 'ICMP needs ipVersion 4'],
    ['duplicate types', () => np({ types: ['Ingress', 'Ingress'] }), 'spec.types[1]', 'duplicate type Ingress'],
    ['egress rules without Egress type', () => np({ types: ['Ingress'], egress: [{ action: 'Allow' }] }), 'spec.egress', 'need Egress in types'],
    ['http on egress', () => np({ egress: [{ action: 'Allow', http: { methods: ['GET'] } }] }), 'spec.egress[0].http', 'only valid on ingress Allow rules'],
    ['services with a selector (egress)', () => np({ egress: [{ action: 'Allow', destination: { services: { name: 'api' }, selector: 'has(a)' } }] }), 'spec.egress[0].destination.services', 'cannot be combined with selector'],
    ['source services on egress', () => np({ egress: [{ action: 'Allow', source: { services: { name: 'api' } } }] }), 'spec.egress[0].source.services', 'egress rules cannot match a source service'],
    ['GNP services without a namespace', () => gnp({ egress: [{ action: 'Allow', destination: { services: { name: 'api' } } }] }), 'spec.egress[0].destination.services.namespace', 'is required in a GlobalNetworkPolicy'],
    ['preDNAT without applyOnForward', () => gnp({ preDNAT: true }), 'spec.applyOnForward', 'must be true when preDNAT is true'],
    ['doNotTrack and preDNAT', () => gnp({ preDNAT: true, doNotTrack: true, applyOnForward: true }), 'spec', 'cannot both be true'],
    ['preDNAT with egress', () => gnp({ preDNAT: true, applyOnForward: true, egress: [{ action: 'Allow' }] }), 'spec.egress', 'preDNAT policies cannot have egress'],
    ['non-numeric order', () => np({ order: '100' }), 'spec.order', 'must be a number'],
    ['bad name', () => np({}, 'Bad_Name'), 'metadata.name', 'DNS-1123'],
  ])('rejects: %s', (_, run, field, message) => {
    const { issues } = run();
    expect(issues).toEqual(expect.arrayContaining([{ field, message: expect.stringContaining(message) }]));
  });
});

describe('reading tiers and network sets', () => {
  test('a tier: order and defaultAction, default Deny', () => {
    expect(read(readTier, TIER_KIND, 'security', { order: 100 }).result).toEqual({ name: 'security', order: 100, defaultAction: 'Deny' });
    expect(read(readTier, TIER_KIND, 'late', { defaultAction: 'Pass' }).result).toEqual({ name: 'late', defaultAction: 'Pass' });
    expect(read(readTier, TIER_KIND, 't', { defaultAction: 'Allow' }).issues).toEqual([{ field: 'spec.defaultAction', message: expect.stringContaining('must be Deny or Pass') }]);
  });

  test('network sets: labels and nets', () => {
    const { result, issues } = read(readNetworkSet, GLOBAL_NETWORK_SET_KIND, 'partners', { nets: ['203.0.113.0/24', '198.51.100.7'] }, undefined, { labels: { role: 'partner' } });
    expect(issues).toEqual([]);
    expect(result).toMatchObject({ kind: GLOBAL_NETWORK_SET_KIND, name: 'partners', labels: new Map([['role', 'partner']]) });
    expect(result!.nets.map((cidr) => cidr.prefix)).toEqual([24, 32]);
    const namespaced = read(readNetworkSet, NETWORK_SET_KIND, 'n', { nets: ['nope'] }, 'prod');
    expect(namespaced.issues).toEqual([{ field: 'spec.nets[0]', message: expect.stringContaining('must be a CIDR') }]);
  });
});
