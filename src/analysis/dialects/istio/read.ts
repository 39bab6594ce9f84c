/**
 * Reads PeerAuthentication and AuthorizationPolicy (security.istio.io v1 and v1beta1) and reports what the API
 * server (the CRD schema and its CEL rules) or istiod's validation would refuse, field by field. The analyzer
 * refuses to guess a verdict from a rejected object, as for the other dialects.
 * Sources: https://istio.io/latest/docs/reference/config/security/peer_authentication/,
 * https://istio.io/latest/docs/reference/config/security/authorization-policy/,
 * https://istio.io/latest/docs/reference/config/security/conditions/.
 */
import {
  AUTHORIZATION_ACTIONS,
  AUTHORIZATION_POLICY_KIND,
  AuthorizationAction,
  AuthorizationPolicy,
  AuthorizationRule,
  Condition,
  DRY_RUN_ANNOTATION,
  IpList,
  MTLS_MODES,
  MtlsMode,
  Operation,
  PEER_AUTHENTICATION_KIND,
  PeerAuthentication,
  Source,
  TargetRef,
} from './model';
import { Cidr, parseCidr } from '../../core/ip-address';
import { labelKeyProblem, labelValueProblem } from '../../core/label-syntax';
import { PolicyRef } from '../../dialect';
import { describeValue, isAbsent, isRecord, JsonObject, reportUnknownFields } from '../../manifests/fields';
import { DocumentIssues } from '../../manifests/issues';
import { ObjectIdentity } from '../../manifests/object-kinds';

const PA_SPEC_FIELDS = new Set(['selector', 'mtls', 'portLevelMtls']);
const AP_SPEC_FIELDS = new Set(['selector', 'targetRef', 'targetRefs', 'action', 'provider', 'rules']);
const RULE_FIELDS = new Set(['from', 'to', 'when']);
const SOURCE_LISTS = [
  'principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces',
  'serviceAccounts', 'notServiceAccounts', 'trustDomains', 'notTrustDomains',
] as const;
const SOURCE_IP_LISTS = ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'] as const;
const SOURCE_FIELDS = new Set<string>([...SOURCE_LISTS, ...SOURCE_IP_LISTS]);
const OPERATION_LISTS = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'] as const;
const OPERATION_FIELDS = new Set<string>([...OPERATION_LISTS, 'ports', 'notPorts']);
const MAX_RULES = 512;
const MAX_TARGET_REFS = 16;
const MAX_SERVICE_ACCOUNTS = 16;
const MAX_SERVICE_ACCOUNT_LENGTH = 320;

/** The condition keys of https://istio.io/latest/docs/reference/config/security/conditions/; `[name]` keys by prefix. */
export const CONDITION_KEYS = [
  'source.ip', 'remote.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port', 'connection.sni',
  'request.auth.principal', 'request.auth.audiences', 'request.auth.presenter',
] as const;
const BRACKETED_KEYS = ['request.headers[', 'request.auth.claims['] as const;

export function isSupportedConditionKey(key: string): boolean {
  return (CONDITION_KEYS as readonly string[]).includes(key)
    || key.startsWith('experimental.envoy.filters.')
    || BRACKETED_KEYS.some((prefix) => key.startsWith(prefix) && key.endsWith(']') && key.length > prefix.length + 1);
}

export function policyRef(identity: ObjectIdentity): PolicyRef {
  const namespace = identity.namespace!;
  return { kind: identity.kind, namespace, name: identity.name, key: `${namespace}/${identity.name}` };
}

function readSpec(object: JsonObject, issues: DocumentIssues): JsonObject | undefined {
  if (isAbsent(object.spec)) return {};
  if (!isRecord(object.spec)) {
    issues.add('spec', `must be an object, got ${describeValue(object.spec)}`);
    return undefined;
  }
  return object.spec;
}

