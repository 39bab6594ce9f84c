import { ValidationIssue } from '../../model/issues';
import { normalizePorts, PortSpec } from '../../model/port';
import { endpointKey } from '../../model/resolve';
import { Endpoint, MANAGED_BY_LABEL, MANAGED_BY_VALUE, ResolvedModel, ResolvedNamespace, TENANT_LABEL } from '../../model/resolved';
import { compareStrings } from '../../model/selector';
import { PolicyRenderer, RenderResult } from '../backend';
import { namespaceByName, renderPeer, renderPorts, renderSelector } from './peers';
import { K8sEgressRule, K8sIngressRule, K8sLabelSelector, K8sNetworkPolicy, K8sNetworkPolicyPeer } from './types';

type Direction = 'Ingress' | 'Egress';

/** The pods a policy applies to: one workload, or every pod of the namespace. */
interface Subject {
  readonly policyBaseName: string;
  readonly podSelector: K8sLabelSelector;
  readonly path: string;
}

/** Rules being collected for one policy: far-end peer key → peer and ports. */
interface PolicyBuilder {
  readonly subject: Subject;
  readonly direction: Direction;
  readonly rules: Map<string, { peer: K8sNetworkPolicyPeer; ports: PortSpec[] }>;
}

/**
 * model → networking.k8s.io/v1 NetworkPolicy.
 *
 * Per managed namespace: `default-deny-all` (both directions), `allow-dns-egress`, the optional
 * `allow-same-namespace` and `allow-intra-tenant`, then `<workload>-ingress` / `<workload>-egress`
 * (and `all-pods-ingress` / `all-pods-egress` for namespace-wide flows) holding one rule per far end.
 * A flow between two managed namespaces yields the egress rule in the source namespace and the
 * ingress rule in the destination namespace.
 */
export class KubernetesNetworkPolicyRenderer implements PolicyRenderer {
  public readonly id = 'kubernetes';

  public render(model: ResolvedModel): RenderResult {
    const issues: ValidationIssue[] = [];
    const builders = new Map<string, Map<string, PolicyBuilder>>();
    const builderFor = (namespace: string, subject: Subject, direction: Direction): PolicyBuilder => {
      let perNamespace = builders.get(namespace);
      if (!perNamespace) builders.set(namespace, (perNamespace = new Map()));
      const name = `${subject.policyBaseName}-${direction.toLowerCase()}`;
      let builder = perNamespace.get(name);
      if (!builder) {
        perNamespace.set(name, (builder = { subject, direction, rules: new Map() }));
      } else if (builder.subject.path !== subject.path) {
        // Two subjects would share one policy and so each other's rules: a wider policy. Refuse.
        issues.push(nameClash(subject.path, name, namespace, builder.subject.path));
        return { subject, direction, rules: new Map() };
      }
      return builder;
    };
    const paths = new Map<string, string>([
      ...model.workloads.map((w): [string, string] => [`${w.namespace}/${w.name}`, w.path]),
      ...model.namespaces.map((n): [string, string] => [`${n.name}/*`, n.path]),
    ]);

    for (const flow of model.flows) {
      const source = subjectOf(flow.source, paths);
      if (source) addRule(builderFor(namespaceOf(flow.source), source, 'Egress'), flow.destination, flow.ports);
      const destination = subjectOf(flow.destination, paths);
      if (destination) addRule(builderFor(namespaceOf(flow.destination), destination, 'Ingress'), flow.source, flow.ports);
    }

    const manifests: K8sNetworkPolicy[] = [];
    for (const namespace of model.namespaces) {
      const fixed = fixedPolicies(namespace, model);
      const names = new Map(fixed.map((p) => [p.metadata.name, namespace.path]));
      manifests.push(...fixed);
      const perNamespace = [...(builders.get(namespace.name)?.entries() ?? [])].sort(([a], [b]) => compareStrings(a, b));
      for (const [name, builder] of perNamespace) {
        const clash = names.get(name);
        if (clash !== undefined) {
          issues.push(nameClash(builder.subject.path, name, namespace.name, clash));
          continue;
        }
        names.set(name, builder.subject.path);
        manifests.push(buildPolicy(namespace, name, builder));
      }
    }
    return { manifests, issues };
  }
}

