// The cdk8s.yaml app: `npm run synth` (or `cdk8s synth`) writes the example platform into dist/.
// synthOrExit(): invalid declarations print one line each on stderr and exit 1, without a stack trace.
import { buildExamplePlatform } from './example-platform';
import { ZeroTrustApp } from '../src';

const app = new ZeroTrustApp();
buildExamplePlatform(app);
app.synthOrExit();
