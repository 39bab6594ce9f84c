/**
 * `zt probe` output: JSON (the contract's fields, in its order), a plain-text table and Markdown. The
 * table and Markdown mark each disagreement with the expected verdict and list the reasons of each.
 */
import { markdownCode, textColumns } from './text';
import { ProbeReason, ProbeReport, ProbeResult } from '../probe/types';

export const PROBE_FORMATS = ['table', 'json', 'markdown'] as const;
export type ProbeFormat = (typeof PROBE_FORMATS)[number];

/** The JSON of one reason: the contract's fields first, then ours. */
function reasonJson(reason: ProbeReason): Record<string, unknown> {
  return {
    layer: reason.layer,
    direction: reason.direction,
    ...(reason.policy !== undefined ? { policy: reason.policy } : {}),
    ...(reason.rule !== undefined ? { rule: reason.rule } : {}),
    effect: reason.effect,
    ...(reason.backend !== undefined ? { backend: reason.backend } : {}),
    ...(reason.targetPort !== undefined ? { targetPort: reason.targetPort } : {}),
    ...(reason.step !== undefined ? { step: reason.step } : {}),
    ...(reason.detail !== undefined ? { detail: reason.detail } : {}),
    ...(reason.l7 !== undefined ? { l7: reason.l7 } : {}),
    ...(reason.undetermined !== undefined ? { undetermined: reason.undetermined } : {}),
  };
}

function resultJson(result: ProbeResult): Record<string, unknown> {
  return {
    id: result.id,
    from: result.from,
    to: result.to,
    protocol: result.protocol,
    ...(result.port !== undefined ? { port: result.port } : {}),
    ...(result.icmp !== undefined ? { icmp: result.icmp } : {}),
    verdict: result.verdict,
    ...(result.expected !== undefined ? { expected: result.expected, ok: result.ok } : {}),
    reasons: result.reasons.map(reasonJson),
    ...(result.implementationDefined !== undefined ? { implementationDefined: result.implementationDefined } : {}),
    ...(result.undetermined !== undefined ? { undetermined: result.undetermined } : {}),
  };
}

/** `zt probe --format json`: `{cni, mesh, probes, summary}` (the report's notes go to stderr, not here). */
export function formatProbeJson(report: ProbeReport): string {
  const value = { cni: report.cni, mesh: report.mesh, probes: report.probes.map(resultJson), summary: report.summary };
  return `${JSON.stringify(value, null, 2)}\n`;
}

function portOf(result: ProbeResult): string {
  if (result.port !== undefined) return `${result.port}/${result.protocol}`;
  if (result.icmp !== undefined) {
    const { type, code, family } = result.icmp;
    return `ICMP${family === 'IPv6' ? 'v6' : ''} ${type}${code !== undefined ? `/${code}` : ''}`;
  }
  return result.protocol;
}

function verdictOf(result: ProbeResult): string {
  if (result.undetermined !== undefined) return `${result.verdict}?`;
  return result.implementationDefined !== undefined ? `${result.verdict}*` : result.verdict;
}

function outcomeOf(result: ProbeResult): string {
  return result.ok === undefined ? '' : result.ok ? 'ok' : 'FAIL';
}

/** One reason as a line: `egress NetworkPolicy a/b egress[0]: allow (to[0] …) [backend a/x:8080]`. */
export function describeReason(reason: ProbeReason): string {
  const where = [reason.step === 'dns' ? 'DNS lookup,' : undefined, reason.direction, reason.policy, reason.rule].filter((part) => part).join(' ');
  const backend = reason.backend !== undefined ? ` [backend ${reason.backend}${reason.targetPort !== undefined ? `:${reason.targetPort}` : ''}]` : '';
  const layer = reason.layer === 'mesh' ? ' (mesh)' : '';
  const detail = reason.detail !== undefined ? ` - ${reason.detail}` : '';
  const l7 = reason.l7 !== undefined ? ` [L7: ${reason.l7}]` : '';
  return `${where}${layer}: ${reason.effect}${backend}${detail}${l7}`;
}

function summaryLine(report: ProbeReport): string {
  const { probes, allow, deny, failed } = report.summary;
  const expectations = report.probes.filter((result) => result.ok !== undefined).length;
  const outcome = expectations === 0 ? 'no expectations' : failed === 0 ? `all ${expectations} expectations met` : `${failed} of ${expectations} expectations FAILED`;
  return `${probes} probe${probes === 1 ? '' : 's'} (--cni ${report.cni}, --mesh ${report.mesh}): ${allow} allowed, ${deny} denied; ${outcome}`;
}

