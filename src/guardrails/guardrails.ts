import { IConstruct } from 'constructs';
import { Manifest } from '../backends/manifest';
import { ValidationIssue } from '../model/issues';
import { PolicyPlan } from '../model/plan';

/** What guardrails render from the platform's plan: cluster-scoped objects, or the problems with their props. */
export type GuardrailsRendering =
  | { readonly ok: true; readonly manifests: readonly Manifest[] }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * Admission-time guardrails attached to a platform (KyvernoGuardrails): rendered with the platform,
 * from the same plan, and written with its cluster-scoped objects. @internal
 */
export interface IGuardrails extends IConstruct {
  /** The policy engine, a DNS-1123 label: names the guardrails' folder in the folder-per-backend layout. */
  readonly engine: string;
  _render(plan: PolicyPlan): GuardrailsRendering;
}
