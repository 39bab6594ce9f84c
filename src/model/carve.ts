/**
 * Denied CIDRs carved out of allowed CIDRs. A deny wins over every allow, so a rule that allows
 * `0.0.0.0/0` while a deny of the platform refuses `169.254.169.254/32` (on all of the rule's ports,
 * for all of its pods) allows exactly `0.0.0.0/0` except that address. Writing the except into the
 * rule says so in every backend, including those that cannot express the deny itself.
 */
import { formatCidr, ipv4Mapped, mappedIpv6, ParsedCidr, parseCidr, strictlyContains } from './cidr';
import { endpointKey } from './endpoints';
import { portsRelation, subjectRelation } from './overlap';
import type { PlannedPolicy, PlannedRule } from './plan';
import { Endpoint, ResolvedDeny } from './resolved';
import { compareStrings } from './selector';

/** The policy with the CIDRs of applicable denies excepted from its CIDR rules, rules re-sorted by far end. */
export function carveDeniedCidrs(policy: PlannedPolicy, namespace: string, denies: readonly ResolvedDeny[]): PlannedPolicy {
  const local: Endpoint = policy.subject.kind === 'workload'
    ? { kind: 'workload', namespace, name: policy.subject.workload.name, selector: policy.subject.workload.selector }
    : { kind: 'namespace', namespace, managed: true };
  const applicable = denies.filter((d) => d.direction === policy.direction && subjectRelation(d.subjects, local) === 'covered');
  if (applicable.length === 0 || !policy.rules.some((r) => r.peer.kind === 'cidr')) return policy;
  const rules = policy.rules.map((rule) => carveRule(rule, applicable));
  rules.sort((a, b) => compareStrings(endpointKey(a.peer), endpointKey(b.peer)));
  return { ...policy, rules };
}

function carveRule(rule: PlannedRule, denies: readonly ResolvedDeny[]): PlannedRule {
  if (rule.peer.kind !== 'cidr') return rule;
  const block = parseCidr(rule.peer.cidr)!;
  let except = rule.peer.except.map((e) => parseCidr(e)!);
  for (const deny of denies) {
    if (deny.peers.kind !== 'only' || portsRelation(deny.ports, rule.ports) !== 'covered') continue;
    for (const denied of deny.peers.endpoints) {
      // A denied CIDR with excepts of its own still lets those through: it is not one except.
      if (denied.kind !== 'cidr' || denied.except.length > 0) continue;
      const carved = inFamilyOf(block, parseCidr(denied.cidr)!);
      if (!carved || !strictlyContains(block, carved) || except.some((e) => covers(e, carved))) continue;
      except = [...except.filter((e) => !covers(carved, e)), carved];
    }
  }
  const texts = except.map(formatCidr).sort(compareStrings);
  if (texts.join() === rule.peer.except.join()) return rule;
  return { ...rule, peer: { ...rule.peer, except: texts } };
}

/**
 * `denied` written in the form of `block`, or undefined when the two hold no common address. Both are
 * read as Go's net package reads them, as the API server's validation of `except`
 * (k8s.io/kubernetes pkg/apis/networking/validation, `IPNet.Contains`) and the CNIs do: a network inside
 * `::ffff:0:0/96` is the IPv4 network it maps, and any other IPv6 network (`::/0` too) holds no IPv4
 * address (https://pkg.go.dev/net#IPNet.Contains: the lengths differ). So an IPv4 deny is carved, in its
 * IPv4-mapped form, out of an IPv4-mapped block only; out of `::/0` it would be an except the API server
 * rejects ("must be a strict subset of cidr"), for addresses the block never held.
 */
function inFamilyOf(block: ParsedCidr, denied: ParsedCidr): ParsedCidr | undefined {
  const blockView = ipv4Mapped(block) ?? block;
  const deniedView = ipv4Mapped(denied) ?? denied;
  if (blockView.family !== deniedView.family) return undefined;
  return block.family === deniedView.family ? deniedView : mappedIpv6(deniedView);
}

function covers(outer: ParsedCidr, inner: ParsedCidr): boolean {
  return outer.family === inner.family && (strictlyContains(outer, inner) || (outer.prefix === inner.prefix && outer.address === inner.address));
}
