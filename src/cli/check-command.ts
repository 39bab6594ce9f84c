import { Command, Option } from 'commander';
import { cniOption, meshOption } from './analyze-command';
import { CliError, ExitCode } from './errors';
import { addInputOptions, InputFlags } from './input';
import { loadInputs, mergeExternals } from './inventory-input';
import { CliIO } from './io';
import { Progress } from './progress';
import { AnalyzeMeshOption, CniOption } from '../analysis';
import { checkManifests, DEFAULT_IGNORED_NAMESPACES } from '../analysis/check';
import { CHECK_FORMATS, CheckFormat, countFindings, formatCheck } from '../analysis/report/check';

interface CheckFlags extends InputFlags {
  readonly cni: CniOption;
  readonly mesh: AnalyzeMeshOption;
  readonly format: CheckFormat;
  readonly maxWarnings?: number;
  readonly ignoreNamespace?: string[];
  readonly allowCrossTenant?: string[];
  readonly tenantLabel?: string;
  readonly maxRuleChecks?: number;
}

const EXAMPLES = `
Examples:
  $ zt check dist/platform dist/kubernetes dist/zt-inventory.txt
  $ zt check policies/ --format sarif > zt.sarif          for GitHub code scanning
  $ zt check dist/ --max-warnings 0                       fail on any warning too

Rules (each finding names its file, document, object and field, and a fix):
  error    no-default-deny-ingress / -egress   a namespace's pods that no policy isolates in that direction
  error    default-deny-without-dns            pods isolated for egress that cannot reach kube-dns on 53/UDP
  warning  policy-selects-no-pod               a policy whose selector matches no pod of the input
  warning  peer-selects-everything             empty namespaceSelector, a rule without peers, 0.0.0.0/0, the all/world entities
  warning  and-or-trap                         namespaceSelector and podSelector as separate peers of one rule
  warning  cross-tenant-connection             allowed connections between namespaces of different tenants
  warning  unknown-named-port                  a named port no container of the pods concerned declares
  warning  workload-not-selected               a workload no policy selects in either direction
  note     shadowed-rule                       a NetworkPolicy rule that allows nothing the others do not
Pods: as in zt analyze (an inventory file beside the manifests gives the declared workloads). Without a cluster DNS
pod, a stand-in kube-system/kube-dns is assumed (noted on stderr).
Exit codes: 0 no error (and no more warnings than --max-warnings), 1 errors found, more warnings than
--max-warnings, or invalid input, 2 usage error, 70 internal error.`;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function nonNegativeInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new CliError(`expected a whole number of 0 or more, got "${value}"`, ExitCode.USAGE);
  return parsed;
}

/** `zt check PATH...`: lint for policy repositories. */
export function checkCommand(io: CliIO): Command {
  const command = new Command('check')
    .description('Lint network policies: namespaces without default-deny, missing DNS, wide peers, the AND/OR trap, shadowed rules, and more.')
    .argument('<paths...>', 'manifest files, directories, or - for standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(CHECK_FORMATS).default('table'))
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', nonNegativeInteger)
    .option('--ignore-namespace <name>', `leave a namespace out of the isolation, DNS and workload rules; repeatable (default: ${DEFAULT_IGNORED_NAMESPACES.join(', ')})`, collect)
    .option('--allow-cross-tenant <from->to>', 'accept the connections from one tenant to another once reviewed; repeatable', collect)
    .option('--tenant-label <key>', 'the namespace label naming the tenant (default: zero-trust.cdk8s.io/tenant)')
    .option('--max-rule-checks <n>', 'check at most this many rules for shadowing (default: 200)', nonNegativeInteger)
    .addOption(cniOption())
    .addOption(meshOption());
  return addInputOptions(command)
    .addHelpText('after', EXAMPLES)
    .action((paths: string[], flags: CheckFlags) => check(paths, flags, io));
}

function check(paths: readonly string[], flags: CheckFlags, io: CliIO): void {
  const progress = new Progress(io.stderr);
  progress.status(`reading ${paths.length === 1 ? paths[0] : `${paths.length} paths`}…`);
  const { loaded, externals, externalPorts } = loadInputs(paths, io, flags);
  progress.status(`checking ${loaded.documents.length} documents…`);
  let report;
  try {
    report = checkManifests(loaded, {
      cni: flags.cni,
      mesh: flags.mesh,
      externals: mergeExternals(externals, undefined, io),
      externalPorts,
      ...(flags.ignoreNamespace ? { ignoreNamespaces: flags.ignoreNamespace } : {}),
      ...(flags.allowCrossTenant ? { allowCrossTenant: flags.allowCrossTenant } : {}),
      ...(flags.tenantLabel ? { tenantLabel: flags.tenantLabel } : {}),
      ...(flags.maxRuleChecks !== undefined ? { maxRuleChecks: flags.maxRuleChecks } : {}),
    });
  } finally {
    progress.clear();
  }
  for (const note of report.notes) io.stderr.write(`note: ${note}\n`);
  io.stdout.write(formatCheck(report, flags.format));
  const counts = countFindings(report);
  if (counts.errors > 0) throw new CliError(`${counts.errors} error${counts.errors === 1 ? '' : 's'} found`, ExitCode.BAD_INPUT);
  if (flags.maxWarnings !== undefined && counts.warnings > flags.maxWarnings) {
    throw new CliError(`${counts.warnings} warnings, more than --max-warnings ${flags.maxWarnings}`, ExitCode.BAD_INPUT);
  }
}
