/**
 * The inventory file: representative endpoints of the declared intent, written next to the manifests at
 * synthesis and read by `zt analyze`/`zt explain` when they are given the output directory.
 *
 * Its name ends in `.txt` so that no deploy tool takes it for a manifest:
 * - `kubectl apply -f DIR` reads only `.json`, `.yaml` and `.yml` files of a directory
 *   (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_apply/);
 * - `kubectl apply -k` and kustomize read only the files a kustomization lists;
 * - an Argo CD directory application reads `.yaml`, `.yml`, `.json` (and `.jsonnet`) files
 *   (https://argo-cd.readthedocs.io/en/stable/user-guide/directory/);
 * - Flux's kustomize-controller, given a path without a kustomization, generates one from the `.yaml` and
 *   `.yml` files under it (fluxcd/pkg `kustomize/kustomize_generator.go`, `scanManifests`).
 * Its Pods have no container image either, so the API server would refuse them if they were applied.
 *
 * The content is multi-document YAML: a `ConnectivityInventory` header (the external addresses, for
 * `--external`), then ordinary Namespace and Pod objects that the analyzer reads like any other input.
 */
import { ManifestIssue, ProbePort, SourcedDocument } from '../analysis';
import { parseIpAddress } from '../analysis/core/ip-address';
import { describeValue, isAbsent, isRecord } from '../analysis/manifests/fields';
import { DocumentIssues } from '../analysis/manifests/issues';
import { loadManifestText } from '../analysis/manifests/load';
import { JsonValue, stringifyYamlDocuments } from '../synth/yaml-emitter';
import { isProtocol } from '../vocabulary/protocol';
import { isValidPortNumber } from '../vocabulary/syntax';

/** The file name, at the top of the output directory. */
export const INVENTORY_FILE = 'zt-inventory.txt';

export const INVENTORY_API_VERSION = 'zero-trust.cdk8s.io/v1alpha1';
export const INVENTORY_KIND = 'ConnectivityInventory';

/** What a representative object stands for: `workload`, `pods` (a peer's selector), `dns`, or `namespace` (any pod of it). */
export const REPRESENTS_ANNOTATION = 'zero-trust.cdk8s.io/represents';
/** The label selector (JSON) a representative pod stands for; a real workload object it selects replaces it. */
export const SELECTOR_ANNOTATION = 'zero-trust.cdk8s.io/selector';

export type Represents = 'workload' | 'pods' | 'dns' | 'namespace';
export const REPRESENTS: readonly Represents[] = ['workload', 'pods', 'dns', 'namespace'];

/** External endpoint names become `external:NAME`: the syntax `--external NAME=IP` accepts. */
export const EXTERNAL_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** Representative endpoints: objects for the analyzer, and external addresses (name → IP). */
export interface IntentInventory {
  /** Namespace and Pod objects, Namespaces first, each sorted by namespace and name. */
  readonly objects: readonly Record<string, JsonValue>[];
  /** External addresses standing for CIDR peers (name → IP), sorted by name. */
  readonly externals: Readonly<Record<string, string>>;
  /** The ports flows open to each external (name → ports), probed when it is the destination. */
  readonly externalPorts: Readonly<Record<string, readonly ProbePort[]>>;
}

/** An inventory read back: the documents for the analyzer, the externals, and the problems found. */
export interface LoadedInventory {
  readonly documents: readonly SourcedDocument[];
  readonly externals: Readonly<Record<string, string>>;
  readonly externalPorts: Readonly<Record<string, readonly ProbePort[]>>;
  readonly issues: readonly ManifestIssue[];
}

const HEADER_COMMENT = [
  '# Representative endpoints of the declared intent, written by cdk8s-zero-trust at synthesis.',
  '# `zt analyze DIR` and `zt explain DIR` read this file from the directory they are given, so that',
  '# the connectivity of the declared workloads shows without pod manifests. Real workload objects in',
  '# the input replace the representative pods whose selector selects them.',
  '# Not a manifest to apply: deploy tools skip it (.txt), and its Pods have no image.',
  '',
].join('\n');

