/**
 * `zt check`: lint for a policy repository. Findings come from two sources: the connectivity the analyzer computes
 * (isolation, DNS, policies and workloads selected by nothing, cross-tenant connections, shadowed rules), and the
 * policy objects as written (wide peers, the AND/OR trap, unknown named ports).
 */
import * as path from 'path';
import { locate, networkPolicyFindings, otherDialectFindings } from './manifest-rules';
import { CHECK_RULES, CheckReport, Finding, SEVERITY_ORDER } from './rules';
import { INVENTORY_FILE } from '../../intent/inventory-file';
import { externalName } from '../../intent/representative-inventory';
import { TENANT_LABEL } from '../../model/resolved';
import { buildConnectivity, ComputedConnectivity } from '../connectivity';
import { Endpoint } from '../core/endpoints';
import { Direction } from '../dialect';
import { diffConnectivity } from '../diff';
import { LoadedManifests, ManifestInput, normalizeInput, SourcedDocument } from '../manifests/documents';
import { isRecord, JsonObject } from '../manifests/fields';
import { apiGroup, WORKLOAD_TEMPLATES } from '../manifests/inventory';
import { policyCoverage } from '../policy-coverage';
import { AnalyzeOptions } from '../types';

export interface CheckOptions extends AnalyzeOptions {
  /** Namespaces left out of the isolation, DNS and workload rules. Default: kube-system, kube-public, kube-node-lease. */
  readonly ignoreNamespaces?: readonly string[];
  /** The namespace label naming a namespace's tenant. Default `zero-trust.cdk8s.io/tenant`. */
  readonly tenantLabel?: string;
  /** Cross-tenant connections reviewed and accepted, as `FROM->TO` tenant names. */
  readonly allowCrossTenant?: readonly string[];
  /** At most this many rules are checked for shadowing (each check is one diff). Default 200. */
  readonly maxRuleChecks?: number;
}

export const DEFAULT_IGNORED_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];
const DNS_LABEL = { key: 'k8s-app', value: 'kube-dns' };
const DNS_PORT = { port: 53, protocol: 'UDP' } as const;
const DEFAULT_MAX_RULE_CHECKS = 200;

function isDns(endpoint: Endpoint): boolean {
  return endpoint.kind === 'pod' && endpoint.namespace === 'kube-system' && endpoint.labels.get(DNS_LABEL.key) === DNS_LABEL.value;
}

/** A stand-in cluster DNS pod, for inputs that do not hold one: DNS egress is judged against it. */
const DNS_STAND_IN = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { [DNS_LABEL.key]: DNS_LABEL.value } },
  spec: { containers: [{ name: 'coredns', image: 'coredns', ports: [{ containerPort: 53, protocol: 'UDP', name: 'dns' }, { containerPort: 53, protocol: 'TCP', name: 'dns-tcp' }] }] },
};

function objectOf(document: SourcedDocument): JsonObject {
  return isRecord(document.object) ? document.object : {};
}

function kindKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}|${namespace ?? ''}|${name}`;
}

/** Documents by `Kind|namespace|name` (an unset namespace of a namespaced object is `default`). */
function documentIndex(loaded: LoadedManifests): Map<string, SourcedDocument> {
  const index = new Map<string, SourcedDocument>();
  for (const document of loaded.documents) {
    const object = objectOf(document);
    const metadata = isRecord(object.metadata) ? object.metadata : {};
    const kind = String(object.kind);
    const name = String(metadata.name);
    const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
    index.set(kindKey(kind, namespace, name), document);
    if (namespace === undefined) index.set(kindKey(kind, 'default', name), document);
  }
  return index;
}

function isInventorySource(document: SourcedDocument | undefined): boolean {
  return document !== undefined && path.basename(document.source.file) === INVENTORY_FILE;
}

function listPods(pods: readonly Endpoint[], limit = 5): string {
  const names = pods.slice(0, limit).map((pod) => pod.name);
  return pods.length > limit ? `${names.join(', ')} and ${pods.length - limit} more` : names.join(', ');
}

/** Isolation and DNS, per namespace; workloads selected by no policy. */
function isolationFindings(connectivity: ComputedConnectivity, documents: Map<string, SourcedDocument>, ignored: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const byNamespace = new Map<string, Endpoint[]>();
  for (const endpoint of connectivity.universe.endpoints) {
    if (endpoint.kind !== 'pod' || ignored.has(endpoint.namespace!)) continue;
    const list = byNamespace.get(endpoint.namespace!) ?? [];
    list.push(endpoint);
    byNamespace.set(endpoint.namespace!, list);
  }
  const dns = connectivity.universe.endpoints.filter(isDns);
  for (const [namespace, pods] of [...byNamespace].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const where = documents.get(kindKey('Namespace', undefined, namespace));
    const at = where ? locate(where, objectOf(where)) : { object: `Namespace ${namespace}` };
    // Network isolation: a mesh's authorization on top does not stand in for the CNI's default-deny.
    const isolated = (direction: Direction) => pods.filter((pod) => connectivity.selectingPolicies(pod, direction, 'network').length > 0);
    for (const [direction, rule] of [['Ingress', CHECK_RULES.noDefaultDenyIngress], ['Egress', CHECK_RULES.noDefaultDenyEgress]] as const) {
      const open = pods.filter((pod) => !isolated(direction).includes(pod));
      if (open.length === 0) continue;
      findings.push({
        rule: rule.id,
        severity: rule.severity,
        ...at,
        message: `namespace ${namespace}: ${open.length} of ${pods.length} pods are not isolated for ${direction.toLowerCase()} (${listPods(open)}).`,
        fix: `add a NetworkPolicy to ${namespace} with podSelector: {} and policyTypes: [${direction}]`,
      });
    }
    const egressIsolated = isolated('Egress');
    const noDns = egressIsolated.filter((pod) => !dns.some((server) => connectivity.evaluateEndpoints(pod, server, DNS_PORT).allowed));
    if (dns.length > 0 && noDns.length > 0) {
      findings.push({
        rule: CHECK_RULES.noDnsEgress.id,
        severity: CHECK_RULES.noDnsEgress.severity,
        ...at,
        message: `namespace ${namespace}: ${noDns.length} pods isolated for egress cannot reach the cluster DNS on 53/UDP (${listPods(noDns)}).`,
        fix: `allow egress from ${namespace} to kube-system pods labelled ${DNS_LABEL.key}: ${DNS_LABEL.value} on 53/UDP and 53/TCP`,
      });
    }
    for (const pod of pods) {
      if (isolated('Ingress').includes(pod) || egressIsolated.includes(pod)) continue;
      const document = Object.keys(WORKLOAD_TEMPLATES).concat('Pod')
        .map((kind) => documents.get(kindKey(kind, namespace, pod.name)))
        .find((found) => found !== undefined);
      findings.push({
        rule: CHECK_RULES.unselectedWorkload.id,
        severity: CHECK_RULES.unselectedWorkload.severity,
        ...(document ? locate(document, objectOf(document)) : { object: `Pod ${pod.id}` }),
        message: `${pod.id} is selected by no policy, for ingress or egress.`,
        fix: `give ${namespace} a default-deny policy, and allow the flows ${pod.name} needs`,
      });
    }
  }
  return findings;
}

/** Policies that select no pod. */
function coverageFindings(connectivity: ComputedConnectivity, documents: Map<string, SourcedDocument>): Finding[] {
  return policyCoverage(connectivity).unselected.map((policy) => {
    const [kind, key] = [policy.slice(0, policy.indexOf(' ')), policy.slice(policy.indexOf(' ') + 1)];
    const slash = key.indexOf('/');
    const document = documents.get(slash < 0 ? kindKey(kind, undefined, key) : kindKey(kind, key.slice(0, slash), key.slice(slash + 1)));
    return {
      rule: CHECK_RULES.policySelectsNothing.id,
      severity: CHECK_RULES.policySelectsNothing.severity,
      ...(document ? locate(document, objectOf(document)) : { object: policy }),
      message: `${policy} selects no pod of the input.`,
      fix: 'check its selector against the labels of the pods it is meant for',
    };
  });
}

/** Allowed connections between namespaces of different tenants, per namespace pair. */
function crossTenantFindings(connectivity: ComputedConnectivity, tenantLabel: string, accepted: ReadonlySet<string>): Finding[] {
  const tenants = new Map<string, string>();
  for (const range of connectivity.universe.namespaces) {
    const tenant = range.namespace.labels.get(tenantLabel);
    if (tenant !== undefined) tenants.set(range.namespace.name, tenant);
  }
  if (tenants.size === 0) return [];
  return connectivity.summary().namespacePairs.flatMap((pair) => {
    const from = tenants.get(pair.from);
    const to = tenants.get(pair.to);
    if (from === undefined || to === undefined || from === to || accepted.has(`${from}->${to}`)) return [];
    return [{
      rule: CHECK_RULES.crossTenant.id,
      severity: CHECK_RULES.crossTenant.severity,
      object: `Namespace ${pair.to}`,
      message: `${pair.allowed} connection${pair.allowed === 1 ? '' : 's'} from ${pair.from} (tenant ${from}) to ${pair.to} (tenant ${to}) are allowed.`,
      fix: `narrow the rules that allow them, or accept them with --allow-cross-tenant ${from}->${to}`,
    }];
  });
}

/** The input without rule `index` of `key` in the policy at `position`. */
function withoutRule(loaded: LoadedManifests, position: number, key: 'ingress' | 'egress', index: number): unknown[] {
  return loaded.documents.map((document, at) => {
    if (at !== position) return document.object;
    const object = objectOf(document);
    const spec = isRecord(object.spec) ? object.spec : {};
    const rules = (spec[key] as unknown[]).filter((_, i) => i !== index);
    return { ...object, spec: { ...spec, [key]: rules } };
  });
}

/** NetworkPolicy rules that change no verdict when removed (each judged by one diff). */
function shadowedFindings(
  loaded: LoadedManifests,
  options: CheckOptions,
  selectsSomething: (document: SourcedDocument) => boolean,
  notes: string[],
): Finding[] {
  const findings: Finding[] = [];
  const limit = options.maxRuleChecks ?? DEFAULT_MAX_RULE_CHECKS;
  const base = loaded.documents.map((document) => document.object);
  let checked = 0;
  let skipped = 0;
  loaded.documents.forEach((document, position) => {
    const object = objectOf(document);
    if (object.kind !== 'NetworkPolicy' || apiGroup(String(object.apiVersion)) !== 'networking.k8s.io' || !selectsSomething(document)) return;
    const spec = isRecord(object.spec) ? object.spec : {};
    for (const [key, peersKey] of [['ingress', 'from'], ['egress', 'to']] as const) {
      const rules = Array.isArray(spec[key]) ? spec[key] as unknown[] : [];
      rules.forEach((rule, index) => {
        // Rules of addresses only (ipBlock) concern what the input's pods may not show: the API server, the internet.
        const peers = isRecord(rule) && Array.isArray(rule[peersKey]) ? rule[peersKey] as unknown[] : [];
        if (peers.length > 0 && peers.every((peer) => isRecord(peer) && 'ipBlock' in peer)) return;
        if (checked >= limit) {
          skipped++;
          return;
        }
        checked++;
        const diff = diffConnectivity(base, withoutRule(loaded, position, key, index), options);
        if (diff.closed.length > 0 || diff.opened.length > 0) return;
        findings.push({
          rule: CHECK_RULES.redundantRule.id,
          severity: CHECK_RULES.redundantRule.severity,
          ...locate(document, object),
          field: `spec.${key}[${index}]`,
          message: `spec.${key}[${index}] allows nothing that the other rules do not allow already, for the pods of the input.`,
          fix: 'remove it, or check that its selectors match what was meant',
        });
      });
    }
  });
  if (skipped > 0) notes.push(`${skipped} NetworkPolicy rules were not checked for shadowing (--max-rule-checks ${limit}).`);
  return findings;
}

function compareFindings(a: Finding, b: Finding): number {
  const text = (x: string | undefined, y: string | undefined): number => ((x ?? '') < (y ?? '') ? -1 : (x ?? '') > (y ?? '') ? 1 : 0);
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]
    || text(a.file, b.file)
    || (a.documentIndex ?? -1) - (b.documentIndex ?? -1)
    || text(a.rule, b.rule)
    || text(a.field, b.field)
    || text(a.message, b.message);
}

/** Checks the manifests. Throws `InvalidManifestsError` when the input is broken, as `analyze` does. */
export function checkManifests(input: ManifestInput, options: CheckOptions = {}): CheckReport {
  const notes: string[] = [];
  let loaded = normalizeInput(input);
  let connectivity = buildConnectivity(loaded, options);
  if (!connectivity.universe.endpoints.some(isDns)) {
    loaded = { ...loaded, documents: [...loaded.documents, { source: { file: '<zt check: stand-in DNS>', documentIndex: 0 }, object: DNS_STAND_IN }] };
    connectivity = buildConnectivity(loaded, options);
    notes.push('The input holds no cluster DNS pod (kube-system, k8s-app: kube-dns): DNS egress was judged against a stand-in kube-system/kube-dns.');
  }
  const documents = documentIndex(loaded);
  const ignored = new Set(options.ignoreNamespaces ?? DEFAULT_IGNORED_NAMESPACES);
  // Namespaces an inventory file defines are peers of the declared flows (ExternalNamespace, the cluster's own), not
  // namespaces of the repository: their isolation is not its to fix.
  const fromInventory = connectivity.universe.namespaces
    .map((range) => range.namespace.name)
    .filter((name) => !ignored.has(name) && isInventorySource(documents.get(kindKey('Namespace', undefined, name))));
  if (fromInventory.length > 0) {
    fromInventory.forEach((name) => ignored.add(name));
    notes.push(`Namespaces only the inventory defines (peers, not managed here) were left out of the isolation rules: ${fromInventory.join(', ')}.`);
  }
  const pods = connectivity.universe.endpoints.filter((endpoint) => endpoint.kind === 'pod');
  const selectedBy = new Map<string, Map<Direction, Endpoint[]>>();
  for (const pod of pods) {
    for (const direction of ['Ingress', 'Egress'] as const) {
      for (const policy of connectivity.selectingPolicies(pod, direction)) {
        const key = kindKey(policy.kind, policy.namespace, policy.name);
        const byDirection = selectedBy.get(key) ?? new Map<Direction, Endpoint[]>();
        byDirection.set(direction, [...(byDirection.get(direction) ?? []), pod]);
        selectedBy.set(key, byDirection);
      }
    }
  }
  const keyOf = (document: SourcedDocument): string => {
    const object = objectOf(document);
    const metadata = isRecord(object.metadata) ? object.metadata : {};
    return kindKey(String(object.kind), typeof metadata.namespace === 'string' ? metadata.namespace : 'default', String(metadata.name));
  };

  const findings: Finding[] = [
    ...isolationFindings(connectivity, documents, ignored),
    ...coverageFindings(connectivity, documents),
    ...crossTenantFindings(connectivity, options.tenantLabel ?? TENANT_LABEL, new Set(options.allowCrossTenant ?? [])),
  ];
  const externalNames = Object.keys(options.externals ?? {});
  const declared = (cidr: string): boolean => {
    const name = externalName(cidr);
    return externalNames.some((external) => external === name || external.startsWith(`${name}-`));
  };
  for (const document of loaded.documents) {
    const object = objectOf(document);
    const group = apiGroup(String(object.apiVersion));
    if (group === 'networking.k8s.io' && object.kind === 'NetworkPolicy') {
      const selected = selectedBy.get(keyOf(document));
      findings.push(...networkPolicyFindings(document, object, (direction) => selected?.get(direction) ?? [], pods, declared));
    } else if (group === 'cilium.io' || group === 'projectcalico.org') {
      findings.push(...otherDialectFindings(document, object, declared));
    }
  }
  findings.push(...shadowedFindings(loaded, options, (document) => selectedBy.has(keyOf(document)), notes));
  return { findings: findings.sort(compareFindings), notes };
}
