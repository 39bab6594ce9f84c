import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { appIssues } from './app-checks';
import { checkedChildId, childWithId, idForName } from './construct-ids';
import { targetIssues } from './delivery-targets';
import { NamespaceManifestsChart } from './namespace-manifests-chart';
import { layoutOf, OutputLayout } from './output-layout';
import { AllowRuleOptions, declareAllowance, declareDeny, DenyOptions, PlatformRule, RestrictIngressOptions } from './platform-rules';
import { Manifest } from '../backends/manifest';
import { Backend } from '../backends/registry';
import { GuardrailsOutput, PlatformRendering, renderPlatform } from '../backends/render';
import { IGuardrails } from '../guardrails/guardrails';
import { formatIssue, ValidationIssue, ZeroTrustValidationError } from '../model/issues';
import { dns1123LabelProblem } from '../model/names';
import { IPeer } from '../model/peer';
import { PlatformModel } from '../model/platform-model';
import { Port, portSpecOf } from '../model/port';
import { describeValue } from '../model/values';

/** Where the cluster DNS pods are. */
export interface DnsOptions {
  /** @default 'kube-system' */
  readonly namespace?: string;
  /** Pod labels of the DNS server. @default { 'k8s-app': 'kube-dns' } */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default [Port.udp(53), Port.tcp(53)] */
  readonly ports?: readonly Port[];
  /**
   * The link-local address of NodeLocal DNSCache (https://kubernetes.io/docs/tasks/administer-cluster/nodelocaldns/),
   * e.g. `'169.254.20.10'`: pods may query it as well as the DNS pods, on the same ports.
   * @default - none
   */
  readonly nodeLocal?: string;
}

export interface ZeroTrustPlatformProps {
  /**
   * The dialects to emit, chosen explicitly: the targets of one synthesis, e.g.
   * `[Backend.kubernetes({ omit: [Feature.FQDN] }), Backend.cilium()]`. Give `backends` or `backend`.
   */
  readonly backends?: readonly Backend[];
  /** The one dialect to emit, e.g. `Backend.cilium()`: the same as `backends: [backend]`. */
  readonly backend?: Backend;
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

const PLATFORM_SYMBOL = Symbol.for('cdk8s-zero-trust.ZeroTrustPlatform');

/**
 * The root of a zero-trust platform: platform-wide settings, the registry of namespaces and
 * tenants that is validated as a whole, and the chart of cluster-scoped objects (Namespaces).
 *
 * Each managed namespace gets its own chart at the app root, named after the namespace, so that
 * `app.synth()` writes `<platform>.k8s.yaml` plus one `<namespace>.k8s.yaml` per namespace, and
 * no two objects overwrite each other. (The namespace `constructor`, which no construct can have as
 * id, gets the chart `constructor-namespace`.)
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
  /** Guardrails attached to the platform (at most one per engine). */
  private readonly guardrails: IGuardrails[] = [];
  private rendering?: { readonly revision: string; readonly result: PlatformRendering | readonly ValidationIssue[] };
  private appScan?: { readonly issues: readonly ValidationIssue[]; readonly key: string };

  constructor(scope: Construct, id: string, props: ZeroTrustPlatformProps) {
    super(scope, checkedChildId(scope, id, 'ZeroTrustPlatform', "choose another id, e.g. 'platform'"));
    Object.defineProperty(this, PLATFORM_SYMBOL, { value: true });
    const given: Partial<ZeroTrustPlatformProps> = props ?? {};
    const listed = listProp(this.node.path, 'backends', given.backends, 'Backend.kubernetes()');
    if (listed !== undefined && given.backend !== undefined) {
      throw new TypeError(`[${this.node.path}] backend: both backend and backends are given. Fix: give one: backend: Backend.cilium(), or backends: [Backend.kubernetes(), Backend.cilium()]`);
    }
    this.backends = given.backend !== undefined ? [given.backend] : [...(listed ?? [])];
    const dns = given.dns ?? {};
    const dnsPorts = listProp(this.node.path, 'dns.ports', dns.ports, 'Port.udp(53), Port.tcp(53)') ?? [Port.udp(53), Port.tcp(53)];
    this._model = new PlatformModel({
      path: this.node.path,
      namespace: dns.namespace ?? 'kube-system',
      selector: { matchLabels: dns.labels ?? { 'k8s-app': 'kube-dns' } },
      ports: dnsPorts.map((p, i) => portSpecOf(p, this.node.path, `dns.ports[${i}]`, 'e.g. Port.udp(53)')),
      ...(dns.nodeLocal !== undefined ? { nodeLocal: dns.nodeLocal } : {}),
    }, [...(listProp(this.node.path, 'clusterNetworks', given.clusterNetworks, "'10.244.0.0/16'") ?? [])]);
    this.structuralIssues.push(...backendIssues(this.node.path, this.backends));
    // cdk8s prefixes each message with the platform path; every message keeps its own construct path too.
    this.node.addValidation({ validate: () => this.validateIntent().map(formatIssue) });
  }

