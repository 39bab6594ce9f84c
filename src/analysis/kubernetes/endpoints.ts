import { IpAddress } from './ip-address';
import { ContainerPort } from '../manifests/pod-spec';

/** A pod (or a workload's representative pod) or an external address: one row and column of the connectivity matrix. */
export interface Endpoint {
  /** Position in the endpoint order: pods by namespace then name, then externals by name. */
  readonly index: number;
  /** `namespace/name` or `external:NAME`. */
  readonly id: string;
  readonly kind: 'pod' | 'external';
  /** Undefined for externals. */
  readonly namespace?: string;
  readonly name: string;
  readonly labels: ReadonlyMap<string, string>;
  readonly ips: readonly IpAddress[];
  readonly ports: readonly ContainerPort[];
}

export const EXTERNAL_PREFIX = 'external:';
