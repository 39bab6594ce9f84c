import {
  DenyDeclaration,
  DnsDeclaration,
  ExternalNamespaceDeclaration,
  FlowDeclaration,
  NamespaceDeclaration,
  PlatformDeclarations,
  TenantDeclaration,
  WorkloadDeclaration,
} from './declarations';
import { ValidationIssue } from './issues';
import { MeshDeclaration } from './mesh';
import { PlanResult, planPolicies } from './plan';
import { resolveModel } from './resolve';
import { ResolvedModel } from './resolved';

export type ResolutionResult =
  | { readonly ok: true; readonly model: ResolvedModel }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * The registry behind a ZeroTrustPlatform: constructs record declarations here; resolution
 * validates the whole platform at once and is cached until the next declaration.
 * Plain data, no cdk8s: testable without synthesis.
 */
export class PlatformModel {
  private readonly namespaces: NamespaceDeclaration[] = [];
  private readonly externalNamespaces: ExternalNamespaceDeclaration[] = [];
  private readonly workloads: WorkloadDeclaration[] = [];
  private readonly liveWorkloads: WorkloadDeclaration[] = [];
  private readonly tenants: TenantDeclaration[] = [];
  private readonly flows: FlowDeclaration[] = [];
  private readonly denies: DenyDeclaration[] = [];
  private readonly flowsPerPath = new Map<string, number>();
  private mesh?: MeshDeclaration;
  private cached?: { readonly key: string; readonly result: ResolutionResult };
  private cachedPlan?: { readonly key: string; readonly result: PlanResult };
  private revisionCounter = 0;

  constructor(
    private readonly dns: DnsDeclaration,
    private readonly clusterNetworks: readonly string[] = [],
  ) {}

  public addNamespace(declaration: NamespaceDeclaration): void {
    this.namespaces.push(declaration);
    this.changed();
  }

  public addExternalNamespace(declaration: ExternalNamespaceDeclaration): void {
    this.externalNamespaces.push(declaration);
    this.changed();
  }

  public addWorkload(declaration: WorkloadDeclaration): void {
    this.workloads.push(declaration);
    if (declaration.liveSelector) this.liveWorkloads.push(declaration);
    this.changed();
  }

  public addTenant(declaration: TenantDeclaration): void {
    this.tenants.push(declaration);
    this.changed();
  }

  /** Replaces a tenant's declaration (its cross-tenant allowances grow after construction). */
  public updateTenant(path: string, update: (t: TenantDeclaration) => TenantDeclaration): void {
    const index = this.tenants.findIndex((t) => t.path === path);
    if (index < 0) throw new Error(`internal: no tenant declared at ${path}`);
    this.tenants[index] = update(this.tenants[index]);
    this.changed();
  }

  /** Records a flow; returns its index for `markCrossTenant`. */
  public addFlow(declaration: FlowDeclaration): number {
    this.flows.push(declaration);
    this.flowsPerPath.set(declaration.path, this.flowCount(declaration.path) + 1);
    this.changed();
    return this.flows.length - 1;
  }

  /** Records an explicit deny or a restriction of the platform. */
  public addDeny(declaration: DenyDeclaration): void {
    this.denies.push(declaration);
    this.changed();
  }

  /** Records the mesh; returns false when one is already declared. */
  public setMesh(declaration: MeshDeclaration): boolean {
    if (this.mesh && this.mesh.path !== declaration.path) return false;
    this.mesh = declaration;
    this.changed();
    return true;
  }

  /** The mesh as declared so far. */
  public get meshDeclaration(): MeshDeclaration | undefined {
    return this.mesh;
  }

  public markCrossTenant(flowIndex: number): void {
    this.flows[flowIndex] = { ...this.flows[flowIndex], crossTenant: true };
    this.changed();
  }

  /** Number of flows declared by one construct path (for `allowTo(#n)` field names). */
  public flowCount(path: string): number {
    return this.flowsPerPath.get(path) ?? 0;
  }


  public get declarations(): PlatformDeclarations {
    return {
      namespaces: this.namespaces,
      externalNamespaces: this.externalNamespaces,
      workloads: this.workloads,
      tenants: this.tenants,
      flows: this.flows,
      denies: this.denies,
      dns: this.dns,
      clusterNetworks: this.clusterNetworks,
      ...(this.mesh ? { mesh: this.mesh } : {}),
    };
  }

  /** Validates everything declared so far; cached until a declaration or a live selector changes. */
  public resolve(): ResolutionResult {
    const key = this.cacheKey();
    if (this.cached?.key !== key) {
      const { model, issues } = resolveModel(this.declarations);
      this.cached = { key, result: issues.length > 0 || !model ? { ok: false, issues } : { ok: true, model } };
    }
    return this.cached.result;
  }

  /** The policy plan of the validated intent (or every issue); cached like `resolve()`. */
  public plan(): PlanResult {
    const key = this.cacheKey();
    if (this.cachedPlan?.key !== key) {
      const resolution = this.resolve();
      this.cachedPlan = { key, result: resolution.ok ? planPolicies(resolution.model) : resolution };
    }
    return this.cachedPlan.result;
  }

  /**
   * Changes whenever the resolution could: on every declaration, and when a live selector or the
   * container ports of an adopted cdk8s-plus workload (which can still change through it) change.
   */
  public cacheKey(): string {
    const live = this.liveWorkloads.map((w) => JSON.stringify([w.selector(), w.containerPorts?.() ?? []])).join('|');
    return `${this.revisionCounter}|${live}`;
  }

  private changed(): void {
    this.revisionCounter++;
  }
}
