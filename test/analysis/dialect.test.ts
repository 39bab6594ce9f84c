/**
 * A dialect plugged into the analyzer from outside: nothing of src/ knows these kinds. `DenyConnections`
 * (network layer) refuses the egress of its `from` pods to its `to` pods on one TCP port; `MeshDeny` (mesh
 * layer) refuses the same at the destination's ingress. Both must override a NetworkPolicy allow in
 * verdicts, in explanations and in summary counts.
 */
import { namespace, netpol, pod, tcp } from './helpers';
import { explainConnection, InvalidManifestsError } from '../../src/analysis';
import { buildConnectivity } from '../../src/analysis/connectivity';
import { Bitset, emptyBitset, setBit } from '../../src/analysis/core/bitset';
import { EndpointUniverse } from '../../src/analysis/core/endpoint-universe';
import { Decision, Dialect, Direction, DirectionQuery, Layer, PolicyRef, ProbeSets } from '../../src/analysis/dialect';
import { BUILT_IN_DIALECTS } from '../../src/analysis/dialects';
import { isRecord } from '../../src/analysis/manifests/fields';

function bitsetOf(size: number, indices: readonly number[]): Bitset {
  const bits = emptyBitset(size);
  for (const index of indices) setBit(bits, index);
  return bits;
}

interface Denial {
  readonly policy: PolicyRef;
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly port: number;
}

/** A toy dialect: each object denies connections from its `from` pods to its `to` pods on `port`/TCP, on one side. */
function denyDialect(kind: string, layer: Layer, direction: Direction): Dialect {
  return {
    name: `example ${kind}`,
    layer,
    kinds: [{ apiVersion: 'example.dev/v1', kind, namespaced: true }],
    reader() {
      const denials: Denial[] = [];
      return {
        read(object, identity, issues) {
          const spec = object.spec;
          if (!isRecord(spec)) {
            issues.add('spec', 'is required');
            return;
          }
          const ids = (field: 'from' | 'to'): string[] | undefined => {
            const value = spec[field];
            if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
            issues.add(`spec.${field}`, 'must be a list of pod ids');
            return undefined;
          };
          const from = ids('from');
          const to = ids('to');
          if (typeof spec.port !== 'number') issues.add('spec.port', 'must be a number');
          if (!from || !to || typeof spec.port !== 'number') return;
          const key = `${identity.namespace}/${identity.name}`;
          denials.push({ policy: { kind, namespace: identity.namespace, name: identity.name, key }, from, to, port: spec.port });
        },
        compile(universe: EndpointUniverse) {
          // The subject is the source on egress and the destination on ingress.
          const subjects = (denial: Denial): readonly string[] => (direction === 'Egress' ? denial.from : denial.to);
          const peers = (denial: Denial): readonly string[] => (direction === 'Egress' ? denial.to : denial.from);
          const applying = (subject: string, side: Direction): Denial[] => (
            side === direction ? denials.filter((denial) => subjects(denial).includes(subject)) : []
          );
          return {
            decide(query: DirectionQuery): Decision {
              const selecting = applying(query.subject.id, query.direction);
              const denying = selecting.filter((denial) => denial.port === query.probe.port && query.probe.protocol === 'TCP' && peers(denial).includes(query.peer.id));
              const matches = denying.map((denial) => ({ rule: { policy: denial.policy, direction: query.direction, index: 0 } }));
              return {
                effect: denying.length > 0 ? 'deny' : 'not-isolated',
                matches,
                selectingPolicies: selecting.map((denial) => denial.policy),
                nearMisses: [],
                describe: () => ({
                  reason: denying.length > 0
                    ? `${kind} ${denying.map((denial) => denial.policy.key).join(', ')} denies ${query.peer.id} on ${query.probe.port}.`
                    : `No ${kind} denies this.`,
                  matchDetails: matches.map(() => 'denied'),
                }),
              };
            },
            probeSets(probe): ProbeSets {
              const answer = (side: Direction, subject: number): ReturnType<ProbeSets['egress']> => {
                const denying = applying(universe.endpoints[subject].id, side).filter((denial) => denial.port === probe.port && probe.protocol === 'TCP');
                if (denying.length === 0) return undefined;
                const denied = denying.flatMap((denial) => peers(denial).map((id) => universe.indexOf(id)!));
                return { isolates: false, allow: universe.none, deny: bitsetOf(universe.size, denied) };
              };
              return { egress: (source) => answer('Egress', source), ingress: (destination) => answer('Ingress', destination) };
            },
          };
        },
      };
    },
  };
}

const denyConnections = denyDialect('DenyConnections', 'network', 'Egress');
const meshDeny = denyDialect('MeshDeny', 'mesh', 'Ingress');

function denialObject(kind: string, id: string, from: string[], to: string[], port: number): Record<string, unknown> {
  const [ns, name] = id.split('/');
  return { apiVersion: 'example.dev/v1', kind, metadata: { name, namespace: ns }, spec: { from, to, port } };
}

const objects = [
  namespace('a'),
  namespace('b'),
  pod('a/client', { app: 'client' }, [{ port: 80 }]),
  pod('b/server', { app: 'server' }, [{ port: 80 }, { port: 81 }]),
  netpol('b/deny-all', { podSelector: {}, policyTypes: ['Ingress'] }),
  netpol('b/allow-client', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 80 }, { port: 81 }] }] }),
];
const denyClient = denialObject('DenyConnections', 'a/no-server', ['a/client'], ['b/server'], 80);
const meshDenyClient = denialObject('MeshDeny', 'b/no-client', ['a/client'], ['b/server'], 81);

