import { Construct, IConstruct } from 'constructs';
import { checkedChildId } from './construct-ids';
import { ZeroTrustPlatform } from './platform';
import { GuardrailsRendering, IGuardrails } from '../guardrails/guardrails';
import { KyvernoGuardrailSettings, renderKyvernoGuardrails } from '../guardrails/kyverno/render';
import { PolicyPlan } from '../model/plan';
import { describeValue } from '../model/values';

/** The guardrails of each app, in declaration order: their names are cluster-wide. */
const declared = new WeakMap<IConstruct, KyvernoGuardrails[]>();

/** How the namespace-isolation rules treat the namespaces the platform manages. */
export enum ManagedNamespaces {
  /** Excluded by name: the platform's own policies already isolate them. */
  EXCLUDE = 'exclude',
  /**
   * Matched like every other namespace: Kyverno also generates its copies there (under other names),
   * so that a managed namespace stays isolated even if the platform's own policies are removed.
   */
  MATCH = 'match',
}

/** What Kyverno does with a namespace that breaks a label rule. */
export enum ValidationFailureAction {
  /** Admit it, and report it in a PolicyReport. */
  AUDIT = 'Audit',
  /** Refuse the request. */
  ENFORCE = 'Enforce',
}

/** The namespaces of Kubernetes itself, excluded from every guardrail unless `systemNamespaces` says otherwise. */
export const DEFAULT_SYSTEM_NAMESPACES: readonly string[] = ['kube-node-lease', 'kube-public', 'kube-system'];

export interface KyvernoGuardrailsProps {
  /**
   * Whether the isolation rules exclude or match the namespaces the platform manages.
   * @default ManagedNamespaces.EXCLUDE
   */
  readonly managedNamespaces?: ManagedNamespaces;
  /**
   * Namespaces no guardrail applies to, by exact name (no wildcards). The Kyverno namespace and the
   * DNS namespace are excluded whatever this says.
   * @default DEFAULT_SYSTEM_NAMESPACES: kube-node-lease, kube-public, kube-system
   */
  readonly systemNamespaces?: readonly string[];
  /** The namespace Kyverno runs in; always excluded, so that its webhooks stay reachable. @default 'kyverno' */
  readonly kyvernoNamespace?: string;
  /** Generate the DNS egress allowance with the default-deny, as the platform's namespaces get it. @default true */
  readonly allowDns?: boolean;
  /** What Kyverno does with a namespace that breaks a label rule. @default ValidationFailureAction.AUDIT */
  readonly validationFailureAction?: ValidationFailureAction;
  /**
   * Also isolate the namespaces that exist when the policy is created (not only new or changed ones).
   * Their running pods lose every connection that no policy allows.
   * @default false
   */
  readonly generateExisting?: boolean;
  /**
   * Emit the ClusterRole that lets Kyverno's background controller manage NetworkPolicies (Kyverno
   * refuses a generate policy without it). Set false when your Kyverno installation grants it already.
   * @default true
   */
  readonly grantGeneratePermissions?: boolean;
  /** Prefix of the ClusterPolicy, ClusterRole and generated NetworkPolicy names. @default 'zero-trust' */
  readonly namePrefix?: string;
}

/**
 * Kyverno ClusterPolicies that keep the namespaces the platform does not manage in line: each new
 * namespace gets the default-deny and DNS NetworkPolicies a managed namespace gets, and namespace
 * labels are checked (tenant label present; the platform's managed-by label only where the platform
 * manages). One per platform; its objects are written with the platform's cluster-scoped objects
 * (the `kyverno/` folder in the folder-per-backend layout). See docs/kyverno.md.
 *
 *     new KyvernoGuardrails(platform, 'guardrails', { validationFailureAction: ValidationFailureAction.ENFORCE });
 */
export class KyvernoGuardrails extends Construct implements IGuardrails {
  /** The folder of the guardrails in the folder-per-backend layout. */
  public readonly engine = 'kyverno';
  public readonly platform: ZeroTrustPlatform;
  private readonly settings: KyvernoGuardrailSettings;

  constructor(scope: Construct, id: string, props: KyvernoGuardrailsProps = {}) {
    super(scope, checkedChildId(scope, id, 'KyvernoGuardrails', "choose another id, e.g. 'guardrails'"));
    if (props === null || typeof props !== 'object') {
      throw new TypeError(`[${this.node.path}] props: ${describeValue(props)} is not an object. Fix: pass the guardrails' props, e.g. { managedNamespaces: ManagedNamespaces.EXCLUDE }`);
    }
    const systemNamespaces: unknown = props.systemNamespaces ?? DEFAULT_SYSTEM_NAMESPACES;
    if (!Array.isArray(systemNamespaces)) {
      throw new TypeError(`[${this.node.path}] systemNamespaces: ${describeValue(systemNamespaces)} is not a list. Fix: pass an array, e.g. systemNamespaces: ['kube-system']`);
    }
    this.platform = ZeroTrustPlatform.of(this);
    this.settings = {
      path: this.node.path,
      managedNamespaces: props.managedNamespaces ?? ManagedNamespaces.EXCLUDE,
      systemNamespaces: [...(systemNamespaces as string[])],
      kyvernoNamespace: props.kyvernoNamespace ?? 'kyverno',
      allowDns: props.allowDns ?? true,
      failureAction: props.validationFailureAction ?? ValidationFailureAction.AUDIT,
      generateExisting: props.generateExisting ?? false,
      grantPermissions: props.grantGeneratePermissions ?? true,
      namePrefix: props.namePrefix ?? 'zero-trust',
    };
    this.platform._addGuardrails(this);
    let inApp = declared.get(this.node.root);
    if (!inApp) declared.set(this.node.root, (inApp = []));
    inApp.push(this);
  }

  /** @internal */
  public _render(plan: PolicyPlan): GuardrailsRendering {
    const rendered = renderKyvernoGuardrails(this.settings, plan.model);
    // Cluster-wide names: guardrails of another platform of the app must not take the same ones.
    const inApp = declared.get(this.node.root) ?? [];
    const earlier = inApp.slice(0, inApp.indexOf(this)).find((g) => g.settings.namePrefix === this.settings.namePrefix);
    if (!earlier) return rendered;
    const clash = {
      path: this.node.path,
      field: 'namePrefix',
      message: `the guardrails ${earlier.node.path} use the prefix '${this.settings.namePrefix}' too, so their cluster-wide ClusterPolicies would overwrite each other`,
      fix: "give one of them another namePrefix, e.g. namePrefix: 'zero-trust-b'",
    };
    return { ok: false, issues: [...(rendered.ok ? [] : rendered.issues), clash] };
  }
}
