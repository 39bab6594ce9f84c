export { defaultDenyReport, DefaultDenyOptions, DefaultDenyReport, DirectionDefaultDeny, NamespaceDefaultDeny } from './default-deny';
export { CALICO_BUILT_IN_TIERS, ChangedObject, DriftKind, DriftObject, DriftOptions, DriftReport, driftReport, FieldDifference, fieldDifferences, shortValue } from './drift';
export { comparableObject } from './normalize';
export { AUDIT_FINDINGS, AuditFinding, AuditReport, AuditResourceCount, countFindings, namespacesWithoutDefaultDeny } from './report';