function allowedCount(connectivity: ReturnType<typeof buildConnectivity>): number {
  return connectivity.report().connections.filter((verdict) => verdict.allowed).length;
}

describe('a dialect plugged in from outside', () => {
  const plain = buildConnectivity(objects);
  const dialects = [...BUILT_IN_DIALECTS, denyConnections, meshDeny];
  const denied = buildConnectivity([...objects, denyClient, meshDenyClient], {}, dialects);

  test('without the dialect, its kind is ignored and NetworkPolicy allows the connections', () => {
    const ignoring = buildConnectivity([...objects, denyClient]);
    expect(ignoring.notes.ignoredKinds).toEqual([{ kind: 'example.dev/v1/DenyConnections', count: 1 }]);
    expect(ignoring.verdict('a/client', 'b/server', tcp(80)).allowed).toBe(true);
    expect(plain.verdict('a/client', 'b/server', tcp(81)).allowed).toBe(true);
  });

  test('a network-layer deny beats a NetworkPolicy allow in verdicts', () => {
    expect(denied.notes.ignoredKinds).toEqual([]);
    expect(denied.verdict('a/client', 'b/server', tcp(80))).toEqual({
      from: 'a/client', to: 'b/server', port: 80, protocol: 'TCP', allowed: false, egressPolicies: [], ingressPolicies: [],
    });
    // Other connections keep the NetworkPolicy verdict.
    expect(denied.verdict('b/server', 'a/client', tcp(80))).toEqual(plain.verdict('b/server', 'a/client', tcp(80)));
  });

  test('a mesh-layer deny is ANDed on top of an allowed network layer', () => {
    expect(plain.verdict('a/client', 'b/server', tcp(81)).ingressPolicies).toEqual(['b/allow-client']);
    expect(denied.verdict('a/client', 'b/server', tcp(81))).toEqual(expect.objectContaining({ allowed: false, ingressPolicies: [] }));
  });

  test('explain names the denying dialect on the side it denied, from the same evaluation', () => {
    const network = explainConnection(denied, { from: 'a/client', to: 'b/server', port: 80 });
    expect(network.allowed).toBe(false);
    expect(network.egress).toEqual({
      direction: 'Egress',
      endpoint: 'a/client',
      applicable: true,
      selectingPolicies: ['a/no-server'],
      isolated: true,
      allowed: false,
      allowedBy: [],
      reason: 'DenyConnections a/no-server denies b/server on 80.',
    });
    expect(network.ingress).toEqual(expect.objectContaining({
      allowed: true,
      allowedBy: [{ policy: 'b/allow-client', kind: 'NetworkPolicy', namespace: 'b', name: 'allow-client', ruleIndex: 0, detail: 'from[0] (namespaceSelector), ports[0] 80/TCP' }],
      reason: 'b/server is isolated for ingress by b/allow-client, b/deny-all; allowed by b/allow-client ingress[0]. No MeshDeny denies this.',
    }));

    const mesh = explainConnection(denied, { from: 'a/client', to: 'b/server', port: 81 });
    expect(mesh.allowed).toBe(false);
    expect(mesh.egress.allowed).toBe(true);
    expect(mesh.ingress).toEqual(expect.objectContaining({
      selectingPolicies: ['b/allow-client', 'b/deny-all', 'b/no-client'],
      isolated: true,
      allowed: false,
      allowedBy: [],
      reason: 'MeshDeny b/no-client denies a/client on 81.',
    }));
  });

  test('summary() counts what report() lists, each deny removing its connection', () => {
    expect(allowedCount(plain)).toBe(6);
    expect(allowedCount(denied)).toBe(4);
    expect(denied.summary()).toEqual({
      endpoints: 2,
      ports: 2,
      evaluated: 6,
      allowed: 4,
      namespacePairs: [
        { from: 'a', to: 'a', allowed: 1, evaluated: 1 },
        { from: 'b', to: 'a', allowed: 1, evaluated: 1 },
        { from: 'b', to: 'b', allowed: 2, evaluated: 2 },
      ],
    });
    expect(plain.summary().allowed).toBe(6);
  });

  test('its objects are validated, and problems are reported with file, document, object and field', () => {
    const broken = { ...denyClient, spec: { from: 'a/client', to: ['b/server'] } };
    let error: unknown;
    try {
      buildConnectivity([...objects, broken], {}, dialects);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidManifestsError);
    expect((error as InvalidManifestsError).issues).toEqual([
      { file: '<memory>', documentIndex: 6, object: 'DenyConnections a/no-server', field: 'spec.from', message: 'must be a list of pod ids' },
      { file: '<memory>', documentIndex: 6, object: 'DenyConnections a/no-server', field: 'spec.port', message: 'must be a number' },
    ]);
  });

  test('a kind read by two dialects goes to the first', () => {
    const shadowed = denyDialect('DenyConnections', 'network', 'Ingress');
    const first = buildConnectivity([...objects, denyClient], {}, [...BUILT_IN_DIALECTS, denyConnections, shadowed]);
    expect(first.verdict('a/client', 'b/server', tcp(80)).allowed).toBe(false);
    expect(explainConnection(first, { from: 'a/client', to: 'b/server', port: 80 }).egress.allowed).toBe(false);
  });
});
