import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildScaledMeshPlatform } from './scaled-mesh-platform';
import { buildScaledPlatform, ScaledBackend } from '../examples/scaled-platform';
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
 * example platform (rendered by `backend`) in a temporary directory, times `app.synth()`, counts what
 * was written, removes it.
 * The output folder is inside a folder of its own: synthesis lists the output's parent folder (for
 * staging folders a crash left behind), and the system's temporary folder can hold tens of thousands
 * of entries, which would be measured too.
 */
export async function runZeroTrustSynth(tenants: number, backend: ScaledBackend = 'kubernetes'): Promise<ZeroTrustSynthRun> {
  return synthesize((app) => buildScaledPlatform(app, tenants, backend));
}

/**
 * The scaled shape with service accounts and the ingress gateway (bench/scaled-mesh-platform.ts),
 * synthesized to Kubernetes alone (`mesh` false) or to Kubernetes plus Istio with MeshStrictMtls.
 */
export async function runMeshSynth(tenants: number, mesh: boolean): Promise<ZeroTrustSynthRun> {
  return synthesize((app) => buildScaledMeshPlatform(app, tenants, mesh));
}

async function synthesize(build: (app: ZeroTrustApp) => ReturnType<typeof buildScaledPlatform>): Promise<ZeroTrustSynthRun> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'zt-bench-synth-'));
  const outdir = path.join(folder, 'dist');
  try {
    const buildStart = process.hrtime.bigint();
    const app = new ZeroTrustApp({ outdir });
    const platform = build(app);
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
