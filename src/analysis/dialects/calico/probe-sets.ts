/**
 * The set form of the Calico answer for one probe port: per subject and direction, the tier walk of
 * `CalicoEvaluator.evaluate` run on sets of peers at once. The peers not yet decided enter each applying tier;
 * inside it each rule takes, in order, the undecided peers it matches (Allow to `allow`, Deny to `deny`, Pass on to
 * the next tier); the peers left at the end of the tier meet its defaultAction (Deny: the end-of-tier deny, which is
 * `isolated`; Pass: on to the next tier); the peers passed out of the last applying tier reach the namespace
 * profile, which allows. It must agree with `decide()` peer by peer (test/analysis/dialects/calico).
 *
 * Subjects whose contributing rules are the same share one result: the cache key lists the applying tiers and the
 * rules that can match (probe criteria and subject side passed), as the Kubernetes and Cilium dialects key theirs.
 */
import { CompiledCalico, CompiledRule, SelectedPolicy } from './compile';
import { protocolMatches } from './evaluate';
import { andInto, andNotInto, Bitset, emptyBitset, orInto } from '../../core/bitset';
import { Endpoint } from '../../core/endpoints';
import { Direction, PeerSets, ProbeSets } from '../../dialect';
import { ProbePort } from '../../types';

/** A rule that can match for the subject, with its peer set (narrowed by `ipVersion` when it has one). */
interface ActiveRule {
  readonly rule: CompiledRule;
  readonly peers: Bitset;
}

interface TierRun {
  readonly tier: number;
  readonly rules: ActiveRule[];
}

function isEmpty(bits: Bitset): boolean {
  for (let i = 0; i < bits.length; i++) if (bits[i] !== 0) return false;
  return true;
}

export class CalicoProbeSets implements ProbeSets {
  private readonly cache = new Map<string, PeerSets>();
  /** Per rule id: whether the probe criteria (protocol, ICMP) pass. */
  private readonly probeMatches: (boolean | undefined)[] = [];
  /** Per rule id: the peer set for this probe; empty sets are kept as `none`. */
  private readonly peerSets: (Bitset | undefined)[] = [];
  /** Per rule id and family (0 = the subject has no address): the peer set narrowed by the rule's ipVersion. */
  private readonly versionedSets = new Map<string, Bitset>();

  constructor(private readonly compiled: CompiledCalico, private readonly probe: ProbePort) {}

  egress(source: number): PeerSets | undefined {
    return this.sets('Egress', source);
  }

  ingress(destination: number): PeerSets | undefined {
    return this.sets('Ingress', destination);
  }

  private sets(direction: Direction, index: number): PeerSets | undefined {
    const policies = this.compiled.policiesFor(direction, index);
    if (!policies) return undefined;
    const subject = this.compiled.universe.endpoints[index];
    const runs = this.runs(policies, subject);
    let key = direction[0];
    for (const run of runs) {
      key += `|${run.tier}:`;
      for (const active of run.rules) key += `${active.rule.id}${active.rule.rule.ipVersion !== undefined ? `@${subject.ips[0]?.family ?? 0}` : ''},`;
    }
    let sets = this.cache.get(key);
    if (!sets) {
      sets = this.walk(runs);
      this.cache.set(key, sets);
    }
    return sets;
  }

  /** The applying tiers in order, each with the rules that can match for this subject (Log rules take no action). */
  private runs(policies: readonly SelectedPolicy[], subject: Endpoint): TierRun[] {
    const runs: TierRun[] = [];
    const none = this.compiled.universe.none;
    for (const selected of policies) {
      let run = runs[runs.length - 1];
      if (!run || run.tier !== selected.tier) {
        run = { tier: selected.tier, rules: [] };
        runs.push(run);
      }
      for (const rule of selected.rules) {
        if (rule.rule.action === 'Log' || !this.probeCriteria(rule) || !this.subjectSide(rule, subject)) continue;
        const peers = this.peers(rule, subject);
        if (peers !== none) run.rules.push({ rule, peers });
      }
    }
    return runs;
  }

  private probeCriteria(rule: CompiledRule): boolean {
    let matches = this.probeMatches[rule.id];
    if (matches === undefined) {
      matches = protocolMatches(rule.rule, this.probe);
      this.probeMatches[rule.id] = matches;
    }
    return matches;
  }

