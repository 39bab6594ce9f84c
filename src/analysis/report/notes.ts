import { AnalysisNotes } from '../types';

/** Past this many, undefined namespaces are reported on one line: a generated inventory can reference thousands. */
const MAX_LISTED_NAMESPACES = 10;

/** What the analyzer assumed or skipped, as `note: ...` lines (without line ends) for stderr. */
export function noteLines(notes: AnalysisNotes): string[] {
  const lines: string[] = [];
  const assumed = notes.assumedNamespaces;
  if (assumed.length > MAX_LISTED_NAMESPACES) {
    lines.push(
      `note: ${assumed.length} namespaces are referenced but not defined (${assumed.slice(0, MAX_LISTED_NAMESPACES).join(', ')}, …); ` +
        'each is assumed to exist with only the label kubernetes.io/metadata.name=<its name>',
    );
  } else {
    for (const ns of assumed) {
      lines.push(`note: namespace "${ns}" is referenced but not defined; assumed to exist with only the label kubernetes.io/metadata.name=${ns}`);
    }
  }
  for (const { kind, count } of notes.ignoredKinds) {
    lines.push(`note: ignored ${count} object${count === 1 ? '' : 's'} of kind ${kind} (not evaluated by the analyzer)`);
  }
  return lines;
}