function nameClash(path: string, name: string, namespace: string, otherPath: string): ValidationIssue {
  return {
    path,
    field: 'name',
    message: `its NetworkPolicy '${name}' has the same name as another policy of namespace '${namespace}' (${otherPath})`,
    fix: "rename the workload (the names 'allow-dns' and 'all-pods' are taken by the namespace's own policies)",
  };
}

function namespaceOf(endpoint: Endpoint): string {
  if (endpoint.kind === 'cidr') throw new Error('unreachable: a CIDR has no namespace');
  return endpoint.namespace;
}

/** The managed pods a flow end stands for, or undefined when we emit no policy on that side. */
function subjectOf(endpoint: Endpoint, paths: Map<string, string>): Subject | undefined {
  if (endpoint.kind === 'workload') {
    return { policyBaseName: endpoint.name, podSelector: renderSelector(endpoint.selector), path: paths.get(`${endpoint.namespace}/${endpoint.name}`)! };
  }
  if (endpoint.kind === 'namespace' && endpoint.managed) {
    return { policyBaseName: 'all-pods', podSelector: {}, path: paths.get(`${endpoint.namespace}/*`)! };
  }
  return undefined;
}

function addRule(builder: PolicyBuilder, farEnd: Endpoint, ports: readonly PortSpec[]): void {
  const key = endpointKey(farEnd);
  const existing = builder.rules.get(key);
  if (existing) {
    existing.ports = normalizePorts([...existing.ports, ...ports]);
  } else {
    builder.rules.set(key, { peer: renderPeer(farEnd), ports: [...ports] });
  }
}

function metadata(namespace: ResolvedNamespace, name: string): K8sNetworkPolicy['metadata'] {
  const labels: Record<string, string> = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
  if (namespace.tenant) labels[TENANT_LABEL] = namespace.tenant;
  return { name, namespace: namespace.name, labels };
}

function policy(namespace: ResolvedNamespace, name: string, spec: K8sNetworkPolicy['spec']): K8sNetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: metadata(namespace, name), spec };
}

function fixedPolicies(namespace: ResolvedNamespace, model: ResolvedModel): K8sNetworkPolicy[] {
  const policies = [
    // Isolates every pod for both directions; with no rules it allows nothing by itself.
    policy(namespace, 'default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
  ];
  if (namespace.allowDns) {
    policies.push(
      policy(namespace, 'allow-dns-egress', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: namespaceByName(model.dns.namespace), podSelector: renderSelector(model.dns.selector) }],
            ports: renderPorts(model.dns.ports),
          },
        ],
      }),
    );
  }
  if (namespace.allowSameNamespace) {
    // `podSelector: {}` as a peer means every pod of the policy's own namespace: asked for explicitly here.
    policies.push(
      policy(namespace, 'allow-same-namespace', {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
      }),
    );
  }
  if (namespace.intraTenantNamespaces.length > 0) {
    const peers = namespace.intraTenantNamespaces.map((ns) => ({ namespaceSelector: namespaceByName(ns) }));
    policies.push(
      policy(namespace, 'allow-intra-tenant', {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: peers }],
        egress: [{ to: peers }],
      }),
    );
  }
  return policies;
}

function buildPolicy(namespace: ResolvedNamespace, name: string, builder: PolicyBuilder): K8sNetworkPolicy {
  const rules = [...builder.rules.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, r]) => r);
  const spec: K8sNetworkPolicy['spec'] =
    builder.direction === 'Ingress'
      ? {
        podSelector: builder.subject.podSelector,
        policyTypes: ['Ingress'],
        ingress: rules.map((r): K8sIngressRule => withPorts({ from: [r.peer] }, r.ports)),
      }
      : {
        podSelector: builder.subject.podSelector,
        policyTypes: ['Egress'],
        egress: rules.map((r): K8sEgressRule => withPorts({ to: [r.peer] }, r.ports)),
      };
  return policy(namespace, name, spec);
}

function withPorts<T extends object>(rule: T, ports: readonly PortSpec[]): T & { ports?: ReturnType<typeof renderPorts> } {
  const rendered = renderPorts(ports);
  return rendered === undefined ? rule : { ...rule, ports: rendered };
}