/** The file's text: deterministic for the same intent. */
export function formatInventory(inventory: IntentInventory): string {
  const externalPorts: Record<string, JsonValue> = {};
  for (const [name, ports] of Object.entries(inventory.externalPorts)) externalPorts[name] = ports.map((port) => `${port.port}/${port.protocol}`);
  const header: Record<string, JsonValue> = {
    apiVersion: INVENTORY_API_VERSION,
    kind: INVENTORY_KIND,
    externals: { ...inventory.externals },
    externalPorts,
  };
  return HEADER_COMMENT + stringifyYamlDocuments([header, ...inventory.objects]);
}

/** Parses an inventory file; every problem is an issue naming the file, document and field. */
export function parseInventory(text: string, file: string): LoadedInventory {
  const loaded = loadManifestText(text, file);
  const issues: ManifestIssue[] = [...loaded.issues];
  const documents: SourcedDocument[] = [];
  const externals: Record<string, string> = {};
  const externalPorts: Record<string, ProbePort[]> = {};
  let headers = 0;
  for (const document of loaded.documents) {
    const object = document.object;
    if (!isRecord(object) || object.kind !== INVENTORY_KIND) {
      documents.push(document);
      continue;
    }
    const reporter = new DocumentIssues(issues, document.source, document.path, `${INVENTORY_KIND}`);
    if (object.apiVersion !== INVENTORY_API_VERSION) {
      reporter.add('apiVersion', `must be ${INVENTORY_API_VERSION}, got ${describeValue(object.apiVersion)}; regenerate the file with this version of cdk8s-zero-trust`);
      continue;
    }
    if (++headers > 1) {
      reporter.add('kind', `a second ${INVENTORY_KIND} header; the file has one, as its first document`);
      continue;
    }
    readExternals(object.externals, reporter, externals);
    readExternalPorts(object.externalPorts, reporter, externals, externalPorts);
  }
  if (headers === 0 && issues.length === 0) {
    new DocumentIssues(issues, { file, documentIndex: 0 }, undefined).add(
      undefined,
      `no ${INVENTORY_KIND} header: this is not an inventory written by cdk8s-zero-trust; regenerate it by synthesizing the app`,
    );
  }
  return { documents, externals, externalPorts, issues };
}

function readExternals(value: unknown, issues: DocumentIssues, out: Record<string, string>): void {
  if (isAbsent(value)) return;
  if (!isRecord(value)) {
    issues.add('externals', `must be a map of names to IP addresses, got ${describeValue(value)}`);
    return;
  }
  for (const [name, ip] of Object.entries(value)) {
    if (!EXTERNAL_NAME.test(name)) {
      issues.add(`externals.${name}`, 'invalid name: use letters, digits, ".", "_" or "-" (it becomes the endpoint external:NAME)');
    } else if (typeof ip !== 'string' || parseIpAddress(ip) === undefined) {
      issues.add(`externals.${name}`, `must be one IPv4 or IPv6 address, got ${describeValue(ip)}`);
    } else {
      out[name] = ip;
    }
  }
}

/** `externalPorts`: name → list of `PORT/PROTOCOL`, for names that `externals` declares. */
function readExternalPorts(
  value: unknown,
  issues: DocumentIssues,
  externals: Readonly<Record<string, string>>,
  out: Record<string, ProbePort[]>,
): void {
  if (isAbsent(value)) return;
  if (!isRecord(value)) {
    issues.add('externalPorts', `must be a map of external names to lists of PORT/PROTOCOL, got ${describeValue(value)}`);
    return;
  }
  for (const [name, ports] of Object.entries(value)) {
    const field = `externalPorts.${name}`;
    if (!(Object.hasOwn(externals, name))) {
      issues.add(field, `"${name}" is not one of the externals`);
      continue;
    }
    if (!Array.isArray(ports)) {
      issues.add(field, `must be a list of PORT/PROTOCOL, got ${describeValue(ports)}`);
      continue;
    }
    out[name] = [];
    ports.forEach((text, index) => {
      const match = typeof text === 'string' ? /^(\d+)\/([A-Z]+)$/.exec(text) : null;
      const port = match ? Number(match[1]) : NaN;
      if (!match || !isValidPortNumber(port) || !isProtocol(match[2])) {
        issues.add(`${field}[${index}]`, `must be PORT/PROTOCOL (1-65535, TCP, UDP or SCTP), e.g. 443/TCP, got ${describeValue(text)}`);
        return;
      }
      out[name].push({ port, protocol: match[2] });
    });
  }
}
