/**
 * Benchmark harness: each measurement runs in a fresh Node process, because peak RSS
 * (`process.resourceUsage().maxRSS`) only ever grows: measured in one process, every figure after the
 * biggest run would report that run's peak. A fresh process also keeps one run's garbage and JIT
 * state out of the next.
 */
import { fork } from 'child_process';
import * as path from 'path';

/** What a child reports for one measurement. */
export interface ChildMeasurement<T = unknown> {
  /** Wall-clock seconds of the whole call (including anything the function does besides the work it times itself). */
  readonly seconds: number;
  /** Peak resident set size of the child process, in MiB, read when the call has finished. */
  readonly peakRssMb: number;
  /** The function's own (JSON-serialisable) return value, e.g. its own finer timings. */
  readonly result: T;
}

export interface MeasureOptions {
  /** Node options for the child, e.g. `['--max-old-space-size=8192']`. @default ['--expose-gc'] */
  readonly execArgv?: readonly string[];
}

/** Parent → child. */
interface MeasureRequest {
  readonly modulePath: string;
  readonly exportName: string;
  readonly args: unknown[];
}

/** Child → parent. */
type MeasureResponse =
  | { readonly ok: true; readonly seconds: number; readonly peakRssMb: number; readonly result: unknown }
  | { readonly ok: false; readonly error: string };

const CHILD_FLAG = '--zt-measure-child';

/**
 * Runs `require(modulePath)[exportName](...args)` in a fresh child process and reports its duration,
 * the child's peak RSS and the function's (awaited) result. `modulePath` is resolved against the
 * current directory when relative; pass compiled `.js` modules (e.g. `path.join(__dirname, 'plain-cdk8s')`).
 */
export async function measureInChild<T = unknown>(
  modulePath: string,
  exportName: string,
  args: unknown[],
  options: MeasureOptions = {},
): Promise<ChildMeasurement<T>> {
  const request: MeasureRequest = { modulePath: path.resolve(modulePath), exportName, args };
  // Run from TypeScript sources (ts-node, jest), the child needs the same loader to read this file.
  const loader = __filename.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only'] : [];
  const child = fork(__filename, [CHILD_FLAG], {
    execArgv: [...loader, ...(options.execArgv ?? ['--expose-gc'])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<ChildMeasurement<T>>((resolve, reject) => {
    let response: MeasureResponse | undefined;
    child.on('message', message => {
      response = message as MeasureResponse;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const what = `${exportName}(${args.map(a => JSON.stringify(a)).join(', ')}) from ${modulePath}`;
      if (response?.ok) {
        resolve({ seconds: response.seconds, peakRssMb: response.peakRssMb, result: response.result as T });
      } else if (response) {
        reject(new Error(`${what} failed in the child process: ${response.error}`));
      } else {
        reject(new Error(`${what}: the child process exited (${signal ?? `code ${code}`}) without reporting`));
      }
    });
    child.send(request);
  });
}

/** The child's side: one request, one response, then exit. */
async function serveOneMeasurement(): Promise<void> {
  const request = await new Promise<MeasureRequest>(resolve => process.once('message', m => resolve(m as MeasureRequest)));
  let response: MeasureResponse;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(request.modulePath) as Record<string, unknown>;
    const fn = mod[request.exportName];
    if (typeof fn !== 'function') throw new Error(`${request.modulePath} has no exported function ${request.exportName}`);
    const start = process.hrtime.bigint();
    const result: unknown = await (fn as (...a: unknown[]) => unknown)(...request.args);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    response = { ok: true, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, result };
  } catch (err) {
    response = { ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  // Exit only once the message is out (exiting earlier could drop it), and do exit: a timer or socket the
  // measured code left open must not keep the child, and so the benchmark, waiting.
  process.send!(response, () => process.exit(response.ok ? 0 : 1));
}

if (require.main === module && process.argv.includes(CHILD_FLAG)) {
  serveOneMeasurement().catch(err => {
    console.error(err);
    process.exitCode = 1;
  });
}

/** A table cell: integers get thousands separators, other numbers two decimals; figures are right-aligned. */
export type Cell = string | number;

const NUMBER_TEXT = /^[-+]?[\d,]*\.?\d+\s*%?$/;

/**
 * Aligned plain-text table: a header row from the keys (in order of first appearance), a rule, then one
 * line per row. Format numbers yourself (as strings) when two decimals do not suit.
 */
export function formatTable(rows: readonly Readonly<Record<string, Cell>>[]): string {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const text = (cell: Cell | undefined): string => {
    if (cell === undefined) return '';
    if (typeof cell === 'string') return cell;
    return Number.isInteger(cell) ? cell.toLocaleString('en-US') : cell.toFixed(2);
  };
  const cells = rows.map(row => columns.map(c => text(row[c])));
  // Right-align columns of figures, also when the caller formatted them as strings.
  const numeric = columns.map((_c, i) => cells.every(r => r[i] === '' || NUMBER_TEXT.test(r[i])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map(r => r[i].length)));
  const line = (values: string[]) => values
    .map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i])))
    .join('  ')
    .trimEnd();
  return [line(columns), line(widths.map(w => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
