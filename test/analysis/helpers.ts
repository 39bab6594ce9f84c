/** Builders of plain manifest objects for analyzer tests. */
import { Protocol } from '../../src/analysis';

export type Manifest = Record<string, unknown>;

export interface PortDecl {
  readonly port: number;
  readonly protocol?: Protocol;
  readonly name?: string;
}

export function namespace(name: string, labels: Record<string, string> = {}): Manifest {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function pod(id: string, labels: Record<string, string> = {}, ports: readonly PortDecl[] = [{ port: 80 }], ip?: string): Manifest {
  const [ns, name] = id.split('/');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: {
      containers: [{
        name: 'main',
        image: 'example',
        ports: ports.map((p) => ({ containerPort: p.port, ...(p.protocol ? { protocol: p.protocol } : {}), ...(p.name ? { name: p.name } : {}) })),
      }],
    },
    ...(ip ? { status: { podIP: ip } } : {}),
  };
}

export function netpol(id: string, spec: Manifest): Manifest {
  const [ns, name] = id.split('/');
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}

export const tcp = (port: number): { port: number; protocol: Protocol } => ({ port, protocol: 'TCP' });
export const udp = (port: number): { port: number; protocol: Protocol } => ({ port, protocol: 'UDP' });
export const sctp = (port: number): { port: number; protocol: Protocol } => ({ port, protocol: 'SCTP' });
