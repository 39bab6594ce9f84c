/** `toMatchConnectivityBaseline`: the connectivity snapshot that fails with a `zt diff`. */
import '../../src/testing/setup';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { Backend, Port, ZeroTrustNamespace, ZeroTrustPlatform } from '../../src';
import { BaselineMatcherContext, toMatchConnectivityBaseline } from '../../src/testing';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-baseline-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A platform where frontend reaches backend on 8080, and with `database`, backend reaches the database on 5432. */
function platform(options: { database?: boolean; backendPort?: number } = {}): App {
  const app = Testing.app();
  const zt = new ZeroTrustPlatform(app, 'platform', { backends: [Backend.KUBERNETES] });
  const web = new ZeroTrustNamespace(zt, 'web', { name: 'web' });
  const frontend = web.workload('frontend', { labels: { app: 'frontend' } });
  const backend = web.workload('backend', { labels: { app: 'backend' } });
  frontend.allowTo(backend, Port.tcp(options.backendPort ?? 8080));
  if (options.database) {
    const data = new ZeroTrustNamespace(zt, 'data', { name: 'data' });
    backend.allowTo(data.workload('database', { labels: { app: 'database' } }), Port.tcp(5432));
  }
  return app;
}

function context(mode: 'all' | 'new' | 'none'): BaselineMatcherContext {
  return { utils: { matcherHint: (name: string) => `expect(received).${name}(baseline)` }, snapshotState: { _updateSnapshot: mode } };
}

describe('toMatchConnectivityBaseline', () => {
  test('writes a missing baseline, then passes on the same program', () => {
    const file = path.join(dir, 'same', 'platform.connectivity.json');
    expect(toMatchConnectivityBaseline.call(context('new'), platform(), file).pass).toBe(true);
    expect(fs.existsSync(file)).toBe(true);
    expect(toMatchConnectivityBaseline.call(context('none'), platform(), file).pass).toBe(true);
    // The global expect has it too.
    expect(platform()).toMatchConnectivityBaseline(file);
  });

  test('a closed flow fails with the zt diff of it, naming the rules before and after', () => {
    const file = path.join(dir, 'closed', 'platform.connectivity.json');
    toMatchConnectivityBaseline.call(context('new'), platform({ database: true }), file);
    const result = toMatchConnectivityBaseline.call(context('none'), platform({ database: true, backendPort: 8081 }), file);
    expect(result.pass).toBe(false);
    const message = result.message();
    expect(message).toContain(`Connectivity differs from the baseline ${file}:`);
    expect(message).toContain('1 connection opened, 1 closed');
    expect(message).toContain('- closed  web/frontend -> web/backend 8080/TCP');
    expect(message).toContain('+ opened  web/frontend -> web/backend 8081/TCP');
    expect(message).toContain('rerun jest with -u');
  });

  test('under --ci a missing baseline fails; with -u a changed one is rewritten', () => {
    const file = path.join(dir, 'modes', 'platform.connectivity.json');
    const missing = toMatchConnectivityBaseline.call(context('none'), platform(), file);
    expect(missing.pass).toBe(false);
    expect(missing.message()).toContain(`No connectivity baseline at ${file}`);
    expect(fs.existsSync(file)).toBe(false);
    toMatchConnectivityBaseline.call(context('new'), platform(), file);
    expect(toMatchConnectivityBaseline.call(context('all'), platform({ database: true }), file).pass).toBe(true);
    expect(toMatchConnectivityBaseline.call(context('none'), platform({ database: true }), file).pass).toBe(true);
    expect(toMatchConnectivityBaseline.call(context('none'), platform(), file).pass).toBe(false);
  });

  test('a file that is not a baseline is an error that says what to do', () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, '{"something": 1}');
    expect(() => toMatchConnectivityBaseline.call(context('none'), platform(), file)).toThrow(/not a connectivity baseline.*Delete it/);
  });
});
