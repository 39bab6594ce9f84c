import { Manifest } from './manifest';
import { ValidationIssue } from '../model/issues';
import { ResolvedModel } from '../model/resolved';

/** What a renderer produced: objects, or the intents it cannot express (never a weaker policy). */
export interface RenderResult {
  readonly manifests: readonly Manifest[];
  readonly issues: readonly ValidationIssue[];
}

/** Renders the backend-neutral model into one dialect. Pure: no cdk8s, no I/O. */
export interface PolicyRenderer {
  /** Short identifier, e.g. `kubernetes`. */
  readonly id: string;
  render(model: ResolvedModel): RenderResult;
}
