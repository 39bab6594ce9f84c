import { Construct } from 'constructs';
import { ZeroTrustPlatform } from './platform';
import { ZeroTrustNamespace, ZeroTrustNamespaceProps } from './zero-trust-namespace';
import { TenantReference } from '../model/declarations';
import { IPeer, PeerSpec } from '../model/peer';

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
    super(scope, id);
    this.name = props.name ?? id;
    this.platform = ZeroTrustPlatform.of(this);
    this.namespaces = props.namespaces.map((ns) => {
      if (typeof ns !== 'string') return ns;
      return ZeroTrustNamespace.find(this, ns) ?? new ZeroTrustNamespace(this, ns, { ...props.namespaceDefaults, name: ns });
    });
    this.platform._model.addTenant({
      id: this.id,
      path: this.node.path,
      name: this.name,
      namespaces: this.namespaces.map((n) => n.name),
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
    this.platform._model.updateTenant(this.node.path, (t) => ({
      ...t,
      crossTenantTo: options.to ? [...t.crossTenantTo, options.to._reference()] : t.crossTenantTo,
      crossTenantFrom: options.from ? [...t.crossTenantFrom, options.from._reference()] : t.crossTenantFrom,
    }));
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
