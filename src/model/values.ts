/** A value as error messages quote it: strings quoted, objects as JSON, the rest as JavaScript prints them. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (value !== null && typeof value === 'object') {
    try {
      const json = JSON.stringify(value);
      if (json !== undefined) return json.length > 80 ? `${json.slice(0, 77)}...` : json;
    } catch {
      // A cycle, or a getter that throws: fall back to the kind of object.
    }
    return `a ${value.constructor?.name ?? 'null-prototype'} object`;
  }
  return String(value);
}

/** The JavaScript type of a value, for "must be a string, got ..." messages. */
export function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
