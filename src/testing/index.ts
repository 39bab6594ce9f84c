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
 *
 * A ZeroTrustPlatform, a ZeroTrustApp or any App holding platforms needs no pod manifests: each declared
 * workload is represented by a pod named `namespace/workload` (labels from its selector, a container port
 * per port flows open to it), peer selectors of unmanaged namespaces and the DNS by pods named from their
 * labels, and CIDR peers by externals named after the CIDR (`external:203.0.113.0-24`). Real Pods and
 * workload objects of the app win: a representative pod is dropped when its selector selects one, and a
 * declared workload that selects exactly one workload object (an adopted cdk8s-plus Deployment) shows it
 * under the workload's name. `to` may also be a Service (`svc:NAME`, `svc:NAMESPACE/NAME`, `NAME`, its
 * cluster IP): the connection is checked on every backend pod at the targetPort.
 *
 * Probes, as `zt probe` reads them from a probes file, are checked with `toSatisfyProbes`, or evaluated
 * with `probe(app, probes)`:
 *
 * ```ts
 * expect(app).toSatisfyProbes([{ from: 'alpha-web/frontend', to: 'alpha-data/database', port: 5432, expected: 'deny' }]);
 * expect(app).toSatisfyProbes(loadProbesFile('examples/example-platform/probes.yaml'));
 * expect(app).toSatisfyProbes(probes, { cni: 'cilium' });     // NetworkPolicy and Cilium policies, HTTP rules included
 * expect(app).toSatisfyProbes(probes, { cni: 'calico' });     // NetworkPolicy and Calico policies through the tiers
 * expect(app).toSatisfyProbes(probes, { backend: 'cilium' }); // a platform emitting several backends: the one probed
 * ```
 */
import { ConnectionExpectation } from './matchers';
import { AnalyzeOptions, ProbeOptions, ProbesFile, ProbesInput } from '../analysis';

export { ConnectionExpectation, MatcherContextLike, MatcherResult, toAllowConnection, toSatisfyProbes, zeroTrustMatchers } from './matchers';
export { BaselineMatcherContext, toMatchConnectivityBaseline } from './baseline';
export { probe } from './probe';
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
      /**
       * Passes when every probe's verdict is its `expected` one; the failure message is the table of the
       * probes that disagree, with their reasons.
       */
      toSatisfyProbes(probes: ProbesInput | ProbesFile, options?: ProbeOptions): R;
      /**
       * Passes when the received App, Chart or manifests allow exactly the connections of the baseline file (the
       * manifests it was taken from); a failure lists the connections opened and closed, as `zt diff` does.
       */
      toMatchConnectivityBaseline(file: string, options?: AnalyzeOptions): R;
    }
  }
}
