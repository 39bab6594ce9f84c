import { computeConnectivity } from './connectivity';
import { ManifestInput } from './manifests/documents';
import { AnalyzeOptions, ConnectivityReport } from './types';

/** Every ordered pair of endpoints × probed port, with the policies that allowed each connection. */
export function analyze(input: ManifestInput, options: AnalyzeOptions = {}): ConnectivityReport {
  return computeConnectivity(input, options).report();
}
