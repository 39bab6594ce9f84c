import { Construct } from 'constructs';
import { checkedChildId, childWithId, idForName } from './construct-ids';
import { ZeroTrustPlatform } from './platform';
import { ZeroTrustNamespace, ZeroTrustNamespaceProps } from './zero-trust-namespace';
import { TenantReference } from '../model/declarations';
import { IPeer, PeerSpec } from '../model/peer';
import { describeValue } from '../model/values';

/** Numbers TenantBoundary objects, so that each has an identity of its own. */
let tenantSerial = 0;

export interface TenantBoundaryProps {
  /**
   * The namespaces this tenant owns: names (a ZeroTrustNamespace is created for each name the
   * platform does not manage yet) or ZeroTrustNamespace objects.
   */
  readonly namespaces: readonly (string | ZeroTrustNamespace)[];
  /** Tenant name, set as the `zero-trust.cdk8s.io/tenant` label of its namespaces and policies. @default - the construct id */
  readonly name?: string;
  /** Allow all traffic between the tenant's own namespaces. @default false: only declared flows */
  readonly allowIntraTenant?: boolean;
  /** Options for the namespaces this tenant creates from names. @default - ZeroTrustNamespace defaults */
  readonly namespaceDefaults?: Omit<ZeroTrustNamespaceProps, 'name'>;
}

/** Options of `TenantBoundary.allowCrossTenant`: give `to`, `from`, or both. */
export interface CrossTenantOptions {
  /** Workloads of this tenant may declare flows to workloads of that tenant. */
  readonly to?: TenantBoundary;
  /** Workloads of that tenant may declare flows to workloads of this tenant. */
  readonly from?: TenantBoundary;
}

/**
 * A tenant owns namespaces. Its pods talk only as declared; a flow to or from another tenant
 * fails synthesis unless allowed here with `allowCrossTenant` or marked `.acrossTenants()`.
 * It can be used as a peer: every pod of every namespace of the tenant.
 */
export class TenantBoundary extends Construct implements IPeer {
  public readonly name: string;
  public readonly namespaces: readonly ZeroTrustNamespace[];
  private readonly platform: ZeroTrustPlatform;
  /** Unique to this object, whatever its name and path (never emitted). */
  private readonly id = `tenant#${++tenantSerial}`;

  constructor(scope: Construct, id: string, props: TenantBoundaryProps) {
    super(scope, checkedChildId(scope, id, 'TenantBoundary', "choose another id; the tenant's name is props.name, e.g. new TenantBoundary(scope, 'alpha-tenant', { name: 'alpha', ... })"));
    if (props === null || typeof props !== 'object' || !Array.isArray(props.namespaces)) {
      throw new TypeError(
        `[${this.node.path}] namespaces: ${describeValue(props?.namespaces)} is not a list of namespaces. ` +
          "Fix: list the tenant's namespaces by name or as ZeroTrustNamespace objects, e.g. { namespaces: ['alpha-web'] }",
      );
    }
    this.name = props.name ?? id;
    this.platform = ZeroTrustPlatform.of(this);
    const listed = new Map<string, number>();
    const entries = props.namespaces.map((entry, i) => this.namespaceOf(entry, i, listed, props.namespaceDefaults));
    const problems = new Map<number, { message: string; fix: string }>();
    entries.forEach((entry, i) => {
      if ('problem' in entry) problems.set(i, entry.problem);
    });
    this.namespaces = entries.flatMap((entry) => ('namespace' in entry ? [entry.namespace] : []));
    this.platform._model.addTenant({
      id: this.id,
      path: this.node.path,
      name: this.name,
      namespaces: entries.map((entry) => entry.name),
      namespaceProblems: problems.size > 0 ? problems : undefined,
      allowIntraTenant: props.allowIntraTenant ?? false,
      crossTenantTo: [],
      crossTenantFrom: [],
    });
  }

