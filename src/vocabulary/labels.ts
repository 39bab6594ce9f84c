/**
 * Well-known label keys. Shared by the model and the analyzer: plain constants, no semantics.
 */

/** The immutable label the API server sets on every namespace, equal to its name; the only safe way to select a namespace by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
