/**
 * The set form of the Istio dialect for one probe port (no L7 request, auto mTLS): per destination, the sources
 * its proxy admits. Destinations whose verdicts depend on the same things (proxy, PeerAuthentication, applying
 * policies, declared protocol) share one computation, and sources are grouped by what policies can see of them
 * (proxy, namespace, service account, and addresses only where a policy reads addresses), so 10^4 pods cost
 * classes × classes evaluations, not 10^8. Every verdict is the one `IstioEvaluator.evaluate` gives.
 */
import { IstioEvaluator, IstioOutcome, outcomeEffect } from './evaluate';
import { AuthorizationPolicy, Source } from './model';
import { bypassesSidecar } from './workloads';
import { Bitset, emptyBitset, setBit } from '../../core/bitset';
import { Endpoint } from '../../core/endpoints';
import { formatIpAddress } from '../../core/ip-address';
import { DirectionQuery, PeerSets, ProbeSets } from '../../dialect';
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

function ipsKey(endpoint: Endpoint): string {
  return endpoint.ips.map(formatIpAddress).join(',');
}

export class IstioProbeSets implements ProbeSets {
  private readonly byDestination = new Map<string, PeerSets | undefined>();
  private readonly policyIds = new Map<AuthorizationPolicy, number>();
  private sourceKeys: string[] | undefined;

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

  /** What policies can see of a source, without its addresses. */
  private baseSourceKeys(): string[] {
    this.sourceKeys ??= this.evaluator.universe.endpoints.map((endpoint) =>
      `${endpoint.kind}|${this.evaluator.proxyOf(endpoint)}|${endpoint.namespace ?? ''}|${endpoint.serviceAccount ?? ''}`);
    return this.sourceKeys;
  }

  private compute(subject: Endpoint): PeerSets | undefined {
    const universe = this.evaluator.universe;
    const withAddresses = this.evaluator.policiesFor(subject).some(readsSourceAddresses);
    const base = this.baseSourceKeys();
    const outcomes = new Map<string, IstioOutcome>();
    const allow: Bitset = emptyBitset(universe.size);
    const deny: Bitset = emptyBitset(universe.size);
    let isolates = false;
    let restricts = false;
    for (const peer of universe.endpoints) {
      const key = withAddresses ? `${base[peer.index]}|${ipsKey(peer)}` : base[peer.index];
      let outcome = outcomes.get(key);
      if (!outcome) {
        const query: DirectionQuery = { direction: 'Ingress', subject, peer, probe: this.probe, destination: subject };
        outcome = this.evaluator.evaluate(query);
        outcomes.set(key, outcome);
      }
      const effect = outcomeEffect(outcome);
      if (effect === 'allow') setBit(allow, peer.index);
      else if (effect === 'deny') setBit(deny, peer.index);
      if (effect === 'isolated' || effect === 'allow') isolates = true;
      if (effect !== 'not-isolated') restricts = true;
    }
    if (!restricts) return undefined;
    return { isolates, allow, deny };
  }
}
