/** The mesh benchmark's platform: the same intent with and without the mesh, valid at every size it is built. */
import { Testing } from 'cdk8s';
import { buildScaledMeshPlatform } from '../../bench/scaled-mesh-platform';

describe('the mesh benchmark platform', () => {
  test.each([false, true])('mesh %s: no issue; the mesh adds only mesh objects and the istiod allowance', (mesh) => {
    const platform = buildScaledMeshPlatform(Testing.app(), 2, mesh);
    expect(platform.validateIntent()).toEqual([]);
    const kinds = new Set(platform.manifests().map((m) => m.kind));
    expect(kinds.has('AuthorizationPolicy')).toBe(mesh);
    expect(kinds.has('PeerAuthentication')).toBe(mesh);
    expect(JSON.stringify(platform.manifests()).includes('15012')).toBe(mesh);
  });
});
