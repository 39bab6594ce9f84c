/** Small text helpers shared by the plain-text formatters. */

/**
 * Shortens `text` to `max` characters by cutting the middle: both the namespace (head) and the
 * distinguishing pod suffix (tail, e.g. a replica hash) stay visible.
 */
export function truncateMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

/** Right-aligned columns as plain text; `align` says per column whether it is numeric (right) or text (left). */
export function textColumns(rows: readonly (readonly string[])[], align: readonly ('left' | 'right')[]): string[] {
  const widths = align.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (align[i] === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

/** A Markdown code span that survives a table cell: `|` is escaped; a backtick (never in a Kubernetes name) becomes `'`. */
export function markdownCode(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}
