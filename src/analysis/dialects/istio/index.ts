/**
 * Istio in sidecar mode (https://istio.io/latest/docs/concepts/security/): PeerAuthentication and
 * AuthorizationPolicy, security.istio.io v1 and v1beta1, as a `mesh` layer dialect. The connectivity fold ANDs
 * it with the network layer: a connection passes only if the CNI and the destination's proxy both admit it.
 *
 * Effects (ingress of the destination; the mesh never restricts egress):
 * - `allow`: an ALLOW rule matched; `not-isolated`: nothing of Istio refuses it (no proxy, not proxied, or no
 *   ALLOW policy applies and no DENY rule matched);
 * - `deny`: a DENY rule matched, the mTLS mode refused the connection, or Istio mTLS reached a workload without
 *   a sidecar; `isolated`: ALLOW policies apply and none of their rules matched;
 * - what the analyzer cannot judge (a CUSTOM provider, an unknown value, ambient mode) is `deny` with
 *   `undetermined` saying why: never a silent allow.
 */
import { IstioEvaluator, IstioOutcome, outcomeEffect, outcomeVerdict } from './evaluate';
import {
  AUTHORIZATION_POLICY_KIND,
  AuthorizationPolicy,
  DEFAULT_ROOT_NAMESPACE,
  DEFAULT_TRUST_DOMAIN,
  ISTIO_API_VERSIONS,
  MeshSettings,
  PEER_AUTHENTICATION_KIND,
  PeerAuthentication,
} from './model';
import { IstioProbeSets } from './probe-sets';
import { readAuthorizationPolicy, readPeerAuthentication } from './read';
import { describeAuthorization, describeOutcome } from './words';
import { EndpointUniverse } from '../../core/endpoint-universe';
import {
  CompileContext,
  CompiledPolicies,
  Decision,
  DecisionWords,
  Dialect,
  DirectionQuery,
  Effect,
  PolicyReader,
  PolicyRef,
  ProbeSets,
  RuleMatch,
  RuleRef,
} from '../../dialect';
import { IstioMeshConfig } from '../../manifests/cluster-objects';
import { ObjectKind } from '../../manifests/object-kinds';
import { ProbePort } from '../../types';

export { IstioEvaluator, IstioOutcome, outcomeEffect, outcomeVerdict } from './evaluate';
export { MeshSettings } from './model';

export const ISTIO_KINDS: readonly ObjectKind[] = ISTIO_API_VERSIONS.flatMap((apiVersion) => [
  { apiVersion, kind: PEER_AUTHENTICATION_KIND, namespaced: true },
  { apiVersion, kind: AUTHORIZATION_POLICY_KIND, namespaced: true },
]);

function compareKeys(a: PolicyRef, b: PolicyRef): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function ruleRef(policy: AuthorizationPolicy, index: number): RuleRef {
  return { policy: policy.ref, direction: 'Ingress', index, path: `spec.rules[${index}]` };
}

/** One reason of the mesh layer, before the probe report adds its layer and direction. */
export interface IstioReason {
  readonly policy?: string;
  readonly rule?: string;
  readonly effect: Effect;
  readonly detail: string;
}

export class IstioDecision implements Decision {
  readonly effect: Effect;
  readonly matches: readonly RuleMatch[];
  readonly selectingPolicies: readonly PolicyRef[];
  readonly nearMisses: readonly RuleRef[] = [];
  /** Set when the analyzer cannot judge the connection (the effect is then `deny`): why. */
  readonly undetermined?: string;

  constructor(readonly query: DirectionQuery, readonly outcome: IstioOutcome | undefined, policies: readonly AuthorizationPolicy[] = []) {
    this.selectingPolicies = policies.filter((policy) => !policy.dryRun).map((policy) => policy.ref).sort(compareKeys);
    if (!outcome) {
      this.effect = 'not-isolated';
      this.matches = [];
      return;
    }
    this.effect = outcomeEffect(outcome);
    if (outcome.kind === 'mtls-refused' && outcome.mode.policy) {
      this.matches = [{ rule: { policy: outcome.mode.policy, direction: 'Ingress', index: 0, path: outcome.mode.field } }];
    } else if (outcome.kind === 'authorized' && (outcome.result.step === 'deny-rule' || outcome.result.step === 'allow-rule') && outcome.result.verdict !== 'unknown') {
      this.matches = outcome.result.hits.map((hit) => ({ rule: ruleRef(hit.policy, hit.index) }));
    } else {
      this.matches = [];
    }
    if (outcomeVerdict(outcome) === 'unknown') {
      this.undetermined = outcome.kind === 'ambient'
        ? `${query.subject.id} is in Istio ambient mode (istio.io/dataplane-mode=ambient), which the analyzer does not judge`
        : outcome.kind === 'authorized' ? outcome.result.unknown.join('; ') : 'the analyzer cannot judge it';
    }
  }

