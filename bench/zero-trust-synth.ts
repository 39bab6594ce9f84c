import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildScaledPlatform } from '../examples/scaled-platform';
import { ZeroTrustApp } from '../src';

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
 * example platform in a temporary directory, times `app.synth()`, counts what was written, removes it.
 */
export async function runZeroTrustSynth(tenants: number): Promise<ZeroTrustSynthRun> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-bench-synth-'));
  try {
    const buildStart = process.hrtime.bigint();
    const app = new ZeroTrustApp({ outdir });
    const platform = buildScaledPlatform(app, tenants);
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
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
