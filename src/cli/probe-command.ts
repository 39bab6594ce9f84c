import { Command, Option } from 'commander';
import { CliError, ExitCode } from './errors';
import { addInputOptions, InputFlags } from './input';
import { loadInputs } from './inventory-input';
import { CliIO } from './io';
import { once } from './options';
import { CNI_OPTIONS, CniOption, loadProbesFile, MESH_OPTIONS, MeshOption, runProbes } from '../analysis';
import { DEFAULT_MAX_INPUT_BYTES } from '../analysis/input/limits';
import { selectDialects } from '../analysis/probe/dialect-selection';
import { formatProbeReport, PROBE_FORMATS, ProbeFormat } from '../analysis/report';

interface ProbeFlags extends InputFlags {
  readonly probes: string;
  readonly cni: CniOption;
  readonly mesh: MeshOption;
  readonly format: ProbeFormat;
}

const EXAMPLES = `
Examples:
  $ zt probe dist/platform dist/kubernetes dist/zt-inventory.txt --probes examples/example-platform/probes.yaml
  $ zt probe dist/ --probes probes.yaml --format markdown > probes.md      for a pull-request comment
  $ zt probe dist/ --probes probes.yaml --format json | jq '.probes[] | select(.ok == false)'
  $ kubectl get nodes,namespaces,pods,services,networkpolicies -A -o yaml | zt probe - --probes probes.yaml --cni kubernetes
  $ zt probe dist/platform dist/cilium dist/zt-inventory.txt --probes probes.yaml --cni cilium
                                  one backend's output of the folder-per-backend layout, as a Cilium cluster enforces it
  $ zt probe dist/platform dist/calico dist/zt-inventory.txt --probes probes.yaml --cni calico

The probes file (YAML or JSON) is a list of probes, or {probes: [...]}:
  - id: web-to-db                          # optional; defaults to the index
    from: alpha-web/frontend               # namespace/name of a pod or workload, or an endpoint object
    to: alpha-data/database
    port: 5432                             # a number, or a named port of the destination
    protocol: TCP                          # TCP (default), UDP, SCTP, ICMP
    expected: allow                        # optional: allow or deny
Endpoint objects: {pod: "ns/name"}, {ip: ADDRESS}, {fqdn: NAME, ip: ADDRESS} (looked up at the cluster DNS
first, UDP/53), {service: "ns/name"} (port is the service port; allowed only if every backend pod allows it;
default/kubernetes leads to the kube-apiserver's addresses), {node: NAME} (a Node object's host network).
Request fields: http: {method, path, host, headers}, tls: {sni}, dns: {query}, icmp: {type, code, family}
(with protocol: ICMP), clientMtls.

--cni auto (the default) enforces Kubernetes NetworkPolicy plus the CRDs of the CNI whose kinds appear in the
input (Cilium and Calico kinds together are a usage error); --mesh auto (the default) adds Istio when its
kinds appear.
  --cni kubernetes  NetworkPolicy alone, at L3/L4: http, tls and dns do not change a verdict, ICMP probes are
                    refused (exit 2). Where NetworkPolicy leaves the outcome to the plugin (hostNetwork pods,
                    ipBlock and node addresses), the verdict is allow, marked implementation-defined.
  --cni cilium      NetworkPolicy and CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy merged per
                    endpoint (a deny wins); entities, nodes and hostNetwork pods as Cilium identities;
                    http against rules.http (tls payloads never match them), dns against rules.dns, an fqdn
                    against toFQDNs only when its lookup went through a rules.dns rule, ICMP against icmps.
  --cni calico      NetworkPolicy and projectcalico.org/v3 policies in Calico's tiers (Pass, end-of-tier deny,
                    the namespace profile), network sets, service accounts, ICMP. Calico Open Source judges
                    connections, not requests: http and dns are not checked and an fqdn is judged by its address
                    (said in the reasons). Staged policies never change a verdict; the STAGED column (JSON
                    "staged") gives the verdict they would give.
  --mesh istio      PeerAuthentication and AuthorizationPolicy at the destination's sidecar, ANDed with the CNI
                    (reasons say which layer denied): clientMtls (default: Istio's auto mTLS), http against
                    methods/paths/hosts; what the analyzer cannot judge (CUSTOM, ambient mode) is deny, marked ?.
--cni kubernetes and --mesh none evaluate without the other CNIs' objects and Istio's, listing them on stderr. When the
input does not say where a pod runs and that decides the verdict, it is allow, marked implementation-defined (* in the
table), and an expectation on it fails. A directory that a ZeroTrustApp synthesized holds zt-inventory.txt,
the representative pods of the declared workloads, read automatically.

Errors: "zt: <file>:<probe id or index>: <field>: <problem>. <fix>" for probes, "zt: <file>:<document>: <field>:
<problem>" for manifests, on stderr.
Exit codes: 0 every probe with expected agrees, 3 one does not (FAIL in the table), 1 invalid manifests or
probes, or an endpoint, Service or port the input does not hold, 2 usage error (including a dialect that is
not implemented yet, and ICMP under --cni kubernetes), 70 internal error (rerun with --debug and report it).`;

/** `zt probe PATH... --probes FILE`: connectivity expectations as data, checked against the manifests. */
export function probeCommand(io: CliIO): Command {
  const command = new Command('probe')
    .description('Check connectivity expectations (a probes file) against the network policies in the manifests.')
    .argument('<paths...>', 'manifest files, directories (searched recursively for *.yaml, *.yml, *.json), or - for standard input')
    .requiredOption('--probes <file>', 'the probes file: YAML or JSON, a list of probes or {probes: [...]}', once('--probes', (value: string) => value))
    .addOption(new Option('--cni <cni>', 'the network dialects that enforce').choices(CNI_OPTIONS).default('auto'))
    .addOption(new Option('--mesh <mesh>', 'the service mesh that enforces on top of the CNI').choices(MESH_OPTIONS).default('auto'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(PROBE_FORMATS).default('table'));
  return addInputOptions(command)
    .addHelpText('after', EXAMPLES)
    .action((paths: string[], flags: ProbeFlags) => probe(paths, flags, io));
}

function probe(paths: readonly string[], flags: ProbeFlags, io: CliIO): void {
  // A dialect asked for by name is refused before any file is read; `auto` decides once the input is read.
  selectDialects(new Map(), flags.cni, flags.mesh);
  const probes = loadProbesFile(flags.probes, flags.maxInputSize ?? DEFAULT_MAX_INPUT_BYTES);
  const { loaded, externals, externalPorts } = loadInputs(paths, io, flags);
  const report = runProbes(loaded, probes.probes, { cni: flags.cni, mesh: flags.mesh, file: probes.file, externals, externalPorts });
  for (const note of report.notes) io.stderr.write(`${note}\n`);
  io.stdout.write(formatProbeReport(report, flags.format));
  const { failed } = report.summary;
  if (failed > 0) {
    const expectations = report.probes.filter((result) => result.ok !== undefined).length;
    throw new CliError(`${failed} of ${expectations} probes with an expected verdict disagree (FAIL above).`, ExitCode.EXPECTATION_FAILED);
  }
}