  /**
   * Creates the chart that receives a managed namespace's policies, at the app root with the
   * namespace name as id (`idForName`). Called once per valid name (the model reports invalid and
   * duplicate ones). @internal
   */
  public _registerNamespace(name: string, path: string): void {
    const root = this.node.root;
    // `constructor` is a valid namespace name but no construct id: its chart is `constructor-namespace`.
    const chartId = idForName(name, 'namespace');
    const existing = childWithId(root, chartId);
    if (!existing) {
      new NamespaceManifestsChart(root, chartId, { namespace: name, source: this });
      return;
    }
    const chart = NamespaceManifestsChart.isNamespaceManifestsChart(existing) ? existing : undefined;
    this.structuralIssues.push({
      path,
      field: 'name',
      message: !chart
        ? `the app already has a construct '${chartId}' (${existing.node.path}); a namespace's chart is named after the namespace`
        : chart.namespaceName === name
          ? `namespace '${name}' is already managed by the platform ${chart.platform.node.path}`
          : `the chart of namespace '${chart.namespaceName}' (managed by ${chart.platform.node.path}) is named '${chartId}', the name this namespace's chart needs`,
      fix: !chart
        ? `rename that construct (its id '${chartId}' is the namespace's file name)`
        : chart.namespaceName === name
          ? 'manage each namespace from one platform'
          : `rename one of the two namespaces ('${name}' or '${chart.namespaceName}')`,
    });
  }

  /** The engines of the platform's guardrails, e.g. `['kyverno']`: their folders in the folder-per-backend layout. */
  public get guardrailEngines(): readonly string[] {
    return this.guardrails.map((g) => g.engine);
  }

  /**
   * Attaches guardrails (KyvernoGuardrails), rendered with the platform from the same plan. One per
   * engine: a second one is an issue. @internal
   */
  public _addGuardrails(guardrails: IGuardrails): void {
    const earlier = this.guardrails.find((g) => g.engine === guardrails.engine);
    if (earlier) {
      this.structuralIssues.push({
        path: guardrails.node.path,
        field: 'scope',
        message: `the platform already has ${guardrails.engine} guardrails (${earlier.node.path}); two would emit the same cluster-wide policies`,
        fix: `declare one set of ${guardrails.engine} guardrails per platform, and configure it through its props`,
      });
      return;
    }
    this.guardrails.push(guardrails);
  }

  /**
   * Denies egress to `peer`, for every pod of the platform's namespaces (or `of`, or the whole
   * cluster): `platform.denyEgress('no-metadata', Peer.cidr('169.254.169.254/32'))`. A deny wins over
   * every allow, of this program or any other, on backends that have denies; backends without them
   * refuse it unless the target declares it omits `Feature.DENY`. `id` names the rule's policy.
   */
  public denyEgress(id: string, peer: IPeer, options: DenyOptions = {}): PlatformRule {
    const rule = new PlatformRule(this, id);
    declareDeny(this._model, rule, 'denyEgress', peer, options);
    return rule;
  }

  /** Denies ingress from `peer`, like `denyEgress`: `platform.denyIngress('no-ssh', Peer.world(), { ports: [Port.tcp(22)] })`. */
  public denyIngress(id: string, peer: IPeer, options: DenyOptions = {}): PlatformRule {
    const rule = new PlatformRule(this, id);
    declareDeny(this._model, rule, 'denyIngress', peer, options);
    return rule;
  }

