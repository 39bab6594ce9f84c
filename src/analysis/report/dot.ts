import { ConnectivityReport, ProbePort } from '../types';
import { comparePorts, endpointOrder, namespaceOf, portLabel } from './ports';

/**
 * `zt analyze --format dot`: a Graphviz digraph with one node per endpoint, pods clustered by
 * namespace, and one edge per allowed (source, destination) pair labelled with all its allowed
 * ports. Denied pairs are not drawn: the picture is of what is open.
 */
export function formatDot(report: ConnectivityReport): string {
  const order = endpointOrder(report);
  const lines = [
    'digraph connectivity {',
    '  rankdir=LR;',
    '  node [shape=box, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];

  const namespaces = new Map<string, string[]>();
  const externals: string[] = [];
  for (const id of order) {
    const ns = namespaceOf(id);
    if (ns === undefined) {
      externals.push(id);
    } else {
      const members = namespaces.get(ns) ?? [];
      members.push(id);
      namespaces.set(ns, members);
    }
  }
  for (const ns of [...namespaces.keys()].sort()) {
    lines.push(`  subgraph ${quote(`cluster_${ns}`)} {`, `    label=${quote(ns)};`);
    for (const id of namespaces.get(ns)!) lines.push(`    ${quote(id)} [label=${quote(id.slice(ns.length + 1))}];`);
    lines.push('  }');
  }
  for (const id of externals) lines.push(`  ${quote(id)} [label=${quote(id)}, shape=ellipse];`);

  // Group allowed ports per ordered pair; Map insertion order is replaced by endpoint order below.
  const index = new Map(order.map((id, i) => [id, i]));
  const edges = new Map<string, { from: string; to: string; ports: ProbePort[] }>();
  for (const c of report.connections) {
    if (!c.allowed) continue;
    const key = `${c.from}\u0000${c.to}`;
    const edge = edges.get(key) ?? { from: c.from, to: c.to, ports: [] };
    edge.ports.push({ port: c.port, protocol: c.protocol });
    edges.set(key, edge);
  }
  const sorted = [...edges.values()].sort((a, b) => index.get(a.from)! - index.get(b.from)! || index.get(a.to)! - index.get(b.to)!);
  for (const edge of sorted) {
    const label = uniqueLabels(edge.ports).join(', ');
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)} [label=${quote(label)}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

function uniqueLabels(ports: readonly ProbePort[]): string[] {
  return [...new Set([...ports].sort(comparePorts).map(portLabel))];
}

/** A Graphviz double-quoted ID: only `"` and `\` need escaping (newlines cannot occur in endpoint ids but are escaped too). */
export function quote(id: string): string {
  return `"${id.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n')}"`;
}
