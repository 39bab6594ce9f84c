import { ConnectionVerdict, ConnectivityReport } from '../types';

/**
 * `zt analyze --format json`, produced in chunks so the CLI can write a million verdicts without
 * building one several-hundred-megabyte string. Keys are emitted in contract order whatever the
 * order of the input objects' properties, so the output is byte-stable.
 */
export function* jsonChunks(report: ConnectivityReport): Generator<string> {
  yield `{\n  "pods": ${indent(JSON.stringify(report.pods, null, 2), '  ')},\n  "connections": [`;
  let first = true;
  for (const c of report.connections) {
    yield `${first ? '' : ','}\n    ${indent(JSON.stringify(ordered(c), null, 2), '    ')}`;
    first = false;
  }
  yield `${first ? '' : '\n  '}]\n}\n`;
}

/** The JSON contract of `zt analyze --format json`: `{"pods": [...], "connections": [...]}`, 2-space indent. */
export function formatJson(report: ConnectivityReport): string {
  return [...jsonChunks(report)].join('');
}

function ordered(c: ConnectionVerdict): ConnectionVerdict {
  return {
    from: c.from,
    to: c.to,
    port: c.port,
    protocol: c.protocol,
    allowed: c.allowed,
    egressPolicies: [...c.egressPolicies],
    ingressPolicies: [...c.ingressPolicies],
  };
}

function indent(text: string, prefix: string): string {
  return text.replace(/\n/g, `\n${prefix}`);
}
