import { Command } from 'commander';
import { CliError, ExitCode } from './errors';
import { addInputOptions, InputFlags, loadPaths } from './input';
import { CliIO } from './io';
import { collectExternal, once, parseEndpoint, parsePort } from './options';
import { explain, Explanation, UnknownEndpointError } from '../analysis';
import { formatExplanation } from '../analysis/report';
import { ProbePort } from '../analysis/types';

interface ExplainFlags extends InputFlags {
  readonly from: string;
  readonly to: string;
  readonly port: ProbePort;
  readonly external?: Record<string, string>;
}

const EXAMPLES = `
Examples:
  $ zt explain dist/ --from alpha-web/frontend --to alpha-data/backend --port 8080
  $ zt explain dist/ --from alpha-web/frontend --to external:dns --port 53/UDP --external dns=10.0.0.10
  $ kubectl get namespaces,pods,networkpolicies -A -o yaml | zt explain - --from a/x --to b/y --port 443

The first line is the verdict; then, for the source's egress and the destination's ingress, which
policies select the pod, whether that isolates it, and which rule allowed the connection (or that none did).
--from, --to and --port may each be given once: one run explains one connection (zt analyze --port takes several).
Errors: "zt: <file>:<document>: <field>: <problem>" on stderr, <document> counting from 0.
Exit codes: 0 explained (allowed or denied), 1 invalid input or unknown endpoint, 2 usage error
(including a repeated --from, --to or --port), 3 internal error (rerun with --debug and report it).`;

/** `zt explain PATH... --from --to --port`: why one connection is allowed or denied. */
export function explainCommand(io: CliIO): Command {
  const command = new Command('explain')
    .description('Explain why one connection is allowed or denied: the policies and rules on each side.')
    .argument('<paths...>', 'manifest files, directories (searched recursively for *.yaml, *.yml, *.json), or - for standard input')
    .requiredOption('--from <endpoint>', 'source: namespace/name of a pod, or external:NAME', once('--from', parseEndpoint))
    .requiredOption('--to <endpoint>', 'destination: namespace/name of a pod, or external:NAME', once('--to', parseEndpoint))
    .requiredOption('-p, --port <port>', 'destination port: N or N/PROTO, PROTO one of TCP (default), UDP, SCTP; once', once('--port', parsePort))
    .option('-e, --external <name=ip>', 'add an external endpoint external:NAME at IP, matched by ipBlock rules; repeatable', collectExternal);
  return addInputOptions(command)
    .addHelpText('after', EXAMPLES)
    .action((paths: string[], flags: ExplainFlags) => {
      io.stdout.write(formatExplanation(explainConnection(paths, flags, io)));
    });
}

function explainConnection(paths: readonly string[], flags: ExplainFlags, io: CliIO): Explanation {
  const loaded = loadPaths(paths, io, flags);
  try {
    return explain(loaded, { from: flags.from, to: flags.to, port: flags.port.port, protocol: flags.port.protocol }, { externals: flags.external });
  } catch (error) {
    // An endpoint that is not in the input is the user's to fix; anything else is a bug and keeps its stack.
    if (error instanceof UnknownEndpointError) throw new CliError(error.message, ExitCode.BAD_INPUT);
    throw error;
  }
}
