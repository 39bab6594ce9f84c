import { InvalidArgumentError } from 'commander';
import { parseIpAddress } from '../analysis/core/ip-address';
import { parseByteSize } from '../analysis/input/limits';
import { ProbePort } from '../analysis/types';
import { isProtocol } from '../vocabulary/protocol';

/**
 * `--port` values: `N` or `N/PROTO`, protocol case-insensitive and TCP by default.
 * Throws commander's InvalidArgumentError so the message is reported as a usage error (exit 2).
 */
export function parsePort(value: string): ProbePort {
  const match = /^(\d+)(?:\/([A-Za-z]+))?$/.exec(value.trim());
  if (!match) {
    throw new InvalidArgumentError(`expected N or N/PROTO, e.g. 8080 or 53/UDP, got "${value}".`);
  }
  const port = Number(match[1]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InvalidArgumentError(`port must be between 1 and 65535, got ${match[1]}.`);
  }
  const protocol = (match[2] ?? 'TCP').toUpperCase();
  if (!isProtocol(protocol)) {
    throw new InvalidArgumentError(`protocol must be TCP, UDP or SCTP, got "${match[2]}".`);
  }
  return { port, protocol };
}

/** Repeatable `--port`: accumulates, dropping duplicates so `--port 80 --port 80/TCP` probes once. */
export function collectPort(value: string, previous: ProbePort[] | undefined): ProbePort[] {
  const port = parsePort(value);
  const list = previous ?? [];
  return list.some((p) => p.port === port.port && p.protocol === port.protocol) ? list : [...list, port];
}

/** External names become the endpoint id `external:NAME`, so they must not contain `/`, `=` or spaces. */
const EXTERNAL_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** Repeatable `--external NAME=IP`. */
export function collectExternal(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq < 0) throw new InvalidArgumentError(`expected NAME=IP, e.g. dns=8.8.8.8, got "${value}".`);
  const name = value.slice(0, eq).trim();
  const ip = value.slice(eq + 1).trim();
  if (!EXTERNAL_NAME.test(name)) {
    throw new InvalidArgumentError(`name "${name}" must be letters, digits, ".", "_" or "-" (it becomes the endpoint external:${name}).`);
  }
  if (parseIpAddress(ip) === undefined) {
    throw new InvalidArgumentError(`"${ip}" is not an IPv4 or IPv6 address (give one address, not a CIDR).`);
  }
  const externals = { ...(previous ?? {}) };
  // Own properties only: `toString=1.2.3.4` must not find Object.prototype.toString.
  if (Object.prototype.hasOwnProperty.call(externals, name) && externals[name] !== ip) {
    throw new InvalidArgumentError(`external "${name}" is given twice (${externals[name]} and ${ip}); use a different name for each address.`);
  }
  externals[name] = ip;
  return externals;
}

/** `--from`/`--to` of `zt explain`: `namespace/name` or `external:NAME`. */
export function parseEndpoint(value: string): string {
  const v = value.trim();
  if (/^external:[^/\s]+$/.test(v) || /^[^/\s:]+\/[^/\s]+$/.test(v)) return v;
  throw new InvalidArgumentError(`expected namespace/name of a pod or external:NAME, got "${value}".`);
}

/**
 * For options that take one value: commander keeps the last of repeated values silently, which for
 * `explain --port 80 --port 443` would explain a connection the user may not have meant.
 */
export function once<T>(flag: string, parse: (value: string) => T): (value: string, previous: T | undefined) => T {
  return (value, previous) => {
    if (previous !== undefined) {
      throw new InvalidArgumentError(`${flag} may be given only once; run the command once per value.`);
    }
    return parse(value);
  };
}

/** `--max-input-size`: bytes, or a size with K, M or G (binary units), e.g. 64M. */
export function parseMaxInputSize(value: string): number {
  const bytes = parseByteSize(value);
  if (bytes === undefined) {
    throw new InvalidArgumentError(`expected a size such as 64M, 512K, 1G or a number of bytes, got "${value}".`);
  }
  return bytes;
}

/** Repeatable `--exclude GLOB`. */
export function collectExclude(value: string, previous: string[] | undefined): string[] {
  if (value.trim() === '') throw new InvalidArgumentError('the pattern is empty.');
  return [...(previous ?? []), value];
}
