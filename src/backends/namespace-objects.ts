import { Manifest } from './manifest';
import { ResolvedModel } from '../model/resolved';

/**
 * The Namespace objects of the managed namespaces (those with `createNamespace`), which every backend's
 * policies rely on. Rendered once per platform, whatever the backends: never stamped with a chart's namespace.
 */
export function renderNamespaceObjects(model: ResolvedModel): Manifest[] {
  return model.namespaces
    .filter((n) => n.emitNamespace)
    .map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n.name, labels: { ...n.labels } } }));
}
