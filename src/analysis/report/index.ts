/** Report formatters of the connectivity analyzer: pure functions of the analyzer's data shapes. */
export { formatAllowedList } from './allowed-list';
export { formatDot } from './dot';
export { formatExplanation, formatServiceExplanation } from './explanation';
export { formatIssue, formatIssues } from './issues';
export { formatJson, jsonChunks } from './json';
export { formatMarkdown } from './markdown';
export { comparePorts, portLabel } from './ports';
export { formatSummary, SummaryFormat } from './summary';
export { formatTable, MAX_ROW_LABEL, TABLE_GLYPHS } from './table';
export { noteLines } from './notes';
export { describeReason, formatProbeJson, formatProbeMarkdown, formatProbeReport, formatProbeTable, PROBE_FORMATS, ProbeFormat } from './probe-report';
