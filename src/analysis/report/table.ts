import { ConnectivityReport } from '../types';
import { endpointOrder, groupByPort, PortGroup, plural } from './ports';
import { truncateMiddle } from './text';

/** Glyphs of a matrix cell. */
export const TABLE_GLYPHS = { allowed: 'X', denied: '.', notProbed: '-' } as const;

/** Row labels longer than this are shortened in the middle; the endpoint list above the matrices has the full names. */
export const MAX_ROW_LABEL = 40;

/** Columns are grouped in fives so a cell can be traced back to its header digit by eye. */
const GROUP = 5;

const LEGEND = [
  `Legend: ${TABLE_GLYPHS.allowed} allowed, ${TABLE_GLYPHS.denied} denied, ${TABLE_GLYPHS.notProbed} not probed.`,
  'Rows: sources. Columns: destinations, numbered as under Endpoints (read top to bottom).',
];

/**
 * `zt analyze --format table`: the endpoint list, then one matrix per port.
 *
 * Column headers are endpoint numbers written vertically (one character per column), so 30
 * endpoints take 36 columns of width instead of 30 names. A matrix only has the destinations probed
 * on its port: with the default probing (each pod's declared ports) a database port is a handful of
 * columns, not the whole inventory.
 */
export function formatTable(report: ConnectivityReport): string {
  const order = endpointOrder(report);
  if (order.length === 0) return 'No endpoints: the input defines no pods.\n';
  const number = new Map(order.map((id, i) => [id, i + 1]));
  const digits = String(order.length).length;

  const lines: string[] = ['Endpoints:'];
  for (const id of order) lines.push(`  ${String(number.get(id)).padStart(digits)}  ${id}`);

  const groups = groupByPort(report, order);
  if (groups.length === 0) {
    lines.push('', 'No ports probed: no pod declares a containerPort. Probe ports explicitly, e.g. `zt analyze --port 80/TCP`.');
    return lines.join('\n') + '\n';
  }
  for (const group of groups) lines.push('', ...matrix(group, number, digits));
  lines.push('', ...LEGEND);
  return lines.join('\n') + '\n';
}

function matrix(group: PortGroup, number: ReadonlyMap<string, number>, digits: number): string[] {
  const cells = new Map<string, boolean>();
  const rows: string[] = [];
  const columns: string[] = [];
  const seenRow = new Set<string>();
  const seenColumn = new Set<string>();
  for (const v of group.verdicts) {
    cells.set(`${v.from}\u0000${v.to}`, v.allowed);
    if (!seenRow.has(v.from)) {
      seenRow.add(v.from);
      rows.push(v.from);
    }
    if (!seenColumn.has(v.to)) {
      seenColumn.add(v.to);
      columns.push(v.to);
    }
  }
  // groupByPort sorts verdicts by source first, so destinations must be re-sorted into endpoint order.
  columns.sort((a, b) => number.get(a)! - number.get(b)!);

  const caption = 'from \\ to';
  const labelWidth = Math.min(MAX_ROW_LABEL, Math.max(...rows.map((r) => r.length)));
  const margin = Math.max(digits + 1 + labelWidth, caption.length) + 2;
  const rowLabel = (id: string): string => `${String(number.get(id)).padStart(digits)} ${truncateMiddle(id, MAX_ROW_LABEL)}`.padEnd(margin);

  const lines = [`${group.label}: ${group.allowed} of ${plural(group.verdicts.length, 'connection')} allowed`];
  // One header line per digit of the largest number; leading zeros blank so `7` does not read as `07`.
  for (let d = digits - 1; d >= 0; d--) {
    const header = grouped(columns.map((id) => {
      const n = number.get(id)!;
      return d > 0 && n < 10 ** d ? ' ' : String(Math.floor(n / 10 ** d) % 10);
    }));
    lines.push(`${(d === digits - 1 ? caption : '').padEnd(margin)}${header}`.trimEnd());
  }
  for (const from of rows) {
    const row = grouped(columns.map((to) => {
      const allowed = cells.get(`${from}\u0000${to}`);
      if (allowed === undefined) return TABLE_GLYPHS.notProbed;
      return allowed ? TABLE_GLYPHS.allowed : TABLE_GLYPHS.denied;
    }));
    lines.push(`${rowLabel(from)}${row}`);
  }
  return lines;
}

function grouped(chars: readonly string[]): string {
  const parts: string[] = [];
  for (let i = 0; i < chars.length; i += GROUP) parts.push(chars.slice(i, i + GROUP).join(''));
  return parts.join(' ');
}
