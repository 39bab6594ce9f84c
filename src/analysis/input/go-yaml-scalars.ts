/**
 * Plain (unquoted, untagged) YAML scalars resolved exactly as the Kubernetes API server resolves them.
 *
 * kubectl and the API server decode YAML with sigs.k8s.io/yaml, which runs go-yaml v2 into `interface{}`
 * and then converts the result to JSON. go-yaml v2 is neither YAML 1.1 nor YAML 1.2: its `resolve`
 * function (https://github.com/go-yaml/yaml/blob/v2.4.0/resolve.go) looks a few exact spellings up in a
 * table (booleans, nulls, infinities), and otherwise, for scalars that start with a digit or a sign, calls
 * Go's `strconv.ParseInt(s, 0, 64)` on the text with every `_` removed. Base 0 means Go's own literal
 * syntax (https://pkg.go.dev/strconv#ParseInt): `0x1F` and `0X1F` are hex, `0b101` binary, `0o17` and
 * `0O17` octal (Go ≥ 1.13, which every supported Kubernetes release is built with), and a leading `0`
 * as in `010` octal too. So, unlike the YAML 1.1 spec:
 * - `0o17` is 15 and `0b101` is 5 (YAML 1.1 would say: strings / 5);
 * - `1_000` is 1000, and so are `1__000` and `1000_`: underscores are dropped before parsing;
 * - `08` is 8, as a float: it fails as octal, then matches go-yaml's float pattern;
 * - sexagesimal `1:20` is a string ("purposefully unsupported" in resolve.go), as are timestamps such as
 *   `2001-12-14` (decoded into `interface{}`, go-yaml v2 keeps a timestamp's text, decode.go).
 */

/** A plain scalar's value, with the YAML type go-yaml v2 gives it. */
export type ResolvedScalar =
  | { readonly type: 'null'; readonly value: null }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'str'; readonly value: string };

const NULL: ResolvedScalar = { type: 'null', value: null };
const TRUE: ResolvedScalar = { type: 'bool', value: true };
const FALSE: ResolvedScalar = { type: 'bool', value: false };

/** resolveMap of resolve.go, verbatim. */
const EXACT = new Map<string, ResolvedScalar>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s): [string, ResolvedScalar] => [s, TRUE]),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s): [string, ResolvedScalar] => [s, FALSE]),
  ...['', '~', 'null', 'Null', 'NULL'].map((s): [string, ResolvedScalar] => [s, NULL]),
  ...['.nan', '.NaN', '.NAN'].map((s): [string, ResolvedScalar] => [s, { type: 'float', value: NaN }]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s): [string, ResolvedScalar] => [s, { type: 'float', value: Infinity }]),
  ...['-.inf', '-.Inf', '-.INF'].map((s): [string, ResolvedScalar] => [s, { type: 'float', value: -Infinity }]),
]);

/** First characters for which resolve.go tries anything but a string (its resolveTable). */
const HINTED = /^[-+0-9yYnNtTfFoO~.]/;

/** yamlStyleFloat of resolve.go, verbatim. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

const DIGITS: Readonly<Record<number, RegExp>> = { 2: /^[01]*$/, 8: /^[0-7]*$/, 10: /^[0-9]*$/, 16: /^[0-9a-fA-F]*$/ };
const PREFIX: Readonly<Record<number, string>> = { 2: '0b', 8: '0o', 10: '', 16: '0x' };

/** strconv.ParseUint(s, 0, 64) for text without underscores: undefined on a syntax or range error. */
function parseUintBase0(s: string): bigint | undefined {
  if (s === '') return undefined;
  let base = 10;
  let digits = s;
  if (s[0] === '0') {
    const prefix = s.length >= 3 ? s[1].toLowerCase() : '';
    base = prefix === 'b' ? 2 : prefix === 'o' ? 8 : prefix === 'x' ? 16 : 8;
    digits = s.slice(base === 8 && prefix !== 'o' ? 1 : 2);
  }
  if (!DIGITS[base].test(digits)) return undefined;
  // "0" alone is octal with no digits left: Go returns 0 for it.
  const value = digits === '' ? 0n : BigInt(PREFIX[base] + digits);
  return value <= UINT64_MAX ? value : undefined;
}

