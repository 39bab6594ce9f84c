// The cdk8s.yaml app: `npm run synth` (or `cdk8s synth`) writes the example platform into dist/.
// Apply one target (kubectl apply -k dist/targets/cilium), or let Argo CD do it: dist/delivery/ holds an
// ApplicationSet over the targets. synthOrExit(): invalid declarations print one line each on stderr and
// exit 1, without a stack trace.
import { buildExampleDelivery } from './example-delivery';
import { buildExamplePlatform } from './example-platform';
import { OutputLayout, ZeroTrustApp } from '../src';

// One folder per backend (dist/kubernetes/, dist/calico/, dist/cilium/), the Namespaces in dist/platform/,
// one entry point per target in dist/targets/<name>/.
const app = new ZeroTrustApp({ layout: OutputLayout.FOLDER_PER_BACKEND });
buildExamplePlatform(app);
buildExampleDelivery(app);
app.synthOrExit();
