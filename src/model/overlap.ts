/**
 * How a deny relates to an allow: `disjoint` (they share no connection), `covered` (every connection
 * the allow names is denied) or `overlap` (some may be). Decided conservatively: `covered` only when
 * sure, `disjoint` only when sure, `overlap` otherwise. Synthesis reports allows that a deny covers
 * (they would be dead), and refuses to omit a deny that overlaps an allow (that would widen it).
 *
 * What the ends stand for follows the model: CIDR peers never hold pods (the cluster networks are
 * carved out of them; Cilium's CIDR rules never match its pods,
 * https://docs.cilium.io/en/stable/security/policy/language/#ip-cidr-based), DNS names resolve to
 * addresses outside the cluster, `cluster` holds every pod and node, `world` everything outside.
 */
import { ipv4Mapped, ParsedCidr, parseCidr, strictlyContains } from './cidr';
import { fqdnCovers, fqdnOverlaps } from './fqdn';
import { Entity } from './peer';
import { PortSpec } from './port';
import { DenyPeers, DenySubjects, Endpoint } from './resolved';
import { coversSelector } from './selector-overlap';

export type Relation = 'disjoint' | 'overlap' | 'covered';

/** All covered: covered; any disjoint: disjoint; otherwise overlap. */
export function combine(...relations: Relation[]): Relation {
  if (relations.includes('disjoint')) return 'disjoint';
  return relations.every((r) => r === 'covered') ? 'covered' : 'overlap';
}

/** How the deny's ports relate to one allowed port. */
export function portRelation(deny: PortSpec, allow: PortSpec): Relation {
  if (deny.kind === 'all') return 'covered';
  if (allow.kind === 'all') return 'overlap';
  if (deny.protocol !== allow.protocol) return 'disjoint';
  if (deny.kind === 'protocol') return 'covered';
  if (allow.kind === 'protocol') return 'overlap';
  if (deny.kind === 'named' || allow.kind === 'named') {
    // A name stands for a number known only on the destination pod.
    return deny.kind === 'named' && allow.kind === 'named' && deny.name === allow.name ? 'covered' : 'overlap';
  }
  const [dFrom, dTo] = deny.kind === 'number' ? [deny.port, deny.port] : [deny.from, deny.to];
  const [aFrom, aTo] = allow.kind === 'number' ? [allow.port, allow.port] : [allow.from, allow.to];
  if (aTo < dFrom || aFrom > dTo) return 'disjoint';
  return dFrom <= aFrom && aTo <= dTo ? 'covered' : 'overlap';
}

/** Covered when each allowed port is covered by one denied port; disjoint when no pair meets. */
export function portsRelation(deny: readonly PortSpec[], allow: readonly PortSpec[]): Relation {
  const relations = allow.map((a) => {
    const each = deny.map((d) => portRelation(d, a));
    return each.includes('covered') ? 'covered' : each.includes('overlap') ? 'overlap' : 'disjoint';
  });
  if (relations.every((r) => r === 'covered')) return 'covered';
  return relations.every((r) => r === 'disjoint') ? 'disjoint' : 'overlap';
}

/** How the pods a deny applies to relate to the local end of an allow (the subject of its policy). */
export function subjectRelation(subjects: DenySubjects, local: Endpoint): Relation {
  if (!isPods(local)) return 'disjoint';
  switch (subjects.kind) {
    case 'cluster':
      return 'covered';
    case 'namespaces':
      return subjects.namespaces.includes(local.namespace) ? 'covered' : 'disjoint';
    case 'workload': {
      const w = subjects.workload;
      if (local.namespace !== w.namespace) return 'disjoint';
      if (local.kind === 'workload') return local.name === w.name ? 'covered' : 'disjoint';
      if (local.kind === 'service-account' && local.workload) return local.workload.name === w.name ? 'covered' : 'disjoint';
      return 'overlap';
    }
  }
}

/** How the far ends a deny refuses relate to the far end of an allow. */
export function denyPeersRelation(peers: DenyPeers, allow: Endpoint): Relation {
  if (peers.kind === 'all-but') {
    if (isPods(allow)) return peers.namespaces.includes(allow.namespace) ? 'disjoint' : 'covered';
    return allow.kind === 'entity' && allow.entity === 'cluster' ? 'overlap' : 'covered';
  }
  const each = peers.endpoints.map((d) => endpointRelation(d, allow));
  if (each.includes('covered')) return 'covered';
  return each.includes('overlap') ? 'overlap' : 'disjoint';
}

type PodEndpoint = Endpoint & { readonly kind: 'workload' | 'namespace' | 'pods' | 'service-account' };

