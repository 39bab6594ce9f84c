import { smallReport, verdict } from './report-fixtures';
import { formatJson, jsonChunks } from '../../../src/analysis/report';
import { ConnectionVerdict } from '../../../src/analysis/types';

describe('formatJson', () => {
  test('exact contract: pods then connections, 2-space indent, trailing newline', () => {
    const out = formatJson({
      pods: ['a/x', 'b/y'],
      connections: [verdict('a/x', 'b/y', 80, true, 'TCP', { egress: ['a/egress'], ingress: ['b/ingress'] })],
    });
    expect(out).toBe(`{
  "pods": [
    "a/x",
    "b/y"
  ],
  "connections": [
    {
      "from": "a/x",
      "to": "b/y",
      "port": 80,
      "protocol": "TCP",
      "allowed": true,
      "egressPolicies": [
        "a/egress"
      ],
      "ingressPolicies": [
        "b/ingress"
      ]
    }
  ]
}
`);
  });

  test('is the same text JSON.stringify gives, so any JSON tool round-trips it', () => {
    const report = smallReport();
    expect(formatJson(report)).toBe(JSON.stringify(report, null, 2) + '\n');
    expect(JSON.parse(formatJson(report))).toEqual(report);
  });

  test('key order is the contract order whatever the order of the input properties', () => {
    const scrambled = {
      ingressPolicies: [], egressPolicies: [], allowed: false, protocol: 'UDP', port: 53, to: 'a/x', from: 'a/x', extra: 'dropped',
    } as unknown as ConnectionVerdict;
    const out = formatJson({ pods: ['a/x'], connections: [scrambled] });
    expect(Object.keys(JSON.parse(out).connections[0])).toEqual(['from', 'to', 'port', 'protocol', 'allowed', 'egressPolicies', 'ingressPolicies']);
    expect(Object.keys(JSON.parse(out))).toEqual(['pods', 'connections']);
  });

  test('empty report', () => {
    expect(formatJson({ pods: [], connections: [] })).toBe('{\n  "pods": [],\n  "connections": []\n}\n');
  });

  test('is produced in bounded chunks: one per connection plus head and tail', () => {
    const report = smallReport();
    expect([...jsonChunks(report)]).toHaveLength(report.connections.length + 2);
  });
});