/** strconv.ParseInt(s, 0, 64): a sign, then ParseUint, then the int64 range. */
function parseIntBase0(s: string): bigint | undefined {
  const negative = s[0] === '-';
  const magnitude = parseUintBase0(s[0] === '-' || s[0] === '+' ? s.slice(1) : s);
  if (magnitude === undefined) return undefined;
  const value = negative ? -magnitude : magnitude;
  return value >= INT64_MIN && value <= INT64_MAX ? value : undefined;
}

/**
 * strconv's underscoreOK (https://cs.opensource.google/go/go/+/refs/tags/go1.22.0:src/strconv/atoi.go):
 * underscores only between digits. Only the `.5_0` form of float reaches it here: resolve.go passes
 * scalars that start with `.` to ParseFloat without removing underscores.
 */
function underscoresOk(s: string): boolean {
  let saw = '^';
  for (const c of s) {
    if (c >= '0' && c <= '9') {
      saw = '0';
    } else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

/** strconv.ParseFloat(s, 64) for the decimal forms that reach it; undefined on error (Go rejects overflow to ±Inf). */
function parseDecimalFloat(s: string): number | undefined {
  const value = Number(s);
  return Number.isFinite(value) ? value : undefined;
}

/** A bigint from ParseInt/ParseUint as JSON would carry it (precision beyond 2^53 is lost, as in any JS reader). */
function intResult(value: bigint): ResolvedScalar {
  // -0 is not an integer in Go; `-0` resolves to the int 0.
  return { type: 'int', value: Number(value) || 0 };
}

/** The value go-yaml v2 gives a plain, untagged scalar with this text. */
export function resolvePlainScalar(text: string): ResolvedScalar {
  const exact = EXACT.get(text);
  if (exact) return exact;
  if (!HINTED.test(text)) return { type: 'str', value: text };
  const first = text[0];
  if (first === '.') {
    // resolve.go: `strconv.ParseFloat(in, 64)` on the text as is.
    if (/^\.[0-9_]+([eE][-+]?[0-9][0-9_]*)?$/.test(text) && /^\.[0-9]/.test(text.replace(/_/g, '')) && underscoresOk(text)) {
      const value = parseDecimalFloat(text.replace(/_/g, ''));
      if (value !== undefined) return { type: 'float', value };
    }
    return { type: 'str', value: text };
  }
  if (first !== '-' && first !== '+' && (first < '0' || first > '9')) return { type: 'str', value: text };
  const plain = text.replace(/_/g, '');
  const signed = parseIntBase0(plain);
  if (signed !== undefined) return intResult(signed);
  const unsigned = parseUintBase0(plain);
  if (unsigned !== undefined) return intResult(unsigned);
  if (YAML_STYLE_FLOAT.test(plain)) {
    const value = parseDecimalFloat(plain);
    if (value !== undefined) return { type: 'float', value };
  }
  // The explicit 0b branches of resolve.go only repeat what ParseInt with base 0 already accepted.
  return { type: 'str', value: text };
}

/**
 * How sigs.k8s.io/yaml turns a float map key into a JSON object key: `strconv.FormatFloat(f, 'g', -1, 32)`
 * (https://github.com/kubernetes-sigs/yaml/blob/master/yaml.go), i.e. the shortest text that reads back
 * as the same float32, in exponent form when the decimal exponent is below -4 or at least 6
 * (strconv/ftoa.go: with the shortest precision, %g decides with a precision of 6). Infinities and NaN
 * become `.inf`, `-.inf` and `.nan`.
 */
export function goFloat32KeyText(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  const f32 = Math.fround(value);
  if (f32 === 0) return Object.is(f32, -0) ? '-0' : '0';
  if (!Number.isFinite(f32)) return f32 > 0 ? '.inf' : '-.inf';
  // Shortest decimal digits that read back as the same float32.
  let digits = '';
  let exponent = 0;
  for (let precision = 1; precision <= 9; precision++) {
    const text = Math.abs(f32).toExponential(precision - 1);
    if (Math.fround(Number(text)) === Math.abs(f32)) {
      const [mantissa, exp] = text.split('e');
      digits = mantissa.replace('.', '');
      exponent = Number(exp);
      break;
    }
  }
  digits = digits.replace(/0+$/, '') || '0';
  const sign = f32 < 0 ? '-' : '';
  if (exponent < -4 || exponent >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const exp = Math.abs(exponent);
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${exp < 10 ? '0' : ''}${exp}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits}${'0'.repeat(exponent + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}
