/**
 * Validation of generated manifests against the upstream schemas in `../shared/schemas` (next to the
 * repository, see its README.md). The schemas are not copied into the repository, so everything here
 * degrades to a visible skip when they are absent.
 */
import * as fs from 'fs';
import { isIPv4, isIPv6 } from 'net';
import * as path from 'path';
import { domainToASCII } from 'url';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** Validates Kubernetes objects of the kinds cdk8s-zero-trust emits. */
export interface SchemaValidator {
  /** Absolute path of the schema directory in use. */
  readonly schemasDir: string;
  /**
   * Problems with `obj`, one line each, prefixed with its kind and `namespace/name`; empty when valid.
   * A kind without a known schema is a problem too, so that a new kind cannot go unchecked silently.
   */
  validate(obj: unknown): string[];
  /** Absolute path of the schema file used for `apiVersion`/`kind`, or undefined when none is known. */
  schemaFile(apiVersion: string, kind: string): string | undefined;
}

export interface KnownSchema {
  readonly apiVersion: string;
  readonly kind: string;
  /** Relative to the schema directory. */
  readonly file: string;
  /**
   * Further schemas the object must match too, relative to the schema directory: for Calico, the
   * v3.32.1 CRD schemas (`projectcalico.org/`), newer than the strict datree copies but without
   * their rejection of unknown fields.
   */
  readonly also?: readonly string[];
}

/**
 * Schema per apiVersion/kind: CRD schemas do not pin them, so the choice is ours. CRDs use the strict
 * `datreeio/` variants, which reject misspelt fields (the plain extracts accept any unknown field); for
 * Argo CD and Flux those are the same version as upstream with `additionalProperties: false` added.
 */