  /**
   * Lets only `onlyFrom` reach `ports` of the platform's pods (or `of`, or the whole cluster), and
   * denies everyone else, e.g. only the monitoring namespace may reach the metrics ports:
   * `platform.restrictIngress('metrics', { ports: [Port.tcp(9090)], onlyFrom: [monitoring] })`.
   * It allows nothing by itself: the flows from `onlyFrom` are still declared one by one.
   */
  public restrictIngress(id: string, options: RestrictIngressOptions): PlatformRule {
    const rule = new PlatformRule(this, id);
    declareDeny(this._model, rule, 'restrictIngress', undefined, options);
    return rule;
  }

  /**
   * Allows every pod of the platform's namespaces (or `of`) to reach `peer`, declared once:
   * `platform.allowEgress('apiserver', Peer.kubeApiserver({ addresses }), { ports: [Port.tcp(443)] })`.
   * Declared by the platform, it needs no cross-tenant permission.
   */
  public allowEgress(id: string, peer: IPeer, options: AllowRuleOptions): PlatformRule {
    const rule = new PlatformRule(this, id);
    declareAllowance(this._model, rule, 'allowEgress', peer, options);
    return rule;
  }

  /** Allows `peer` to reach every pod of the platform's namespaces (or `of`), like `allowEgress`. */
  public allowIngress(id: string, peer: IPeer, options: AllowRuleOptions): PlatformRule {
    const rule = new PlatformRule(this, id);
    declareAllowance(this._model, rule, 'allowIngress', peer, options);
    return rule;
  }

  /** Every object of this platform: cluster-scoped first, then per namespace (sorted). Throws ZeroTrustValidationError. */
  public manifests(): Manifest[] {
    const rendering = this.render();
    return [...this.clusterObjects(rendering), ...rendering.managedNamespaces.flatMap((n) => this.namespaceObjects(rendering, n))];
  }

  /**
   * The platform's output keyed by backend: the Namespace objects, then each backend's objects per
   * managed namespace and its cluster-scoped objects. Throws ZeroTrustValidationError.
   */
  public renderOutput(): PlatformRendering {
    return this.render();
  }

  /** Cluster-scoped objects (Namespaces, each backend's, then the guardrails'). Never stamped with a chart namespace. */
  public toJson(): Manifest[] {
    return this.clusterObjects(this.render());
  }

  /** @internal objects of one namespace chart */
  public _manifestsOf(namespace: string): Manifest[] {
    return this.namespaceObjects(this.render(), namespace);
  }

  /**
   * Every validation issue of the platform, or an empty list. Always checks the final intent: each call
   * rescans the app for what the model cannot see (stray objects, chart files), so a validation made
   * before the program was complete is never reused by synthesis.
   */
  public validateIntent(): readonly ValidationIssue[] {
    this.scanApp();
    const result = this.renderOrIssues();
    return Array.isArray(result) ? result : [];
  }

  private clusterObjects(rendering: PlatformRendering): Manifest[] {
    return [...rendering.namespaces, ...rendering.backends.flatMap((b) => b.cluster), ...rendering.guardrails.flatMap((g) => g.objects)];
  }

  private namespaceObjects(rendering: PlatformRendering, namespace: string): Manifest[] {
    return rendering.backends.flatMap((b) => b.byNamespace.get(namespace) ?? []);
  }

  private render(): PlatformRendering {
    const result = this.renderOrIssues();
    if (Array.isArray(result)) throw new ZeroTrustValidationError(result);
    return result as PlatformRendering;
  }

  private renderOrIssues(): PlatformRendering | readonly ValidationIssue[] {
    const app = this.appScan ?? this.scanApp();
    // Structural issues and guardrails are only ever appended, so their counts identify their state.
    const revision = `${this._model.cacheKey()}:${this.structuralIssues.length}:${this.guardrails.length}:${app.key}`;
    if (this.rendering?.revision === revision) return this.rendering.result;
    const result = this.renderNow(app.issues);
    this.rendering = { revision, result };
    return result;
  }

