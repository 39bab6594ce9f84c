/** Levenshtein distance, capped: anything above `limit` is reported as limit + 1. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      rowMinimum = Math.min(rowMinimum, current[j]);
    }
    if (rowMinimum > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

/** Up to `max` endpoint ids that look like what the user meant: same pod name in another namespace, or a few typos away. */
export function closeMatches(query: string, ids: readonly string[], max = 5): string[] {
  const queryName = query.slice(query.lastIndexOf('/') + 1).replace(/^external:/, '');
  const limit = Math.max(2, Math.floor(query.length / 4));
  const scored: { id: string; score: number }[] = [];
  for (const id of ids) {
    const name = id.slice(id.lastIndexOf('/') + 1).replace(/^external:/, '');
    if (name === queryName || id.includes(query)) {
      scored.push({ id, score: 0 });
      continue;
    }
    const distance = editDistance(query, id, limit);
    if (distance <= limit) scored.push({ id, score: distance });
  }
  return scored.sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : 1)).slice(0, max).map((entry) => entry.id);
}

/** The error for an endpoint id that is not in the inventory. */
/** A query named an endpoint that the input does not contain: the caller's input to fix, not a bug. */
export class UnknownEndpointError extends Error {
  constructor(
    public readonly endpoint: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnknownEndpointError';
  }
}

export function unknownEndpointError(id: string, ids: readonly string[]): UnknownEndpointError {
  const matches = closeMatches(id, ids);
  const hint = matches.length > 0 ? ` Did you mean: ${matches.join(', ')}?` : ' Endpoints are `namespace/name` or `external:NAME`.';
  return new UnknownEndpointError(id, `Unknown endpoint "${id}".${hint}`);
}