function isPods(endpoint: Endpoint): endpoint is PodEndpoint {
  return endpoint.kind === 'workload' || endpoint.kind === 'namespace' || endpoint.kind === 'pods' || endpoint.kind === 'service-account';
}

/** How one denied end relates to one allowed end. */
export function endpointRelation(deny: Endpoint, allow: Endpoint): Relation {
  if (isPods(deny)) {
    if (isPods(allow)) return podsRelation(deny, allow);
    return allow.kind === 'entity' && allow.entity === 'cluster' ? 'overlap' : 'disjoint';
  }
  switch (deny.kind) {
    case 'cidr':
      if (isPods(allow)) return 'disjoint';
      return allow.kind === 'cidr' ? cidrRelation(deny, allow) : 'overlap';
    case 'fqdn':
      if (allow.kind === 'fqdn') return fqdnCovers(deny, allow) ? 'covered' : fqdnOverlaps(deny, allow) ? 'overlap' : 'disjoint';
      return isPods(allow) ? 'disjoint' : 'overlap';
    case 'entity':
      return entityRelation(deny.entity, allow);
  }
}

function entityRelation(entity: Entity, allow: Endpoint): Relation {
  const other = allow.kind === 'entity' ? allow.entity : undefined;
  switch (entity) {
    case 'cluster':
      if (isPods(allow) || other === 'local-node' || other === 'remote-nodes' || other === 'cluster') return 'covered';
      return other === 'world' ? 'disjoint' : 'overlap';
    case 'world':
      if (other === 'world' || allow.kind === 'fqdn') return 'covered';
      return isPods(allow) || other === 'local-node' || other === 'remote-nodes' || other === 'cluster' ? 'disjoint' : 'overlap';
    case 'local-node':
    case 'remote-nodes':
      if (other === entity) return 'covered';
      return isPods(allow) || other === 'world' || (other !== undefined && other !== 'cluster' && other !== 'kube-apiserver') ? 'disjoint' : 'overlap';
    case 'kube-apiserver':
      if (other === 'kube-apiserver') return 'covered';
      return isPods(allow) ? 'disjoint' : 'overlap';
  }
}

function podsRelation(deny: PodEndpoint, allow: PodEndpoint): Relation {
  if (deny.namespace !== allow.namespace) return 'disjoint';
  switch (deny.kind) {
    case 'namespace':
      return 'covered';
    case 'workload':
      if (allow.kind === 'workload') return allow.name === deny.name ? 'covered' : 'disjoint';
      if (allow.kind === 'service-account' && allow.workload) return allow.workload.name === deny.name ? 'covered' : 'disjoint';
      return 'overlap';
    case 'pods':
      if (allow.kind === 'pods') return coversSelector(deny.selector, allow.selector) ? 'covered' : 'overlap';
      return 'overlap';
    case 'service-account':
      if (allow.kind === 'service-account' && allow.name === deny.name) {
        return !deny.workload || deny.workload.name === allow.workload?.name ? 'covered' : 'overlap';
      }
      if (allow.kind === 'workload' && allow.serviceAccount !== undefined && allow.serviceAccount !== deny.name) return 'disjoint';
      if (allow.kind === 'service-account') return 'disjoint';
      return 'overlap';
  }
}

function contains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  return outer.family === inner.family && (strictlyContains(outer, inner) || (outer.prefix === inner.prefix && outer.address === inner.address));
}

/** The IPv4 view of a block when it is IPv4-mapped IPv6, so that both forms compare as the same addresses. */
function view(cidr: ParsedCidr): ParsedCidr {
  return ipv4Mapped(cidr) ?? cidr;
}

function cidrRelation(deny: { cidr: string; except: readonly string[] }, allow: { cidr: string; except: readonly string[] }): Relation {
  const d = view(parseCidr(deny.cidr)!);
  const a = view(parseCidr(allow.cidr)!);
  if (d.family !== a.family) return 'disjoint';
  const common = contains(d, a) ? a : contains(a, d) ? d : undefined;
  if (!common) return 'disjoint';
  const holds = (excepts: readonly string[], block: ParsedCidr) => excepts.some((e) => contains(view(parseCidr(e)!), block));
  if (holds(allow.except, common) || holds(deny.except, common)) return 'disjoint';
  // Every address the allow names is denied when the deny's block holds the allow's and each of the
  // deny's excepts is excepted by the allow too (or lies outside it).
  const denyExceptsOutside = deny.except.every((e) => {
    const block = view(parseCidr(e)!);
    return !(contains(a, block) || contains(block, a)) || holds(allow.except, block);
  });
  return common === a && denyExceptsOutside ? 'covered' : 'overlap';
}
