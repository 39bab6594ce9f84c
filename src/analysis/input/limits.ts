/** The largest file, or standard input, read by default: far above any real inventory, far below what would exhaust memory. */
export const DEFAULT_MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * The deepest nesting of maps and lists accepted in a document. Kubernetes objects nest a few dozen
 * levels at most (a CRD's schema the most). The YAML library composes documents recursively and runs
 * out of stack from about 2000 levels in plain Node.js, and from about 800 under jest; the limit keeps
 * every reader of the value several times below that.
 */
export const DEFAULT_MAX_NESTING_DEPTH = 256;

const UNITS: Readonly<Record<string, number>> = { '': 1, 'B': 1, 'K': 1024, 'M': 1024 ** 2, 'G': 1024 ** 3 };

/**
 * `--max-input-size` values: a number of bytes, optionally with a unit K, M or G (also KB/KiB, MB/MiB,
 * GB/GiB, case-insensitive), all binary: 64M = 64MB = 64MiB = 67108864 bytes. Undefined when malformed.
 */
export function parseByteSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmg])(?:i?b)?|(b))?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? match[3] ?? '').toUpperCase();
  const bytes = Math.floor(Number(match[1]) * UNITS[unit]);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** `64 MiB`, `1.5 KiB`, `100 bytes`: sizes in messages. */
export function formatByteSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}
