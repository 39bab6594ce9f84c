import { toMatchConnectivityBaseline } from './baseline';
import { MatcherContextLike, MatcherResult } from './matcher-types';
import { probe } from './probe';
import { ConnectivitySubject, toAnalysisInput } from './subject';
import {
  computeConnectivity,
  explainTarget,
  InvalidManifestsError,
  InvalidProbesError,
  isServiceExplanation,
  ManifestInput,
  ProbeInput,
  ProbeOptions,
  ProbeReport,
  ProbesFile,
  ProbesInput,
  UnsupportedProbeError,
} from '../analysis';
import { formatExplanation, formatIssues, formatProbeTable, formatServiceExplanation, portLabel } from '../analysis/report';
import { Explanation, Protocol, ServiceExplanation } from '../analysis/types';
import { isProtocol } from '../vocabulary/protocol';

/** The argument of `toAllowConnection`. */
export interface ConnectionExpectation {
  /** `namespace/name` of the source pod, or `external:NAME`. */
  readonly from: string;
  /**
   * `namespace/name` of the destination pod, `external:NAME`, or a Service: `svc:NAME`, `svc:NAMESPACE/NAME`,
   * `NAMESPACE/NAME` when no pod has that id, `NAME` in the source's namespace, or its cluster IP.
   */
  readonly to: string;
  /** The destination port; through a Service, the service port (each backend is checked on its targetPort). */
  readonly port: number;
  /** Default TCP. */
  readonly protocol?: Protocol;
  /** External endpoints (name → IP) so that `external:NAME` can be used in `from`/`to`. */
  readonly externals?: Readonly<Record<string, string>>;
}

const MAX_LISTED_ENDPOINTS = 20;

/**
 * `expect(appOrChartOrManifests).toAllowConnection({ from, to, port, protocol? })`.
 *
 * Both outcomes carry the full explanation, so a failure says which policy (or missing rule) is
 * responsible. An endpoint that is not in the input fails the test even under `.not`: otherwise
 * a typo would pass `expect(app).not.toAllowConnection(...)` silently.
 */
export function toAllowConnection(this: MatcherContextLike, received: ConnectivitySubject, expected: ConnectionExpectation): MatcherResult {
  const query = validateExpectation(expected);
  const { input, externals: representedExternals } = toAnalysisInput(received);
  const externals = { ...representedExternals, ...expected.externals };
  let explanation: Explanation | ServiceExplanation;
  try {
    explanation = explainTarget(input, query, { externals });
  } catch (error) {
    if (error instanceof InvalidManifestsError) {
      throw new Error(`toAllowConnection: the manifests are invalid:\n${formatIssues(error.issues)}`);
    }
    throw new Error(`toAllowConnection: ${(error as Error).message}\n${knownEndpoints(input, externals)}`);
  }

  const hint = this.utils.matcherHint('toAllowConnection', 'manifests', 'connection', { isNot: this.isNot, promise: this.promise });
  if (isServiceExplanation(explanation)) return serviceResult(explanation, hint, this.isNot === true);
  const connection = `${explanation.from} -> ${explanation.to} on ${portLabel(explanation)}`;
  const message = explanation.allowed
    ? `Expected ${connection} not to be allowed, but it is.`
    : `Expected ${connection} to be allowed, but it is denied.`;
  const pod = explanation;
  return {
    pass: pod.allowed,
    message: () => `${hint}\n\n${message}\n\n${formatExplanation(pod)}`,
  };
}

/**
 * Through a Service, `toAllowConnection` passes only when every backend allows the connection, and
 * `.not.toAllowConnection` only when none does: a Service that some backends reach fails both, since some
 * of its connections are refused and some get through.
 */
function serviceResult(explanation: ServiceExplanation, hint: string, isNot: boolean): MatcherResult {
  const connection = `${explanation.from} -> Service ${explanation.service} on ${portLabel(explanation)}`;
  const words = { allowed: 'allowed by every backend', denied: 'denied by every backend', partial: 'allowed by some backends and denied by others' };
  const message = `Expected ${connection} ${isNot ? 'not to be allowed by any backend' : 'to be allowed by every backend'}, but it is ${words[explanation.verdict]}.`;
  return {
    pass: isNot ? explanation.verdict !== 'denied' : explanation.verdict === 'allowed',
    message: () => `${hint}\n\n${message}\n\n${formatServiceExplanation(explanation)}`,
  };
}

