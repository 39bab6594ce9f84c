import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { NamespaceManifestsChart } from './namespace-manifests-chart';
import type { ZeroTrustNamespace } from './zero-trust-namespace';
import { Backend } from '../backends/backend-choice';
import { Manifest } from '../backends/manifest';
import { formatIssue, ValidationIssue, ZeroTrustValidationError } from '../model/issues';
import { dns1123LabelProblem } from '../model/names';
import { PlatformModel } from '../model/platform-model';
import { Port } from '../model/port';
import { compareStrings } from '../model/selector';

/** Where the cluster DNS pods are. */
export interface DnsOptions {
  /** @default 'kube-system' */
  readonly namespace?: string;
  /** Pod labels of the DNS server. @default { 'k8s-app': 'kube-dns' } */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default [Port.udp(53), Port.tcp(53)] */
  readonly ports?: readonly Port[];
}

export interface ZeroTrustPlatformProps {
  /** The dialects to emit, chosen explicitly, e.g. `[Backend.KUBERNETES]`. */
  readonly backends: readonly Backend[];
  /** The cluster DNS service every namespace may query. @default kube-dns pods in kube-system, UDP and TCP 53 */
  readonly dns?: DnsOptions;
  /**
   * The cluster's pod and Service CIDRs. Some CNIs (Calico) match ipBlock peers against pod IPs, so a
   * CIDR peer such as `Peer.anyIpv4()` could reach pods, across tenants, around the declared flows.
   * Given these, every CIDR peer gets them as `except`, and a CIDR peer inside one is an error.
   * @default - none: CIDR peers are emitted as declared
   */
  readonly clusterNetworks?: readonly string[];
}

/** The platform's rendered output, per chart. */
interface Rendering {
  readonly cluster: Manifest[];
  readonly byNamespace: Map<string, Manifest[]>;
}

const PLATFORM_SYMBOL = Symbol.for('cdk8s-zero-trust.ZeroTrustPlatform');

/**
 * The root of a zero-trust platform: platform-wide settings, the registry of namespaces and
 * tenants that is validated as a whole, and the chart of cluster-scoped objects (Namespaces).
 *
 * Each managed namespace gets its own chart at the app root, named after the namespace, so that
 * `app.synth()` writes `<platform>.k8s.yaml` plus one `<namespace>.k8s.yaml` per namespace, and
 * no two objects overwrite each other.
 */
export class ZeroTrustPlatform extends Chart {
  /** The platform a construct belongs to (its nearest ZeroTrustPlatform ancestor). */
  public static of(construct: IConstruct): ZeroTrustPlatform {
    for (let scope: IConstruct | undefined = construct; scope; scope = scope.node.scope) {
      if (ZeroTrustPlatform.isZeroTrustPlatform(scope)) return scope;
    }
    throw new Error(`${construct.node.path || '<root>'}: not inside a ZeroTrustPlatform. Create it under one: new ZeroTrustNamespace(platform, ...)`);
  }

  public static isZeroTrustPlatform(x: unknown): x is ZeroTrustPlatform {
    return x !== null && typeof x === 'object' && PLATFORM_SYMBOL in x;
  }

  /** @internal */
  public readonly _model: PlatformModel;
  public readonly backends: readonly Backend[];
  private readonly structuralIssues: ValidationIssue[] = [];
  private readonly namespacesByName = new Map<string, ZeroTrustNamespace>();
  private rendering?: { readonly revision: string; readonly result: Rendering | readonly ValidationIssue[] };

  constructor(scope: Construct, id: string, props: ZeroTrustPlatformProps) {
    super(scope, id);
    Object.defineProperty(this, PLATFORM_SYMBOL, { value: true });
    this.backends = [...(props.backends ?? [])];
    const dns = props.dns ?? {};
    this._model = new PlatformModel({
      path: this.node.path,
      namespace: dns.namespace ?? 'kube-system',
      selector: { matchLabels: dns.labels ?? { 'k8s-app': 'kube-dns' } },
      ports: (dns.ports ?? [Port.udp(53), Port.tcp(53)]).map((p) => p.spec),
    }, [...(props.clusterNetworks ?? [])]);
    if (this.backends.length === 0) {
      this.addStructuralIssue({ path: this.node.path, field: 'backends', message: 'no backend chosen', fix: 'choose the dialects to emit, e.g. backends: [Backend.KUBERNETES]' });
    }
    // cdk8s prefixes each message with the platform path; every message keeps its own construct path too.
    this.node.addValidation({ validate: () => this.validateIntent().map(formatIssue) });
  }

  /** The managed namespace of that name, if declared. */
  public findNamespace(name: string): ZeroTrustNamespace | undefined {
    return this.namespacesByName.get(name);
  }

