/**
 * The benchmark's baseline: the scaled example's NetworkPolicies written by hand with cdk8s-plus-28
 * and synthesized by plain cdk8s (`App.synth()`), one chart per tenant.
 *
 * Workloads and flows come from the scaled example itself, so both sides of the comparison describe
 * the same traffic. Per tenant: one baseline policy per namespace (default deny both ways, DNS egress,
 * Prometheus scraping on 9090) and one policy per workload holding its ingress and egress rules.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { EXAMPLE_EXTERNAL_API_CIDR } from '../examples/example-platform';
import { SCALED_TENANT_FLOWS, SCALED_TENANT_WORKLOADS, scaledTenantName } from '../examples/scaled-platform';

/** Figures of one plain-cdk8s synthesis. */
export interface PlainCdk8sRun {
  /** Wall-clock seconds of `app.synth()` alone. */
  readonly seconds: number;
  /** Seconds spent constructing the app (charts, selectors, policies) before synthesis. */
  readonly buildSeconds: number;
  /** Peak resident set size of this process so far, in MiB: meaningful in a fresh child process. */
  readonly peakRssMb: number;
  /** API objects synthesized. */
  readonly objects: number;
  /** Files written to the output directory. */
  readonly files: number;
}

interface WorkloadRef {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
}

/** Everything one workload's policy needs: who may connect in, where it may connect to. */
interface WorkloadRules {
  readonly ingress: { from: WorkloadRef | 'ingress-nginx'; ports: number[] }[];
  readonly egress: { to: WorkloadRef | 'external'; ports: number[] }[];
}

/** An app of `tenants` charts, one per tenant with its policies; `outdir` is where `synth()` writes. */
export function buildPlainCdk8sApp(tenants: number, outdir: string): App {
  const app = new App({ outdir });
  for (let i = 1; i <= tenants; i++) {
    const tenant = scaledTenantName(i);
    new TenantChart(app, tenant, tenant);
  }
  return app;
}

class TenantChart extends Chart {
  private selectorCount = 0;

  constructor(scope: Construct, id: string, tenant: string) {
    super(scope, id);
    const namespaces = [`${tenant}-web`, `${tenant}-data`];
    const workloads = new Map<string, WorkloadRef>(
      SCALED_TENANT_WORKLOADS.map(([suffix, name, port]) => [name, { namespace: `${tenant}-${suffix}`, name, port }]),
    );
    for (const namespace of namespaces) this.baselinePolicy(namespace);
    for (const [name, rules] of workloadRules(workloads)) this.workloadPolicy(workloads.get(name)!, rules);
  }

  /** Default deny in both directions, DNS egress and Prometheus scraping for every pod of the namespace. */
  private baselinePolicy(namespace: string): void {
    new kplus.NetworkPolicy(this, `${namespace}-baseline`, {
      metadata: { name: 'baseline', namespace },
      selector: kplus.Pods.all(this, this.nextId()),
      ingress: {
        default: kplus.NetworkPolicyTrafficDefault.DENY,
        rules: [{ peer: this.podsIn('monitoring', { 'app.kubernetes.io/name': 'prometheus' }), ports: [kplus.NetworkPolicyPort.tcp(9090)] }],
      },
      egress: {
        default: kplus.NetworkPolicyTrafficDefault.DENY,
        rules: [{
          peer: this.podsIn('kube-system', { 'k8s-app': 'kube-dns' }),
          ports: [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)],
        }],
      },
    });
  }

  private workloadPolicy(workload: WorkloadRef, rules: WorkloadRules): void {
    const policy = new kplus.NetworkPolicy(this, `${workload.namespace}-${workload.name}`, {
      metadata: { name: workload.name, namespace: workload.namespace },
      selector: kplus.Pods.select(this, this.nextId(), { labels: { app: workload.name } }),
    });
    // Ports are always explicit: kplus's "all ports" helpers render `port: 0`, which matches nothing.
    for (const rule of rules.ingress) {
      const peer = rule.from === 'ingress-nginx'
        ? this.podsIn('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' })
        : this.podsIn(rule.from.namespace, { app: rule.from.name });
      policy.addIngressRule(peer, rule.ports.map(port => kplus.NetworkPolicyPort.tcp(port)));
    }
    for (const rule of rules.egress) {
      const peer = rule.to === 'external'
        ? kplus.NetworkPolicyIpBlock.ipv4(this, this.nextId(), EXAMPLE_EXTERNAL_API_CIDR)
        : this.podsIn(rule.to.namespace, { app: rule.to.name });
      policy.addEgressRule(peer, rule.ports.map(port => kplus.NetworkPolicyPort.tcp(port)));
    }
  }

  /** Pods with `labels` in the namespace `namespace`, selected by its name label (cdk8s-plus's way). */
  private podsIn(namespace: string, labels: Record<string, string>): kplus.Pods {
    return kplus.Pods.select(this, this.nextId(), {
      labels,
      namespaces: kplus.Namespaces.select(this, this.nextId(), { names: [namespace] }),
    });
  }

  /** Selectors are constructs and need unique ids; they render nothing themselves. */
  private nextId(): string {
    return `s${this.selectorCount++}`;
  }
}

/** The scaled example's flows, grouped per workload: ingress from ingress-nginx to frontend, to backend's external API. */
function workloadRules(workloads: ReadonlyMap<string, WorkloadRef>): Map<string, WorkloadRules> {
  const rules = new Map<string, WorkloadRules>();
  const of = (name: string): WorkloadRules => {
    let r = rules.get(name);
    if (!r) rules.set(name, (r = { ingress: [], egress: [] }));
    return r;
  };
  of('frontend').ingress.push({ from: 'ingress-nginx', ports: [80, 443] });
  for (const [fromName, toName] of SCALED_TENANT_FLOWS) {
    const from = workloads.get(fromName)!;
    const to = workloads.get(toName)!;
    of(fromName).egress.push({ to, ports: [to.port] });
    of(toName).ingress.push({ from, ports: [to.port] });
  }
  of('backend').egress.push({ to: 'external', ports: [443] });
  return rules;
}

/**
 * One baseline measurement, meant to run in a fresh child process (see measure.ts): builds the app in
 * a temporary directory, times `app.synth()` alone, counts what was written and removes it.
 */
export async function runPlainCdk8s(tenants: number): Promise<PlainCdk8sRun> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-bench-plain-cdk8s-'));
  try {
    const buildStart = process.hrtime.bigint();
    const app = buildPlainCdk8sApp(tenants, outdir);
    const synthStart = process.hrtime.bigint();
    app.synth();
    const synthEnd = process.hrtime.bigint();
    // Chart.apiObjects lists direct children only; cdk8s-plus nests each object inside its construct.
    const objects = app.node.findAll().filter(c => ApiObject.isApiObject(c)).length;
    return {
      seconds: Number(synthEnd - synthStart) / 1e9,
      buildSeconds: Number(synthStart - buildStart) / 1e9,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      objects,
      files: fs.readdirSync(outdir).length,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
