import { PolicyRenderer } from './backend';
import { KubernetesNetworkPolicyRenderer } from './kubernetes/network-policy-renderer';

/**
 * The dialects a platform emits, chosen explicitly: `backends: [Backend.KUBERNETES]`.
 * Cilium, Calico and Istio backends plug in here without changing the constructs.
 */
export class Backend {
  /** networking.k8s.io/v1 NetworkPolicy, enforced by every NetworkPolicy-capable CNI. */
  public static readonly KUBERNETES = new Backend('kubernetes', () => new KubernetesNetworkPolicyRenderer());

  private constructor(
    /** Stable identifier, e.g. `kubernetes`. */
    public readonly id: string,
    private readonly createRenderer: () => PolicyRenderer,
  ) {}

  /** @internal */
  public _renderer(): PolicyRenderer {
    return this.createRenderer();
  }
}
