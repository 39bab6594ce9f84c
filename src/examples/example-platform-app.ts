// The cdk8s.yaml app: `npm run synth` (or `cdk8s synth`) writes the example platform into dist/.
import { ZeroTrustApp } from '../synth/zero-trust-app';
import { buildExamplePlatform } from './example-platform';

const app = new ZeroTrustApp();
buildExamplePlatform(app);
app.synth();