  /** One of this tenant's namespaces, by name. */
  public namespace(name: string): ZeroTrustNamespace {
    const found = this.namespaces.find((n) => n.name === name);
    if (!found) {
      throw new Error(
        `[${this.node.path}] namespace('${name}'): tenant '${this.name}' has no namespace '${name}'. ` +
          `Fix: use one of ${this.namespaces.map((n) => `'${n.name}'`).join(', ')}, or add '${name}' to the tenant's namespaces`,
      );
    }
    return found;
  }

  /** Permits flows between this tenant and another one to be declared (the flows themselves are still declared one by one). */
  public allowCrossTenant(options: CrossTenantOptions): void {
    for (const side of ['to', 'from'] as const) {
      const tenant: unknown = options?.[side];
      // Only JavaScript callers can get here; fail at once, since the value cannot be recorded.
      if (tenant !== undefined && !(tenant instanceof TenantBoundary)) {
        throw new TypeError(`[${this.node.path}] allowCrossTenant.${side}: ${describeValue(tenant)} is not a TenantBoundary. Fix: pass the other tenant's TenantBoundary`);
      }
    }
    this.platform._model.updateTenant(this.node.path, (t) => ({
      ...t,
      crossTenantTo: options.to ? [...t.crossTenantTo, options.to._reference()] : t.crossTenantTo,
      crossTenantFrom: options.from ? [...t.crossTenantFrom, options.from._reference()] : t.crossTenantFrom,
    }));
  }

  /**
   * The namespace an entry of `namespaces` stands for: a managed namespace of this platform,
   * created (under this tenant) for a name the platform does not manage yet; or why there is none.
   */
  private namespaceOf(
    entry: unknown,
    index: number,
    listed: Map<string, number>,
    defaults: TenantBoundaryProps['namespaceDefaults'],
  ): { name: string; namespace: ZeroTrustNamespace } | { name: string; problem: { message: string; fix: string } } {
    if (!(entry instanceof ZeroTrustNamespace) && typeof entry !== 'string') {
      // Only JavaScript callers can get here; fail at once, since the entry cannot be recorded.
      throw new TypeError(
        `[${this.node.path}] namespaces[${index}]: ${describeValue(entry)} is neither a namespace name nor a ZeroTrustNamespace. ` +
          "Fix: list names, e.g. 'alpha-web', or ZeroTrustNamespace objects",
      );
    }
    const name = typeof entry === 'string' ? entry : entry.name;
    const earlier = listed.get(name);
    if (earlier !== undefined) return { name, problem: { message: `namespace '${name}' is already listed as namespaces[${earlier}]`, fix: 'list each namespace once' } };
    listed.set(name, index);
    if (entry instanceof ZeroTrustNamespace) {
      if (entry.platform === this.platform) return { name, namespace: entry };
      return {
        name,
        problem: {
          message: `the ZeroTrustNamespace ${entry.node.path} belongs to the platform ${entry.platform.node.path}, not to ${this.platform.node.path}`,
          fix: "a tenant owns namespaces of its own platform: create the TenantBoundary on that platform, or pass the namespace's name to manage it here",
        },
      };
    }
    if (name === '') return { name, problem: { message: 'namespace name must not be empty', fix: "give the namespace's name, e.g. 'alpha-web'" } };
    const found = ZeroTrustNamespace.find(this, name);
    if (found) return { name, namespace: found };
    // An invalid name is created too, so that the model reports it with the namespace's own path; a
    // name that cannot be a construct id (`constructor`) gets the id `<name>-namespace`.
    const id = idForName(name, 'namespace');
    const taken = childWithId(this, id);
    if (taken) {
      return { name, problem: { message: `namespace '${name}' needs the construct id '${id}', which ${taken.node.path} already has`, fix: 'rename that construct' } };
    }
    return { name, namespace: new ZeroTrustNamespace(this, id, { ...defaults, name }) };
  }

  /** @internal */
  public _reference(): TenantReference {
    return { id: this.id, name: this.name, path: this.node.path };
  }

  /** @internal */
  public toPeerSpec(): PeerSpec {
    return { kind: 'tenant', tenant: this.name, path: this.node.path, id: this.id };
  }
}
