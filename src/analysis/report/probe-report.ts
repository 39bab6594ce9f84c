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
    ...(result.staged !== undefined ? { staged: { verdict: result.staged.verdict, reasons: result.staged.reasons.map(reasonJson) } } : {}),
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

/** `would deny` / `would allow`: the verdict if the staged policies were enforced. */
function stagedOf(result: ProbeResult): string {
  return result.staged === undefined ? '' : `would ${result.staged.verdict}`;
}

function hasStaged(report: ProbeReport): boolean {
  return report.probes.some((result) => result.staged !== undefined);
}

/** Whether the staged policies would change the probe's verdict. */
function stagedDiffers(result: ProbeResult): boolean {
  return result.staged !== undefined && result.staged.verdict !== result.verdict;
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

/** The probes to explain below the table: the failed ones, those whose verdict is implementation-defined, and those staged policies would change. */
function noteworthy(report: ProbeReport): ProbeResult[] {
  return report.probes.filter((result) => result.ok === false || result.implementationDefined !== undefined
    || result.undetermined !== undefined || stagedDiffers(result));
}

/** The lines below a noteworthy probe's headline: what its verdict depends on, its reasons, and what staged policies would do. */
function explanation(result: ProbeResult): string[] {
  const lines: string[] = [];
  if (result.implementationDefined !== undefined) lines.push(`implementation-defined: ${result.implementationDefined}`);
  if (result.undetermined !== undefined) lines.push(`undetermined: ${result.undetermined}`);
  for (const reason of result.reasons) lines.push(describeReason(reason));
  if (result.staged !== undefined && stagedDiffers(result)) {
    lines.push(`staged policies would ${result.staged.verdict} it (not enforced):`);
    for (const reason of result.staged.reasons) lines.push(`  ${describeReason(reason)}`);
  }
  return lines;
}

function headline(result: ProbeResult): string {
  const expected = result.expected !== undefined ? `expected ${result.expected}, ` : '';
  return `${result.ok === false ? 'FAIL' : 'NOTE'} ${result.id}: ${result.from} -> ${result.to} ${portOf(result)}: ${expected}verdict ${result.verdict}`;
}

/** `zt probe --format table`: one row per probe, FAIL on each disagreement, then the reasons of each. */
export function formatProbeTable(report: ProbeReport): string {
  const staged = hasStaged(report);
  const rows = [
    ['RESULT', 'ID', 'FROM', 'TO', 'PORT', 'VERDICT', 'EXPECTED', ...(staged ? ['STAGED'] : [])],
    ...report.probes.map((result) => [
      outcomeOf(result), result.id, result.from, result.to, portOf(result), verdictOf(result), result.expected ?? '', ...(staged ? [stagedOf(result)] : []),
    ]),
  ];
  const align: ('left' | 'right')[] = ['left', 'left', 'left', 'left', 'right', 'left', 'left', ...(staged ? ['left' as const] : [])];
  const lines = [...textColumns(rows, align), '', summaryLine(report)];
  if (staged) lines.push(`STAGED: the verdict if the staged policies were enforced; they are not, and never change VERDICT (${stagedCount(report)})`);
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
    for (const line of explanation(result)) lines.push(`  ${line}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `2 would change`: how many verdicts the staged policies would change. */
function stagedCount(report: ProbeReport): string {
  const changed = report.probes.filter(stagedDiffers).length;
  return changed === 0 ? 'they would change none' : `they would change ${changed}: see below`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** `zt probe --format markdown`: a table for a pull-request comment, **FAIL** on each disagreement, then the reasons of each. */
export function formatProbeMarkdown(report: ProbeReport): string {
  const staged = hasStaged(report);
  const lines = [
    `| result | id | from | to | port | verdict | expected |${staged ? ' staged |' : ''}`,
    `| --- | --- | --- | --- | ---: | --- | --- |${staged ? ' --- |' : ''}`,
    ...report.probes.map((result) => {
      const outcome = result.ok === undefined ? '' : result.ok ? 'ok' : '**FAIL**';
      const cells = [outcome, markdownCode(result.id), markdownCode(result.from), markdownCode(result.to), portOf(result), verdictOf(result), result.expected ?? ''];
      if (staged) cells.push(stagedDiffers(result) ? `**${stagedOf(result)}**` : stagedOf(result));
      return `| ${cells.join(' | ')} |`;
    }),
    '',
    summaryLine(report).replace('FAILED', '**FAILED**'),
  ];
  if (staged) lines.push('', `staged: the verdict if the staged policies were enforced; they are not, and never change the verdict (${stagedCount(report)}).`);
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
    for (const line of explanation(result)) lines.push(line.startsWith('  ') ? `  - ${cell(line.slice(2))}` : `- ${cell(line)}`);
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
