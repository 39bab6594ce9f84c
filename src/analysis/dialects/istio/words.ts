/** Istio's verdicts in words, for explanations and probe reasons. */
import { RuleHit } from './authorization';
import { IstioOutcome } from './evaluate';
import { EffectiveMode } from './peer-authentication';
import { DirectionQuery } from '../../dialect';

function modeWords(mode: EffectiveMode, port: number): string {
  const from = mode.policy ? `${mode.policy.kind} ${mode.policy.key} ${mode.field}, ${mode.scope}-wide` : 'no PeerAuthentication: Istio\'s default';
  return `port ${port} is ${mode.mode} (${from})`;
}

function clientWords(query: DirectionQuery, mtls: boolean, given: boolean): string {
  const how = given ? `clientMtls: ${mtls}` : 'auto mTLS';
  return `${query.peer.id} sends ${mtls ? 'Istio mTLS' : 'plaintext'} (${how})`;
}

/** One sentence (or a few) on how the destination's proxy treated the connection. */
export function describeOutcome(query: DirectionQuery, outcome: IstioOutcome | undefined): string {
  const destination = query.subject.id;
  const port = query.probe.port;
  if (!outcome) return `Istio authorizes at the destination's inbound proxy: the mesh does not restrict the ${query.direction.toLowerCase()} of ${destination}.`;
  switch (outcome.kind) {
    case 'not-proxied':
      return `Istio: ${outcome.why}; the mesh does not restrict it.`;
    case 'no-proxy':
      return outcome.mtls
        ? `Istio: ${destination} has no sidecar, so the Istio mTLS that ${query.peer.id} sends (${outcome.mtlsGiven ? 'clientMtls: true' : 'auto mTLS'}) is not terminated and the connection fails.`
        : `Istio: ${destination} has no sidecar: no PeerAuthentication or AuthorizationPolicy applies, and plaintext passes.`;
    case 'ambient':
      return `Istio: cannot judge: ${destination} is in ambient mode (istio.io/dataplane-mode=ambient), which the analyzer does not cover; counted as denied.`;
    case 'mtls-refused':
      return `Istio: ${modeWords(outcome.mode, port)} and ${clientWords(query, outcome.mtls, outcome.mtlsGiven)}: ` +
        (outcome.mtls ? 'a DISABLE port does not terminate Istio mTLS, so the connection fails.' : 'STRICT refuses plaintext.');
    case 'authorized':
      break;
  }
  const { result } = outcome;
  const parts: string[] = [];
  const tls = outcome.mode ? `${clientWords(query, outcome.mtls, outcome.mtlsGiven)}; ${modeWords(outcome.mode, port)}` : `${clientWords(query, outcome.mtls, outcome.mtlsGiven)} to the gateway ${destination}`;
  parts.push(`Istio: ${tls}.`);
  const keys = (hits: readonly RuleHit[]): string => [...new Set(hits.map((hit) => `${hit.policy.action} AuthorizationPolicy ${hit.policy.ref.key} rules[${hit.index}]`))].join(', ');
  if (result.verdict === 'unknown') {
    parts.push(`Cannot judge: ${result.unknown.join('; ')}. Counted as denied (fail closed).`);
  } else if (result.step === 'deny-rule') {
    parts.push(`Denied by ${keys(result.hits)}.`);
  } else if (result.step === 'allow-rule') {
    parts.push(`Allowed by ${keys(result.hits)}.`);
  } else if (result.step === 'no-allow-policy') {
    parts.push(`No ALLOW AuthorizationPolicy applies to ${destination} and no DENY rule matched, so it is allowed.`);
  } else {
    const names = result.allowPolicies.map((policy) => policy.ref.key).join(', ');
    parts.push(`ALLOW AuthorizationPolicy ${names} applies to ${destination} and none of its rules matched (a policy without rules allows nothing), so it is denied.`);
  }
  if (outcome.traffic === 'tcp' && result.allowPolicies.some((policy) => (policy.rules ?? []).length > 0)) {
    parts.push('The port carries TCP (declared, or a TLS payload): ALLOW rules with HTTP fields never match it, DENY rules drop those fields.');
  }
  if (result.unchecked.length > 0) {
    parts.push(`HTTP conditions not checked, the probe gives no http request: ${[...new Set(result.unchecked)].join(', ')}.`);
  }
  if (outcome.dryRun) {
    const names = outcome.dryRun.policies.map((policy) => policy.ref.key).join(', ');
    const would = outcome.dryRun.result.verdict;
    parts.push(would === result.verdict
      ? `Dry-run AuthorizationPolicy ${names} (istio.io/dry-run, not enforced) would not change it.`
      : `Dry-run AuthorizationPolicy ${names} (istio.io/dry-run, not enforced) would make it ${would === 'unknown' ? 'undetermined' : `${would}ed`.replace('denyed', 'denied')}.`);
  }
  return parts.join(' ');
}

/** The detail of one rule that decided. */
export function describeAuthorization(hit: RuleHit, outcome: Extract<IstioOutcome, { kind: 'authorized' }>, detail: string): string {
  const verb = hit.result === 'unknown' ? 'may match' : 'matched';
  const action = outcome.result.step === 'custom' ? 'CUSTOM' : hit.policy.action;
  return `${action} rules[${hit.index}] ${verb}. ${detail}`;
}
