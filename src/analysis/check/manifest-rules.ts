/**
 * The rules of `zt check` that read policy objects as written: peers that select everything, the AND/OR trap, named
 * ports no container declares. Kubernetes NetworkPolicy in full; for Cilium and Calico, the wide peers.
 */
import { CHECK_RULES, Finding } from './rules';
import { Endpoint } from '../core/endpoints';
import { SourcedDocument } from '../manifests/documents';
import { isRecord, JsonObject } from '../manifests/fields';

/** Where a finding about a document points. */
export function locate(document: SourcedDocument, object: JsonObject): Pick<Finding, 'file' | 'documentIndex' | 'object'> {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const namespace = typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : '';
  return { file: document.source.file, documentIndex: document.source.documentIndex, object: `${String(object.kind)} ${namespace}${String(metadata.name)}` };
}

function isEmptySelector(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const labels = value.matchLabels;
  const expressions = value.matchExpressions;
  return (!isRecord(labels) || Object.keys(labels).length === 0) && (!Array.isArray(expressions) || expressions.length === 0);
}

const EVERY_ADDRESS = new Set(['0.0.0.0/0', '::/0']);

/**
 * Whether the inventory declares an external for the CIDR: a program that says `Peer.anyIpv4()` meant every address,
 * and its inventory holds the external standing for it (named after the CIDR, `0.0.0.0-0`).
 */
export type DeclaredCidr = (cidr: string) => boolean;

/** Why a NetworkPolicy peer admits everything, or undefined. */
function widePeer(peer: JsonObject, declared: DeclaredCidr): string | undefined {
  if (isRecord(peer.ipBlock) && EVERY_ADDRESS.has(String(peer.ipBlock.cidr))) {
    return declared(String(peer.ipBlock.cidr)) ? undefined : `ipBlock ${String(peer.ipBlock.cidr)} admits every address`;
  }
  if ('namespaceSelector' in peer && isEmptySelector(peer.namespaceSelector) && (!('podSelector' in peer) || isEmptySelector(peer.podSelector))) {
    return 'namespaceSelector: {} admits every pod of every namespace';
  }
  return undefined;
}