/** `selector.matchLabels`: label keys and values without wildcards (CRD CEL rules). Undefined when absent; `ok` false on a problem. */
function readWorkloadSelector(value: unknown, field: string, issues: DocumentIssues): { ok: boolean; labels?: Map<string, string> } {
  if (isAbsent(value)) return { ok: true };
  if (!isRecord(value)) {
    issues.add(field, `must be an object with matchLabels, got ${describeValue(value)}`);
    return { ok: false };
  }
  reportUnknownFields(value, new Set(['matchLabels']), field, issues);
  const labels = new Map<string, string>();
  if (isAbsent(value.matchLabels)) return { ok: true, labels };
  if (!isRecord(value.matchLabels)) {
    issues.add(`${field}.matchLabels`, `must be a map of label keys to values, got ${describeValue(value.matchLabels)}`);
    return { ok: false };
  }
  let ok = true;
  for (const [key, labelValue] of Object.entries(value.matchLabels)) {
    const at = `${field}.matchLabels.${key}`;
    const problem = key === '' ? 'key must not be empty' : key.includes('*') ? 'wildcard not allowed in label key match' : labelKeyProblem(key);
    if (problem) {
      issues.add(at, `invalid label key "${key}": ${problem}`);
      ok = false;
    }
    if (typeof labelValue !== 'string') {
      issues.add(at, `must be a string, got ${describeValue(labelValue)}`);
      ok = false;
      continue;
    }
    const valueProblem = labelValue.includes('*') ? 'wildcard not allowed in label value match' : labelValueProblem(labelValue);
    if (valueProblem) {
      issues.add(at, `invalid label value "${labelValue}": ${valueProblem}`);
      ok = false;
    }
    labels.set(key, labelValue);
  }
  return { ok, labels };
}

function readMode(value: unknown, field: string, issues: DocumentIssues): { ok: boolean; mode?: MtlsMode } {
  if (!isRecord(value)) {
    issues.add(field, `must be an object with mode, got ${describeValue(value)}`);
    return { ok: false };
  }
  reportUnknownFields(value, new Set(['mode']), field, issues);
  if (isAbsent(value.mode)) return { ok: true };
  if (!(MTLS_MODES as readonly unknown[]).includes(value.mode)) {
    issues.add(`${field}.mode`, `must be one of ${MTLS_MODES.join(', ')}, got ${describeValue(value.mode)}`);
    return { ok: false };
  }
  return { ok: true, mode: value.mode as MtlsMode };
}

/** RFC 3339 `metadata.creationTimestamp`, in milliseconds. */
function readCreated(object: JsonObject, issues: DocumentIssues): number | undefined {
  const metadata = object.metadata;
  if (!isRecord(metadata) || isAbsent(metadata.creationTimestamp)) return undefined;
  const text = metadata.creationTimestamp;
  const time = typeof text === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(time)) {
    issues.add('metadata.creationTimestamp', `must be an RFC 3339 time such as 2024-01-02T15:04:05Z, got ${describeValue(text)}`);
    return undefined;
  }
  return time;
}

/** A PeerAuthentication; `order` is its position among the input's PeerAuthentications. */
export function readPeerAuthentication(
  object: JsonObject,
  identity: ObjectIdentity,
  order: number,
  issues: DocumentIssues,
): PeerAuthentication | undefined {
  const spec = readSpec(object, issues);
  if (!spec) return undefined;
  reportUnknownFields(spec, PA_SPEC_FIELDS, 'spec', issues);
  let valid = true;
  const selector = readWorkloadSelector(spec.selector, 'spec.selector', issues);
  valid &&= selector.ok;
  let mode: MtlsMode | undefined;
  if (!isAbsent(spec.mtls)) {
    const read = readMode(spec.mtls, 'spec.mtls', issues);
    valid &&= read.ok;
    mode = read.mode;
  }
  const portLevelMtls = new Map<number, MtlsMode>();
  if (!isAbsent(spec.portLevelMtls)) {
    if (!isRecord(spec.portLevelMtls)) {
      issues.add('spec.portLevelMtls', `must be a map of port numbers to {mode}, got ${describeValue(spec.portLevelMtls)}`);
      valid = false;
    } else {
      const entries = Object.entries(spec.portLevelMtls);
      if (entries.length === 0) {
        issues.add('spec.portLevelMtls', 'must have at least one port when present');
        valid = false;
      }
      if ((selector.labels?.size ?? 0) === 0) {
        issues.add('spec.portLevelMtls', 'portLevelMtls requires selector: add spec.selector.matchLabels naming the workload, or drop portLevelMtls');
        valid = false;
      }
      for (const [key, value] of entries) {
        const port = /^\d+$/.test(key) ? Number(key) : NaN;
        if (!(port >= 1 && port <= 65535)) {
          issues.add(`spec.portLevelMtls.${key}`, 'port must be between 1-65535');
          valid = false;
          continue;
        }
        const read = readMode(value, `spec.portLevelMtls.${key}`, issues);
        valid &&= read.ok;
        portLevelMtls.set(port, read.mode ?? 'UNSET');
      }
    }
  }
  const created = readCreated(object, issues);
  if (!valid) return undefined;
  return {
    ref: policyRef(identity),
    ...(selector.labels && selector.labels.size > 0 ? { selector: selector.labels } : {}),
    ...(mode !== undefined ? { mode } : {}),
    portLevelMtls,
    ...(created !== undefined ? { created } : {}),
    order,
  };
}

