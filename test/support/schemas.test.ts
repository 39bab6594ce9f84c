import * as fs from 'fs';
import * as path from 'path';
import { describeWithSchemas, describeWithValidator, KNOWN_SCHEMAS, SCHEMAS_SKIPPED_MESSAGE, schemasDir, schemaValidator } from './schemas';

function networkPolicy(spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'backend-ingress', namespace: 'alpha-web', labels: { app: 'backend' } },
    spec,
  };
}

const VALID_SPEC = {
  podSelector: { matchLabels: { app: 'backend' } },
  policyTypes: ['Ingress', 'Egress'],
  ingress: [{
    from: [{ podSelector: { matchLabels: { app: 'frontend' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'alpha-web' } } }],
    ports: [{ port: 8080, protocol: 'TCP' }, { port: 'http', protocol: 'TCP' }],
  }],
  egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.7/32'] } }], ports: [{ port: 443, endPort: 445 }] }],
};

function ciliumPolicy(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'p', namespace: 'alpha-web' }, spec };
}

test('the schema directory is ../shared/schemas next to the repository root', () => {
  const repoRoot = path.resolve(__dirname, '..', '..');
  expect(fs.existsSync(path.join(repoRoot, 'package.json'))).toBe(true);
  expect(schemasDir()).toBe(path.resolve(repoRoot, '../shared/schemas'));
  expect(schemaValidator() === undefined).toBe(!fs.existsSync(schemasDir()));
});

describeWithSchemas('schema validation', validator => {
  test('a valid NetworkPolicy and Namespace pass', () => {
    expect(validator.validate(networkPolicy(VALID_SPEC))).toEqual([]);
    expect(validator.validate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'alpha-web', labels: { tenant: 'alpha' } } })).toEqual([]);
  });

  test('a misspelt field fails and is named', () => {
    const { policyTypes, ...rest } = VALID_SPEC;
    expect(validator.validate(networkPolicy({ ...rest, policyType: policyTypes }))).toEqual([
      'NetworkPolicy alpha-web/backend-ingress: /spec: unknown field "policyType"',
    ]);
    const ingress = [{ from: [{ podSelector: { matchLabel: { app: 'frontend' } } }] }];
    expect(validator.validate(networkPolicy({ ...VALID_SPEC, ingress }))).toEqual([
      'NetworkPolicy alpha-web/backend-ingress: /spec/ingress/0/from/0/podSelector: unknown field "matchLabel"',
    ]);
  });

  test('wrong types fail with a message', () => {
    const errors = validator.validate(networkPolicy({ ...VALID_SPEC, egress: [{ ports: [{ port: true, endPort: '8080' }] }] }));
    expect(errors).toEqual(expect.arrayContaining([
      'NetworkPolicy alpha-web/backend-ingress: /spec/egress/0/ports/0/endPort: must be integer,null',
      'NetworkPolicy alpha-web/backend-ingress: /spec/egress/0/ports/0/port: must match exactly one schema in oneOf',
    ]));
  });

  test('apiVersion and kind are pinned by the built-in schemas', () => {
    const errors = validator.validate({ ...networkPolicy(VALID_SPEC), apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 7 } });
    expect(errors).toEqual(['NetworkPolicy 7: /metadata/name: must be string,null']);
  });

  test('an unknown kind is an error, not a silent pass', () => {
    expect(validator.validate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' } })).toEqual([
      'ConfigMap n/c: no schema is known for apiVersion v1 kind ConfigMap; add one to KNOWN_SCHEMAS in test/support/schemas.ts',
    ]);
    expect(validator.validate({ apiVersion: 'networking.k8s.io/v2', kind: 'NetworkPolicy', metadata: { name: 'x' } })[0]).toMatch(/no schema is known/);
    expect(validator.validate('nope')).toEqual(['not a Kubernetes object: "nope"']);
  });

  test.each(KNOWN_SCHEMAS.map(s => [`${s.apiVersion} ${s.kind}`, s]))('%s: the schema file exists and compiles', (_label, known) => {
    const file = validator.schemaFile(known.apiVersion, known.kind);
    expect(file).toBe(path.join(validator.schemasDir, known.file));
    expect(fs.existsSync(file!)).toBe(true);
    for (const also of known.also ?? []) expect(fs.existsSync(path.join(validator.schemasDir, also))).toBe(true);
    // Compiling happens on first use; a schema ajv cannot compile throws here.
    const errors = validator.validate({ apiVersion: known.apiVersion, kind: known.kind, metadata: { name: 'x', namespace: 'y' } });
    expect(errors.filter(e => /no schema/.test(e))).toEqual([]);
  });

  test('the cidr format follows Go net.ParseCIDR', () => {
    const withCidr = (cidr: string) => validator.validate(ciliumPolicy({ endpointSelector: {}, egress: [{ toCIDR: [cidr] }] }));
    for (const ok of ['10.0.0.0/8', '192.0.2.1/32', '0.0.0.0/0', '2001:db8::/32', '::/0']) expect(withCidr(ok)).toEqual([]);
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.256/8', '2001:db8::/129', '10.0.0.0/08', 'fe80::1%eth0/64', 'x/8']) {
      expect(withCidr(bad)).toEqual(['CiliumNetworkPolicy alpha-web/p: /spec/egress/0/toCIDR/0: must match format "cidr"']);
    }
  });

  test('the idn-hostname format accepts Unicode labels', () => {
    const withHost = (host: string) => validator.validate(ciliumPolicy({
      endpointSelector: {},
      egress: [{ toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }], rules: { http: [{ host }] } }] }],
    }));
    for (const ok of ['example.com', 'bücher.example', 'a-b.c']) expect(withHost(ok)).toEqual([]);
    for (const bad of ['-a.com', 'a..b', 'a b.com']) expect(withHost(bad).join('\n')).toMatch(/must match format "idn-hostname"/);
  });

  test("Go regex classes work: Cilium's \\PC rejects control characters", () => {
    const withLog = (value: string) => validator.validate(ciliumPolicy({ endpointSelector: {}, egress: [{ toEntities: ['world'] }], log: { value } }));
    expect(withLog('audit: backend ✓')).toEqual([]);
    expect(withLog('bell\u0007').join('\n')).toMatch(/\/spec\/log\/value: must match pattern/);
  });
});

describe('without ../shared/schemas', () => {
  test('schemaValidator returns undefined', () => {
    expect(schemaValidator(path.join(__dirname, 'no-such-schemas-dir'))).toBeUndefined();
  });

  const warnings: string[] = [];
  let bodyRan = false;
  beforeAll(() => {
    jest.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      warnings.push(args.join(' '));
    });
  });
  afterAll(() => jest.restoreAllMocks());

  describeWithValidator('the suite', undefined, () => {
    bodyRan = true;
  });

  test('describeWithSchemas registers one passing test that says so instead of running the body', () => {
    expect(bodyRan).toBe(false);
    expect(warnings).toEqual([SCHEMAS_SKIPPED_MESSAGE]);
  });
});
