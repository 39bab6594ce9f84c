/**
 * Which dialects enforce a probe run: `--cni` and `--mesh`, or what the kinds of the input say under `auto`.
 * Kubernetes NetworkPolicy, Cilium (CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy and NetworkPolicy as
 * Cilium enforces it, merged per endpoint) and Calico (projectcalico.org/v3 policies and NetworkPolicy in one
 * tiered walk), with Istio's mesh layer on top, are implemented, and the kinds
 * of a dialect that is not enforced are reported.
 */
import { UnsupportedProbeError } from './errors';
import { CniOption, MeshOption } from './types';
import { Dialect } from '../dialect';
import { CALICO_DIALECTS, CILIUM_DIALECTS } from '../dialects';
import { istioMesh } from '../dialects/istio';
import { kubernetesNetworkPolicy } from '../dialects/kubernetes';
import { LoadedManifests } from '../manifests/documents';
import { isRecord } from '../manifests/fields';
import { apiGroup } from '../manifests/inventory';

type Family = 'cilium' | 'calico' | 'istio';

const FAMILIES: Readonly<Record<Family, { readonly name: string; readonly groups: readonly string[]; readonly option: string }>> = {
  cilium: { name: 'Cilium', groups: ['cilium.io'], option: '--cni cilium' },
  calico: { name: 'Calico', groups: ['projectcalico.org', 'crd.projectcalico.org'], option: '--cni calico' },
  istio: { name: 'Istio', groups: ['security.istio.io'], option: '--mesh istio' },
};

/** Objects per `apiVersion/kind`, for the kinds of each dialect family the input holds. */
export type FamilyKinds = ReadonlyMap<Family, ReadonlyMap<string, number>>;

/** Counts the objects of the Cilium, Calico and Istio API groups in the input. */
export function familyKinds(loaded: LoadedManifests): FamilyKinds {
  const found = new Map<Family, Map<string, number>>();
  for (const document of loaded.documents) {
    const object = document.object;
    if (!isRecord(object) || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') continue;
    const group = apiGroup(object.apiVersion);
    for (const [family, { groups }] of Object.entries(FAMILIES) as [Family, (typeof FAMILIES)[Family]][]) {
      if (!groups.includes(group)) continue;
      const kinds = found.get(family) ?? new Map<string, number>();
      const key = `${object.apiVersion}/${object.kind}`;
      kinds.set(key, (kinds.get(key) ?? 0) + 1);
      found.set(family, kinds);
    }
  }
  return found;
}

function describeKinds(kinds: ReadonlyMap<string, number>): string {
  return [...kinds].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, count]) => `${count} ${kind}`).join(', ');
}

/** How a note names the option that would enforce a family's objects. */
function enforcedWith(family: Family): string {
  return `enforced with ${FAMILIES[family].option}`;
}

export interface DialectSelection {
  readonly cni: 'kubernetes' | 'cilium' | 'calico';
  readonly mesh: 'none' | 'istio';
  readonly dialects: readonly Dialect[];
  /** Kinds present but not enforced, as `note:` lines. */
  readonly notes: readonly string[];
  /** The `apiVersion/kind` keys those notes cover (left out of the generic "ignored kinds" notes). */
  readonly notedKinds: ReadonlySet<string>;
}

/**
 * The dialects for `--cni` and `--mesh`. Throws `UnsupportedProbeError` for Cilium and Calico kinds together
 * under `--cni auto`: the input cannot tell the CNI.
 */
export function selectDialects(kinds: FamilyKinds, cni: CniOption = 'auto', mesh: MeshOption = 'auto'): DialectSelection {
  const cilium = kinds.get('cilium');
  const calico = kinds.get('calico');
  const istio = kinds.get('istio');
  let enforced: DialectSelection['cni'] = cni === 'auto' ? 'kubernetes' : cni;
  if (cni === 'auto') {
    if (cilium && calico) {
      throw new UnsupportedProbeError(
        `the input holds both Cilium objects (${describeKinds(cilium)}) and Calico objects (${describeKinds(calico)}), so --cni auto cannot tell the CNI. ` +
          'Give --cni cilium, --cni calico or --cni kubernetes.',
      );
    }
    if (cilium) enforced = 'cilium';
    if (calico) enforced = 'calico';
  }
  // Istio's PeerAuthentication and AuthorizationPolicy in the mesh layer, ANDed with the CNI (connectivity.ts).
  const enforcedMesh = mesh === 'istio' || (mesh === 'auto' && istio !== undefined) ? 'istio' : 'none';
  const notes: string[] = [];
  const notedKinds = new Set<string>();
  const notEnforced = (family: Family, under: string): void => {
    const found = kinds.get(family);
    if (!found) return;
    for (const kind of found.keys()) notedKinds.add(kind);
    notes.push(`note: not enforced under ${under}: ${describeKinds(found)} (${FAMILIES[family].name} objects; ${enforcedWith(family)})`);
  };
  if (enforced !== 'cilium') notEnforced('cilium', `--cni ${enforced}`);
  if (enforced !== 'calico') notEnforced('calico', `--cni ${enforced}`);
  if (enforcedMesh === 'none') notEnforced('istio', '--mesh none');
  // Under Cilium, NetworkPolicy and Cilium's kinds are merged per endpoint, a deny winning (the fold of connectivity.ts);
  // under Calico, one dialect walks NetworkPolicy and Calico's kinds through the tiers. Istio's mesh layer is ANDed.
  const network = enforced === 'cilium' ? CILIUM_DIALECTS : enforced === 'calico' ? CALICO_DIALECTS : [kubernetesNetworkPolicy];
  const dialects = enforcedMesh === 'istio' ? [...network, istioMesh] : network;
  return { cni: enforced, mesh: enforcedMesh, dialects, notes, notedKinds };
}