/** A list of strings; undefined when absent, `ok` false on a problem. */
function readStrings(value: unknown, field: string, issues: DocumentIssues): { ok: boolean; list?: string[] } {
  if (isAbsent(value)) return { ok: true };
  if (!Array.isArray(value)) {
    issues.add(field, `must be a list of strings, got ${describeValue(value)}`);
    return { ok: false };
  }
  let ok = true;
  value.forEach((item, index) => {
    if (typeof item !== 'string') {
      issues.add(`${field}[${index}]`, `must be a string, got ${describeValue(item)}`);
      ok = false;
    } else if (item === '') {
      issues.add(`${field}[${index}]`, 'must not be empty');
      ok = false;
    }
  });
  return { ok, list: ok ? (value as string[]) : undefined };
}

/** An IP address or CIDR (`ipBlocks`, IP conditions): a bare address is a full-length prefix. */
export function parseIpOrCidr(text: string): Cidr | undefined {
  return parseCidr(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`);
}

function readIps(value: unknown, field: string, issues: DocumentIssues): { ok: boolean; list?: Cidr[] } {
  const strings = readStrings(value, field, issues);
  if (!strings.list) return { ok: strings.ok };
  const cidrs: Cidr[] = [];
  let ok = true;
  strings.list.forEach((text, index) => {
    const cidr = parseIpOrCidr(text);
    if (!cidr) {
      issues.add(`${field}[${index}]`, `must be an IP address or CIDR, got ${JSON.stringify(text)}`);
      ok = false;
    } else {
      cidrs.push(cidr);
    }
  });
  return { ok, list: ok ? cidrs : undefined };
}

/** `ports`/`notPorts`: strings of port numbers, compared exactly. */
function readPorts(value: unknown, field: string, issues: DocumentIssues): { ok: boolean; list?: number[] } {
  const strings = readStrings(value, field, issues);
  if (!strings.list) return { ok: strings.ok };
  const ports: number[] = [];
  let ok = true;
  strings.list.forEach((text, index) => {
    const port = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(port >= 0 && port <= 65535)) {
      issues.add(`${field}[${index}]`, `must be a port number 0-65535 written as a string, got ${JSON.stringify(text)}`);
      ok = false;
    } else {
      ports.push(port);
    }
  });
  return { ok, list: ok ? ports : undefined };
}

function readSource(value: unknown, field: string, namespace: string, issues: DocumentIssues): Source | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be an object, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, SOURCE_FIELDS, field, issues);
  let ok = true;
  const source: Record<string, unknown> = {};
  for (const key of SOURCE_LISTS) {
    const read = readStrings(value[key], `${field}.${key}`, issues);
    ok &&= read.ok;
    if (read.list) source[key] = read.list;
  }
  for (const key of SOURCE_IP_LISTS) {
    const read = readIps(value[key], `${field}.${key}`, issues);
    ok &&= read.ok;
    if (read.list) source[key] = read.list as IpList;
  }
  for (const key of ['serviceAccounts', 'notServiceAccounts'] as const) {
    const list = source[key] as string[] | undefined;
    if (!list) continue;
    if (list.length > MAX_SERVICE_ACCOUNTS) {
      issues.add(`${field}.${key}`, `must have at most ${MAX_SERVICE_ACCOUNTS} entries, got ${list.length}`);
      ok = false;
    }
    list.forEach((entry, index) => {
      const parts = entry.split('/');
      if (entry.length > MAX_SERVICE_ACCOUNT_LENGTH || entry.includes('*') || parts.length > 2 || parts.some((part) => part === '')) {
        issues.add(`${field}.${key}[${index}]`, `must be <namespace>/<serviceaccount> or <serviceaccount>, without wildcards, at most ${MAX_SERVICE_ACCOUNT_LENGTH} characters, got ${JSON.stringify(entry)}`);
        ok = false;
      }
    });
    // `<sa>` alone names a service account of the policy's namespace.
    source[key] = list.map((entry) => (entry.includes('/') ? entry : `${namespace}/${entry}`));
  }
  const hasAccounts = value.serviceAccounts !== undefined || value.notServiceAccounts !== undefined;
  const hasIdentities = ['principals', 'notPrincipals', 'namespaces', 'notNamespaces'].some((key) => value[key] !== undefined);
  if (hasAccounts && hasIdentities) {
    issues.add(field, 'Cannot set serviceAccounts with namespaces or principals: split them into two from entries');
    ok = false;
  }
  return ok ? source as Source : undefined;
}

function readOperation(value: unknown, field: string, issues: DocumentIssues): Operation | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be an object, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, OPERATION_FIELDS, field, issues);
  let ok = true;
  const operation: Record<string, unknown> = {};
  for (const key of OPERATION_LISTS) {
    const read = readStrings(value[key], `${field}.${key}`, issues);
    ok &&= read.ok;
    if (read.list) operation[key] = read.list;
  }
  for (const key of ['paths', 'notPaths'] as const) {
    (operation[key] as string[] | undefined)?.forEach((path, index) => {
      const problem = pathTemplateProblem(path);
      if (problem) {
        issues.add(`${field}.${key}[${index}]`, problem);
        ok = false;
      }
    });
  }
  for (const key of ['ports', 'notPorts'] as const) {
    const read = readPorts(value[key], `${field}.${key}`, issues);
    ok &&= read.ok;
    if (read.list) operation[key] = read.list;
  }
  return ok ? operation as Operation : undefined;
}

/** Path templates (`{*}`, `{**}`) as istiod validates them (https://istio.io/latest/docs/reference/config/security/authorization-policy/#Operation). */
function pathTemplateProblem(path: string): string | undefined {
  if (!path.includes('{')) return undefined;
  if (!path.startsWith('/')) return `a path template must start with /, got ${JSON.stringify(path)}`;
  const segments = path.split('/').slice(1);
  for (const [index, segment] of segments.entries()) {
    if (!segment.includes('{') && !segment.includes('}')) continue;
    if (segment !== '{*}' && segment !== '{**}') return `a template segment must be exactly {*} or {**}, got ${JSON.stringify(segment)}`;
    if (segment === '{**}' && segments.slice(index + 1).some((rest) => rest === '{*}' || rest === '{**}')) return '{**} must be the last template operator';
  }
  return undefined;
}

function readCondition(value: unknown, field: string, issues: DocumentIssues): Condition | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be an object with key and values, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, new Set(['key', 'values', 'notValues']), field, issues);
  let ok = true;
  if (typeof value.key !== 'string' || value.key === '') {
    issues.add(`${field}.key`, isAbsent(value.key) ? 'is required' : `must be a non-empty string, got ${describeValue(value.key)}`);
    return undefined;
  }
  if (!isSupportedConditionKey(value.key)) {
    issues.add(`${field}.key`, `unknown condition key ${JSON.stringify(value.key)}: use one of ${CONDITION_KEYS.join(', ')}, request.headers[NAME], request.auth.claims[NAME], experimental.envoy.filters.*`);
    ok = false;
  }
  const values = readStrings(value.values, `${field}.values`, issues);
  const notValues = readStrings(value.notValues, `${field}.notValues`, issues);
  ok &&= values.ok && notValues.ok;
  if ((values.list?.length ?? 0) === 0 && (notValues.list?.length ?? 0) === 0 && values.ok && notValues.ok) {
    issues.add(field, 'needs values or notValues');
    ok = false;
  }
  const ipKey = value.key === 'source.ip' || value.key === 'remote.ip' || value.key === 'destination.ip';
  for (const [name, list] of [['values', values.list], ['notValues', notValues.list]] as const) {
    list?.forEach((entry, index) => {
      if (ipKey && !parseIpOrCidr(entry)) {
        issues.add(`${field}.${name}[${index}]`, `must be an IP address or CIDR for ${value.key}, got ${JSON.stringify(entry)}`);
        ok = false;
      }
      if (value.key === 'destination.port' && !(/^\d+$/.test(entry) && Number(entry) <= 65535)) {
        issues.add(`${field}.${name}[${index}]`, `must be a port number 0-65535 for destination.port, got ${JSON.stringify(entry)}`);
        ok = false;
      }
    });
  }
  if (!ok) return undefined;
  return { key: value.key, ...(values.list ? { values: values.list } : {}), ...(notValues.list ? { notValues: notValues.list } : {}) };
}

/** A list of objects each holding one field (`from[].source`, `to[].operation`). */
function readWrapped<T>(
  value: unknown,
  field: string,
  wrapper: string,
  read: (inner: unknown, at: string) => T | undefined,
  issues: DocumentIssues,
): { ok: boolean; list: T[] } {
  if (isAbsent(value)) return { ok: true, list: [] };
  if (!Array.isArray(value)) {
    issues.add(field, `must be a list, got ${describeValue(value)}`);
    return { ok: false, list: [] };
  }
  if (value.length > MAX_RULES) {
    issues.add(field, `must have at most ${MAX_RULES} entries, got ${value.length}`);
    return { ok: false, list: [] };
  }
  let ok = true;
  const list: T[] = [];
  value.forEach((entry, index) => {
    const at = `${field}[${index}]`;
    if (!isRecord(entry)) {
      issues.add(at, `must be an object with ${wrapper}, got ${describeValue(entry)}`);
      ok = false;
      return;
    }
    reportUnknownFields(entry, new Set([wrapper]), at, issues);
    // An entry without its field matches anything, like an empty one.
    const inner = isAbsent(entry[wrapper]) ? {} : entry[wrapper];
    const read_ = read(inner, `${at}.${wrapper}`);
    if (read_ === undefined) ok = false; else list.push(read_);
  });
  return { ok, list };
}

function readRule(value: unknown, field: string, namespace: string, issues: DocumentIssues): AuthorizationRule | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be an object with from, to and when, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, RULE_FIELDS, field, issues);
  const from = readWrapped(value.from, `${field}.from`, 'source', (inner, at) => readSource(inner, at, namespace, issues), issues);
  const to = readWrapped(value.to, `${field}.to`, 'operation', (inner, at) => readOperation(inner, at, issues), issues);
  let ok = from.ok && to.ok;
  const when: Condition[] = [];
  if (!isAbsent(value.when)) {
    if (!Array.isArray(value.when)) {
      issues.add(`${field}.when`, `must be a list, got ${describeValue(value.when)}`);
      ok = false;
    } else {
      value.when.forEach((entry, index) => {
        const condition = readCondition(entry, `${field}.when[${index}]`, issues);
        if (condition) when.push(condition); else ok = false;
      });
    }
  }
  return ok ? { from: from.list, to: to.list, when } : undefined;
}

function readTargetRef(value: unknown, field: string, issues: DocumentIssues): TargetRef | undefined {
  if (!isRecord(value)) {
    issues.add(field, `must be an object with kind and name, got ${describeValue(value)}`);
    return undefined;
  }
  reportUnknownFields(value, new Set(['group', 'kind', 'name', 'namespace']), field, issues);
  let ok = true;
  for (const key of ['kind', 'name'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '') {
      issues.add(`${field}.${key}`, isAbsent(value[key]) ? 'is required' : `must be a non-empty string, got ${describeValue(value[key])}`);
      ok = false;
    }
  }
  if (!isAbsent(value.group) && typeof value.group !== 'string') {
    issues.add(`${field}.group`, `must be a string, got ${describeValue(value.group)}`);
    ok = false;
  }
  if (!isAbsent(value.namespace) && value.namespace !== '') {
    issues.add(`${field}.namespace`, 'cross namespace referencing is not currently supported: drop namespace (the policy\'s own is used)');
    ok = false;
  }
  if (!ok) return undefined;
  return { group: (value.group as string | undefined) ?? '', kind: value.kind as string, name: value.name as string };
}

function readTargetRefs(spec: JsonObject, issues: DocumentIssues): { ok: boolean; refs?: TargetRef[] } {
  if (!isAbsent(spec.targetRef)) {
    const ref = readTargetRef(spec.targetRef, 'spec.targetRef', issues);
    return ref ? { ok: true, refs: [ref] } : { ok: false };
  }
  if (isAbsent(spec.targetRefs)) return { ok: true };
  if (!Array.isArray(spec.targetRefs)) {
    issues.add('spec.targetRefs', `must be a list, got ${describeValue(spec.targetRefs)}`);
    return { ok: false };
  }
  if (spec.targetRefs.length > MAX_TARGET_REFS) {
    issues.add('spec.targetRefs', `must have at most ${MAX_TARGET_REFS} entries, got ${spec.targetRefs.length}`);
    return { ok: false };
  }
  const refs: TargetRef[] = [];
  let ok = true;
  spec.targetRefs.forEach((entry, index) => {
    const ref = readTargetRef(entry, `spec.targetRefs[${index}]`, issues);
    if (ref) refs.push(ref); else ok = false;
  });
  return { ok, refs };
}

function readDryRun(object: JsonObject, issues: DocumentIssues): boolean {
  const metadata = object.metadata;
  if (!isRecord(metadata) || !isRecord(metadata.annotations)) return false;
  const value = metadata.annotations[DRY_RUN_ANNOTATION];
  if (isAbsent(value)) return false;
  if (value !== 'true' && value !== 'false') {
    issues.add(`metadata.annotations.${DRY_RUN_ANNOTATION}`, `must be "true" or "false", got ${describeValue(value)}`);
    return false;
  }
  return value === 'true';
}

export function readAuthorizationPolicy(object: JsonObject, identity: ObjectIdentity, issues: DocumentIssues): AuthorizationPolicy | undefined {
  const spec = readSpec(object, issues);
  if (!spec) return undefined;
  reportUnknownFields(spec, AP_SPEC_FIELDS, 'spec', issues);
  let valid = true;
  const selector = readWorkloadSelector(spec.selector, 'spec.selector', issues);
  valid &&= selector.ok;
  const targets = readTargetRefs(spec, issues);
  valid &&= targets.ok;
  const attachments = ['selector', 'targetRef', 'targetRefs'].filter((key) => !isAbsent(spec[key]));
  if (attachments.length > 1) {
    issues.add('spec', `only one of targetRefs or selector can be set, got ${attachments.join(' and ')}`);
    valid = false;
  }
  let action: AuthorizationAction = 'ALLOW';
  if (!isAbsent(spec.action)) {
    if ((AUTHORIZATION_ACTIONS as readonly unknown[]).includes(spec.action)) {
      action = spec.action as AuthorizationAction;
    } else {
      issues.add('spec.action', `must be one of ${AUTHORIZATION_ACTIONS.join(', ')}, got ${describeValue(spec.action)}`);
      valid = false;
    }
  }
  let provider: string | undefined;
  if (!isAbsent(spec.provider)) {
    if (!isRecord(spec.provider) || typeof spec.provider.name !== 'string' || spec.provider.name === '') {
      issues.add('spec.provider', `must be {name: <extension provider>}, got ${describeValue(spec.provider)}`);
      valid = false;
    } else {
      reportUnknownFields(spec.provider, new Set(['name']), 'spec.provider', issues);
      provider = spec.provider.name;
    }
    if (action !== 'CUSTOM') {
      issues.add('spec.provider', 'is only used with action CUSTOM: set action: CUSTOM or drop provider');
      valid = false;
    }
  } else if (action === 'CUSTOM') {
    issues.add('spec.provider', 'is required with action CUSTOM: name the extension provider (meshConfig.extensionProviders)');
    valid = false;
  }
  let rules: AuthorizationRule[] | undefined;
  if (!isAbsent(spec.rules)) {
    if (!Array.isArray(spec.rules)) {
      issues.add('spec.rules', `must be a list, got ${describeValue(spec.rules)}`);
      valid = false;
    } else if (spec.rules.length > MAX_RULES) {
      issues.add('spec.rules', `must have at most ${MAX_RULES} rules, got ${spec.rules.length}`);
      valid = false;
    } else {
      rules = [];
      spec.rules.forEach((entry, index) => {
        const rule = readRule(entry, `spec.rules[${index}]`, identity.namespace!, issues);
        if (rule) rules!.push(rule); else valid = false;
      });
    }
  }
  const dryRun = readDryRun(object, issues);
  if (!valid) return undefined;
  return {
    ref: policyRef(identity),
    action,
    ...(provider !== undefined ? { provider } : {}),
    ...(selector.labels ? { selector: selector.labels } : {}),
    ...(targets.refs ? { targetRefs: targets.refs } : {}),
    ...(rules ? { rules } : {}),
    dryRun,
  };
}

export { AUTHORIZATION_POLICY_KIND, PEER_AUTHENTICATION_KIND };
