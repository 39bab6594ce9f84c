/** The summary `zt observe import` prints: what was read, and the flows found, as aligned tables. */
import { describePeer, ObservedAggregate, ObservedFlow } from './observed';

/** Columns padded to their widest cell; the last column is not padded. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `${l}\n`).join('');
}

const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, word: string): string => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

function flowRow(flow: ObservedFlow): string[] {
  const l7 = flow.http ? `${plural(flow.http.length, 'request')}${flow.httpTruncated ? '+' : ''}` : '';
  return [describePeer(flow.source), describePeer(flow.destination), `${flow.port}/${flow.protocol}`, count(flow.count), l7];
}

export function formatObservedSummary(aggregate: ObservedAggregate): string {
  const c = aggregate.counts;
  const namespaces = new Set(aggregate.workloads.map((w) => w.namespace));
  const parts: string[] = [];
  parts.push(
    `Read ${plural(c.lines, 'line')} from ${plural(c.files.length, 'file')}: ${plural(c.records, 'flow record')} ` +
      `(${count(c.replies)} replies, ${count(c.otherVerdicts)} with another verdict), ${plural(c.notFlows, 'other record')}` +
      `${c.invalid > 0 ? `, ${plural(c.invalid, 'invalid record')} skipped` : ''}.\n`,
  );
  parts.push(`${plural(aggregate.workloads.length, 'workload')} in ${plural(namespaces.size, 'namespace')}; ${plural(aggregate.flows.length, 'flow')}, ` +
    `${plural(aggregate.dns.length, 'DNS client')}, ${plural(aggregate.dropped.length, 'dropped flow')}, ${count(aggregate.notGenerated.length)} not generated.\n`);
  const audited = aggregate.flows.filter((f) => f.audited);
  if (audited.length > 0) parts.push(`${plural(audited.length, 'flow')} had AUDIT verdicts: a policy in audit mode would have dropped them.\n`);
  if (aggregate.flows.length > 0) {
    parts.push('\nFlows (forwarded)\n');
    parts.push(textTable(['SOURCE', 'DESTINATION', 'PORT', 'COUNT', 'L7'], aggregate.flows.map(flowRow)));
  }
  if (aggregate.dns.length > 0) {
    parts.push('\nDNS\n');
    parts.push(textTable(['CLIENT', 'SERVER', 'PORT', 'COUNT', 'NAMES'], aggregate.dns.map((d) => [
      d.client, d.server, `${d.port}/${d.protocol}`, count(d.count), d.names.length > 3 ? `${d.names.slice(0, 3).join(', ')}, … (${d.names.length})` : d.names.join(', '),
    ])));
  }
  if (aggregate.dropped.length > 0) {
    parts.push('\nDropped (not generated; review: a flow that should be allowed, or one a policy rightly stops)\n');
    parts.push(textTable(['SOURCE', 'DESTINATION', 'PORT', 'COUNT', 'REASONS'], aggregate.dropped.map((flow) => [
      ...flowRow(flow).slice(0, 4), Object.entries(flow.dropReasons ?? {}).map(([reason, n]) => `${reason} ${count(n)}`).join(', '),
    ])));
  }
  if (aggregate.notGenerated.length > 0) {
    parts.push('\nNot generated (review)\n');
    parts.push(textTable(['SOURCE', 'DESTINATION', 'PORT', 'COUNT', 'WHY'], aggregate.notGenerated.map((entry) => [
      entry.source, entry.destination, entry.port !== undefined ? `${entry.port}/${entry.protocol}` : entry.protocol, count(entry.count), entry.reason,
    ])));
  }
  if (c.invalidExamples.length > 0) {
    parts.push('\nInvalid records skipped (first ones)\n');
    parts.push(c.invalidExamples.map((e) => `  ${e}\n`).join(''));
  }
  return parts.join('');
}
