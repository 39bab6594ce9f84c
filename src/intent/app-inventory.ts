import { IntentInventory } from './inventory-file';
import { representativeInventory } from './representative-inventory';
import { ProbePort } from '../analysis/types';
import { ZeroTrustPlatform } from '../constructs/platform';
import { ZeroTrustValidationError } from '../model/issues';
import { JsonValue } from '../synth/yaml-emitter';

/** The platforms among an app's charts (cdk8s lists every chart of the tree). */
export function platformsAmong(charts: readonly unknown[]): ZeroTrustPlatform[] {
  return charts.filter((chart): chart is ZeroTrustPlatform => ZeroTrustPlatform.isZeroTrustPlatform(chart));
}

/**
 * The representative endpoints of the declared intent of some platforms (see `representativeInventory`).
 * An object two platforms both produce (the DNS pod) appears once. Throws ZeroTrustValidationError when an
 * intent is invalid.
 */
export function intentInventory(platforms: readonly ZeroTrustPlatform[]): IntentInventory {
  const objects = new Map<string, Record<string, JsonValue>>();
  const externals: Record<string, string> = {};
  const externalPorts: Record<string, readonly ProbePort[]> = {};
  for (const platform of platforms) {
    const resolution = platform._model.resolve();
    if (!resolution.ok) throw new ZeroTrustValidationError(resolution.issues);
    const inventory = representativeInventory(resolution.model);
    for (const object of inventory.objects) {
      const metadata = object.metadata as { name: string; namespace?: string };
      const key = `${String(object.kind)} ${metadata.namespace ?? ''}/${metadata.name}`;
      if (!objects.has(key)) objects.set(key, object);
    }
    for (const [name, ip] of Object.entries(inventory.externals)) {
      if (Object.hasOwn(externals, name)) continue;
      externals[name] = ip;
      if (inventory.externalPorts[name]) externalPorts[name] = inventory.externalPorts[name];
    }
  }
  const sorted = [...objects.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, object]) => object);
  // Namespaces first, then Pods: the key sorts by kind first.
  return {
    objects: [...sorted.filter((object) => object.kind === 'Namespace'), ...sorted.filter((object) => object.kind !== 'Namespace')],
    externals: Object.fromEntries(Object.keys(externals).sort().map((name) => [name, externals[name]])),
    externalPorts: Object.fromEntries(Object.keys(externalPorts).sort().map((name) => [name, externalPorts[name]])),
  };
}
