// The cdk8s.yaml app: `npm run synth` (or `cdk8s synth`) writes the example platform into dist/.
// Apply dist/namespaces/ and the folder of your CNI (kubectl apply -k), or point Argo CD or Flux at them.
// synthOrExit(): invalid declarations print one line each on stderr and exit 1, without a stack trace.
import { buildExamplePlatform } from './example-platform';
import { OutputLayout, ZeroTrustApp } from '../src';

// One folder per target: dist/kubernetes/ and dist/cilium/, the Namespaces in dist/namespaces/.
const app = new ZeroTrustApp({ layout: OutputLayout.FOLDER_PER_BACKEND });
buildExamplePlatform(app);
app.synthOrExit();
