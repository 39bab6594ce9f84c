import { kubernetesNetworkPolicy } from './kubernetes';
import { Dialect } from '../dialect';
import { findKind } from '../manifests/object-kinds';

/** The dialects the analyzer reads unless told otherwise, in the order they are offered objects. */
export const BUILT_IN_DIALECTS: readonly Dialect[] = [kubernetesNetworkPolicy];

/** The first dialect that reads objects of this apiVersion and kind. */
export function dialectFor(dialects: readonly Dialect[], apiVersion: string, kind: string): Dialect | undefined {
  return dialects.find((dialect) => findKind(dialect.kinds, apiVersion, kind) !== undefined);
}
