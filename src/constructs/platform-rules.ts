import { Construct } from 'constructs';
import { checkedChildId } from './construct-ids';
import { RuleSubjectSpec } from '../model/declarations';
import { IPeer, PeerSpec } from '../model/peer';
import { PlatformModel } from '../model/platform-model';
import { Port, portSpecOf } from '../model/port';
import { describeValue } from '../model/values';

/** Which pods a platform rule applies to. */
export interface RuleScopeOptions {
  /**
   * The pods the rule applies to: a TenantBoundary, a ZeroTrustNamespace or a Workload of the platform.
   * @default - every pod of every namespace the platform manages
   */
  readonly of?: IPeer;
  /**
   * Apply the rule to every pod of the cluster, in every namespace, managed by the platform or not
   * (`kube-system` included). Only backends with cluster-wide policies can express it.
   * @default false
   */
  readonly clusterWide?: boolean;
}

/** Options of `denyEgress` and `denyIngress`. */
export interface DenyOptions extends RuleScopeOptions {
  /** The ports denied. @default - every port and protocol */
  readonly ports?: readonly Port[];
}

/** Options of `restrictIngress`. */
export interface RestrictIngressOptions extends RuleScopeOptions {
  /** The ports only `onlyFrom` may reach, e.g. `[Port.tcp(9090)]`. */
  readonly ports: readonly Port[];
  /** The namespaces and tenants that may still reach them (ZeroTrustNamespace, ExternalNamespace, TenantBoundary, `Peer.namespace`, `Peer.allTenants`). */
  readonly onlyFrom: readonly IPeer[];
}

/** Options of `allowEgress` and `allowIngress`. */
export interface AllowRuleOptions {
  /** The ports allowed, at least one (`Port.all()` for every port). */
  readonly ports: readonly Port[];
  /**
   * The pods the allowance is for: a TenantBoundary, a ZeroTrustNamespace or a Workload of the platform.
   * @default - every pod of every namespace the platform manages
   */
  readonly of?: IPeer;
}

/**
 * A rule declared once for the platform: an allowance, a deny or a restriction. Its id names its
 * policy; its construct path is where errors about it point.
 */
export class PlatformRule extends Construct {
  /** The rule's name, its id: the name of the policy that carries it. */
  public readonly name: string;

  /** @internal */
  constructor(scope: Construct, id: string) {
    super(scope, checkedChildId(scope, id, 'platform rule', "choose another id, e.g. 'deny-metadata'"));
    this.name = id;
  }
}

/** Declares a deny or a restriction on the platform's model. @internal */
export function declareDeny(
  model: PlatformModel,
  rule: PlatformRule,
  field: 'denyEgress' | 'denyIngress' | 'restrictIngress',
  peer: IPeer | undefined,
  options: DenyOptions & { readonly onlyFrom?: readonly IPeer[] },
): void {
  const path = rule.node.path;
  const given = optionsObject(options, path, field);
  const ports = portsOf(given.ports, path, field) ?? [];
  model.addDeny({
    path,
    name: rule.name,
    field,
    direction: field === 'denyEgress' ? 'egress' : 'ingress',
    ...(field === 'restrictIngress'
      ? { onlyFrom: listOf(given.onlyFrom, path, `${field}.onlyFrom`).map((p, i) => peerSpecOf(p, path, `${field}.onlyFrom[${i}]`)) }
      : { peer: peerSpecOf(peer, path, `${field}.peer`) }),
    ports,
    subjects: subjectsOf(given, path, field),
  });
}

/** Declares a platform allowance: a flow from (or to) the rule's pods. @internal */
export function declareAllowance(model: PlatformModel, rule: PlatformRule, field: 'allowEgress' | 'allowIngress', peer: IPeer, options: AllowRuleOptions): void {
  const path = rule.node.path;
  const given = optionsObject(options, path, field);
  const subject: PeerSpec = given.of === undefined ? { kind: 'managed-namespaces' } : peerSpecOf(given.of, path, `${field}.of`);
  const far = peerSpecOf(peer, path, `${field}.peer`);
  const egress = field === 'allowEgress';
  model.addFlow({
    path,
    field,
    source: egress ? subject : far,
    destination: egress ? far : subject,
    peerSide: egress ? 'destination' : 'source',
    ports: portsOf(given.ports, path, field) ?? [],
    crossTenant: false,
    platformRule: true,
  });
}

function subjectsOf(options: RuleScopeOptions, path: string, field: string): RuleSubjectSpec {
  if (options.clusterWide === true) {
    if (options.of !== undefined) {
      throw new TypeError(`[${path}] ${field}.of: a rule is either for some pods (of) or for every pod of the cluster (clusterWide). Fix: remove one of the two`);
    }
    return { kind: 'cluster' };
  }
  return options.of === undefined ? { kind: 'managed-namespaces' } : peerSpecOf(options.of, path, `${field}.of`);
}

/** Only JavaScript callers can pass something else; it cannot be recorded, so it fails at once. */
function optionsObject<T extends object>(options: T | undefined, path: string, field: string): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`[${path}] ${field}: ${describeValue(options)} is not an options object. Fix: pass e.g. { ports: [Port.tcp(443)] }`);
  }
  return options;
}

function listOf<T>(value: readonly T[] | undefined, path: string, field: string): readonly T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`[${path}] ${field}: ${describeValue(value)} is not a list. Fix: wrap it in a list`);
  return value;
}

function portsOf(ports: readonly Port[] | undefined, path: string, field: string) {
  if (ports === undefined) return undefined;
  return listOf(ports, path, `${field}.ports`).map((p, i) => portSpecOf(p, path, `${field}.ports[${i}]`, 'e.g. Port.tcp(443)'));
}

function peerSpecOf(peer: unknown, path: string, field: string): PeerSpec {
  if (peer === null || typeof peer !== 'object' || typeof (peer as IPeer).toPeerSpec !== 'function') {
    throw new TypeError(`[${path}] ${field}: ${describeValue(peer)} is not a peer. Fix: pass a Workload, ZeroTrustNamespace, TenantBoundary, ExternalNamespace or a Peer value`);
  }
  return (peer as IPeer).toPeerSpec();
}
