/**
 * Registers the zero-trust matchers and the connectivity snapshot serializer. Use it from jest's
 * `setupFilesAfterEnv` (`"setupFilesAfterEnv": ["cdk8s-zero-trust/lib/testing/setup"]`) or import it
 * at the top of a test file. Relies on jest's global `expect`; it is not meant to be loaded outside jest.
 */
import { connectivitySerializer, zeroTrustMatchers } from './index';

expect.extend(zeroTrustMatchers);
expect.addSnapshotSerializer(connectivitySerializer);