/** The probes to explain below the table: the failed ones, and those whose verdict is implementation-defined. */
function noteworthy(report: ProbeReport): ProbeResult[] {
  return report.probes.filter((result) => result.ok === false || result.implementationDefined !== undefined || result.undetermined !== undefined);
}

function headline(result: ProbeResult): string {
  const expected = result.expected !== undefined ? `expected ${result.expected}, ` : '';
  return `${result.ok === false ? 'FAIL' : 'NOTE'} ${result.id}: ${result.from} -> ${result.to} ${portOf(result)}: ${expected}verdict ${result.verdict}`;
}

/** `zt probe --format table`: one row per probe, FAIL on each disagreement, then the reasons of each. */
export function formatProbeTable(report: ProbeReport): string {
  const rows = [
    ['RESULT', 'ID', 'FROM', 'TO', 'PORT', 'VERDICT', 'EXPECTED'],
    ...report.probes.map((result) => [outcomeOf(result), result.id, result.from, result.to, portOf(result), verdictOf(result), result.expected ?? '']),
  ];
  const lines = [...textColumns(rows, ['left', 'left', 'left', 'left', 'right', 'left', 'left']), '', summaryLine(report)];
  if (report.probes.some((result) => result.implementationDefined !== undefined)) {
    lines.push(report.cni === 'cilium'
      ? '* implementation-defined: allowed or denied depending on where a pod runs, which the input does not say (see below)'
      : '* implementation-defined: allowed by some conforming network plugins and denied by others (see below)');
  }
  if (report.probes.some((result) => result.undetermined !== undefined)) {
    lines.push('? undetermined: denied because the mesh layer cannot be judged (fail closed; see below)');
  }
  for (const result of noteworthy(report)) {
    lines.push('', headline(result));
    if (result.implementationDefined !== undefined) lines.push(`  implementation-defined: ${result.implementationDefined}`);
    if (result.undetermined !== undefined) lines.push(`  undetermined: ${result.undetermined}`);
    for (const reason of result.reasons) lines.push(`  ${describeReason(reason)}`);
  }
  return `${lines.join('\n')}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** `zt probe --format markdown`: a table for a pull-request comment, **FAIL** on each disagreement, then the reasons of each. */
export function formatProbeMarkdown(report: ProbeReport): string {
  const lines = [
    '| result | id | from | to | port | verdict | expected |',
    '| --- | --- | --- | --- | ---: | --- | --- |',
    ...report.probes.map((result) => {
      const outcome = result.ok === undefined ? '' : result.ok ? 'ok' : '**FAIL**';
      const cells = [outcome, markdownCode(result.id), markdownCode(result.from), markdownCode(result.to), portOf(result), verdictOf(result), result.expected ?? ''];
      return `| ${cells.join(' | ')} |`;
    }),
    '',
    summaryLine(report).replace('FAILED', '**FAILED**'),
  ];
  if (report.probes.some((result) => result.implementationDefined !== undefined)) {
    lines.push('', report.cni === 'cilium'
      ? '\\* implementation-defined: allowed or denied depending on where a pod runs, which the input does not say.'
      : '\\* implementation-defined: allowed by some conforming network plugins and denied by others.');
  }
  if (report.probes.some((result) => result.undetermined !== undefined)) {
    lines.push('', '? undetermined: denied because the mesh layer cannot be judged (fail closed).');
  }
  for (const result of noteworthy(report)) {
    lines.push('', `#### ${cell(headline(result))}`, '');
    if (result.implementationDefined !== undefined) lines.push(`- implementation-defined: ${cell(result.implementationDefined)}`);
    if (result.undetermined !== undefined) lines.push(`- undetermined: ${cell(result.undetermined)}`);
    for (const reason of result.reasons) lines.push(`- ${cell(describeReason(reason))}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatProbeReport(report: ProbeReport, format: ProbeFormat): string {
  switch (format) {
    case 'json':
      return formatProbeJson(report);
    case 'markdown':
      return formatProbeMarkdown(report);
    case 'table':
      return formatProbeTable(report);
  }
}
