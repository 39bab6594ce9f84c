/**
 * The set form of the Istio dialect for one probe port (no L7 request, auto mTLS): per destination, the sources
 * its proxy admits. Destinations whose verdicts depend on the same things (proxy, PeerAuthentication, applying
 * policies, declared protocol) share one computation, and sources are grouped by what the policies can see of
 * them: their proxy (whether they speak mTLS), which of the policies' identity patterns their identity matches,
 * and their addresses only where a policy reads addresses. So 10^4 pods cost a few evaluations per destination
 * class, not 10^8. Every verdict is the one `IstioEvaluator.evaluate` gives.
 */
import { PeerIdentity } from './authorization';
import { IstioEvaluator, outcomeEffect } from './evaluate';
import { stringMatches } from './matching';
import { AuthorizationPolicy, Source } from './model';
import { bypassesSidecar } from './workloads';
import { Bitset, emptyBitset, setBit } from '../../core/bitset';
import { Endpoint } from '../../core/endpoints';
import { formatIpAddress } from '../../core/ip-address';
import { DirectionQuery, Effect, PeerSets, ProbeSets } from '../../dialect';
import { ProbePort } from '../../types';

function readsSourceAddresses(policy: AuthorizationPolicy): boolean {
  const reads = (source: Source): boolean => [source.ipBlocks, source.notIpBlocks, source.remoteIpBlocks, source.notRemoteIpBlocks]
    .some((list) => list !== undefined);
  return (policy.rules ?? []).some((rule) => rule.from.some(reads)
    || rule.when.some((condition) => condition.key === 'source.ip' || condition.key === 'remote.ip'));
}

function readsDestinationAddress(policy: AuthorizationPolicy): boolean {
  return (policy.rules ?? []).some((rule) => rule.when.some((condition) => condition.key === 'destination.ip'));
}

/** What one identity field of one rule compares: `principal`, `namespace`, `serviceAccount` (exact) or `trustDomain`, against a pattern. */
interface IdentityAtom {
  readonly field: keyof PeerIdentity;
  readonly pattern: string;
  readonly exact: boolean;
}

/**
 * Every identity comparison the policies make. Identity reaches a verdict only through these, so two mTLS
 * sources that agree on every atom get the same verdict.
 */
function identityAtoms(policies: readonly AuthorizationPolicy[]): IdentityAtom[] {
  const atoms = new Map<string, IdentityAtom>();
  const add = (field: keyof PeerIdentity, patterns: readonly string[] | undefined, exact = false): void => {
    for (const pattern of patterns ?? []) atoms.set(`${field}|${exact}|${pattern}`, { field, pattern, exact });
  };
  for (const policy of policies) {
    for (const rule of policy.rules ?? []) {
      for (const source of rule.from) {
        add('principal', source.principals);
        add('principal', source.notPrincipals);
        add('namespace', source.namespaces);
        add('namespace', source.notNamespaces);
        add('serviceAccount', source.serviceAccounts, true);
        add('serviceAccount', source.notServiceAccounts, true);
        add('trustDomain', source.trustDomains);
        add('trustDomain', source.notTrustDomains);
      }
      for (const condition of rule.when) {
        const field = condition.key === 'source.principal' ? 'principal' : condition.key === 'source.namespace' ? 'namespace' : undefined;
        if (!field) continue;
        add(field, condition.values);
        add(field, condition.notValues);
      }
    }
  }
  return [...atoms.values()];
}

function signature(identity: PeerIdentity, atoms: readonly IdentityAtom[]): string {
  let bits = '';
  for (const atom of atoms) {
    const value = identity[atom.field];
    bits += (atom.exact ? value === atom.pattern : stringMatches(atom.pattern, value)) ? '1' : '0';
  }
  return bits;
}

function ipsKey(endpoint: Endpoint): string {
  return endpoint.ips.map(formatIpAddress).join(',');
}

export class IstioProbeSets implements ProbeSets {
  private readonly byDestination = new Map<string, PeerSets | undefined>();
  private readonly policyIds = new Map<AuthorizationPolicy, number>();
  private classes: { readonly base: Int32Array; readonly identity: Int32Array; readonly identities: readonly PeerIdentity[] } | undefined;

  constructor(private readonly evaluator: IstioEvaluator, private readonly probe: ProbePort) {
    evaluator.policies.forEach((policy, index) => this.policyIds.set(policy, index));
  }

  egress(): PeerSets | undefined {
    return undefined;
  }

  ingress(destination: number): PeerSets | undefined {
    const universe = this.evaluator.universe;
    const subject = universe.endpoints[destination];
    if (subject.kind === 'external') return undefined;
    const key = this.destinationKey(subject);
    if (this.byDestination.has(key)) return this.byDestination.get(key);
    const sets = this.compute(subject);
    this.byDestination.set(key, sets);
    return sets;
  }

