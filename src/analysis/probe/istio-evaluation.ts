/**
 * Probes under `--mesh istio`: the Istio dialect sits in the mesh layer of the connectivity fold, so every leg's
 * verdict is the CNI's AND the destination proxy's (https://istio.io/latest/docs/concepts/security/#authorization).
 * This module gives the mesh what it reads from a probe (`clientMtls`, the HTTP request), turns Istio decisions
 * into reasons with `layer: mesh`, and marks a probe whose denial rests only on what the analyzer cannot judge
 * (a CUSTOM provider, ambient mode, a value the probe does not give) as `undetermined`: the verdict stays `deny`
 * (fail closed) and an expectation never agrees with it.
 */
import { ProbeReason, ProbeResult } from './types';
import { Decision, Effect } from '../dialect';
import { IstioDecision } from '../dialects/istio';

const EFFECTS: Readonly<Record<Effect, ProbeReason['effect']>> = {
  'allow': 'allow',
  'deny': 'deny',
  'pass': 'pass',
  'isolated': 'isolated',
  'not-isolated': 'default',
};

/** The mesh reasons of an Istio decision that decided its layer; undefined for a decision of another dialect. */
export function istioDecisionReasons(layer: 'cni' | 'mesh', direction: 'ingress' | 'egress', decision: Decision): ProbeReason[] | undefined {
  if (!(decision instanceof IstioDecision)) return undefined;
  const undetermined = decision.undetermined;
  return decision.reasons().map((reason) => ({
    layer,
    direction,
    ...(reason.policy !== undefined ? { policy: reason.policy } : {}),
    ...(reason.rule !== undefined ? { rule: reason.rule } : {}),
    effect: EFFECTS[reason.effect],
    detail: reason.detail,
    ...(undetermined !== undefined ? { undetermined } : {}),
  }));
}

/** A reason that refuses the connection. */
function refuses(reason: ProbeReason): boolean {
  return reason.effect === 'deny' || reason.effect === 'isolated';
}

/**
 * A denied probe whose every refusing reason is an undetermined mesh reason: the mesh might have allowed it.
 * The verdict stays `deny`; `undetermined` says why, and an expectation fails.
 */
export function withUndeterminedMesh(result: ProbeResult): ProbeResult {
  if (result.verdict !== 'deny') return result;
  const refusing = result.reasons.filter(refuses);
  if (refusing.length === 0 || refusing.some((reason) => reason.undetermined === undefined)) return result;
  const why = [...new Set(refusing.map((reason) => reason.undetermined!))].join('; ');
  return {
    ...result,
    ...(result.expected !== undefined ? { ok: false } : {}),
    undetermined: `the mesh layer cannot be judged: ${why}. Counted as denied (fail closed).`,
  };
}