/** The NetworkPolicy rules: wide peers, the AND/OR trap, unknown named ports. */
export function networkPolicyFindings(
  document: SourcedDocument,
  object: JsonObject,
  selected: (direction: 'Ingress' | 'Egress') => readonly Endpoint[],
  everyPod: readonly Endpoint[],
  declared: DeclaredCidr,
): Finding[] {
  const findings: Finding[] = [];
  const where = locate(document, object);
  const spec = isRecord(object.spec) ? object.spec : {};
  for (const [key, peersKey, direction] of [['ingress', 'from', 'Ingress'], ['egress', 'to', 'Egress']] as const) {
    const rules = Array.isArray(spec[key]) ? spec[key] as unknown[] : [];
    rules.forEach((rule, index) => {
      if (!isRecord(rule)) return;
      const field = `spec.${key}[${index}]`;
      const peers = Array.isArray(rule[peersKey]) ? (rule[peersKey] as unknown[]).filter(isRecord) : undefined;
      if (!peers || peers.length === 0) {
        findings.push({
          rule: CHECK_RULES.widePeer.id,
          severity: CHECK_RULES.widePeer.severity,
          ...where,
          field,
          message: `${field} has no ${peersKey}: it admits every ${direction === 'Ingress' ? 'source' : 'destination'}, inside the cluster and out.`,
          fix: `list the peers in ${field}.${peersKey}`,
        });
      } else {
        peers.forEach((peer, peerIndex) => {
          const why = widePeer(peer, declared);
          if (!why) return;
          findings.push({
            rule: CHECK_RULES.widePeer.id,
            severity: CHECK_RULES.widePeer.severity,
            ...where,
            field: `${field}.${peersKey}[${peerIndex}]`,
            message: `${field}.${peersKey}[${peerIndex}]: ${why}.`,
            fix: 'name the namespaces and pods (or the CIDRs) that are meant',
          });
        });
        const namespaceOnly = peers.findIndex((peer) => 'namespaceSelector' in peer && !('podSelector' in peer) && !isEmptySelector(peer.namespaceSelector));
        const podOnly = peers.findIndex((peer) => 'podSelector' in peer && !('namespaceSelector' in peer));
        if (namespaceOnly >= 0 && podOnly >= 0) {
          findings.push({
            rule: CHECK_RULES.andOrTrap.id,
            severity: CHECK_RULES.andOrTrap.severity,
            ...where,
            field: `${field}.${peersKey}`,
            message: `${field}.${peersKey}[${namespaceOnly}] (namespaceSelector) and ${peersKey}[${podOnly}] (podSelector) are alternatives: `
              + 'every pod of the matching namespaces, OR the matching pods of the policy\'s own namespace.',
            fix: `if the pods of those namespaces were meant, put both selectors in one element of ${field}.${peersKey}`,
          });
        }
      }
      // A named port resolves against the destination's containers: the selected pods for ingress, the peers for egress.
      const ports = Array.isArray(rule.ports) ? rule.ports.filter(isRecord) : [];
      const candidates = direction === 'Ingress' ? selected('Ingress') : everyPod;
      ports.forEach((port, portIndex) => {
        if (typeof port.port !== 'string') return;
        const protocol = typeof port.protocol === 'string' ? port.protocol : 'TCP';
        if (candidates.length === 0) return;
        const named = candidates.some((pod) => pod.ports.some((container) => container.name === port.port && container.protocol === protocol));
        if (named) return;
        findings.push({
          rule: CHECK_RULES.unknownNamedPort.id,
          severity: CHECK_RULES.unknownNamedPort.severity,
          ...where,
          field: `${field}.ports[${portIndex}].port`,
          message: `${field}.ports[${portIndex}] names port "${port.port}"/${protocol}, which no container of the ${direction === 'Ingress' ? 'selected pods' : 'input\'s pods'} declares.`,
          fix: 'use a port name the containers declare, or the port number',
        });
      });
    });
  }
  return findings;
}

/** Cilium and Calico peers that admit everything: the `all` and `world` entities, 0.0.0.0/0. */
export function otherDialectFindings(document: SourcedDocument, object: JsonObject, declared: DeclaredCidr): Finding[] {
  const findings: Finding[] = [];
  const where = locate(document, object);
  const visit = (value: unknown, field: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${field}[${index}]`));
      return;
    }
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const path = field === '' ? key : `${field}.${key}`;
      const wide = (reason: string): void => {
        findings.push({ rule: CHECK_RULES.widePeer.id, severity: CHECK_RULES.widePeer.severity, ...where, field: path, message: `${path}: ${reason}.`, fix: 'name the peers that are meant' });
      };
      if ((key === 'fromEntities' || key === 'toEntities') && Array.isArray(child)) {
        for (const entity of child) if (entity === 'all' || entity === 'world') wide(`the ${String(entity)} entity admits every ${entity === 'all' ? 'endpoint and address' : 'address outside the cluster'}`);
      } else if ((key === 'fromCIDR' || key === 'toCIDR' || key === 'nets') && Array.isArray(child)) {
        for (const cidr of child) if (EVERY_ADDRESS.has(String(cidr)) && !declared(String(cidr))) wide(`${String(cidr)} admits every address`);
      } else if ((key === 'fromCIDRSet' || key === 'toCIDRSet') && Array.isArray(child)) {
        for (const entry of child) {
          if (isRecord(entry) && EVERY_ADDRESS.has(String(entry.cidr)) && !declared(String(entry.cidr))) wide(`${String(entry.cidr)} admits every address`);
        }
      } else {
        visit(child, path);
      }
    }
  };
  visit(object.spec, 'spec');
  visit(object.specs, 'specs');
  return findings;
}
