import { DefaultDenyReport } from './default-deny';
import { DriftReport } from './drift';
import { ProbeReport } from '../probe/types';
import { CniOption, ConnectivitySummary } from '../types';

/** Findings that `zt audit --fail-on` can turn into exit 3. */
export const AUDIT_FINDINGS = ['default-deny', 'drift', 'any'] as const;
export type AuditFinding = (typeof AUDIT_FINDINGS)[number];

/** One resource read from the cluster. */
export interface AuditResourceCount {
  /** `pods`, `networkpolicies.networking.k8s.io`. */
  readonly resource: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly count: number;
}

/** What `zt audit` found, every section but the first optional. */
export interface AuditReport {
  readonly cluster: { readonly server: string; readonly context: string };
  /** The dialects the live policies were evaluated with. */
  readonly cni: Exclude<CniOption, 'auto'>;
  readonly read: readonly AuditResourceCount[];
  readonly defaultDeny: DefaultDenyReport;
  /** With `--against`: the directories or files compared. */
  readonly drift?: DriftReport & { readonly against: readonly string[] };
  /** With `--summary`. */
  readonly summary?: ConnectivitySummary;
  /** With `--probes`. */
  readonly probes?: ProbeReport;
}

/** Namespaces lacking a default-deny in either direction. */
export function namespacesWithoutDefaultDeny(report: DefaultDenyReport): string[] {
  return report.namespaces.filter((entry) => !entry.ingress.defaultDeny || !entry.egress.defaultDeny).map((entry) => entry.namespace);
}

/** The number of findings of a kind (`any`: all of them). */
export function countFindings(report: AuditReport, finding: AuditFinding): number {
  const defaultDeny = namespacesWithoutDefaultDeny(report.defaultDeny).length;
  const drift = report.drift ? report.drift.missing.length + report.drift.changed.length + report.drift.extra.length : 0;
  return finding === 'default-deny' ? defaultDeny : finding === 'drift' ? drift : defaultDeny + drift;
}
