import { Command, InvalidArgumentError, Option } from 'commander';
import { cniOption, meshOption } from './analyze-command';
import { CliError, ExitCode } from './errors';
import { addInputOptions, InputFlags } from './input';
import { loadInputs, mergeExternals } from './inventory-input';
import { CliIO } from './io';
import { HOW_TO_SUPPLY_PODS, unselectedPoliciesWarning } from './notes';
import { collectExternal, once, parsePort } from './options';
import {
  computeConnectivity,
  explainDestination,
  Explanation,
  isServiceExplanation,
  policyCoverage,
  ServiceExplanation,
  ServiceRouteError,
  UnknownEndpointError,
} from '../analysis';
import { formatExplanation, formatServiceExplanation } from '../analysis/report';
import { AnalyzeMeshOption, CniOption, ProbePort, RouteVerdict } from '../analysis/types';

export const EXPECTATIONS = ['allow', 'deny'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

interface ExplainFlags extends InputFlags {
  readonly cni: CniOption;
  readonly mesh: AnalyzeMeshOption;
  readonly from: string;
  readonly to: string;
  readonly port: ProbePort;
  readonly external?: Record<string, string>;
  readonly expect?: Expectation;
}

const EXAMPLES = `
Examples:
  $ zt explain dist/ --from alpha-web/frontend --to alpha-data/backend --port 8080
  $ zt explain dist/ --from alpha-web/frontend --to alpha-data/database --port 5432 --expect deny
  $ zt explain manifests/ --from alpha-web/frontend --to backend --port 80      through Service alpha-web/backend
  $ zt explain dist/ --from alpha-web/backend --to external:203.0.113.0-24 --port 443
  $ kubectl get namespaces,pods,services,networkpolicies -A -o yaml | zt explain - --from a/x --to b/y --port 443

Destinations: a pod (namespace/name), external:NAME, or a Service: svc:NAME or svc:NAMESPACE/NAME,
NAMESPACE/NAME when no pod has that id, NAME alone in the source's namespace, or its cluster IP. Through a
Service, --port is the service port; each backend pod is explained on the targetPort it maps to (policies
see the pod and that port), and the connection counts as allowed only when every backend allows it.
A directory that a ZeroTrustApp synthesized holds zt-inventory.txt, the representative pods of the
declared workloads, read automatically.

The first line is the verdict; then, for the source's egress and the destination's ingress, which
policies select the pod, whether that isolates it, and which rule allowed the connection (or that none did).
--from, --to and --port may each be given once: one run explains one connection (zt analyze --port takes several).
Errors: "zt: <file>:<document>: <field>: <problem>" on stderr, <document> counting from 0.
Exit codes: 0 explained (allowed or denied; with --expect, the verdict is the expected one), 1 invalid input,
unknown endpoint or a Service that cannot route the port, 2 usage error (including a repeated --from, --to or
--port), 3 the verdict is not the one --expect gives (a Service that only some backends allow matches neither),
70 internal error (rerun with --debug and report it).`;

/** `zt explain PATH... --from --to --port`: why one connection is allowed or denied. */
export function explainCommand(io: CliIO): Command {
  const command = new Command('explain')
    .description('Explain why one connection is allowed or denied: the policies and rules on each side.')
    .argument('<paths...>', 'manifest files, directories (searched recursively for *.yaml, *.yml, *.json), or - for standard input')
    .requiredOption('--from <endpoint>', 'source: namespace/name of a pod, or external:NAME', once('--from', parseSource))
    .requiredOption(
      '--to <endpoint>',
      'destination: namespace/name of a pod, external:NAME, or a Service (svc:NAME, svc:NAMESPACE/NAME, NAME, cluster IP)',
      once('--to', parseDestination),
    )
    .requiredOption('-p, --port <port>', 'destination port (the service port for a Service): N or N/PROTO, PROTO one of TCP (default), UDP, SCTP; once', once('--port', parsePort))
    .option('-e, --external <name=ip>', 'add an external endpoint external:NAME at IP, matched by ipBlock rules; repeatable', collectExternal)
    .addOption(new Option('--expect <verdict>', `exit ${ExitCode.EXPECTATION_FAILED} unless the connection is allowed (allow) or denied (deny)`).choices(EXPECTATIONS))
    .addOption(cniOption())
    .addOption(meshOption());
  return addInputOptions(command)
    .addHelpText('after', EXAMPLES)
    .action((paths: string[], flags: ExplainFlags) => {
      const result = explainConnection(paths, flags, io);
      io.stdout.write(isServiceExplanation(result) ? formatServiceExplanation(result) : formatExplanation(result));
      checkExpectation(verdictOf(result), flags.expect);
    });
}

function explainConnection(paths: readonly string[], flags: ExplainFlags, io: CliIO): Explanation | ServiceExplanation {
  const { loaded, externals, externalPorts } = loadInputs(paths, io, flags);
  const externalsGiven = mergeExternals(externals, flags.external, io);
  const connectivity = computeConnectivity(loaded, { externals: externalsGiven, externalPorts, cni: flags.cni, mesh: flags.mesh });
  const coverage = policyCoverage(connectivity);
  try {
    const result = explainDestination(connectivity, { from: flags.from, to: flags.to, port: flags.port.port, protocol: flags.port.protocol });
    if (coverage.unselected.length > 0) io.stderr.write(unselectedPoliciesWarning(coverage.unselected, coverage.policies));
    return result;
  } catch (error) {
    // An endpoint that is not in the input is the user's to fix; anything else is a bug and keeps its stack.
    if (error instanceof UnknownEndpointError || error instanceof ServiceRouteError) {
      throw new CliError(coverage.pods === 0 ? `${error.message}\nThe input has no pods. ${HOW_TO_SUPPLY_PODS}` : error.message, ExitCode.BAD_INPUT);
    }
    throw error;
  }
}

function verdictOf(result: Explanation | ServiceExplanation): RouteVerdict {
  if (isServiceExplanation(result)) return result.verdict;
  return result.allowed ? 'allowed' : 'denied';
}

function checkExpectation(verdict: RouteVerdict, expected: Expectation | undefined): void {
  if (expected === undefined || verdict === (expected === 'allow' ? 'allowed' : 'denied')) return;
  const got = verdict === 'partial' ? 'allowed by some backends of the Service and denied by others' : verdict;
  throw new CliError(`expected the connection to be ${expected === 'allow' ? 'allowed' : 'denied'}, but it is ${got}.`, ExitCode.EXPECTATION_FAILED);
}

/** `--from`: `namespace/name` of a pod or `external:NAME`. */
function parseSource(value: string): string {
  const v = value.trim();
  if (/^external:[^/\s]+$/.test(v) || /^[^/\s:]+\/[^/\s]+$/.test(v)) return v;
  throw new InvalidArgumentError(`expected namespace/name of a pod or external:NAME, got "${value}".`);
}

/** `--to`: a source's forms, or a Service: `svc:NAME`, `svc:NAMESPACE/NAME`, a bare `NAME`, or an IP address. */
function parseDestination(value: string): string {
  const v = value.trim();
  if (/^(svc:)?[^/\s:]+(\/[^/\s]+)?$/.test(v) || /^external:[^/\s]+$/.test(v) || /^[0-9a-fA-F.:]+$/.test(v)) return v;
  throw new InvalidArgumentError(`expected namespace/name of a pod, external:NAME, or a Service (svc:NAME, svc:NAMESPACE/NAME, NAME, cluster IP), got "${value}".`);
}
