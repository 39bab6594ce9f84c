// The cdk8s.yaml app: `npm run synth` (or `cdk8s synth`) writes the example platform into dist/.
import { buildExamplePlatform } from './example-platform';
import { ZeroTrustApp } from '../src';

const app = new ZeroTrustApp();
buildExamplePlatform(app);
app.synth();