  /** The app-level checks, rescanned by every validation (the per-chart renderings reuse the last scan). */
  private scanApp(): { readonly issues: readonly ValidationIssue[]; readonly key: string } {
    const issues = appIssues(this, {
      ownedBy: (chart) => chart === this || (NamespaceManifestsChart.isNamespaceManifestsChart(chart) && chart.platform === this),
      isPlatformChart: (chart) => ZeroTrustPlatform.isZeroTrustPlatform(chart) || NamespaceManifestsChart.isNamespaceManifestsChart(chart),
      isPlatform: (chart) => ZeroTrustPlatform.isZeroTrustPlatform(chart),
    });
    if (layoutOf(this.node.root) === OutputLayout.FOLDER_PER_BACKEND) {
      const platforms = this.node.root.node.findAll().filter((c): c is ZeroTrustPlatform => ZeroTrustPlatform.isZeroTrustPlatform(c));
      issues.push(...targetIssues(this, platforms));
    }
    this.appScan = { issues, key: issues.map(formatIssue).join('\n') };
    return this.appScan;
  }

  private renderNow(appIssueList: readonly ValidationIssue[]): PlatformRendering | readonly ValidationIssue[] {
    const issues: ValidationIssue[] = [...this.structuralIssues, ...appIssueList];
    const planned = this._model.plan();
    if (!planned.ok) return [...issues, ...planned.issues];
    // Rendering needs every backend to be one; the problems with the list itself are structural issues.
    if (this.backends.some((b) => typeof b?._renderer !== 'function')) return issues;
    const mesh = planned.plan.model.mesh;
    // A mesh no backend renders would be a promise of STRICT mTLS that nothing keeps.
    if (mesh && !this.backends.some((b) => b._column === 'istio' || b._column === undefined)) {
      issues.push({ path: mesh.path, field: 'backends', message: 'the mesh is declared, but no backend of the platform renders it', fix: 'add Backend.istio() to the platform\'s backends' });
    }
    const rendered = renderPlatform(planned.plan, this.backends, this.node.path);
    const guardrails: GuardrailsOutput[] = [];
    for (const g of this.guardrails) {
      const result = g._render(planned.plan);
      if (result.ok) guardrails.push({ engine: g.engine, objects: result.manifests });
      else issues.push(...result.issues);
    }
    if (!rendered.ok) return [...issues, ...rendered.issues];
    return issues.length > 0 ? issues : { ...rendered.rendering, guardrails };
  }
}

/**
 * A list property as given, or undefined when absent. Only JavaScript callers can pass something
 * else (a single value, a string); it cannot be recorded, so it fails at once.
 */
function listProp<T>(path: string, field: string, value: readonly T[] | undefined, example: string): readonly T[] | undefined {
  if (value === undefined || value === null || Array.isArray(value)) return value ?? undefined;
  throw new TypeError(`[${path}] ${field}: ${describeValue(value)} is not a list. Fix: pass an array, e.g. ${field}: [${example}]`);
}

/** At least one backend; ids unique DNS-1123 labels, since each names the backend's output folder. */
function backendIssues(path: string, backends: readonly Backend[]): ValidationIssue[] {
  if (backends.length === 0) {
    return [{ path, field: 'backends', message: 'no backend chosen', fix: 'choose the dialects to emit, e.g. backends: [Backend.KUBERNETES], or backend: Backend.cilium()' }];
  }
  const issues: ValidationIssue[] = [];
  const seen = new Map<string, number>();
  backends.forEach((backend, index) => {
    const field = `backends[${index}]`;
    if (typeof backend?._renderer !== 'function') {
      issues.push({ path, field, message: `${String(backend)} is not a Backend`, fix: 'use Backend.kubernetes(), or Backend.custom(renderer) for a renderer of your own' });
      return;
    }
    const idProblem = typeof backend.id === 'string' ? dns1123LabelProblem(backend.id) : 'is missing';
    if (idProblem) {
      issues.push({ path, field: `${field}.id`, message: `backend id ${idProblem}`, fix: 'give the renderer an id that is a lowercase DNS-1123 label, e.g. "summary"' });
      return;
    }
    issues.push(...backend._optionIssues(path, field));
    const earlier = seen.get(backend.id);
    if (earlier !== undefined) {
      issues.push({ path, field, message: `backend '${backend.id}' is already chosen as backends[${earlier}]`, fix: 'list each backend once' });
      return;
    }
    seen.set(backend.id, index);
  });
  return issues;
}
