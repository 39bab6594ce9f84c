import { Construct } from 'constructs';
import { checkedChildId } from './construct-ids';
import { ZeroTrustPlatform } from './platform';
import { IPeer, Peer, PeerSpec } from '../model/peer';
import { LabelSelector } from '../model/selector';

export interface ExternalNamespaceProps {
  /** The existing namespace's name. @default - the construct id */
  readonly name?: string;
}

/** Options of `ExternalNamespace.pods`. */
export interface ExternalPodsOptions {
  readonly labels?: Readonly<Record<string, string>>;
  readonly selector?: LabelSelector;
  /**
   * The pods' service account: their identity in a mesh, which the Istio backend admits (see `Peer.pods`).
   * @default - none: the pods have no identity the mesh can admit
   */
  readonly serviceAccount?: string;
}

/**
 * A namespace this platform does not manage (an ingress controller, a monitoring stack) that
 * flows may reach. No policy is emitted in it. As a peer: every pod of it.
 */
export class ExternalNamespace extends Construct implements IPeer {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ExternalNamespaceProps = {}) {
    super(scope, checkedChildId(scope, id, 'ExternalNamespace', "choose another id; the namespace's name is props.name, e.g. new ExternalNamespace(scope, 'ingress', { name: 'ingress-nginx' })"));
    this.name = props?.name ?? id;
    ZeroTrustPlatform.of(this)._model.addExternalNamespace({ path: this.node.path, name: this.name });
  }

  /** Selected pods of this namespace. */
  public pods(options: ExternalPodsOptions): IPeer {
    return Peer.pods({ namespace: this.name, ...options });
  }

  /** @internal */
  public toPeerSpec(): PeerSpec {
    return { kind: 'namespace', namespace: this.name };
  }
}
