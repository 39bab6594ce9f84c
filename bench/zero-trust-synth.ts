import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildScaledPlatform } from '../examples/scaled-platform';
import { Backend, ZeroTrustApp } from '../src';

/** The built-in backends the benchmark can synthesize to, by id. */
export const BENCH_BACKENDS: Readonly<Record<string, () => Backend>> = {
  kubernetes: () => Backend.kubernetes(),
  cilium: () => Backend.cilium(),
  calico: () => Backend.calico(),
};

/** Figures of one cdk8s-zero-trust synthesis. */
export interface ZeroTrustSynthRun {
  /** Seconds of `app.synth()` alone: validation, rendering, YAML, writing. */
  readonly seconds: number;
  /** Seconds spent declaring the platform (constructs) before synthesis. */
  readonly buildSeconds: number;
  readonly peakRssMb: number;
  readonly objects: number;
  readonly files: number;
}

/**
 * One measurement, meant to run in a fresh child process (see measure.ts): declares the scaled
 * example platform (rendered by one built-in backend) in a temporary directory, times `app.synth()`, counts what was written, removes it.
 * The output folder is inside a folder of its own: synthesis lists the output's parent folder (for
 * staging folders a crash left behind), and the system's temporary folder can hold tens of thousands
 * of entries, which would be measured too.
 */
export async function runZeroTrustSynth(tenants: number, backend: string = 'kubernetes'): Promise<ZeroTrustSynthRun> {
  const backendOf = BENCH_BACKENDS[backend];
  if (!backendOf) throw new Error(`unknown backend '${backend}': use one of ${Object.keys(BENCH_BACKENDS).join(', ')}`);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-bench-synth-'));
  const outdir = path.join(folder, 'dist');
  try {
    const buildStart = process.hrtime.bigint();
    const app = new ZeroTrustApp({ outdir });
    const platform = buildScaledPlatform(app, tenants, backendOf());
    const synthStart = process.hrtime.bigint();
    app.synth();
    const synthEnd = process.hrtime.bigint();
    return {
      seconds: Number(synthEnd - synthStart) / 1e9,
      buildSeconds: Number(synthStart - buildStart) / 1e9,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      objects: platform.manifests().length,
      files: fs.readdirSync(outdir).length,
    };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
