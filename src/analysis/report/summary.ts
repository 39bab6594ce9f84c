import { ConnectivitySummary } from '../types';
import { quote } from './dot';
import { plural } from './ports';
import { markdownCode, textColumns } from './text';

/** Output formats of `zt analyze --summary`. */
export type SummaryFormat = 'table' | 'json' | 'markdown' | 'dot';

/**
 * `zt analyze --summary`: allowed connections counted per (source namespace, destination namespace).
 * Its size grows with namespaces², not endpoints², which is what makes 10^8-pair inventories printable.
 */
export function formatSummary(summary: ConnectivitySummary, format: SummaryFormat): string {
  switch (format) {
    case 'json':
      return summaryJson(summary);
    case 'markdown':
      return summaryMarkdown(summary);
    case 'dot':
      return summaryDot(summary);
    case 'table':
      return summaryTable(summary);
  }
}

function headline(s: ConnectivitySummary, bold = false): string {
  const counts = `${s.allowed} of ${s.evaluated}`;
  return `${bold ? `**${counts}**` : counts} probed connections allowed (${plural(s.endpoints, 'endpoint')}, ${plural(s.ports, 'port')})`;
}

function summaryTable(s: ConnectivitySummary): string {
  const lines = [headline(s) + '.'];
  if (s.namespacePairs.length === 0) {
    lines.push('', 'No namespace pair has an allowed connection.');
  } else {
    lines.push('', ...textColumns(
      [
        ['FROM NAMESPACE', 'TO NAMESPACE', 'ALLOWED', 'EVALUATED'],
        ...s.namespacePairs.map((p) => [p.from, p.to, String(p.allowed), String(p.evaluated)]),
      ],
      ['left', 'left', 'right', 'right'],
    ));
  }
  return lines.join('\n') + '\n';
}

function summaryJson(s: ConnectivitySummary): string {
  // Rebuilt so the key order is the contract's, whatever the producer's object looked like.
  const ordered: ConnectivitySummary = {
    endpoints: s.endpoints,
    ports: s.ports,
    evaluated: s.evaluated,
    allowed: s.allowed,
    namespacePairs: s.namespacePairs.map((p) => ({ from: p.from, to: p.to, allowed: p.allowed, evaluated: p.evaluated })),
  };
  return JSON.stringify(ordered, null, 2) + '\n';
}

function summaryMarkdown(s: ConnectivitySummary): string {
  const lines = ['### Connectivity summary', '', `${headline(s, true)}.`];
  if (s.namespacePairs.length === 0) {
    lines.push('', '_No namespace pair has an allowed connection._');
  } else {
    lines.push('', '| From namespace | To namespace | Allowed | Evaluated |', '| --- | --- | ---: | ---: |');
    for (const p of s.namespacePairs) lines.push(`| ${markdownCode(p.from)} | ${markdownCode(p.to)} | ${p.allowed} | ${p.evaluated} |`);
  }
  return lines.join('\n') + '\n';
}

function summaryDot(s: ConnectivitySummary): string {
  const namespaces = [...new Set(s.namespacePairs.flatMap((p) => [p.from, p.to]))].sort();
  const lines = ['digraph connectivity_summary {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  for (const ns of namespaces) lines.push(`  ${quote(ns)};`);
  for (const p of s.namespacePairs) lines.push(`  ${quote(p.from)} -> ${quote(p.to)} [label=${quote(`${p.allowed} of ${p.evaluated}`)}];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
