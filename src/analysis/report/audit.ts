/**
 * `zt audit` output: a plain-text report in sections (what was read, default-deny per namespace, drift, the
 * connectivity summary, the probes), or one JSON object holding the same.
 */
import { formatProbeJson, formatProbeTable } from './probe-report';
import { formatSummary } from './summary';
import { textColumns } from './text';
import { DirectionDefaultDeny, NamespaceDefaultDeny } from '../audit/default-deny';
import { DriftObject, DriftReport, shortValue } from '../audit/drift';
import { AuditReport, namespacesWithoutDefaultDeny } from '../audit/report';

export const AUDIT_FORMATS = ['table', 'json'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function objectLabel(object: DriftObject): string {
  return `${object.kind}${object.group ? `.${object.group}` : ''} ${object.namespace !== undefined ? `${object.namespace}/` : ''}${object.name}`;
}

function directionCell(direction: DirectionDefaultDeny): string {
  if (direction.defaultDeny) return 'yes';
  const why: string[] = [];
  if (!direction.newPodIsolated) why.push('new pods open');
  else if (direction.newPodAdmitsAll) why.push('new pods allowed everything');
  if (direction.openPods.length > 0) why.push(`${direction.openPods.length} open`);
  return `NO (${why.join(', ')})`;
}

const MAX_LISTED_PODS = 5;

function openPodsLine(entry: NamespaceDefaultDeny): string[] {
  const lines: string[] = [];
  for (const [label, direction] of [['ingress', entry.ingress], ['egress', entry.egress]] as const) {
    if (direction.openPods.length === 0) continue;
    const listed = direction.openPods.slice(0, MAX_LISTED_PODS).join(', ');
    const more = direction.openPods.length > MAX_LISTED_PODS ? `, … (${direction.openPods.length} in all)` : '';
    lines.push(`  ${entry.namespace}: not isolated for ${label}: ${listed}${more}`);
  }
  return lines;
}

function defaultDenySection(report: AuditReport): string[] {
  const namespaces = report.defaultDeny.namespaces;
  const lines = [`Default deny per namespace (every pod, and a new pod with no labels, isolated as ${report.cni} enforces the policies):`];
  if (namespaces.length === 0) return [...lines, 'No namespace to judge.'];
  lines.push(...textColumns(
    [['NAMESPACE', 'PODS', 'INGRESS', 'EGRESS'], ...namespaces.map((entry) => [entry.namespace, String(entry.pods), directionCell(entry.ingress), directionCell(entry.egress)])],
    ['left', 'right', 'left', 'left'],
  ));
  const lacking = namespacesWithoutDefaultDeny(report.defaultDeny);
  for (const entry of namespaces) lines.push(...openPodsLine(entry));
  lines.push(lacking.length === 0
    ? `Every namespace (${namespaces.length}) has a default deny for ingress and egress.`
    : `${plural(lacking.length, 'namespace')} of ${namespaces.length} without a default deny for ingress or egress: ${lacking.join(', ')}.`);
  return lines;
}

function driftSection(drift: DriftReport & { readonly against: readonly string[] }): string[] {
  const total = drift.missing.length + drift.changed.length + drift.extra.length;
  const lines = [
    `Drift against ${drift.against.join(', ')}: ${plural(drift.compared, 'object')} declared and compared; ` +
      (total === 0 ? 'no drift.' : `${drift.missing.length} missing, ${drift.changed.length} changed, ${drift.extra.length} extra.`),
  ];
  const rows: string[][] = [];
  for (const object of drift.missing) rows.push(['missing', objectLabel(object), `declared in ${object.file}#${object.documentIndex}`]);
  for (const object of drift.changed) rows.push(['changed', objectLabel(object), `declared in ${object.file}#${object.documentIndex}`]);
  for (const object of drift.extra) rows.push(['extra', objectLabel(object), 'declared nowhere']);
  if (rows.length > 0) lines.push(...textColumns(rows, ['left', 'left', 'left']).map((line) => `  ${line}`));
  for (const object of drift.changed) {
    lines.push(`  ${objectLabel(object)}:`);
    for (const difference of object.differences) {
      lines.push(`    ${difference.path || '(object)'}: declared ${shortValue(difference.expected)}, live ${shortValue(difference.actual)}`);
    }
  }
  if (drift.notCompared.length > 0) {
    lines.push(`Not compared (kinds zt audit does not check): ${drift.notCompared.map(({ kind, count }) => `${count} ${kind}`).join(', ')}.`);
  }
  return lines;
}

function readLine(report: AuditReport): string {
  const counts = report.read.filter((entry) => entry.count > 0).map((entry) => `${entry.count} ${entry.kind}`);
  return `Cluster ${report.cluster.server} (context ${report.cluster.context}): read ${counts.length > 0 ? counts.join(', ') : 'nothing'}.`;
}

function table(report: AuditReport): string {
  const sections: string[][] = [[readLine(report)], defaultDenySection(report)];
  if (report.drift) sections.push(driftSection(report.drift));
  if (report.summary) sections.push(['Live connectivity:', ...formatSummary(report.summary, 'table').trimEnd().split('\n')]);
  if (report.probes) sections.push([`Probes (${report.probes.cni}):`, ...formatProbeTable(report.probes).trimEnd().split('\n')]);
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function json(report: AuditReport): string {
  const value = {
    cluster: report.cluster,
    cni: report.cni,
    read: report.read,
    defaultDeny: {
      without: namespacesWithoutDefaultDeny(report.defaultDeny),
      namespaces: report.defaultDeny.namespaces,
    },
    ...(report.drift ? { drift: report.drift } : {}),
    ...(report.summary ? { summary: JSON.parse(formatSummary(report.summary, 'json')) as unknown } : {}),
    ...(report.probes ? { probes: JSON.parse(formatProbeJson(report.probes)) as unknown } : {}),
  };
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function formatAudit(report: AuditReport, format: AuditFormat): string {
  return format === 'json' ? json(report) : table(report);
}
