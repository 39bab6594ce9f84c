/**
 * The model's HTTP path is a regular expression matched against the whole path; Istio's `paths` are
 * exact strings, a prefix (`/api/*`), a suffix (`*.json`), or templates (`{*}` one non-empty
 * segment, `{**}` any run, last) (https://istio.io/latest/docs/reference/config/security/authorization-policy/#Operation).
 * Only expressions that mean exactly one of those are translated; any other is refused, never
 * approximated by a wider pattern.
 */

/** One piece of a path expression: literal text, `[^/]+` (one segment), or `.*` (any run). */
type Piece = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'segment' } | { readonly kind: 'any' };

/** Characters that are literal in a regular expression only when escaped. */
const META = new Set(['.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '^', '$', '\\']);
/** Characters Istio reads as wildcards or templates inside a path. */
const ISTIO_SPECIAL = /[*{}]/;

export type PathTranslation = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly why: string };

export function istioPath(expression: string): PathTranslation {
  const pieces = parse(expression);
  if (!pieces) return { ok: false, why: 'it is a regular expression beyond a literal path, a segment [^/]+ and a final or leading .*' };
  const texts = pieces.filter((p): p is Extract<Piece, { kind: 'text' }> => p.kind === 'text');
  if (texts.some((t) => ISTIO_SPECIAL.test(t.text))) return { ok: false, why: "its literal text holds '*', '{' or '}', which Istio reads as wildcards" };
  const anyAt = pieces.map((p, i) => (p.kind === 'any' ? i : -1)).filter((i) => i >= 0);
  const hasSegments = pieces.some((p) => p.kind === 'segment');
  if (anyAt.length === 0) {
    return { ok: true, path: pieces.map((p) => (p.kind === 'text' ? p.text : '{*}')).join('') };
  }
  if (anyAt.length > 1) return { ok: false, why: 'it has more than one .*' };
  const at = anyAt[0];
  if (at === pieces.length - 1) {
    const head = pieces.slice(0, -1);
    if (!hasSegments) return { ok: true, path: `${head.map((p) => (p.kind === 'text' ? p.text : '')).join('')}*` };
    // With templates, `{**}` is the run; Istio wants it after a '/'.
    const text = head.map((p) => (p.kind === 'text' ? p.text : '{*}')).join('');
    if (!text.endsWith('/')) return { ok: false, why: "a final .* after a [^/]+ segment must follow a '/' in Istio's templates" };
    return { ok: true, path: `${text}{**}` };
  }
  if (at === 0 && !hasSegments) return { ok: true, path: `*${pieces.slice(1).map((p) => (p.kind === 'text' ? p.text : '')).join('')}` };
  return { ok: false, why: '.* stands neither at the end (a prefix) nor at the start (a suffix)' };
}

/** The pieces of an expression, or undefined when it uses anything else. */
function parse(expression: string): Piece[] | undefined {
  const pieces: Piece[] = [];
  const pushText = (c: string) => {
    const last = pieces[pieces.length - 1];
    if (last?.kind === 'text') pieces[pieces.length - 1] = { kind: 'text', text: last.text + c };
    else pieces.push({ kind: 'text', text: c });
  };
  for (let i = 0; i < expression.length;) {
    if (expression.startsWith('[^/]+', i)) {
      // A segment only as a whole segment: between '/' and '/' or the end.
      const before = expression[i - 1];
      const after = expression[i + 5];
      if (before !== '/' || (after !== undefined && after !== '/')) return undefined;
      pieces.push({ kind: 'segment' });
      i += 5;
      continue;
    }
    if (expression.startsWith('.*', i)) {
      pieces.push({ kind: 'any' });
      i += 2;
      continue;
    }
    const c = expression[i];
    if (c === '\\') {
      const next = expression[i + 1];
      // Only escapes of punctuation are literal characters; \d, \w, \s... are classes.
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined;
      pushText(next);
      i += 2;
      continue;
    }
    if (META.has(c)) return undefined;
    pushText(c);
    i += 1;
  }
  return pieces;
}