  /** The subject's side of the rule, exactly as the per-peer evaluation judges it (no set form needed: one subject). */
  private subjectSide(rule: CompiledRule, subject: Endpoint): boolean {
    if (rule.subjectSideEmpty) return true;
    const portOwner = rule.direction === 'Ingress' ? subject : undefined;
    return this.compiled.evaluator.entityMatches(rule.subjectSide, rule.policy, subject, portOwner, this.probe);
  }

  /** The rule's peers for this subject: its peer side, and the peers of its `ipVersion` (`familyOf`: the peer's first address, else the subject's). */
  private peers(rule: CompiledRule, subject: Endpoint): Bitset {
    const none = this.compiled.universe.none;
    let peers = this.peerSets[rule.id];
    if (!peers) {
      const computed = this.compiled.peerSet(rule, this.probe);
      peers = computed === none || isEmpty(computed) ? none : computed;
      this.peerSets[rule.id] = peers;
    }
    const version = rule.rule.ipVersion;
    if (version === undefined || peers === none) return peers;
    const subjectFamily = subject.ips[0]?.family ?? 0;
    const key = `${rule.id}@${subjectFamily}`;
    let versioned = this.versionedSets.get(key);
    if (!versioned) {
      const family = this.compiled.withFirstFamily(version).slice();
      if (subjectFamily === version) orInto(family, this.compiled.withFirstFamily(0));
      andInto(family, peers);
      versioned = isEmpty(family) ? none : family;
      this.versionedSets.set(key, versioned);
    }
    return versioned;
  }

  /** The tier walk on sets (see the header). */
  private walk(runs: readonly TierRun[]): PeerSets {
    const universe = this.compiled.universe;
    const only = runs[0];
    if (runs.length === 1 && this.compiled.tiers[only.tier].defaultAction === 'Deny' && only.rules.every((active) => active.rule.rule.action === 'Allow')) {
      // The usual shape (Kubernetes policies, allow-lists): one tier of Allow rules ending in its deny. The peers are
      // the union of the rules' peers; one rule's set is shared as it is.
      if (only.rules.length === 1) return { isolates: true, allow: only.rules[0].peers };
      const allow = emptyBitset(universe.size);
      for (const active of only.rules) orInto(allow, active.peers);
      return { isolates: true, allow };
    }
    const size = universe.size;
    const allow = emptyBitset(size);
    let deny: Bitset | undefined;
    /** The peers not decided yet; `universe.all` until the first tier narrows it (never modified). */
    let undecided: Bitset = universe.all;
    for (const run of runs) {
      const tier = this.compiled.tiers[run.tier];
      let remaining: Bitset;
      let passed: Bitset | undefined;
      if (run.rules.every((active) => active.rule.rule.action === 'Allow')) {
        // Allow rules only: what they match among the undecided is allowed, in whatever order.
        const matched = emptyBitset(size);
        for (const active of run.rules) orInto(matched, active.peers);
        if (undecided !== universe.all) andInto(matched, undecided);
        orInto(allow, matched);
        // Only a Pass default sends the rest on; a Deny default drops it, so it need not be computed.
        if (tier.defaultAction === 'Pass') {
          remaining = undecided.slice();
          andNotInto(remaining, matched);
        } else {
          remaining = universe.none;
        }
      } else {
        remaining = undecided.slice();
        for (const active of run.rules) {
          const taken = active.peers.slice();
          andInto(taken, remaining);
          switch (active.rule.rule.action) {
            case 'Allow': orInto(allow, taken); break;
            case 'Deny':
              deny ??= emptyBitset(size);
              orInto(deny, taken);
              break;
            default:
              passed ??= emptyBitset(size);
              orInto(passed, taken);
          }
          andNotInto(remaining, taken);
        }
      }
      // The end of the tier: its defaultAction Deny drops what is left (isolated); Pass sends it on.
      if (tier.defaultAction === 'Pass') {
        if (passed) orInto(remaining, passed);
        undecided = remaining;
      } else {
        undecided = passed ?? emptyBitset(size);
      }
      if (isEmpty(undecided)) break;
    }
    // Past the last applying tier: the namespace profile allows (the subject is a workload endpoint).
    orInto(allow, undecided);
    return { isolates: true, allow, ...(deny && !isEmpty(deny) ? { deny } : {}) };
  }
}
