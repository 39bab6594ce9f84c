/**
 * A deterministic, realistic-looking inventory of any size, as plain manifest objects, for scale checks
 * and the benchmark: `namespaces` namespaces (the first is `kube-system`, hosting DNS), `podsPerNamespace`
 * pods in each (a mix of Pods with IPs and workloads), and 11 NetworkPolicies per namespace that exercise
 * every peer and port form: default deny, DNS egress, same-namespace, namespace and pod selectors (alone and
 * ANDed), matchExpressions, named ports, endPort ranges and ipBlock with except.
 */

type Manifest = Record<string, unknown>;

const ROLES = ['web', 'api', 'db', 'cache', 'worker'] as const;
type Role = typeof ROLES[number];

const ROLE_PORTS: Readonly<Record<Role, readonly { name: string; containerPort: number; protocol?: string }[]>> = {
  web: [{ name: 'http', containerPort: 8080 }],
  api: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }],
  db: [{ name: 'postgres', containerPort: 5432 }],
  cache: [{ name: 'redis', containerPort: 6379 }],
  worker: [],
};

const TEAMS = 50;
const TIERS = ['frontend', 'backend', 'data'] as const;

function namespaceName(index: number): string {
  return index === 0 ? 'kube-system' : `ns-${String(index).padStart(4, '0')}`;
}

function teamOf(index: number): string {
  return `team-${index % TEAMS}`;
}

function podIp(serial: number): string {
  const value = serial + 1;
  return `10.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

function policy(namespace: string, name: string, spec: Manifest): Manifest {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

function podManifest(namespace: string, podIndex: number, namespaceIndex: number, serial: number): Manifest {
  const dns = namespaceIndex === 0 && podIndex < 2;
  const role: Role = ROLES[podIndex % ROLES.length];
  const name = dns ? `coredns-${podIndex}` : `${role}-${podIndex}`;
  const labels: Record<string, string> = dns
    ? { 'k8s-app': 'kube-dns' }
    : { app: role, team: teamOf(namespaceIndex), ...(podIndex % 3 === 0 ? { canary: 'true' } : {}) };
  const ports = dns
    ? [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }]
    : ROLE_PORTS[role];
  const podSpec = { containers: [{ name: 'main', image: `example/${role}:1`, ports }] };
  // Half the pods are bare Pods with an address (ipBlock can match them), the others workloads.
  if (podIndex % 2 === 0 || dns) {
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace, labels },
      spec: podSpec,
      status: { podIP: podIp(serial) },
    };
  }
  const kind = podIndex % 4 === 1 ? 'Deployment' : 'StatefulSet';
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  };
}

function namespacePolicies(namespace: string, index: number, namespaces: number): Manifest[] {
  const team = teamOf(index);
  const monitoring = namespaceName(Math.min(1, namespaces - 1));
  return [
    policy(namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy(namespace, 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    }),
    policy(namespace, 'allow-same-namespace', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }),
    policy(namespace, 'web-from-frontends', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { tier: 'frontend' } } }], ports: [{ port: 'http' }] }],
    }),
    policy(namespace, 'api-from-web', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }],
    }),
    policy(namespace, 'db-from-team-api', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { team } }, podSelector: { matchLabels: { app: 'api' } } }],
        ports: [{ port: 'postgres' }],
      }],
    }),
    policy(namespace, 'web-egress', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080 }] }],
    }),
    policy(namespace, 'api-egress', {
      podSelector: { matchLabels: { app: 'api' } },
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { team } }, podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['db', 'cache'] }] } }],
        ports: [{ port: 5432 }, { port: 6379 }],
      }],
    }),
    policy(namespace, 'metrics-from-monitoring', {
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'web'] }] },
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': monitoring } } }],
        ports: [{ port: 'metrics' }, { port: 9090, endPort: 9100 }],
      }],
    }),
    policy(namespace, 'worker-egress-internet', {
      podSelector: { matchLabels: { app: 'worker' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] }],
    }),
    policy(namespace, 'from-next-team', {
      podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] },
      ingress: [{
        from: [{
          namespaceSelector: { matchLabels: { team: teamOf(index + 1) } },
          podSelector: { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] },
        }],
      }],
    }),
  ];
}

/** Namespaces, pods/workloads and NetworkPolicies (11 per namespace) as plain objects. */
export function syntheticInventory(namespaces: number, podsPerNamespace: number): unknown[] {
  const objects: unknown[] = [];
  let serial = 0;
  for (let index = 0; index < namespaces; index++) {
    const name = namespaceName(index);
    objects.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { team: teamOf(index), tier: TIERS[index % TIERS.length] } },
    });
    for (let pod = 0; pod < podsPerNamespace; pod++) objects.push(podManifest(name, pod, index, serial++));
    objects.push(...namespacePolicies(name, index, namespaces));
  }
  return objects;
}
