import { noteLines } from '../analysis/report/notes';
import { AnalysisNotes } from '../analysis/types';
import { INVENTORY_FILE } from '../intent/inventory-file';

/** What the analyzer assumed or skipped, as `note: ...` lines for stderr (never stdout, which may be piped to jq). */
export function formatNotes(notes: AnalysisNotes): string {
  return noteLines(notes).map((line) => `${line}\n`).join('');
}

/** Past this many, policies that select no pod are counted rather than listed. */
const MAX_LISTED_POLICIES = 10;

/** How to give the analyzer pods: said wherever it has none, or too few. */
export const HOW_TO_SUPPLY_PODS = [
  'Supply the endpoints:',
  `  - the output directory of a ZeroTrustApp: it holds ${INVENTORY_FILE}, the representative pods of the declared workloads (zt analyze dist/);`,
  '  - Pod or workload manifests (Deployment, StatefulSet, DaemonSet, Job…), e.g. kubectl get pods -A -o yaml | zt analyze - dist/;',
  '  - addresses outside the cluster with --external NAME=IP (matched by ipBlock rules only).',
].join('\n');

/** The error when the input has no pod: every verdict would be vacuous. */
export function noPodsMessage(externals: number): string {
  const what = externals > 0 ? `no pods (only ${externals} external address${externals === 1 ? '' : 'es'})` : 'no pods';
  return `the input has ${what}, so no policy selects anything and there is no connection worth reporting.\n${HOW_TO_SUPPLY_PODS}`;
}

function listPolicies(policies: readonly string[]): string {
  const listed = policies.slice(0, MAX_LISTED_POLICIES).join(', ');
  return policies.length > MAX_LISTED_POLICIES ? `${listed}, … (${policies.length} in all)` : listed;
}

/** The error when pods exist but no policy selects any of them: the pods are not the ones the policies govern. */
export function noPolicySelectsMessage(policies: readonly string[], pods: number): string {
  return `none of the ${policies.length} polic${policies.length === 1 ? 'y' : 'ies'} in the input selects any of its ${pods} pod${pods === 1 ? '' : 's'} ` +
    `(${listPolicies(policies)}), so the report would say nothing about them.\n${HOW_TO_SUPPLY_PODS}`;
}

/** The warning when some policies select no pod: legitimate for a partial inventory, but loud. */
export function unselectedPoliciesWarning(unselected: readonly string[], policies: number): string {
  return `warning: ${unselected.length} of ${policies} policies select no pod of the input, so their rules were not exercised: ` +
    `${listPolicies(unselected)}. For a complete analysis, supply the pods they govern (the inventory file ${INVENTORY_FILE}, ` +
    'or Pod or workload manifests).\n';
}
