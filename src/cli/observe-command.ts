import * as fs from 'fs';
import * as path from 'path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CliError, ERROR_PREFIX, ExitCode } from './errors';
import { addInputOptions, InputFlags } from './input';
import { loadInputs } from './inventory-input';
import { CliIO } from './io';
import { once } from './options';
import { Progress } from './progress';
import { CNI_OPTIONS, CniOption } from '../analysis';
import { formatByteSize, parseByteSize } from '../analysis/input/limits';
import { checkAgainst, checkTargets, TargetCheck } from '../observe/check';
import { GENERATED_BACKENDS, GeneratedBackend, generateModule, GenerateError } from '../observe/generate';
import { formatFlowProblem, importFlows, InvalidFlowsError, UnreadableFlowsError } from '../observe/import-flows';
import { DEFAULT_MAX_LINE_BYTES } from '../observe/lines';
import { ObservedAggregate } from '../observe/observed';
import { formatObserved, InvalidObservedFileError, readObservedFile } from '../observe/observed-file';
import { formatObservedSummary, textTable } from '../observe/summary';

interface ReadFlags {
  readonly skipInvalid?: boolean;
  readonly maxLineSize?: number;
  readonly dnsNamespace?: string;
  readonly dnsLabel?: Record<string, string>;
}

interface ImportFlags extends ReadFlags {
  readonly out?: string;
  readonly format: 'table' | 'json';
}

interface GenerateFlags {
  readonly observed: string;
  readonly out?: string;
  readonly minCount: number;
  readonly l7?: boolean;
  readonly tenantLabel?: string;
  readonly tenantPrefix?: boolean;
  readonly externalNamespace?: string[];
  readonly backend?: GeneratedBackend[];
  readonly externals: 'fqdn' | 'cidr';
  readonly importFrom: string;
}

interface CheckFlags extends ReadFlags, InputFlags {
  readonly against: string;
  readonly cni: CniOption;
  readonly format: 'table' | 'json';
}

const IMPORT_HELP = `
Examples:
  $ hubble observe --since 24h -o jsonpb > flows.jsonl
  $ zt observe import flows.jsonl --out observed.json
  $ zt observe import node-a.jsonl node-b.jsonl --out observed.json --skip-invalid
  $ kubectl -n kube-system exec ds/cilium -- cat /var/run/cilium/hubble/events.log | zt observe import - --out observed.json

Reads JSON lines as "hubble observe -o jsonpb" and the Hubble exporter write them ({"flow": {...}} per line, or bare
flows), one line at a time. Workloads are keyed by their owner (Hubble's workloads field) or their stable labels
(pod-template-hash, controller-revision-hash and the other per-revision labels left out); addresses outside the
cluster by the DNS name the client looked up, else the address; lookups to the cluster DNS are DNS. Replies are not
flows; dropped flows are listed apart. A record that cannot be read is an error naming the file and line (exit 1),
or, with --skip-invalid, counted and skipped.`;

const GENERATE_HELP = `
Examples:
  $ zt observe generate --observed observed.json --out platform/observed.ts
  $ zt observe generate --observed observed.json --tenant-label tenant --min-count 5 --l7 --out observed.ts
  $ npx ts-node platform/observed.ts dist        synthesizes it (one folder per backend)

The module exports declareObserved(platform), observedBackends() and synthObserved(outdir). It declares only what was
observed: each flow's own ports, DNS names the client looked up (Cilium), the HTTP requests seen as exact paths (--l7,
Cilium). Flows seen fewer than --min-count times, dropped flows and traffic no construct expresses are listed for
review in comments at the end. Exit 1 when the intent cannot be generated as observed (two workloads whose selectors
overlap, a backend that cannot express a DNS name or an HTTP rule).`;