function validateExpectation(expected: ConnectionExpectation): { from: string; to: string; port: number; protocol: Protocol } {
  const problems: string[] = [];
  if (typeof expected !== 'object' || expected === null) {
    throw new TypeError('toAllowConnection expects { from, to, port, protocol? }, e.g. { from: "a/web", to: "b/db", port: 5432 }.');
  }
  if (typeof expected.from !== 'string' || expected.from === '') problems.push('from must be "namespace/name" or "external:NAME"');
  if (typeof expected.to !== 'string' || expected.to === '') problems.push('to must be "namespace/name" or "external:NAME"');
  if (!Number.isInteger(expected.port) || expected.port < 1 || expected.port > 65535) {
    problems.push(`port must be an integer 1-65535, got ${JSON.stringify(expected.port)}`);
  }
  const protocol = expected.protocol ?? 'TCP';
  if (!isProtocol(protocol)) problems.push(`protocol must be TCP, UDP or SCTP, got ${JSON.stringify(protocol)}`);
  if (problems.length > 0) throw new TypeError(`toAllowConnection: ${problems.join('; ')}.`);
  return { from: expected.from, to: expected.to, port: expected.port, protocol };
}

/** Helps with the likeliest mistake after an unknown endpoint: a misspelt pod or namespace. */
function knownEndpoints(input: ManifestInput, externals: Readonly<Record<string, string>>): string {
  let endpoints: readonly string[];
  try {
    endpoints = computeConnectivity(input, { externals }).endpoints;
  } catch {
    return '';
  }
  const listed = endpoints.slice(0, MAX_LISTED_ENDPOINTS).join(', ');
  const more = endpoints.length > MAX_LISTED_ENDPOINTS ? `, … (${endpoints.length} in all)` : '';
  return endpoints.length === 0 ? 'The input has no endpoints (no pods).' : `Endpoints in the input: ${listed}${more}.`;
}

function probeList(probes: ProbesInput | ProbesFile): readonly ProbeInput[] | undefined {
  if (Array.isArray(probes)) return probes;
  const wrapped = (probes as { probes?: unknown }).probes;
  return Array.isArray(wrapped) ? wrapped : undefined;
}

/**
 * `expect(appOrChartOrManifests).toSatisfyProbes(probes)`: passes when every probe's verdict is its
 * `expected` one (an implementation-defined verdict never is); the failure message is the table of the
 * probes that disagree, with their reasons. Every probe must have `expected`. Invalid probes, an endpoint
 * that the input does not hold, or invalid manifests fail the test even under `.not`.
 */
export function toSatisfyProbes(
  this: MatcherContextLike,
  received: ConnectivitySubject,
  probes: ProbesInput | ProbesFile,
  options: ProbeOptions = {},
): MatcherResult {
  const missing = (probeList(probes) ?? [])
    .map((entry, index) => (typeof entry === 'object' && entry !== null && entry.expected === undefined && !('expectedByCni' in entry && entry.expectedByCni) ? entry.id ?? String(index) : undefined))
    .filter((id): id is string => id !== undefined);
  if (missing.length > 0) {
    throw new TypeError(`toSatisfyProbes: every probe needs expected: allow or deny; without it: ${missing.join(', ')}.`);
  }
  let report: ProbeReport;
  try {
    report = probe(received, probes, options);
  } catch (error) {
    if (error instanceof InvalidManifestsError) throw new Error(`toSatisfyProbes: the manifests are invalid:\n${formatIssues(error.issues)}`);
    if (error instanceof InvalidProbesError || error instanceof UnsupportedProbeError) throw new Error(`toSatisfyProbes:\n${error.message}`);
    throw error;
  }
  const hint = this.utils.matcherHint('toSatisfyProbes', 'manifests', 'probes', { isNot: this.isNot, promise: this.promise });
  const failed = report.probes.filter((result) => result.ok === false);
  const total = report.probes.length;
  return {
    pass: failed.length === 0,
    message: () => (failed.length === 0
      ? `${hint}\n\nExpected some probe to disagree with its expected verdict, but all ${total} agree.\n\n${formatProbeTable(report)}`
      : `${hint}\n\n${failed.length} of ${total} probes disagree with their expected verdict:\n\n${formatProbeTable({ ...report, probes: failed })}`),
  };
}

/** Pass to `expect.extend`. */
export { MatcherContextLike, MatcherResult };

export const zeroTrustMatchers = { toAllowConnection, toSatisfyProbes, toMatchConnectivityBaseline };
