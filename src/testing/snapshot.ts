import { analyze } from '../analysis';
import { ConnectivitySubject, toAnalysisInput } from './subject';
import { formatAllowedList } from '../analysis/report';
import { AnalyzeOptions, ConnectivityReport } from '../analysis/types';

/** A global symbol, not a class check, so the serializer recognises snapshots made by another copy of this package. */
const BRAND = Symbol.for('cdk8s-zero-trust.connectivity-snapshot');

/** What `connectivity()` returns: the report, printed by `connectivitySerializer` as a list of allowed pairs. */
export interface ConnectivitySnapshot {
  readonly [BRAND]: true;
  readonly report: ConnectivityReport;
  /** The serialized form, computed once when the snapshot is taken. */
  readonly text: string;
}

/**
 * `expect(connectivity(app)).toMatchSnapshot()` records which connections are allowed, one
 * `from -> to PORT/PROTO` line each, grouped by port. Register `connectivitySerializer` first
 * (the `cdk8s-zero-trust/lib/testing/setup` file does). A ZeroTrustPlatform, or an App holding one, needs
 * no pods of its own: the declared workloads and peers are represented (see `toAnalysisInput`).
 */
export function connectivity(subject: ConnectivitySubject, options: AnalyzeOptions = {}): ConnectivitySnapshot {
  const { input, externals, externalPorts } = toAnalysisInput(subject);
  const report = analyze(input, {
    ...options,
    externals: { ...externals, ...options.externals },
    externalPorts: { ...externalPorts, ...options.externalPorts },
  });
  return { [BRAND]: true, report, text: formatAllowedList(report).trimEnd() };
}

export function isConnectivitySnapshot(value: unknown): value is ConnectivitySnapshot {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** A jest snapshot serializer (pretty-format plugin) for `connectivity()` values. */
export const connectivitySerializer = {
  test(value: unknown): boolean {
    return isConnectivitySnapshot(value);
  },
  serialize(value: ConnectivitySnapshot, _config?: unknown, indentation = ''): string {
    // Nested inside another value, continuation lines must carry the surrounding indentation.
    return value.text.split('\n').join(`\n${indentation}`);
  },
};
