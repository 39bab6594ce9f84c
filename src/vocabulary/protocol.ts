/**
 * Transport protocols that Kubernetes NetworkPolicy defines (and every dialect we emit can express).
 * A value object and a string union of the same name, so that `Protocol.UDP` and `'UDP'` are
 * interchangeable. Shared by the model and the analyzer: plain vocabulary, no semantics.
 */
export const Protocol = { TCP: 'TCP', UDP: 'UDP', SCTP: 'SCTP' } as const;
export type Protocol = (typeof Protocol)[keyof typeof Protocol];

/** Every protocol, in the order reports list them. */
export const PROTOCOLS: readonly Protocol[] = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];

export function isProtocol(value: unknown): value is Protocol {
  return typeof value === 'string' && (PROTOCOLS as readonly string[]).includes(value);
}
