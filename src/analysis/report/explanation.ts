import { Explanation, ServiceExplanation, SideExplanation } from '../types';
import { portLabel } from './ports';

/**
 * `zt explain` and the matchers' failure messages. The verdict comes first and names the side that
 * blocked, so the answer is on line one; each side then shows the evidence: which policies select
 * the endpoint, whether that isolates it, and which rule allowed the traffic (or that none did).
 */
export function formatExplanation(e: Explanation): string {
  const port = portLabel(e);
  const verdict = e.allowed
    ? `ALLOWED: ${e.from} -> ${e.to} on ${port}`
    : `DENIED: ${e.from} -> ${e.to} on ${port} (blocked by ${blockers(e)})`;
  return [verdict, '', ...side(e.egress), '', ...side(e.ingress)].join('\n') + '\n';
}

function blockers(e: Explanation): string {
  const sides = [e.egress, e.ingress].filter((s) => !s.allowed).map((s) => `${s.direction.toLowerCase()} of ${s.endpoint}`);
  // Both sides allowed yet denied cannot come from the analyzer; say so rather than print "blocked by ".
  return sides.length > 0 ? sides.join(' and ') : 'neither side (inconsistent explanation)';
}

function side(s: SideExplanation): string[] {
  const title = `${s.direction} ${s.direction === 'Egress' ? 'from' : 'to'} ${s.endpoint}`;
  if (!s.applicable) {
    return [`${title}: not applicable (network policies do not govern external endpoints)`, `  why: ${s.reason}`];
  }
  const direction = s.direction.toLowerCase();
  const lines = [`${title}: ${s.allowed ? 'allowed' : 'denied'}`];
  lines.push(`  selected by: ${s.selectingPolicies.length > 0 ? s.selectingPolicies.join(', ') : 'none'}`);
  lines.push(`  isolated for ${direction}: ${s.isolated ? 'yes' : `no (all ${direction} is allowed)`}`);
  if (s.isolated) {
    if (s.allowedBy.length === 0) {
      lines.push(`  allowed by: no rule (none of the ${direction} rules of the selecting policies matches)`);
    } else {
      lines.push('  allowed by:');
      for (const r of s.allowedBy) lines.push(`    ${r.policy} ${direction}[${r.ruleIndex}]: ${r.detail}`);
    }
  }
  lines.push(`  why: ${s.reason}`);
  return lines;
}

const VERDICT_WORDS = { allowed: 'ALLOWED', denied: 'DENIED', partial: 'PARTLY ALLOWED' } as const;

/**
 * A connection through a Service: the verdict over every backend on line one, then each backend pod's
 * explanation on the container port the service port maps to (policies see the pod and that port).
 */
export function formatServiceExplanation(e: ServiceExplanation): string {
  const reached = e.backends.filter((b) => b.explanation);
  const allowed = reached.filter((b) => b.explanation!.allowed).length;
  const count = reached.length === 0
    ? 'the Service has no backend pod for this port'
    : `${allowed} of ${reached.length} backend pod${reached.length === 1 ? '' : 's'} allow it`;
  const lines = [`${VERDICT_WORDS[e.verdict]}: ${e.from} -> Service ${e.service} on ${portLabel(e)} (${count})`];
  for (const backend of e.backends) {
    lines.push('');
    if (!backend.explanation) {
      lines.push(`Backend ${backend.endpoint}: not a backend on this port: ${backend.excluded}`);
      continue;
    }
    lines.push(`Backend ${backend.endpoint}, target port ${backend.targetPort}/${e.protocol}:`);
    lines.push(...formatExplanation(backend.explanation).trimEnd().split('\n').map((line) => (line === '' ? '' : `  ${line}`)));
  }
  return lines.join('\n') + '\n';
}
