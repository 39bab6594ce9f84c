import { PolicyRenderer } from './backend';
import { KubernetesNetworkPolicyRenderer } from './kubernetes/network-policy-renderer';

/**
 * A dialect a platform emits, chosen explicitly: `backends: [Backend.kubernetes()]`. Each backend
 * renders the same policy plan; its `id` keys its output (and names its folder in the
 * folder-per-backend layout).
 */
export class Backend {
  /** The same as `Backend.kubernetes()`. (Static fields are initialized after the class's methods exist.) */
  public static readonly KUBERNETES: Backend = Backend.kubernetes();

  /** networking.k8s.io/v1 NetworkPolicy, enforced by every NetworkPolicy-capable CNI. */
  public static kubernetes(): Backend {
    return new Backend('kubernetes', () => new KubernetesNetworkPolicyRenderer());
  }

  /**
   * A renderer of your own, e.g. for a dialect we do not ship. It receives the validated policy plan
   * (`PolicyPlan`: per namespace, the baselines and one policy per subject and direction with its
   * rules) and returns objects, or issues for what it cannot express. Its `id` must be a DNS-1123
   * label, unique among the platform's backends.
   */
  public static custom(renderer: PolicyRenderer): Backend {
    return new Backend(renderer.id, () => renderer);
  }

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