const CHECK_HELP = `
Examples:
  $ zt observe check flows.jsonl --against dist/                       every backend folder of the output
  $ zt observe check flows.jsonl --against dist/ --cni cilium          one of them
  $ zt observe check flows.jsonl --against policies/ --cni kubernetes  any manifests

Replays every forwarded flow and DNS lookup as a probe expecting allow, from pods carrying the labels observed, and
lists the flows the output would drop. A folder-per-backend output (platform/, kubernetes/, cilium/, calico/) is
checked folder by folder, each under its own dialect. Exit 3 when a flow would be dropped, 1 for unreadable flows or
manifests.`;

function collectLabel(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected KEY=VALUE, e.g. k8s-app=kube-dns, got "${value}".`);
  return { ...(previous ?? {}), [value.slice(0, eq)]: value.slice(eq + 1) };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function parseMinCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError(`expected a whole number of 1 or more, got "${value}".`);
  return n;
}

function parseLineSize(value: string): number {
  const bytes = parseByteSize(value);
  if (bytes === undefined || bytes < 1) throw new InvalidArgumentError(`expected a size such as 1M or 512K, got "${value}".`);
  return bytes;
}

function addReadOptions(command: Command): Command {
  return command
    .option('--skip-invalid', 'skip records that cannot be read (counted in the summary) instead of failing')
    .option('--max-line-size <size>', `refuse a line longer than this (default: ${formatByteSize(DEFAULT_MAX_LINE_BYTES)})`, parseLineSize)
    .option('--dns-namespace <namespace>', 'the namespace of the cluster DNS pods (default: kube-system)')
    .option('--dns-label <key=value>', 'a label of the cluster DNS pods, repeatable (default: k8s-app=kube-dns)', collectLabel);
}

/** Reads the exports, with a progress line on a terminal. Maps reading problems to CLI errors (exit 1). */
function readFlows(files: readonly string[], flags: ReadFlags, io: CliIO): ObservedAggregate {
  if (files.filter((f) => f === '-').length > 1) throw new CliError('"-" (standard input) can be given only once.', ExitCode.USAGE);
  const progress = new Progress(io.stderr);
  let bytes = 0;
  let next = 0;
  try {
    return importFlows(files, {
      skipInvalid: flags.skipInvalid,
      ...(flags.maxLineSize !== undefined ? { maxLineBytes: flags.maxLineSize } : {}),
      dns: { ...(flags.dnsNamespace !== undefined ? { namespace: flags.dnsNamespace } : {}), ...(flags.dnsLabel ? { labels: flags.dnsLabel } : {}) },
      onBytes: (n) => {
        bytes += n;
        if (bytes >= next) {
          progress.status(`reading flows: ${formatByteSize(bytes)}`);
          next = bytes + 64 * 1024 * 1024;
        }
      },
    });
  } catch (error) {
    if (error instanceof InvalidFlowsError) {
      for (const problem of error.problems) io.stderr.write(`${ERROR_PREFIX}${formatFlowProblem(problem)}\n`);
      const more = error.total - error.problems.length;
      throw new CliError(`${error.total} invalid flow record${error.total === 1 ? '' : 's'}${more > 0 ? ` (${more} not listed)` : ''}; nothing was written. ` +
        'Fix the export, or give --skip-invalid to skip them (counted in the summary).', ExitCode.BAD_INPUT);
    }
    if (error instanceof UnreadableFlowsError) throw new CliError(error.message, ExitCode.BAD_INPUT);
    throw error;
  } finally {
    progress.clear();
  }
}

function writeFile(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, text);
  } catch (error) {
    throw new CliError(`cannot write ${file}: ${(error as Error).message}`, ExitCode.BAD_INPUT);
  }
}

function importCommand(io: CliIO): Command {
  const command = new Command('import')
    .description('Read Hubble flow exports (JSON lines) and aggregate them into flows between workloads, externals and DNS.')
    .argument('<flows...>', 'flow exports: files written by hubble observe -o jsonpb, or - for standard input')
    .option('-o, --out <file>', 'write the aggregate (JSON) here, for zt observe generate')
    .addOption(new Option('-f, --format <format>', 'what to print on stdout: the summary table, or the aggregate as JSON').choices(['table', 'json']).default('table'));
  return addReadOptions(command)
    .addHelpText('after', IMPORT_HELP)
    .action((files: string[], flags: ImportFlags) => {
      const aggregate = readFlows(files, flags, io);
      if (flags.out) writeFile(flags.out, formatObserved(aggregate));
      io.stdout.write(flags.format === 'json' ? formatObserved(aggregate) : formatObservedSummary(aggregate));
      if (flags.out) io.stderr.write(`note: wrote the aggregate to ${flags.out}; next: zt observe generate --observed ${flags.out} --out observed.ts\n`);
    });
}

function generateCommand(io: CliIO): Command {
  return new Command('generate')
    .description('Write a TypeScript module of constructs that declares the observed flows (and nothing wider).')
    .requiredOption('--observed <file>', 'the aggregate zt observe import --out wrote', once('--observed', (v: string) => v))
    .option('-o, --out <file>', 'write the module here (default: standard output)')
    .option('--min-count <n>', 'declare flows (and HTTP requests, and a namespace\'s DNS) seen at least this many times; list the others for review', parseMinCount, 2)
    .option('--l7', 'declare the HTTP requests seen as L7 rules on their ports (exact paths; needs the Cilium backend)')
    .option('--tenant-label <key>', 'a tenant per value of this namespace label')
    .option('--tenant-prefix', 'a tenant per namespace name prefix (the part before the first "-")')
    .option('--external-namespace <namespace>', 'a namespace the platform does not manage, repeatable (kube-system, kube-public, kube-node-lease and the DNS namespace never are)', collect)
    .addOption(new Option('--backend <backend>', 'a backend to emit, repeatable (default: cilium when DNS names or HTTP rules are declared, else kubernetes)')
      .choices(GENERATED_BACKENDS).argParser((value: string, previous: GeneratedBackend[] | undefined) => {
        if (!(GENERATED_BACKENDS as readonly string[]).includes(value)) throw new InvalidArgumentError(`Allowed choices are ${GENERATED_BACKENDS.join(', ')}.`);
        return [...(previous ?? []), value as GeneratedBackend];
      }))
    .addOption(new Option('--externals <how>', 'name addresses outside the cluster by the DNS name looked up (fqdn) or by address (cidr)').choices(['fqdn', 'cidr']).default('fqdn'))
    .option('--import-from <module>', 'the module to import the constructs from', 'cdk8s-zero-trust')
    .addHelpText('after', GENERATE_HELP)
    .action((flags: GenerateFlags) => {
      if (flags.tenantLabel !== undefined && flags.tenantPrefix) throw new CliError('give --tenant-label or --tenant-prefix, not both.', ExitCode.USAGE);
      let aggregate: ObservedAggregate;
      try {
        aggregate = readObservedFile(flags.observed);
      } catch (error) {
        if (error instanceof InvalidObservedFileError) throw new CliError(error.message, ExitCode.BAD_INPUT);
        throw error;
      }
      let generated;
      try {
        generated = generateModule(aggregate, {
          minCount: flags.minCount,
          l7: flags.l7 === true,
          ...(flags.tenantLabel !== undefined ? { tenantLabel: flags.tenantLabel } : {}),
          tenantPrefix: flags.tenantPrefix === true,
          externalNamespaces: flags.externalNamespace ?? [],
          ...(flags.backend ? { backends: flags.backend } : {}),
          externals: flags.externals,
          importFrom: flags.importFrom,
          sourceName: path.basename(flags.observed),
        });
      } catch (error) {
        if (error instanceof GenerateError) {
          for (const problem of error.problems) io.stderr.write(`${ERROR_PREFIX}${problem}\n`);
          throw new CliError(`${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}; nothing was generated.`, ExitCode.BAD_INPUT);
        }
        throw error;
      }
      if (flags.out) {
        writeFile(flags.out, generated.code);
        io.stderr.write(`note: wrote ${flags.out}: ${generated.declared} ports declared, ${generated.review} entries listed for review, backends ${generated.backends.join(', ')}\n`);
      } else {
        io.stdout.write(generated.code);
      }
    });
}

function formatChecks(checks: readonly TargetCheck[]): string {
  const parts: string[] = [];
  for (const check of checks) {
    parts.push(`${check.target}, under ${check.cni}: ${check.flows} flows replayed (${check.probes} probes), ${check.dropped.length} would be dropped.\n`);
    if (check.dropped.length === 0) continue;
    parts.push(textTable(['FLOW', 'SEEN', 'DENIED', 'WHY (first denial)'], check.dropped.map((d) => {
      const first = d.denied[0];
      const reason = first.reasons.find((r) => r.effect !== 'allow' && r.effect !== 'default') ?? first.reasons[0];
      const why = [reason?.direction, reason?.policy, reason?.detail ?? reason?.effect, reason?.l7].filter(Boolean).join(': ');
      return [d.flow, String(d.count), `${first.from} -> ${first.to}`, first.undetermined ?? why];
    })));
  }
  return parts.join('');
}

function checkCommand(io: CliIO): Command {
  const command = new Command('check')
    .description('Replay observed flows as probes against a platform\'s output and list those it would drop.')
    .argument('<flows...>', 'flow exports (hubble observe -o jsonpb), or - for standard input')
    .requiredOption('--against <dir>', 'the output to check: a directory (a folder-per-backend dist/ is checked folder by folder) or a manifest file', once('--against', (v: string) => v))
    .addOption(new Option('--cni <cni>', 'the dialect to check under (auto: each backend folder under its own, else from the kinds)').choices(CNI_OPTIONS).default('auto'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'));
  return addInputOptions(addReadOptions(command))
    .addHelpText('after', CHECK_HELP)
    .action((files: string[], flags: CheckFlags) => {
      if (!fs.existsSync(flags.against)) throw new CliError(`${flags.against}: no such file or directory.`, ExitCode.BAD_INPUT);
      const aggregate = readFlows(files, flags, io);
      const targets = checkTargets(flags.against, flags.cni);
      if (targets.length === 0) throw new CliError(`${flags.against} has no ${flags.cni}/ folder to check under --cni ${flags.cni}.`, ExitCode.BAD_INPUT);
      const checks: TargetCheck[] = [];
      for (const target of targets) {
        const { loaded, externals, externalPorts } = loadInputs(target.paths, io, flags);
        const check = checkAgainst(aggregate, loaded, { cni: target.cni, externals, externalPorts, target: target.label });
        for (const note of check.notes) io.stderr.write(`${note}\n`);
        checks.push(check);
      }
      io.stdout.write(flags.format === 'json' ? `${JSON.stringify({ checks }, null, 2)}\n` : formatChecks(checks));
      const dropped = checks.reduce((n, c) => n + c.dropped.length, 0);
      if (dropped > 0) {
        throw new CliError(`${dropped} observed flow${dropped === 1 ? '' : 's'} would be dropped (listed above): enforcing this output would break them.`, ExitCode.EXPECTATION_FAILED);
      }
    });
}

/**
 * A command with subcommands of its own: the program copies its settings (output, exit override) onto its
 * commands once they are added, and this passes them on to the subcommands.
 */
class CommandGroup extends Command {
  public copyInheritedSettings(source: Command): this {
    super.copyInheritedSettings(source);
    for (const sub of this.commands) sub.copyInheritedSettings(this);
    return this;
  }
}

/** `zt observe import|generate|check`: intent from observed traffic. */
export function observeCommand(io: CliIO): Command {
  const command = new CommandGroup('observe')
    .description('Intent from observed traffic: import Hubble flows, generate TypeScript intent, check an output against the flows.');
  for (const sub of [importCommand(io), generateCommand(io), checkCommand(io)]) command.addCommand(sub);
  return command;
}
