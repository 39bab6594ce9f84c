/** `zt check` reports: a plain list for terminals, JSON, and SARIF 2.1.0 for code scanning. */
import * as fs from 'fs';
import { CHECK_RULES, CheckReport, Finding, Severity } from '../check/rules';

export const CHECK_FORMATS = ['table', 'json', 'sarif'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export interface CheckCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly notes: number;
}

export function countFindings(report: CheckReport): CheckCounts {
  const count = (severity: Severity): number => report.findings.filter((finding) => finding.severity === severity).length;
  return { errors: count('error'), warnings: count('warning'), notes: count('note') };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

export function checkSummary(report: CheckReport): string {
  const { errors, warnings, notes } = countFindings(report);
  if (errors + warnings + notes === 0) return 'No findings.';
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(notes, 'note')}.`;
}

function where(finding: Finding): string {
  const place = finding.file !== undefined ? `${finding.file}:${finding.documentIndex ?? 0}: ` : '';
  return place;
}

export function formatCheckTable(report: CheckReport): string {
  const lines: string[] = [];
  for (const finding of report.findings) {
    const about = [finding.object, finding.field].filter((part) => part !== undefined).join(' ');
    lines.push(`${where(finding)}${finding.severity} ${finding.rule}: ${finding.message}${about ? ` [${about}]` : ''}`);
    lines.push(`    fix: ${finding.fix}`);
  }
  if (lines.length > 0) lines.push('');
  lines.push(checkSummary(report));
  return lines.join('\n') + '\n';
}

export function formatCheckJson(report: CheckReport): string {
  return JSON.stringify({ summary: countFindings(report), findings: report.findings, notes: report.notes }, null, 2) + '\n';
}

/**
 * The line where document `index` of a YAML stream starts: its `---` line, or its first line of content. A `---` before
 * any content opens the first document rather than ending an empty one (https://yaml.org/spec/1.2.2/#91-documents).
 * 1 when the file cannot be read or has fewer documents.
 */
export function documentStartLine(lines: readonly string[] | undefined, index: number): number {
  if (!lines) return 1;
  let document = 0;
  let beforeAny = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^---(\s|$)/.test(line)) {
      if (!beforeAny) document++;
      beforeAny = false;
      if (document === index) return i + 1;
    } else if (line.trim() !== '' && !line.trim().startsWith('#')) {
      beforeAny = false;
      if (document === index) return i + 1;
    }
  }
  return 1;
}

const SARIF_LEVEL: Readonly<Record<Severity, string>> = { error: 'error', warning: 'warning', note: 'note' };

/**
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html), as GitHub code scanning reads it:
 * one run of the `zt` driver, its rules, and one result per finding located at the document's first line.
 */
export function formatCheckSarif(report: CheckReport, readFile: (file: string) => string | undefined = readText): string {
  const fileLines = new Map<string, string[] | undefined>();
  const linesOf = (file: string): string[] | undefined => {
    if (!fileLines.has(file)) fileLines.set(file, readFile(file)?.split('\n'));
    return fileLines.get(file);
  };
  const rules = Object.values(CHECK_RULES).map((rule) => ({
    id: rule.id,
    shortDescription: { text: rule.summary },
    help: { text: rule.help },
    defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
  }));
  const results = report.findings.map((finding) => ({
    ruleId: finding.rule,
    level: SARIF_LEVEL[finding.severity],
    message: { text: `${finding.message}${finding.field ? ` (${finding.field})` : ''} Fix: ${finding.fix}.` },
    ...(finding.file !== undefined && !finding.file.startsWith('<')
      ? {
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: finding.file.split('\\').join('/') },
            region: { startLine: documentStartLine(linesOf(finding.file), finding.documentIndex ?? 0) },
          },
        }],
      }
      : {}),
  }));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'zt check', informationUri: 'https://github.com/cdk8s-zero-trust/cdk8s-zero-trust', rules } }, results }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function formatCheck(report: CheckReport, format: CheckFormat): string {
  switch (format) {
    case 'json':
      return formatCheckJson(report);
    case 'sarif':
      return formatCheckSarif(report);
    case 'table':
      return formatCheckTable(report);
  }
}
