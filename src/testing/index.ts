/**
 * Jest helpers for zero-trust policies:
 *
 * ```ts
 * import { zeroTrustMatchers, connectivity, connectivitySerializer } from 'cdk8s-zero-trust/lib/testing';
 * expect.extend(zeroTrustMatchers);
 * expect.addSnapshotSerializer(connectivitySerializer);
 *
 * expect(chart).toAllowConnection({ from: 'alpha-web/frontend', to: 'alpha-data/backend', port: 8080 });
 * expect(chart).not.toAllowConnection({ from: 'beta-web/frontend', to: 'alpha-data/backend', port: 8080 });
 * expect(connectivity(app)).toMatchSnapshot();
 * ```
 */
import { ConnectionExpectation } from './matchers';

export { ConnectionExpectation, MatcherContextLike, MatcherResult, toAllowConnection, zeroTrustMatchers } from './matchers';
export { connectivity, connectivitySerializer, ConnectivitySnapshot, isConnectivitySnapshot } from './snapshot';
export { ConnectivitySubject, toManifestInput } from './subject';

declare global {
  // Declaration merging with @types/jest, so `expect(app).toAllowConnection(...)` type-checks with the global `expect`.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // The type parameters must be identical to @types/jest's declaration for the interfaces to merge.
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> {
      /**
       * Passes when the network policies in the received App, Chart, manifest array or YAML string allow
       * the connection; the failure message explains which policies and rules decided it.
       */
      toAllowConnection(connection: ConnectionExpectation): R;
    }
  }
}
