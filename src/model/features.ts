/**
 * The intents that some backends cannot express, named, and where a plan uses each: the facts the
 * backends' support table (backends/support-table.ts) is keyed by, and what a target may omit.
 */
import { describeEndpoint } from './endpoints';
import { describeHttpRule } from './http';
import { Entity } from './peer';
import { PolicyPlan } from './plan';
import { describePort } from './port';
import { Endpoint } from './resolved';
import { compareStrings } from './selector';

/** An intent that some backend cannot express. A value object and a string union, like `Protocol`. */
export const Feature = {
  /** DNS names as peers: `Peer.fqdn`, `Peer.fqdnPattern`. */
  FQDN: 'fqdn',
  /** L7 HTTP rules on a port: `Port.tcp(8080).http(...)`. */
  HTTP: 'http',
  /** The API server as an entity, without its addresses: `Peer.kubeApiserver()`. */
  KUBE_APISERVER: 'kube-apiserver',
  /** The nodes: `Peer.localNode()`, `Peer.remoteNodes()`. */
  NODES: 'nodes',
  /** Everything outside the cluster: `Peer.world()`. */
  WORLD: 'world',
  /** Everything inside the cluster: `Peer.cluster()`. */
  CLUSTER: 'cluster',
  /** NodeLocal DNSCache as a DNS server: `dns: { nodeLocal }`. */
  NODE_LOCAL_DNS: 'node-local-dns',
  /** Pods identified by their service account: `workload.byServiceAccount()`, `Peer.serviceAccount`. */
  SERVICE_ACCOUNT: 'service-account',
  /** Explicit denies and restrictions: `platform.denyEgress`, `denyIngress`, `restrictIngress`. */
  DENY: 'deny',
  /** Rules for every pod of the cluster, managed namespaces or not: `{ clusterWide: true }`. */
  CLUSTER_WIDE: 'cluster-wide',
  /** Addresses as peers: `Peer.cidr`, `Peer.anyIpv4`, `Peer.anyIpv6`. */
  CIDR: 'cidr',
} as const;
export type Feature = (typeof Feature)[keyof typeof Feature];

export const FEATURES: readonly Feature[] = Object.values(Feature);

export function isFeature(value: unknown): value is Feature {
  return typeof value === 'string' && (FEATURES as readonly string[]).includes(value);
}

/** One use of a feature: where it is declared and what it is, for messages. */
export interface FeatureUse {
  readonly feature: Feature;
  readonly path: string;
  readonly field: string;
  /** E.g. `the DNS name api.github.com`, `HTTP rules on 8080/TCP (GET /api/.*)`. */
  readonly what: string;
}

/** Every use of a feature in the plan, once per declaration, sorted by path, field and feature. */
export function featureUses(plan: PolicyPlan): FeatureUse[] {
  const uses = new Map<string, FeatureUse>();
  const add = (use: FeatureUse) => uses.set(`${use.path}\u0000${use.field}\u0000${use.feature}\u0000${use.what}`, use);
  for (const { baselines, policies } of plan.namespaces) {
    for (const baseline of baselines) {
      if (baseline.kind === 'dns-egress' && baseline.dns.nodeLocal) {
        add({ feature: Feature.NODE_LOCAL_DNS, path: baseline.dns.nodeLocal.path, field: 'dns.nodeLocal', what: `NodeLocal DNSCache at ${baseline.dns.nodeLocal.cidr}` });
      }
    }
    for (const policy of policies) {
      for (const rule of policy.rules) {
        const peerFeature = endpointFeature(rule.peer);
        for (const { path, field, ports } of rule.origins) {
          if (peerFeature) add({ feature: peerFeature, path, field, what: describeEndpoint(rule.peer) });
          // Reported where the rules were declared, once the rule still carries them.
          for (const port of ports) {
            if (!port.http || !rule.ports.some((p) => p.http !== undefined)) continue;
            add({ feature: Feature.HTTP, path, field, what: `HTTP rules on ${describePort(port)} (${port.http.map(describeHttpRule).join('; ')})` });
          }
        }
      }
    }
  }
  for (const deny of plan.denies) {
    add({ feature: Feature.DENY, path: deny.path, field: deny.field, what: `the deny '${deny.name}'` });
    if (deny.subjects.kind === 'cluster') {
      add({ feature: Feature.CLUSTER_WIDE, path: deny.path, field: `${deny.field}.clusterWide`, what: `the deny '${deny.name}' for every pod of the cluster` });
    }
  }
  const order = (a: FeatureUse, b: FeatureUse) =>
    compareStrings(a.path, b.path) || compareStrings(a.field, b.field) || compareStrings(a.feature, b.feature) || compareStrings(a.what, b.what);
  return [...uses.values()].sort(order);
}

/** The feature a far end needs, if any. */
export function endpointFeature(peer: Endpoint): Feature | undefined {
  switch (peer.kind) {
    case 'fqdn':
      return Feature.FQDN;
    case 'service-account':
      return Feature.SERVICE_ACCOUNT;
    case 'cidr':
      return Feature.CIDR;
    case 'entity':
      return ENTITY_FEATURES[peer.entity] ?? (peer.addresses.length > 0 ? undefined : Feature.KUBE_APISERVER);
    default:
      return undefined;
  }
}

/** The API server is a feature only without its addresses: with them it is a set of CIDRs. */
const ENTITY_FEATURES: Readonly<Record<Entity, Feature | undefined>> = {
  'kube-apiserver': undefined,
  'local-node': Feature.NODES,
  'remote-nodes': Feature.NODES,
  'world': Feature.WORLD,
  'cluster': Feature.CLUSTER,
};
