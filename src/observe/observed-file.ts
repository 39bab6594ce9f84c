/** The aggregate file: written by `zt observe import --out`, read by `zt observe generate`. */
import * as fs from 'fs';
import { OBSERVED_API_VERSION, OBSERVED_KIND, ObservedAggregate } from './observed';

export class InvalidObservedFileError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'InvalidObservedFileError';
  }
}

/** Pretty JSON with a final newline: reviewed in a pull request, diffed between runs. */
export function formatObserved(aggregate: ObservedAggregate): string {
  return `${JSON.stringify(aggregate, null, 2)}\n`;
}

/**
 * Reads an aggregate file, checking its kind and the shape of the lists the generator walks. The file
 * is our own output; a hand-edited one that breaks the shape is refused, never half-read.
 */
export function readObservedFile(file: string): ObservedAggregate {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvalidObservedFileError(file, code === 'ENOENT' ? 'no such file; write it with zt observe import FLOWS... --out FILE' : (error as Error).message);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidObservedFileError(file, `not JSON (${(error as Error).message}); give the file zt observe import --out wrote`);
  }
  const object = value as Partial<ObservedAggregate> | null;
  if (typeof object !== 'object' || object === null || object.apiVersion !== OBSERVED_API_VERSION || object.kind !== OBSERVED_KIND) {
    throw new InvalidObservedFileError(file, `not an aggregate of observed flows (apiVersion ${OBSERVED_API_VERSION}, kind ${OBSERVED_KIND}); give the file zt observe import --out wrote`);
  }
  for (const list of ['workloads', 'flows', 'dns', 'dropped', 'notGenerated'] as const) {
    if (!Array.isArray(object[list])) throw new InvalidObservedFileError(file, `${list}: must be a list`);
  }
  const ids = new Set(object.workloads!.map((w) => w.id));
  const check = (where: string, peer: { kind: string; workload?: string } | undefined): void => {
    if (!peer || (peer.kind === 'workload' && !ids.has(peer.workload ?? ''))) {
      throw new InvalidObservedFileError(file, `${where}: names a workload the file does not list (${peer?.workload ?? 'none'})`);
    }
  };
  object.flows!.forEach((flow, i) => {
    check(`flows[${i}].source`, flow.source);
    check(`flows[${i}].destination`, flow.destination);
    if (!Number.isInteger(flow.port) || flow.port < 1 || flow.port > 65535) throw new InvalidObservedFileError(file, `flows[${i}].port: ${String(flow.port)} is not a port`);
  });
  return object as ObservedAggregate;
}
