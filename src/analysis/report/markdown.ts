import { ConnectivityReport } from '../types';
import { endpointOrder, groupByPort, namespaceOf, PortGroup, plural } from './ports';
import { markdownCode } from './text';

/**
 * `zt analyze --format markdown`, for a pull-request comment: a summary line, then per port the
 * allowed destinations of each source. A matrix would be 30 columns wide at 30 pods, so the list
 * form is used at every size, and it is compressed where that loses nothing:
 * `ns/*` stands for every endpoint of namespace `ns` probed on that port (as sources: a
 * namespace whose pods all have the same row becomes one row), and a source that
 * reaches every probed destination (of more than three) says so in one phrase.
 */
export function formatMarkdown(report: ConnectivityReport): string {
  const order = endpointOrder(report);
  const groups = groupByPort(report, order);
  const allowed = groups.reduce((n, g) => n + g.allowed, 0);
  const lines = [
    '### Connectivity',
    '',
    `**${allowed} of ${report.connections.length}** probed connections allowed ` +
      `(${plural(order.length, 'endpoint')}, ${plural(groups.length, 'port')}).`,
  ];
  if (order.length === 0) {
    lines.push('', '_The input defines no pods._');
  } else if (groups.length === 0) {
    lines.push('', '_No ports probed: no pod declares a containerPort._');
  }
  let wildcards = false;
  for (const group of groups) {
    const section = portSection(group);
    wildcards ||= section.wildcards;
    lines.push('', ...section.lines);
  }
  if (wildcards) {
    lines.push('', '`ns/*` = every endpoint of namespace `ns` that is in this port\'s matrix.');
  }
  if (groups.length > 0) lines.push('', 'Sources not listed under a port are allowed to nothing on it.');
  return lines.join('\n') + '\n';
}

function portSection(group: PortGroup): { lines: string[]; wildcards: boolean } {
  const lines = [`#### ${group.label}: ${group.allowed} of ${group.verdicts.length} allowed`, ''];
  if (group.allowed === 0) {
    lines.push('_No connections allowed._');
    return { lines, wildcards: false };
  }

  // Sources and destinations present on this port, per namespace: the reference sets for `ns/*`.
  const sources = new Set<string>();
  const destinations = new Set<string>();
  const allowedTo = new Map<string, string[]>();
  for (const v of group.verdicts) {
    sources.add(v.from);
    destinations.add(v.to);
    if (v.allowed) {
      const list = allowedTo.get(v.from) ?? [];
      list.push(v.to);
      allowedTo.set(v.from, list);
    }
  }
  const sourcesPerNamespace = countPerNamespace(sources);
  const destinationsPerNamespace = countPerNamespace(destinations);

  let wildcards = false;
  const cells = new Map<string, string>();
  for (const [from, targets] of allowedTo) {
    if (targets.length === destinations.size && destinations.size > 3) {
      cells.set(from, `_every probed destination (${destinations.size})_`);
    } else {
      const compressed = compress(targets, destinationsPerNamespace);
      wildcards ||= compressed.some((t) => t.endsWith('/*'));
      cells.set(from, compressed.map(markdownCode).join(', '));
    }
  }

  // A namespace whose every source has the same row collapses into one `ns/*` row.
  const rows = new Map<string, { from: string[]; cell: string }>();
  for (const [from, cell] of cells) {
    const ns = namespaceOf(from);
    const key = ns === undefined ? `\u0000${from}` : `${ns}\u0000${cell}`;
    const row = rows.get(key) ?? { from: [], cell };
    row.from.push(from);
    rows.set(key, row);
  }
  lines.push('| From | Allowed to |', '| --- | --- |');
  for (const row of rows.values()) {
    const ns = namespaceOf(row.from[0]);
    if (ns !== undefined && row.from.length > 1 && row.from.length === sourcesPerNamespace.get(ns)) {
      wildcards = true;
      lines.push(`| ${markdownCode(`${ns}/*`)} | ${row.cell} |`);
    } else {
      for (const from of row.from) lines.push(`| ${markdownCode(from)} | ${row.cell} |`);
    }
  }
  return { lines, wildcards };
}

function countPerNamespace(endpoints: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of endpoints) {
    const ns = namespaceOf(e);
    if (ns !== undefined) counts.set(ns, (counts.get(ns) ?? 0) + 1);
  }
  return counts;
}

/** Replaces a namespace's destinations by `ns/*` when all of them (and more than one) are allowed. */
function compress(targets: readonly string[], perNamespace: ReadonlyMap<string, number>): string[] {
  const count = countPerNamespace(targets);
  const out: string[] = [];
  const emitted = new Set<string>();
  for (const t of targets) {
    const ns = namespaceOf(t);
    const whole = ns !== undefined && count.get(ns)! > 1 && count.get(ns) === perNamespace.get(ns);
    if (!whole) {
      out.push(t);
    } else if (!emitted.has(ns)) {
      emitted.add(ns);
      out.push(`${ns}/*`);
    }
  }
  return out;
}
