/**
 * Which pod labels name a workload: every label except those Kubernetes controllers set per pod or
 * per revision, which change with each rollout (a selector holding them would select yesterday's
 * pods only).
 */

/**
 * Labels set by controllers per revision or per pod:
 * - `pod-template-hash`: the ReplicaSet of a Deployment revision
 *   (https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#pod-template-hash-label);
 * - `controller-revision-hash`, `pod-template-generation`: StatefulSet and DaemonSet revisions;
 * - `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index`: one StatefulSet pod
 *   (https://kubernetes.io/docs/reference/labels-annotations-taints/);
 * - `controller-uid`, `batch.kubernetes.io/controller-uid`, `job-name`, `batch.kubernetes.io/job-name`,
 *   `batch.kubernetes.io/job-completion-index`: one Job (a CronJob makes a new Job, with a new name, each run).
 */
export const UNSTABLE_LABELS: readonly string[] = [
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'job-name',
  'batch.kubernetes.io/job-name',
  'batch.kubernetes.io/job-completion-index',
];

const UNSTABLE = new Set(UNSTABLE_LABELS);

/** The labels without the per-pod and per-revision ones, sorted by key. */
export function stableLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const stable: Record<string, string> = {};
  for (const key of Object.keys(labels).sort()) {
    if (!UNSTABLE.has(key)) stable[key] = labels[key];
  }
  return stable;
}

/** A canonical text of a label map (sorted keys), for keys and equality. */
export function labelsKey(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels).sort().map((key) => `${key}=${labels[key]}`).join(',');
}

/** The labels every map holds with the same value. */
export function commonLabels(sets: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  if (sets.length === 0) return {};
  const common: Record<string, string> = {};
  for (const key of Object.keys(sets[0]).sort()) {
    if (sets.every((set) => Object.hasOwn(set, key) && set[key] === sets[0][key])) common[key] = sets[0][key];
  }
  return common;
}

/** Labels that commonly name an application, in order of preference (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/). */
const NAME_LABELS = ['app.kubernetes.io/name', 'app', 'k8s-app', 'name'];

/** A ReplicaSet pod `web-5d9c7b6f4-x2x9z`, a StatefulSet pod `db-0`, a DaemonSet or Job pod `agent-x2x9z`. */
const POD_SUFFIXES = [/-[a-z0-9]{6,10}-[a-z0-9]{5}$/, /-\d+$/, /-[a-z0-9]{5}$/];

/** A workload name from the labels (or the pod name without its generated suffix) when Hubble gives none. */
export function derivedWorkloadName(labels: Readonly<Record<string, string>>, podName: string): string {
  for (const key of NAME_LABELS) {
    const value = labels[key];
    if (value !== undefined && value !== '') {
      const component = labels['app.kubernetes.io/component'];
      return key === 'app.kubernetes.io/name' && component ? `${value}-${component}` : value;
    }
  }
  for (const suffix of POD_SUFFIXES) {
    if (suffix.test(podName)) return podName.replace(suffix, '');
  }
  return podName;
}

/** A name usable as a Kubernetes object name part and construct id: lowercase DNS-1123 label characters. */
export function dnsLabelName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50).replace(/-+$/, '');
  return cleaned === '' ? 'workload' : cleaned;
}
