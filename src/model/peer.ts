import { LabelSelector, SelectorOperator } from './selector';
import { describeValue } from './values';

/** Peer factories have no construct path: a value of the wrong shape (JavaScript callers) fails at once. */
function requireShape(ok: boolean, call: string, value: unknown, expected: string, fix: string): void {
  if (!ok) throw new TypeError(`${call}: ${describeValue(value)} is not ${expected}. Fix: ${fix}`);
}

/** Backend-neutral description of the far end of a flow, as declared (resolved at synthesis). */
export type PeerSpec =
  /** A workload declared with `ZeroTrustNamespace.workload()`. */
  | { readonly kind: 'workload'; readonly namespace: string; readonly workload: string; readonly path: string }
  /** Every pod of a namespace (managed, or declared external). */
  | { readonly kind: 'namespace'; readonly namespace: string }
  /** Selected pods of a namespace we do not manage (declared external). */
  | { readonly kind: 'pods'; readonly namespace: string; readonly selector: LabelSelector }
  /** Addresses outside the cluster. */
  | { readonly kind: 'cidr'; readonly cidr: string; readonly except: readonly string[] }
  /** Every pod of every namespace of a tenant. */
  | { readonly kind: 'tenant'; readonly tenant: string; readonly path: string; readonly id: string };

/** Anything a flow can be allowed to or from: a Workload, a ZeroTrustNamespace, a TenantBoundary, or a `Peer`. */
export interface IPeer {
  /** @internal the model form of this peer */
  toPeerSpec(): PeerSpec;
}

/** Options of `Peer.cidr`. */
export interface CidrPeerOptions {
  /** CIDRs inside `cidr` to exclude; each must be strictly inside it. @default - none */
  readonly except?: readonly string[];
}

/** Options of `Peer.pods`. */
export interface PodsPeerOptions {
  /** Name of a namespace declared with `ExternalNamespace` (for pods of a managed namespace, declare a workload). */
  readonly namespace: string;
  /** Pods carrying all these labels (ANDed with `selector` when both are given). */
  readonly labels?: Readonly<Record<string, string>>;
  /** A full label selector. */
  readonly selector?: LabelSelector;
}

/**
 * Peers that are not constructs of this platform. Plain values: no scope or id needed.
 */
export class Peer implements IPeer {
  /** Addresses in `cidr` (IPv4 or IPv6, canonical: host bits zero), minus `except`. */
  public static cidr(cidr: string, options: CidrPeerOptions = {}): Peer {
    requireShape(typeof options === 'object' && options !== null, 'Peer.cidr(cidr, options)', options, 'an options object', "pass { except: ['203.0.113.128/25'] } or nothing");
    const except: unknown = options.except;
    requireShape(except === undefined || Array.isArray(except), 'Peer.cidr(cidr, { except })', except, 'a list of CIDRs', "wrap it in a list: { except: ['203.0.113.128/25'] }");
    return new Peer({ kind: 'cidr', cidr, except: [...(options.except ?? [])] });
  }

  /** Every IPv4 address (0.0.0.0/0). Pod addresses may or may not match, depending on the CNI. */
  public static anyIpv4(options: CidrPeerOptions = {}): Peer {
    return Peer.cidr('0.0.0.0/0', options);
  }

  /** Every IPv6 address (::/0). */
  public static anyIpv6(options: CidrPeerOptions = {}): Peer {
    return Peer.cidr('::/0', options);
  }

  /** Every pod of a namespace, by name. The namespace must be managed by the platform or declared external. */
  public static namespace(name: string): Peer {
    return new Peer({ kind: 'namespace', namespace: name });
  }

  /** Selected pods of a namespace declared with `ExternalNamespace` (not managed by this platform). */
  public static pods(options: PodsPeerOptions): Peer {
    requireShape(
      typeof options === 'object' && options !== null && !Array.isArray(options),
      'Peer.pods(options)',
      options,
      'an options object',
      "pass { namespace: 'ingress-nginx', labels: { app: 'controller' } }",
    );
    const selector: LabelSelector =
      options.labels != null && options.selector != null
        ? {
          // Both given: a pod must satisfy both. Merging the two label maps would let one value
          // replace the other for a shared key (a wider peer), so `labels` become `In` terms.
          matchLabels: options.selector.matchLabels,
          matchExpressions: [
            ...(options.selector.matchExpressions ?? []),
            ...Object.entries(options.labels).map(([key, value]) => ({ key, operator: SelectorOperator.IN, values: [value] })),
          ],
        }
        : options.selector ?? { matchLabels: options.labels ?? {} };
    return new Peer({ kind: 'pods', namespace: options.namespace, selector });
  }

  private constructor(private readonly spec: PeerSpec) {}

  /** @internal */
  public toPeerSpec(): PeerSpec {
    return this.spec;
  }
}
