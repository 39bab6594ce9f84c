/** `zt probe --mesh istio` and `zt analyze --mesh istio` on the command line. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { zt } from './run-cli';
import { CUSTOM_ON_WEB, MESH_CLUSTER, MESH_PROBES } from '../probe/istio-fixture';

let dir: string;
let manifests: string;
let probes: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-istio-'));
  manifests = path.join(dir, 'mesh.yaml');
  fs.writeFileSync(manifests, MESH_CLUSTER.map((object) => JSON.stringify(object)).join('\n---\n'));
  probes = path.join(dir, 'probes.yaml');
  fs.writeFileSync(probes, MESH_PROBES);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Connection { from: string; to: string; port: number; allowed: boolean }

describe('zt probe --mesh istio', () => {
  test('expectations met: exit 0; JSON reports mesh istio and mesh-layer reasons', async () => {
    const { code, stdout, stderr } = await zt(['probe', manifests, '--probes', probes, '--mesh', 'istio', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { mesh: string; probes: { id: string; reasons: { layer: string; effect: string }[] }[] };
    expect(report.mesh).toBe('istio');
    const plaintext = report.probes.find((probe) => probe.id === 'plaintext-client')!;
    expect(plaintext.reasons).toContainEqual(expect.objectContaining({ layer: 'mesh', effect: 'deny', policy: 'PeerAuthentication istio-system/default' }));
  });

  test('--mesh auto (the default) enforces Istio when its kinds appear', async () => {
    const { code, stdout } = await zt(['probe', manifests, '--probes', probes]);
    expect(code).toBe(0);
    expect(stdout).toContain('6 probes (--cni kubernetes, --mesh istio): 2 allowed, 4 denied; all 6 expectations met');
  });

  test('--mesh none: Istio is listed as not enforced and the mesh expectations fail (exit 3)', async () => {
    const { code, stderr, stdout } = await zt(['probe', manifests, '--probes', probes, '--mesh', 'none']);
    expect(code).toBe(3);
    expect(stderr).toContain('note: not enforced under --mesh none');
    expect(stdout).toMatch(/FAIL api-post: shop\/api -> shop\/web 8080\/TCP: expected deny, verdict allow/);
  });

  test('an undetermined mesh verdict: deny marked ?, explained, and the expectation fails (exit 3)', async () => {
    const custom = path.join(dir, 'custom.yaml');
    fs.writeFileSync(custom, JSON.stringify(CUSTOM_ON_WEB));
    const admin = path.join(dir, 'admin.yaml');
    fs.writeFileSync(admin, '- {id: admin, from: shop/api, to: shop/web, port: 8080, http: {method: GET, path: /api/admin}, expected: allow}\n');
    const { code, stdout } = await zt(['probe', manifests, custom, '--probes', admin, '--mesh', 'istio']);
    expect(code).toBe(3);
    expect(stdout).toMatch(/deny\?/);
    expect(stdout).toContain('undetermined: the mesh layer cannot be judged: the external authorizer opa');
  });
});

describe('zt analyze --mesh istio', () => {
  async function connections(mesh: string): Promise<Connection[]> {
    const { code, stdout } = await zt(['analyze', manifests, '--mesh', mesh, '--port', '8080', '--format', 'json']);
    expect(code).toBe(0);
    return (JSON.parse(stdout) as { connections: Connection[] }).connections;
  }

  test('the mesh verdict is ANDed with the network verdict', async () => {
    const find = (list: Connection[], from: string, to: string): boolean => list.find((c) => c.from === from && c.to === to)!.allowed;
    const withMesh = await connections('istio');
    const withoutMesh = await connections('none');
    // STRICT refuses the sidecar-less client; without the mesh NetworkPolicy alone allows it.
    expect(find(withMesh, 'legacy/client', 'shop/web')).toBe(false);
    expect(find(withoutMesh, 'legacy/client', 'shop/web')).toBe(true);
    // api's identity is allowed on 8080 (its GET rule admits the connection at L4).
    expect(find(withMesh, 'shop/api', 'shop/web')).toBe(true);
    // web is not allowed to call api by any ALLOW rule (allow-nothing).
    expect(find(withMesh, 'shop/web', 'shop/api')).toBe(false);
    // The mesh never allows more than the network alone.
    for (const connection of withMesh) {
      if (connection.allowed) expect(find(withoutMesh, connection.from, connection.to)).toBe(true);
    }
  });

  test('--summary counts the same connections as the matrix', async () => {
    const matrix = await connections('istio');
    const { code, stdout } = await zt(['analyze', manifests, '--mesh', 'istio', '--port', '8080', '--summary', '--format', 'json']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { allowed: number }).allowed).toBe(matrix.filter((connection) => connection.allowed).length);
  });
});
