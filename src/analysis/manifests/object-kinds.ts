import { JsonObject } from './fields';
import { DocumentIssues } from './issues';
import { ManifestSource } from '../types';

/** An object kind as manifests spell it: `apiVersion` (group/version) and `kind`. */
export interface ObjectKind {
  readonly apiVersion: string;
  readonly kind: string;
  /** False for cluster-scoped kinds: their objects have no namespace. */
  readonly namespaced: boolean;
}

/** Which object this is: its metadata, already validated by the inventory. */
export interface ObjectIdentity {
  readonly kind: string;
  /** Undefined for cluster-scoped kinds. */
  readonly namespace?: string;
  readonly name: string;
  readonly source: ManifestSource;
}

/** Something that reads the objects of some kinds the inventory does not know itself (a dialect's policies). */
export interface ObjectReader {
  readonly kinds: readonly ObjectKind[];
  /** Validates the object's spec and keeps it; every problem goes to `issues`, with its field. */
  read(object: JsonObject, identity: ObjectIdentity, issues: DocumentIssues): void;
}

/** The entry of `kinds` for this apiVersion and kind, if any: the apiVersion must match exactly. */
export function findKind(kinds: readonly ObjectKind[], apiVersion: string, kind: string): ObjectKind | undefined {
  return kinds.find((candidate) => candidate.apiVersion === apiVersion && candidate.kind === kind);
}