  /** Equal for two destinations exactly when every source gets the same verdict at both. */
  private destinationKey(subject: Endpoint): string {
    const proxy = this.evaluator.proxyOf(subject);
    if (proxy === 'none' || proxy === 'ambient') return proxy;
    const policies = this.evaluator.policiesFor(subject);
    const ids = policies.map((policy) => this.policyIds.get(policy)).join(',');
    const bypass = proxy === 'sidecar' && bypassesSidecar(subject, this.probe.port);
    const mode = proxy === 'sidecar' ? this.evaluator.peerAuthentications.modeKey(subject) : '';
    const addresses = policies.some(readsDestinationAddress) ? ipsKey(subject) : '';
    const protocol = `${subject.namespace}|${[...subject.labels].sort().join(';')}|${subject.ports.map((port) => `${port.name}:${port.port}`).join(',')}`;
    return `${proxy}|${bypass}|${mode}|${ids}|${addresses}|${protocol}`;
  }

  /**
   * Per endpoint, as small integers: its kind and proxy (whether it speaks mTLS), and its identity (-1 for an
   * endpoint that is not a pod). Computed once per probe port.
   */
  private sourceClasses(): { readonly base: Int32Array; readonly identity: Int32Array; readonly identities: readonly PeerIdentity[] } {
    if (!this.classes) {
      const endpoints = this.evaluator.universe.endpoints;
      const baseIds = new Map<string, number>();
      const identityIds = new Map<string, number>();
      const identities: PeerIdentity[] = [];
      const base = new Int32Array(endpoints.length);
      const identity = new Int32Array(endpoints.length);
      for (const endpoint of endpoints) {
        const baseKey = `${endpoint.kind}|${this.evaluator.proxyOf(endpoint)}`;
        if (!baseIds.has(baseKey)) baseIds.set(baseKey, baseIds.size);
        base[endpoint.index] = baseIds.get(baseKey)!;
        const peer = this.evaluator.identity(endpoint);
        if (peer === 'unknown') {
          identity[endpoint.index] = -1;
          continue;
        }
        let id = identityIds.get(peer.principal);
        if (id === undefined) {
          id = identities.length;
          identityIds.set(peer.principal, id);
          identities.push(peer);
        }
        identity[endpoint.index] = id;
      }
      this.classes = { base, identity, identities };
    }
    return this.classes;
  }

  private compute(subject: Endpoint): PeerSets | undefined {
    const universe = this.evaluator.universe;
    const policies = this.evaluator.policiesFor(subject);
    const withAddresses = policies.some(readsSourceAddresses);
    const atoms = identityAtoms(policies);
    const classes = this.sourceClasses();
    // Per identity: the interned signature of the policies' identity patterns it matches (0: no pattern, or not a pod).
    const signatureOf = new Int32Array(classes.identities.length).fill(-1);
    const signatureIds = new Map<string, number>();
    const signatureId = (identity: number): number => {
      if (atoms.length === 0 || identity < 0) return 0;
      let id = signatureOf[identity];
      if (id < 0) {
        const bits = signature(classes.identities[identity], atoms);
        id = signatureIds.get(bits) ?? signatureIds.size + 1;
        signatureIds.set(bits, id);
        signatureOf[identity] = id;
      }
      return id;
    };
    const effects = new Map<number | string, Effect>();
    const allow: Bitset = emptyBitset(universe.size);
    const deny: Bitset = emptyBitset(universe.size);
    let isolates = false;
    let restricts = false;
    for (const peer of universe.endpoints) {
      const index = peer.index;
      // Identity enters a verdict only through the signature, and the address only where a policy reads it.
      const identity = classes.identity[index];
      const classKey = classes.base[index] * 2 * (classes.identities.length + 2) + signatureId(identity) * 2 + (identity < 0 ? 1 : 0);
      const key: number | string = withAddresses ? `${classKey}|${ipsKey(peer)}` : classKey;
      let effect = effects.get(key);
      if (effect === undefined) {
        const query: DirectionQuery = { direction: 'Ingress', subject, peer, probe: this.probe, destination: subject };
        effect = outcomeEffect(this.evaluator.evaluate(query));
        effects.set(key, effect);
      }
      if (effect === 'allow') setBit(allow, index);
      else if (effect === 'deny') setBit(deny, index);
      if (effect === 'isolated' || effect === 'allow') isolates = true;
      if (effect !== 'not-isolated') restricts = true;
    }
    if (!restricts) return undefined;
    return { isolates, allow, deny };
  }
}