export const KNOWN_SCHEMAS: readonly KnownSchema[] = [
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', file: 'networking.k8s.io/networkpolicy_v1.json' },
  { apiVersion: 'v1', kind: 'Namespace', file: 'core/namespace_v1.json' },
  { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', file: 'datreeio/cilium.io/ciliumnetworkpolicy_v2.json' },
  { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', file: 'datreeio/cilium.io/ciliumclusterwidenetworkpolicy_v2.json' },
  ...['NetworkPolicy', 'GlobalNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy', 'Tier'].map((kind) => ({
    apiVersion: 'projectcalico.org/v3',
    kind,
    file: `datreeio/projectcalico.org/${kind.toLowerCase()}_v3.json`,
    also: [`projectcalico.org/${kind.toLowerCase()}_v3.json`],
  })),
  { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', file: 'datreeio/security.istio.io/peerauthentication_v1.json' },
  { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', file: 'datreeio/security.istio.io/authorizationpolicy_v1.json' },
  // Argo CD and Flux: the strict copies, and the upstream CRD extracts where they exist.
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', file: 'datreeio/argoproj.io/application_v1alpha1.json', also: ['argoproj.io/application_v1alpha1.json'] },
  { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet', file: 'datreeio/argoproj.io/applicationset_v1alpha1.json' },
  {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    file: 'datreeio/kustomize.toolkit.fluxcd.io/kustomization_v1.json',
    also: ['kustomize.toolkit.fluxcd.io/kustomization_v1.json'],
  },
  { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', file: 'datreeio/source.toolkit.fluxcd.io/gitrepository_v1.json' },
  // Only the strict datree copy exists for Kyverno (chart 3.8.1). `generate.data` and `validate.pattern`
  // keep unknown fields there: the guardrail tests check the generated NetworkPolicy on its own.
  { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', file: 'datreeio/kyverno.io/clusterpolicy_v1.json' },
];

export const SCHEMAS_SKIPPED_MESSAGE = '../shared/schemas not found: schema validation skipped';

/** The nearest directory above this file holding package.json: the repository root, wherever it is checked out. */
function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** `<repo>/../shared/schemas`. */
export function schemasDir(): string {
  return path.resolve(repoRoot(), '..', 'shared', 'schemas');
}

/** A validator over `../shared/schemas` (or `dir`), or undefined when that directory does not exist. */
export function schemaValidator(dir: string = schemasDir()): SchemaValidator | undefined {
  if (!fs.existsSync(dir)) return undefined;
  return {
    schemasDir: dir,
    schemaFile: (apiVersion, kind) => {
      const known = findSchema(apiVersion, kind);
      return known && path.join(dir, known.file);
    },
    validate: obj => validate(dir, obj),
  };
}

/**
 * `describe(name, fn)` with a validator, or, without `../shared/schemas`, one passing test that says
 * so on the console: a silent skip would look like validation passed.
 */
export function describeWithSchemas(name: string, fn: (validator: SchemaValidator) => void): void {
  describeWithValidator(name, schemaValidator(), fn);
}

/** describeWithSchemas with the validator given: lets the skip path be tested without hiding the real directory. */
export function describeWithValidator(name: string, validator: SchemaValidator | undefined, fn: (validator: SchemaValidator) => void): void {
  describe(name, () => {
    if (validator) {
      fn(validator);
    } else {
      test(SCHEMAS_SKIPPED_MESSAGE, () => {
        console.warn(SCHEMAS_SKIPPED_MESSAGE);
      });
    }
  });
}

function findSchema(apiVersion: string, kind: string): KnownSchema | undefined {
  return KNOWN_SCHEMAS.find(s => s.apiVersion === apiVersion && s.kind === kind);
}

function validate(dir: string, obj: unknown): string[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return [`not a Kubernetes object: ${JSON.stringify(obj)}`];
  }
  const { apiVersion, kind, metadata } = obj as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  const label = `${String(kind)} ${metadata?.namespace ? `${String(metadata.namespace)}/` : ''}${String(metadata?.name)}`;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return [`${label}: apiVersion and kind must be strings`];
  }
  const known = findSchema(apiVersion, kind);
  if (!known) {
    return [`${label}: no schema is known for apiVersion ${apiVersion} kind ${kind}; add one to KNOWN_SCHEMAS in test/support/schemas.ts`];
  }
  return [known.file, ...(known.also ?? [])].flatMap((file, i) => {
    const check = compiled(path.join(dir, file));
    if (check(obj)) return [];
    const which = i === 0 ? '' : ` (${file})`;
    return (check.errors ?? []).map(e => `${label}: ${formatError(e)}${which}`);
  });
}

/** Problems of `obj` against one schema file (compiled once), one line each; empty when valid. */
export function validateAgainstFile(file: string, obj: unknown): string[] {
  const check = compiled(file);
  if (check(obj)) return [];
  return (check.errors ?? []).map(e => formatError(e));
}

function formatError(error: ErrorObject): string {
  const where = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  // Name the offending property and the allowed values: ajv's messages alone do not.
  if (error.keyword === 'additionalProperties') return `${where}: unknown field "${String(params.additionalProperty)}"`;
  if (error.keyword === 'enum') return `${where}: ${error.message} ${JSON.stringify(params.allowedValues)}`;
  return `${where}: ${error.message ?? error.keyword}`;
}

/** Compiled schemas by file; some are several hundred kilobytes, so each is compiled once per process. */
const cache = new Map<string, ValidateFunction>();

function compiled(file: string): ValidateFunction {
  let fn = cache.get(file);
  if (!fn) {
    const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    // The Kubernetes schemas declare "http://json-schema.org/schema#", which ajv does not know; their
    // content is plain draft-07-compatible JSON Schema without $ref, so drop the declaration.
    delete schema.$schema;
    try {
      fn = ajv().compile(schema);
    } catch (err) {
      throw new Error(`cannot compile ${file}: ${(err as Error).message}`);
    }
    cache.set(file, fn);
  }
  return fn;
}

let sharedAjv: Ajv | undefined;

function ajv(): Ajv {
  if (!sharedAjv) {
    // strict: false because the schemas carry OpenAPI/Kubernetes keywords (x-kubernetes-*, nullable) ajv does not know.
    sharedAjv = new Ajv({ strict: false, allErrors: true, code: { regExp: goRegExp } });
    addFormats(sharedAjv);
    sharedAjv.addFormat('cidr', isCidr);
    sharedAjv.addFormat('idn-hostname', isIdnHostname);
  }
  return sharedAjv;
}

/**
 * Schema patterns are Go (RE2) regexes: Cilium uses the class `\PC` ("not a control character"),
 * which JavaScript spells `\P{C}` and only understands with the unicode flag.
 */
const goRegExp = Object.assign(
  (pattern: string, flags: string): RegExp => {
    const js = pattern.replace(/\\([pP])([A-Za-z])/g, '\\$1{$2}');
    return new RegExp(js, flags.includes('u') ? flags : flags + 'u');
  },
  // Only used by ajv's standalone code generation, which these tests do not use.
  { code: 'goRegExp' },
);

/** Go's net.ParseCIDR: an IPv4 or IPv6 address (host bits allowed), a slash and an in-range prefix length. */
function isCidr(value: string): boolean {
  const slash = value.lastIndexOf('/');
  if (slash < 0) return false;
  const address = value.slice(0, slash);
  const prefix = value.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefix)) return false;
  if (isIPv4(address)) return Number(prefix) <= 32;
  return isIPv6(address) && !address.includes('%') && Number(prefix) <= 128;
}

const ASCII_HOSTNAME: RegExp = (() => {
  const format = addFormats.get('hostname');
  if (!(format instanceof RegExp)) throw new Error('ajv-formats: expected the hostname format to be a RegExp');
  return format;
})();

/** A hostname that may contain Unicode labels: its punycode (ASCII) form must be a valid hostname. */
function isIdnHostname(value: string): boolean {
  const ascii = domainToASCII(value);
  if (!ascii) return false;
  return ASCII_HOSTNAME.test(ascii);
}
