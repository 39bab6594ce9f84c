import { Manifest } from './manifest';
import { ValidationIssue } from '../model/issues';
import { PolicyPlan } from '../model/plan';

/** What a renderer produced: objects, or the intents it cannot express (never a weaker policy). */
export interface RenderResult {
  readonly manifests: readonly Manifest[];
  /**
   * Intents this dialect cannot express, each with the construct path, the field and the fix. Any
   * issue fails synthesis: nothing is written, rather than a policy that allows more or less.
   */
  readonly issues: readonly ValidationIssue[];
}

/**
 * Renders the policy plan into one dialect: the contract of every backend, built in or your own
 * (`Backend.custom(renderer)`). Pure: no cdk8s, no I/O, the same plan gives the same objects.
 *
 * Objects in a managed namespace are written with that namespace's other objects; cluster-scoped
 * objects (no `metadata.namespace`), and objects in namespaces the platform does not manage (a
 * mesh's root namespace), are written with the platform's cluster-scoped objects.
 */
export interface PolicyRenderer {
  /** Short identifier, a DNS-1123 label: `kubernetes`, `cilium`. Names the backend's output folder. */
  readonly id: string;
  render(plan: PolicyPlan): RenderResult;
}