  describe(): DecisionWords {
    return { reason: describeOutcome(this.query, this.outcome), matchDetails: this.matches.map((match) => `${match.rule.policy.kind} ${match.rule.policy.key} ${match.rule.path ?? ''}`.trim()) };
  }

  /** The mesh's reasons for a probe report: the deciding rules, the refusing mode, or why nothing decided. */
  reasons(): IstioReason[] {
    const outcome = this.outcome;
    const detail = describeOutcome(this.query, outcome);
    if (outcome?.kind === 'mtls-refused' && outcome.mode.policy) {
      return [{ policy: `${outcome.mode.policy.kind} ${outcome.mode.policy.key}`, rule: outcome.mode.field!.replace(/^spec\./, ''), effect: this.effect, detail }];
    }
    if (outcome?.kind === 'authorized') {
      const { result } = outcome;
      if (result.hits.length > 0) {
        return result.hits.map((hit) => ({
          policy: `${hit.policy.ref.kind} ${hit.policy.ref.key}`,
          rule: `rules[${hit.index}]`,
          effect: this.effect,
          detail: describeAuthorization(hit, outcome, detail),
        }));
      }
      if (result.step === 'no-allow-match') {
        return result.allowPolicies.map((policy, index) => ({ policy: `${policy.ref.kind} ${policy.ref.key}`, effect: this.effect, detail: index === 0 ? detail : 'ALLOW policy: none of its rules matched' }));
      }
    }
    return [{ effect: this.effect, detail }];
  }
}

class CompiledIstioPolicies implements CompiledPolicies {
  constructor(readonly evaluator: IstioEvaluator) {}

  decide(query: DirectionQuery): Decision {
    if (query.direction === 'Egress' || query.subject.kind === 'external') return new IstioDecision(query, undefined);
    return new IstioDecision(query, this.evaluator.evaluate(query), this.evaluator.policiesFor(query.subject));
  }

  probeSets(probe: ProbePort): ProbeSets {
    return new IstioProbeSets(this.evaluator, probe);
  }
}

/** Istio's defaults, overridden by the mesh configuration the input holds, then by `given`. */
export function meshSettings(config: IstioMeshConfig | undefined, given: Partial<MeshSettings> = {}): MeshSettings {
  return {
    rootNamespace: given.rootNamespace ?? config?.rootNamespace ?? DEFAULT_ROOT_NAMESPACE,
    trustDomain: given.trustDomain ?? config?.trustDomain ?? DEFAULT_TRUST_DOMAIN,
    numTrustedProxies: given.numTrustedProxies ?? config?.numTrustedProxies ?? 0,
  };
}

/**
 * The Istio dialect. `settings` override the mesh configuration of the input (ConfigMap `istio-system/istio`,
 * `data.mesh`: `rootNamespace`, `trustDomain`, `defaultConfig.gatewayTopology.numTrustedProxies`).
 */
export function istioDialect(settings: Partial<MeshSettings> = {}): Dialect {
  return {
    name: 'Istio',
    layer: 'mesh',
    kinds: ISTIO_KINDS,
    reader(): PolicyReader {
      const peerAuthentications: PeerAuthentication[] = [];
      const authorizationPolicies: AuthorizationPolicy[] = [];
      return {
        read(object, identity, issues) {
          if (identity.kind === PEER_AUTHENTICATION_KIND) {
            const policy = readPeerAuthentication(object, identity, peerAuthentications.length, issues);
            if (policy) peerAuthentications.push(policy);
          } else {
            const policy = readAuthorizationPolicy(object, identity, issues);
            if (policy) authorizationPolicies.push(policy);
          }
        },
        compile(universe: EndpointUniverse, context?: CompileContext): CompiledPolicies {
          const mesh = meshSettings(context?.istioMesh, settings);
          return new CompiledIstioPolicies(new IstioEvaluator(universe, peerAuthentications, authorizationPolicies, context?.services ?? [], mesh));
        },
      };
    },
  };
}

/** Istio with the mesh configuration of the input, or Istio's defaults. */
export const istioMesh: Dialect = istioDialect();
