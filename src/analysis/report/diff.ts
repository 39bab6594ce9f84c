/**
 * `zt diff` reports: the connections a change opens and closes, each with the rules responsible before and after.
 * Table (a terminal), markdown (a pull-request comment: the one-line summary first, the detail folded), JSON.
 */
import { plural } from './ports';
import { markdownCode } from './text';
import { ConnectionChange, ConnectivityDiff } from '../diff/connectivity-diff';
import { Explanation, SideExplanation } from '../types';

export const DIFF_FORMATS = ['table', 'markdown', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** `2 connections opened, 1 closed (3 objects changed)`: the first line of every format. */
export function diffSummary(diff: ConnectivityDiff): string {
  const { opened, closed, scope } = diff;
  if (scope.mode === 'none') return 'No change: the two sides hold the same objects.';
  const objects = plural(scope.changedObjects.length, 'object');
  if (opened.length === 0 && closed.length === 0) return `No connection opened or closed (${objects} changed).`;
  const counts = [
    opened.length > 0 ? `${plural(opened.length, 'connection')} opened` : undefined,
    closed.length > 0 ? `${opened.length > 0 ? closed.length : plural(closed.length, 'connection')} closed` : undefined,
  ].filter((part): part is string => part !== undefined);
  if (opened.length === 0) counts.push('none opened');
  if (closed.length === 0) counts.push('none closed');
  return `${counts.join(', ')} (${objects} changed).`;
}

function connection(change: ConnectionChange): string {
  return `${change.from} -> ${change.to} ${change.port}/${change.protocol}`;
}

function rules(side: SideExplanation): string {
  if (!side.applicable) return `${side.direction.toLowerCase()} not governed (external)`;
  if (!side.isolated) return `${side.direction.toLowerCase()} not restricted`;
  const names = side.allowedBy.map((rule) => `${rule.kind} ${rule.policy} ${side.direction.toLowerCase()}[${rule.ruleIndex}]`);
  return `${side.direction.toLowerCase()} by ${[...new Set(names)].join(', ')}`;
}

/** Why one side of the diff gives its verdict: the allowing rules of both directions, or the refusing direction's reason. */
export function verdictWords(e: Explanation): string {
  if (e.allowed) return `allowed: ${rules(e.egress)}; ${rules(e.ingress)}`;
  const refusing = [e.egress, e.ingress].filter((side) => !side.allowed);
  return `denied: ${refusing.map((side) => `${side.direction.toLowerCase()}: ${side.reason}`).join(' ')}`;
}

export function formatDiffTable(diff: ConnectivityDiff): string {
  const lines = [diffSummary(diff)];
  for (const change of [...diff.opened, ...diff.closed]) {
    lines.push('', `${change.change === 'opened' ? '+ opened' : '- closed'}  ${connection(change)}`);
    lines.push(`    before: ${verdictWords(change.base)}`);
    lines.push(`    after:  ${verdictWords(change.head)}`);
  }
  if (diff.scope.changedObjects.length > 0) {
    lines.push('', `Changed objects: ${diff.scope.changedObjects.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}

function markdownRows(changes: readonly ConnectionChange[]): string[] {
  return changes.map((change) => {
    const cells = [
      change.change === 'opened' ? '➕ opened' : '➖ closed',
      markdownCode(change.from),
      markdownCode(change.to),
      markdownCode(`${change.port}/${change.protocol}`),
      verdictWords(change.base).replace(/\|/g, '\\|'),
      verdictWords(change.head).replace(/\|/g, '\\|'),
    ];
    return `| ${cells.join(' | ')} |`;
  });
}

/** For a pull-request comment: the summary line first, then the changed connections in a collapsible table. */
export function formatDiffMarkdown(diff: ConnectivityDiff): string {
  const lines = ['### Connectivity change', '', `**${diffSummary(diff)}**`];
  const changes = [...diff.opened, ...diff.closed];
  if (changes.length > 0) {
    lines.push(
      '',
      '<details><summary>Connections opened and closed</summary>',
      '',
      '| change | from | to | port | before | after |',
      '|---|---|---|---|---|---|',
      ...markdownRows(changes),
      '',
      '</details>',
    );
  }
  if (diff.scope.changedObjects.length > 0) {
    lines.push('', `<details><summary>${plural(diff.scope.changedObjects.length, 'changed object')}</summary>`, '');
    lines.push(...diff.scope.changedObjects.map((object) => `- ${markdownCode(object)}`), '', '</details>');
  }
  return lines.join('\n') + '\n';
}

/** The JSON contract of `zt diff --format json`. */
export function formatDiffJson(diff: ConnectivityDiff): string {
  const entry = (change: ConnectionChange): object => ({
    from: change.from,
    to: change.to,
    port: change.port,
    protocol: change.protocol,
    before: { allowed: change.base.allowed, egress: change.base.egress, ingress: change.base.ingress },
    after: { allowed: change.head.allowed, egress: change.head.egress, ingress: change.head.ingress },
  });
  return JSON.stringify({
    summary: diffSummary(diff),
    opened: diff.opened.map(entry),
    closed: diff.closed.map(entry),
    changedObjects: diff.scope.changedObjects,
  }, null, 2) + '\n';
}

export function formatDiff(diff: ConnectivityDiff, format: DiffFormat): string {
  switch (format) {
    case 'json':
      return formatDiffJson(diff);
    case 'markdown':
      return formatDiffMarkdown(diff);
    case 'table':
      return formatDiffTable(diff);
  }
}
