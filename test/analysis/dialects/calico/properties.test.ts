/**
 * Property tests on random clusters under Calico (random-policies.ts): the per-verdict answer (`decide`) and
 * the set form (`probeSets`) agree; staged policies never change an enforced verdict; adding an Allow rule to
 * a policy never removes a connection; a Deny in an earlier tier is never overridden by a later tier (and a
 * tier with the Pass default that decides nothing changes nothing); and the summary counts what the report lists.
 */
import * as fc from 'fast-check';
import { calicoCase, CalicoCase, EXTERNAL_ADDRESSES, objectsOf, rule, V3 } from './random-policies';
import { buildConnectivity, peerEffect } from '../../../../src/analysis/connectivity';
import { EndpointUniverse } from '../../../../src/analysis/core/endpoint-universe';
import { externalEndpoints } from '../../../../src/analysis/core/endpoints';
import { CompiledPolicies, Effect } from '../../../../src/analysis/dialect';
import { calicoNetworkPolicy } from '../../../../src/analysis/dialects/calico';
import { normalizeInput } from '../../../../src/analysis/manifests/documents';
import { buildInventory } from '../../../../src/analysis/manifests/inventory';
import { ProbePort } from '../../../../src/analysis/types';
import { Manifest } from '../cilium/support';

const PROBES: readonly ProbePort[] = [
  { port: 80, protocol: 'TCP' },
  { port: 80, protocol: 'UDP' },
  { port: 80, protocol: 'SCTP' },
  { port: 53, protocol: 'UDP' },
  { port: 8080, protocol: 'TCP' },
  { port: 9090, protocol: 'TCP' },
  { port: 443, protocol: 'TCP' },
];

const DIRECTIONS = ['Egress', 'Ingress'] as const;

function compile(objects: readonly unknown[]): { universe: EndpointUniverse; compiled: CompiledPolicies } {
  const reader = calicoNetworkPolicy.reader();
  const inventory = buildInventory(normalizeInput(objects), [{ kinds: calicoNetworkPolicy.kinds, read: reader.read.bind(reader) }]);
  if (inventory.issues.length > 0) throw new Error(`random case is invalid: ${JSON.stringify(inventory.issues)}`);
  const serviceAccounts = new Map(inventory.serviceAccounts.map((account) => [account.id, account.labels]));
  const universe = new EndpointUniverse(inventory.namespaces, inventory.pods, externalEndpoints(EXTERNAL_ADDRESSES), { serviceAccounts });
  return { universe, compiled: reader.compile(universe) };
}

/** Every enforced effect of a compiled case, keyed by query (the universe is the same for one cluster). */
function effects(objects: readonly unknown[]): Map<string, Effect> {
  const { universe, compiled } = compile(objects);
  const out = new Map<string, Effect>();
  for (const probe of PROBES) {
    for (const subject of universe.endpoints) {
      if (subject.kind === 'external') continue;
      for (const direction of DIRECTIONS) {
        for (const peer of universe.endpoints) {
          const destination = direction === 'Egress' ? peer : subject;
          out.set(`${direction} of ${subject.id}, peer ${peer.id}, ${probe.port}/${probe.protocol}`, compiled.decide({ direction, subject, peer, probe, destination }).effect);
        }
      }
    }
  }
  return out;
}

const admits = (effect: Effect | undefined): boolean => effect === 'allow' || effect === 'not-isolated';

/** The queries whose effect differs, or that `lost` (admitted by `before`, not by `after`), for messages. */
function differences(before: Map<string, Effect>, after: Map<string, Effect>, keep: (a: Effect, b: Effect) => boolean): string[] {
  return [...before].filter(([key, effect]) => !keep(effect, after.get(key)!)).map(([key, effect]) => `${key}: ${effect} → ${after.get(key)}`);
}

