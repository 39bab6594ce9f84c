import { ConnectivityReport } from '../types';
import { endpointOrder, groupByPort, plural } from './ports';

/**
 * Allowed pairs as plain lines grouped by port, `from -> to PORT/PROTO`: what the jest snapshot
 * serializer prints. One line per allowed connection makes a snapshot diff read as "this connection
 * was opened/closed", which a matrix diff does not.
 */
export function formatAllowedList(report: ConnectivityReport): string {
  const order = endpointOrder(report);
  const groups = groupByPort(report, order);
  const allowed = groups.reduce((n, g) => n + g.allowed, 0);
  const lines = [`${plural(order.length, 'endpoint')}; ${allowed} of ${plural(report.connections.length, 'probed connection')} allowed`];
  for (const group of groups) {
    lines.push('', `${group.label}: ${group.allowed} of ${group.verdicts.length} allowed`);
    for (const v of group.verdicts) {
      if (v.allowed) lines.push(`  ${v.from} -> ${v.to} ${group.label}`);
    }
  }
  return lines.join('\n') + '\n';
}
