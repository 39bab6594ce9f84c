import '../../src/testing/setup';
import { Testing } from 'cdk8s';
import { chartOf, manifests } from './manifests';
import { connectivity, connectivitySerializer, isConnectivitySnapshot } from '../../src/testing';

describe('connectivity snapshot', () => {
  test('serializes to the allowed pairs grouped by port', () => {
    const snapshot = connectivity(manifests());
    expect(connectivitySerializer.test(snapshot)).toBe(true);
    expect(connectivitySerializer.serialize(snapshot)).toBe([
      '2 endpoints; 3 of 4 probed connections allowed',
      '',
      '80/TCP: 2 of 2 allowed',
      '  alpha-data/backend -> alpha-web/frontend 80/TCP',
      '  alpha-web/frontend -> alpha-web/frontend 80/TCP',
      '',
      '8080/TCP: 1 of 2 allowed',
      '  alpha-web/frontend -> alpha-data/backend 8080/TCP',
    ].join('\n'));
  });

  test('analyzer options apply, and the report stays available', () => {
    const snapshot = connectivity(manifests(), { ports: [{ port: 8080, protocol: 'TCP' }] });
    expect(snapshot.report.connections).toHaveLength(4);
    expect(snapshot.text).toContain('8080/TCP: 3 of 4 allowed');
    expect(snapshot.text).not.toMatch(/^80\/TCP/m);
  });

  test('only snapshots are claimed by the serializer', () => {
    expect(connectivitySerializer.test({ text: 'x', report: {} })).toBe(false);
    expect(isConnectivitySnapshot(null)).toBe(false);
  });

  test('nested values keep their indentation', () => {
    const nested = connectivitySerializer.serialize(connectivity(manifests()), undefined, '    ');
    expect(nested.split('\n')[2]).toBe('    80/TCP: 2 of 2 allowed');
  });

  test('toMatchSnapshot records a readable list, not YAML', () => {
    const app = Testing.app();
    chartOf(app, 'platform', manifests());
    expect(connectivity(app)).toMatchSnapshot();
  });
});