describe('Calico properties', () => {
  test('every random case is valid input', () => {
    fc.assert(fc.property(calicoCase(), (c) => {
      expect(() => compile(objectsOf(c))).not.toThrow();
    }), { numRuns: 300 });
  });

  test('decide() and probeSets() agree for every subject, peer and probe port', () => {
    fc.assert(fc.property(calicoCase(), (c) => {
      const { universe, compiled } = compile(objectsOf(c));
      for (const probe of PROBES) {
        const sets = compiled.probeSets(probe);
        for (const subject of universe.endpoints) {
          if (subject.kind === 'external') continue;
          for (const direction of DIRECTIONS) {
            const answer = direction === 'Egress' ? sets.egress(subject.index) : sets.ingress(subject.index);
            for (const peer of universe.endpoints) {
              const destination = direction === 'Egress' ? peer : subject;
              const decision = compiled.decide({ direction, subject, peer, probe, destination });
              const fromSets = peerEffect(answer, peer.index);
              if (fromSets !== decision.effect) {
                throw new Error(`${direction} of ${subject.id}, peer ${peer.id}, ${probe.port}/${probe.protocol}: sets ${fromSets}, decide ${decision.effect}`);
              }
            }
          }
        }
      }
    }), { numRuns: 150 });
  });

  test('staged policies never change an enforced verdict', () => {
    fc.assert(fc.property(calicoCase(), (c) => {
      fc.pre(c.staged.length > 0);
      expect(differences(effects(objectsOf(c, false)), effects(objectsOf(c)), (a, b) => a === b)).toEqual([]);
    }), { numRuns: 100 });
  });

  test('adding an Allow rule to a policy, anywhere in its rules, never removes a connection', () => {
    const withAllow = fc.record({
      c: calicoCase(),
      target: fc.nat(),
      direction: fc.constantFrom('ingress', 'egress'),
      at: fc.nat(),
      // Broad rules (which must open something unless an earlier rule or tier decides) and random ones.
      allow: fc.oneof(fc.constant<Manifest>({ action: 'Allow' }), fc.constant<Manifest>({ action: 'Allow', protocol: 'TCP' }), rule(['Allow'])),
    });
    let checked = 0;
    let gained = 0;
    fc.assert(fc.property(withAllow, ({ c, target, direction, at, allow }) => {
      const calicoPolicies = c.policies.map((p, i) => [p, i] as const).filter(([p]) => p.apiVersion === V3);
      fc.pre(calicoPolicies.length > 0);
      const [policy, index] = calicoPolicies[target % calicoPolicies.length];
      const spec = policy.spec as Manifest;
      const rules = (spec[direction] as Manifest[] | undefined) ?? [];
      // The rule must not change the policy's defaulted `types` (a new direction would make the policy apply there).
      const types = spec.types as string[] | undefined;
      fc.pre(types ? types.includes(direction === 'ingress' ? 'Ingress' : 'Egress') : rules.length > 0);
      const position = at % (rules.length + 1);
      const changed: Manifest = { ...policy, spec: { ...spec, [direction]: [...rules.slice(0, position), allow, ...rules.slice(position)] } };
      const after: CalicoCase = { ...c, policies: c.policies.map((p, i) => (i === index ? changed : p)) };
      const before = effects(objectsOf(c));
      const now = effects(objectsOf(after));
      expect(differences(before, now, (a, b) => !admits(a) || admits(b))).toEqual([]);
      checked++;
      if ([...before].some(([key, effect]) => !admits(effect) && admits(now.get(key)))) gained++;
    }), { numRuns: 100 });
    // The added rules do open connections (the property is not vacuous).
    expect(gained).toBeGreaterThan(checked * 0.2);
  });

  test('a Deny in an earlier tier is never overridden; where it does not match, a tier with the Pass default changes nothing', () => {
    const first: Manifest = { apiVersion: V3, kind: 'Tier', metadata: { name: 'first' }, spec: { order: 1, defaultAction: 'Pass' } };
    const deny = (selector: string, probe: ProbePort): Manifest => ({
      apiVersion: V3,
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'first-deny' },
      spec: { tier: 'first', order: 1, selector, types: ['Ingress', 'Egress'], ingress: [{ action: 'Deny', protocol: probe.protocol, destination: { ports: [probe.port] } }], egress: [{ action: 'Deny', protocol: probe.protocol, destination: { ports: [probe.port] } }] },
    });
    const probePorts = fc.constantFrom(...PROBES);
    fc.assert(fc.property(calicoCase(), probePorts, (c, probe) => {
      const selector = "app == 'a'";
      const before = effects(objectsOf(c));
      const objects = [...objectsOf(c), first, deny(selector, probe)];
      const { universe } = compile(objects);
      const now = effects(objects);
      const denied = new Set(universe.endpoints.filter((e) => e.kind === 'pod' && e.labels.get('app') === 'a' && !e.hostNetwork).map((e) => e.id));
      const probeKey = `${probe.port}/${probe.protocol}`;
      const problems: string[] = [];
      for (const [key, effect] of now) {
        const [, subject, port] = /^\w+ of (\S+), peer \S+, (\S+)$/.exec(key)!;
        // The Deny holds for the pods it selects on its port; elsewhere the Pass default leaves every verdict as it
        // was (a pod that no tier applied to now passes through one to its profile: allow instead of not-isolated).
        if (denied.has(subject) && port === probeKey) {
          if (effect !== 'deny') problems.push(`${key}: ${effect}, expected deny by the earlier tier`);
        } else if (admits(effect) !== admits(before.get(key))) {
          problems.push(`${key}: ${before.get(key)} → ${effect}`);
        }
      }
      expect(denied.size).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    }), { numRuns: 60 });
  });

  test('summary() counts exactly what report() lists', () => {
    fc.assert(fc.property(calicoCase(), (c) => {
      const connectivity = buildConnectivity(objectsOf(c), { cni: 'calico', externals: EXTERNAL_ADDRESSES, ports: PROBES });
      const report = connectivity.report();
      const summary = connectivity.summary();
      expect(summary.evaluated).toBe(report.connections.length);
      expect(summary.allowed).toBe(report.connections.filter((verdict) => verdict.allowed).length);
    }), { numRuns: 60 });
  });
});