  /**
   * Registers a namespace and creates the chart that receives its policies, at the app root
   * with the namespace name as id. @internal
   */
  public _registerNamespace(namespace: ZeroTrustNamespace): void {
    const name = namespace.name;
    // An invalid or duplicate name is reported by the model; it gets no chart.
    if (dns1123LabelProblem(name) !== undefined || this.namespacesByName.has(name)) return;
    this.namespacesByName.set(name, namespace);
    const root = this.node.root;
    const existing = root.node.tryFindChild(name);
    if (existing) {
      const owner = NamespaceManifestsChart.isNamespaceManifestsChart(existing) ? existing.platform : undefined;
      this.addStructuralIssue({
        path: namespace.node.path,
        field: 'name',
        message: owner
          ? `namespace '${name}' is already managed by the platform ${owner.node.path}`
          : `the app already has a construct '${name}' (${existing.node.path}); a namespace's chart is named after the namespace`,
        fix: owner ? 'manage each namespace from one platform' : `rename that construct (its id '${name}' is the namespace's file name)`,
      });
      return;
    }
    new NamespaceManifestsChart(root, name, { namespace: name, platform: this });
  }

  /** Every object of this platform: cluster-scoped first, then per namespace (sorted). Throws ZeroTrustValidationError. */
  public manifests(): Manifest[] {
    const rendering = this.render();
    const names = [...rendering.byNamespace.keys()].sort(compareStrings);
    return [...rendering.cluster, ...names.flatMap((n) => rendering.byNamespace.get(n)!)];
  }

  /** Cluster-scoped objects (Namespaces). Never stamped with a chart namespace. */
  public toJson(): Manifest[] {
    return this.render().cluster;
  }

  /** @internal objects of one namespace chart */
  public _manifestsOf(namespace: string): Manifest[] {
    return this.render().byNamespace.get(namespace) ?? [];
  }

  /** Every validation issue of the platform, or an empty list. */
  public validateIntent(): readonly ValidationIssue[] {
    const result = this.renderOrIssues();
    return Array.isArray(result) ? result : [];
  }

  private render(): Rendering {
    const result = this.renderOrIssues();
    if (Array.isArray(result)) throw new ZeroTrustValidationError(result);
    return result as Rendering;
  }

  private renderOrIssues(): Rendering | readonly ValidationIssue[] {
    // Structural issues are only ever appended, so their count identifies their state.
    const revision = `${this._model.cacheKey()}:${this.structuralIssues.length}`;
    if (this.rendering?.revision === revision) return this.rendering.result;
    const result = this.renderNow();
    this.rendering = { revision, result };
    return result;
  }

  private renderNow(): Rendering | readonly ValidationIssue[] {
    const issues: ValidationIssue[] = [...this.structuralIssues, ...this.outputTypeIssues(), ...this.strayObjectIssues()];
    const resolution = this._model.resolve();
    if (!resolution.ok) return [...issues, ...resolution.issues];
    const model = resolution.model;

    const cluster: Manifest[] = model.namespaces
      .filter((n) => n.emitNamespace)
      .map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n.name, labels: { ...n.labels } } }));
    const byNamespace = new Map<string, Manifest[]>(model.namespaces.map((n) => [n.name, []]));
    for (const backend of this.backends) {
      const rendered = backend._renderer().render(model);
      issues.push(...rendered.issues);
      for (const manifest of rendered.manifests) {
        const namespace = manifest.metadata.namespace;
        const bucket = namespace === undefined ? cluster : byNamespace.get(namespace);
        if (!bucket) throw new Error(`internal: backend ${backend.id} emitted into unmanaged namespace ${namespace}`);
        bucket.push(manifest);
      }
    }
    if (issues.length > 0) return issues;
    return { cluster, byNamespace };
  }

  private addStructuralIssue(issue: ValidationIssue): void {
    this.structuralIssues.push(issue);
  }

  /** Our charts write only the rendered policies: an object created inside the platform would be lost. */
  private strayObjectIssues(): ValidationIssue[] {
    return this.node
      .findAll()
      .filter((c) => ApiObject.isApiObject(c))
      .map((c) => ({
        path: c.node.path,
        field: 'scope',
        message: `the ${(c as ApiObject).kind} created inside the ZeroTrustPlatform would not be written: the platform's charts hold only the rendered policies`,
        fix: "create it in a chart of your own, e.g. new Chart(app, 'workloads'); cdk8s-plus workloads can then be used with namespace.adopt(workload)",
      }));
  }

  private outputTypeIssues(): ValidationIssue[] {
    const root = this.node.root;
    if (!(root instanceof App)) return [];
    const type = root.yamlOutputType;
    if (type === YamlOutputType.FILE_PER_RESOURCE || type === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE) {
      return [
        {
          path: this.node.path,
          field: 'App.yamlOutputType',
          message: `${YamlOutputType[type]} is not supported: ${
            type === YamlOutputType.FILE_PER_RESOURCE
              ? 'it writes same-named objects of different namespaces (every default-deny-all) to one file, so all but one are lost'
              : 'it bypasses the charts that hold the rendered policies'
          }`,
          fix: 'use ZeroTrustApp, or App with YamlOutputType.FILE_PER_CHART (one file per namespace) or FILE_PER_APP',
        },
      ];
    }
    return [];
  }
}

