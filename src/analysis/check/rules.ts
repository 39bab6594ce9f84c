/** The rules of `zt check`: what each finds, how serious it is, and how to fix it. */

export type Severity = 'error' | 'warning' | 'note';

export interface CheckRule {
  readonly id: string;
  readonly severity: Severity;
  /** One line: what the rule finds. */
  readonly summary: string;
  /** Why it matters and how to fix it in general; each finding also gives its own fix. */
  readonly help: string;
}

export const CHECK_RULES = {
  noDefaultDenyIngress: {
    id: 'no-default-deny-ingress',
    severity: 'error',
    summary: 'A namespace has pods that no policy isolates for ingress: anything in the cluster can connect to them.',
    help: 'Add a default-deny policy to the namespace (NetworkPolicy with podSelector: {} and policyTypes: [Ingress]), then allow the flows it needs.',
  },
  noDefaultDenyEgress: {
    id: 'no-default-deny-egress',
    severity: 'error',
    summary: 'A namespace has pods that no policy isolates for egress: they can connect anywhere.',
    help: 'Add a default-deny policy for egress (policyTypes: [Egress]) and allow DNS and the flows the pods need.',
  },
  noDnsEgress: {
    id: 'default-deny-without-dns',
    severity: 'error',
    summary: 'Pods are isolated for egress and cannot reach the cluster DNS on 53/UDP: name lookups fail.',
    help: 'Allow egress to kube-system pods labelled k8s-app: kube-dns on 53/UDP and 53/TCP.',
  },
  policySelectsNothing: {
    id: 'policy-selects-no-pod',
    severity: 'warning',
    summary: 'A policy selects no pod of the input: a typo in its selector, or pods that are not there yet.',
    help: 'Check the policy\'s podSelector (or selector) against the labels of the pods it is meant for.',
  },
  widePeer: {
    id: 'peer-selects-everything',
    severity: 'warning',
    summary: 'A rule admits every pod of the cluster or every address (an empty selector, a rule without peers, 0.0.0.0/0).',
    help: 'Name the peers: a namespaceSelector and a podSelector in one element, or the CIDRs that are meant.',
  },
  andOrTrap: {
    id: 'and-or-trap',
    severity: 'warning',
    summary: 'A rule lists a namespaceSelector and a podSelector as separate peers (OR) where one peer with both (AND) is the usual intent.',
    help: 'Separate elements are alternatives: pods matching podSelector in the policy\'s own namespace, or every pod of the matching namespaces. For "these pods in those namespaces", put both selectors in one element.',
  },
  redundantRule: {
    id: 'shadowed-rule',
    severity: 'note',
    summary: 'A rule allows nothing that other rules do not already allow (for the pods of the input).',
    help: 'Remove the rule, or make it say what was meant; a shadowed rule often hides a selector that matches less than intended.',
  },
  crossTenant: {
    id: 'cross-tenant-connection',
    severity: 'warning',
    summary: 'Pods of one tenant can connect to pods of another tenant.',
    help: 'Declare the flow on purpose (pass --allow-cross-tenant FROM->TO once reviewed), or narrow the rules that allow it.',
  },
  unknownNamedPort: {
    id: 'unknown-named-port',
    severity: 'warning',
    summary: 'A rule names a port that no container of the pods concerned declares: the rule admits nothing on it.',
    help: 'Use the port name the containers declare (ports[].name), or the port number.',
  },
  unselectedWorkload: {
    id: 'workload-not-selected',
    severity: 'warning',
    summary: 'A workload is selected by no policy in either direction.',
    help: 'Give its namespace a default-deny policy and allow the flows the workload needs.',
  },
} as const satisfies Record<string, CheckRule>;

export type CheckRuleId = (typeof CHECK_RULES)[keyof typeof CHECK_RULES]['id'];

/** One finding: a rule, where it applies, and what to do. */
export interface Finding {
  readonly rule: CheckRuleId;
  readonly severity: Severity;
  readonly message: string;
  readonly fix: string;
  /** The file and document the finding is about, when it is about an object. */
  readonly file?: string;
  readonly documentIndex?: number;
  /** `Kind namespace/name` of the object. */
  readonly object?: string;
  /** The field within the object, e.g. `spec.ingress[0].from[1]`. */
  readonly field?: string;
}

export interface CheckReport {
  /** Sorted by severity (errors first), then file, document, rule. */
  readonly findings: readonly Finding[];
  /** Assumptions and limits of the run, e.g. a stand-in DNS pod. */
  readonly notes: readonly string[];
}

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 0, warning: 1, note: 2 };

export function ruleById(id: string): CheckRule | undefined {
  return Object.values(CHECK_RULES).find((rule) => rule.id === id);
}
