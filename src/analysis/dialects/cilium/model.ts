/**
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (cilium.io/v2) as read and validated, before they
 * are compiled against the endpoints. Field meanings follow github.com/cilium/cilium `pkg/policy/api/rule.go`,
 * `ingress.go`, `egress.go`, `l4.go` and https://docs.cilium.io/en/stable/security/policy/language/.
 */
import { CiliumSelector } from './selectors';
import { Protocol } from '../../../vocabulary/protocol';
import { Cidr, CidrBlock } from '../../core/ip-address';
import { LabelSelector } from '../../core/label-selector';
import { Direction, PolicyRef } from '../../dialect';
import { ManifestSource } from '../../types';

export const CNP_KIND = 'CiliumNetworkPolicy';
export const CCNP_KIND = 'CiliumClusterwideNetworkPolicy';
export const CIDR_GROUP_KIND = 'CiliumCIDRGroup';

/** A name or pattern of `toFQDNs`, `rules.dns` or `serverNames`, compiled as Cilium's matchpattern does. */
export interface NamePattern {
  readonly index: number;
  /** As written, for explanations. */
  readonly text: string;
  /** Matches a lower-case name with its trailing dot. */
  readonly regex: RegExp;
}

/** One `ports[]` entry of a PortRule. */
export interface PortProtocolSpec {
  readonly index: number;
  /** `ANY` (or no protocol) expands to TCP, UDP and SCTP, never ICMP. */
  readonly protocols: readonly Protocol[];
  /** Undefined: every port (`port: "0"`). */
  readonly port?: number;
  /** Inclusive end of a range starting at `port`. */
  readonly endPort?: number;
  /** A named port (lower-cased), resolved against the destination's container ports. */
  readonly name?: string;
  /** As written, for explanations: `80/TCP`, `8000-8080/ANY`, `http/ANY`. */
  readonly text: string;
}

/** One `rules.http[]` entry: every field given must match (ANDed). */
export interface HttpRuleSpec {
  readonly index: number;
  readonly method?: RegExp;
  readonly path?: RegExp;
  readonly host?: RegExp;
  /** `headers` and `headerMatches` without a `mismatch` action: lower-case name, and a value when one must equal it. */
  readonly headers: readonly { readonly name: string; readonly value?: string; readonly fromSecret?: boolean }[];
  readonly text: string;
}

export type L7Spec =
  | { readonly kind: 'http'; readonly rules: readonly HttpRuleSpec[] }
  | { readonly kind: 'dns'; readonly rules: readonly NamePattern[] }
  /** kafka, l7proto, or a custom listener: enforced by a proxy whose requests the analyzer does not model. */
  | { readonly kind: 'other'; readonly name: string };

/** One `toPorts[]` entry. */
export interface PortRuleSpec {
  readonly index: number;
  readonly ports: readonly PortProtocolSpec[];
  readonly l7?: L7Spec;
  /** TLS server names the handshake must carry (`serverNames`). */
  readonly serverNames?: readonly NamePattern[];
  /** The proxy terminates TLS (`terminatingTLS`), so L7 rules see the decrypted requests. */
  readonly terminatesTls: boolean;
}

/** One `icmps[].fields[]` entry. */
export interface IcmpFieldSpec {
  /** Index in `icmps`, then in its `fields`. */
  readonly rule: number;
  readonly index: number;
  readonly type: number;
  readonly family: 'IPv4' | 'IPv6';
  readonly text: string;
}

/** The entity names the CRD accepts (github.com/cilium/cilium `pkg/policy/api/entity.go`). */
export const ENTITIES = ['all', 'world', 'cluster', 'host', 'init', 'ingress', 'unmanaged', 'remote-node', 'health', 'none', 'kube-apiserver'] as const;
export type EntityName = (typeof ENTITIES)[number];

interface PeerBase {
  /** The rule field, e.g. `fromEndpoints`. */
  readonly field: string;
  /** Index in that field's list. */
  readonly index: number;
}

export type PeerSpec =
  | PeerBase & { readonly kind: 'endpoints'; readonly selector: CiliumSelector }
  | PeerBase & { readonly kind: 'nodes'; readonly selector: CiliumSelector }
  | PeerBase & { readonly kind: 'entity'; readonly entity: EntityName }
  | PeerBase & { readonly kind: 'cidr'; readonly text: string; readonly block: CidrBlock }
  | PeerBase & { readonly kind: 'cidrGroup'; readonly text: string; readonly groupName?: string; readonly groupSelector?: LabelSelector; readonly except: readonly Cidr[] }
  | PeerBase & { readonly kind: 'fqdn'; readonly pattern: NamePattern }
  | PeerBase & { readonly kind: 'service'; readonly text: string; readonly serviceName?: string; readonly namespace?: string; readonly serviceSelector?: LabelSelector }
  /** `fromGroups`/`toGroups` (cloud security groups): resolved by an operator the analyzer does not model; matches nothing. */
  | PeerBase & { readonly kind: 'group' };

export type RuleListField = 'ingress' | 'ingressDeny' | 'egress' | 'egressDeny';

/** One element of `ingress`, `ingressDeny`, `egress` or `egressDeny`. */
export interface RuleEntry {
  readonly direction: Direction;
  readonly deny: boolean;
  readonly list: RuleListField;
  readonly index: number;
  /**
   * The L3 peers. Undefined when the element sets no peer field: an L3 wildcard (every peer, world included),
   * which matches only through `toPorts`/`icmps`. Empty when every peer field given is an empty list: no peer.
   */
  readonly peers?: readonly PeerSpec[];
  /** `fromRequires`/`toRequires` (deprecated): ANDed into every endpoint selector of the subject's rules in this direction. */
  readonly requires: readonly CiliumSelector[];
  /** Undefined when the element has neither `toPorts` nor `icmps`: every port and protocol, ICMP included. */
  readonly l4?: { readonly ports: readonly PortRuleSpec[]; readonly icmps: readonly IcmpFieldSpec[] };
}

/** One rule (`spec`, or one element of `specs`). */
export interface CiliumRule {
  /** `spec` or `specs[N]`. */
  readonly field: string;
  readonly subject: { readonly kind: 'endpoints' | 'nodes'; readonly selector: CiliumSelector };
  readonly ingress: readonly RuleEntry[];
  readonly ingressDeny: readonly RuleEntry[];
  readonly egress: readonly RuleEntry[];
  readonly egressDeny: readonly RuleEntry[];
  /** Default-deny per direction: a non-empty allow or deny list, and `enableDefaultDeny` not false for it. */
  readonly defaultDeny: { readonly ingress: boolean; readonly egress: boolean };
}

export interface CiliumPolicy extends PolicyRef {
  readonly kind: typeof CNP_KIND | typeof CCNP_KIND;
  /** Undefined for a CCNP. */
  readonly namespace?: string;
  readonly source: ManifestSource;
  readonly rules: readonly CiliumRule[];
}

/** A CiliumCIDRGroup: named CIDRs that `cidrGroupRef`/`cidrGroupSelector` refer to. */
export interface CidrGroup {
  readonly name: string;
  readonly labels: ReadonlyMap<string, string>;
  readonly cidrs: readonly Cidr[];
}
