import { App, AppProps, YamlOutputType } from 'cdk8s';
import { layoutFiles, OutputLayout, SynthesizedFile } from './layout';
import { OutputWriteError, writeOutput } from './output-writer';
import { NamespaceManifestsChart } from '../constructs/namespace-manifests-chart';
import { ZeroTrustPlatform } from '../constructs/platform';
import { ValidationIssue, ZeroTrustValidationError } from '../model/issues';
import { compareStrings } from '../model/selector';

export { OutputLayout, SynthesizedFile } from './layout';
export { OutputWriteError, WRITTEN_FILES_LIST } from './output-writer';

/** Props of ZeroTrustApp: those of a cdk8s App, and the layout of the output. */
export interface ZeroTrustAppProps {
  /** @default - CDK8S_OUTDIR if set, otherwise "dist" */
  readonly outdir?: string;
  /** @default ".k8s.yaml" */
  readonly outputFileExtension?: string;
  /** @default false */
  readonly recordConstructMetadata?: boolean;
  /** @default OutputLayout.FLAT */
  readonly layout?: OutputLayout;
}

/**
 * A cdk8s App that synthesizes zero-trust platforms fast: one validation for the whole app, one
 * rendering per platform, and a YAML writer byte-identical to cdk8s' own but an order of magnitude
 * faster. Layout (`OutputLayout`): flat by default, `<platform>.k8s.yaml` (cluster-scoped objects)
 * and `<namespace>.k8s.yaml` per managed namespace, or one folder per backend with kustomizations;
 * other charts of the app are written as cdk8s writes them (`<chart>.k8s.yaml`).
 *
 * Nothing is written unless every chart is valid, and the output folder holds either the previous
 * output or the new one, never a mix: see `synth()`.
 */
export class ZeroTrustApp extends App {
  public readonly layout: OutputLayout;

  constructor(props: ZeroTrustAppProps = {}) {
    const { layout, ...rest } = props;
    const appProps: AppProps = { ...rest, yamlOutputType: YamlOutputType.FILE_PER_CHART };
    super(appProps);
    this.layout = layout ?? OutputLayout.FLAT;
  }

  /**
   * Validates, renders every chart in memory, then replaces the output folder as a whole: the files
   * are written into a sibling folder (`.<outdir>.zt-staging-*`), which then takes the place of the
   * output folder by renames. Files this synthesis no longer writes but an earlier one did (listed in
   * `<outdir>/.zt-written`) are dropped; every other file in the output folder is kept.
   *
   * Throws ZeroTrustValidationError for invalid declarations and OutputWriteError when the files
   * cannot be written; in both cases the output folder is left as it was.
   */
  public synth(): void {
    writeOutput(this.outdir, this.synthFiles());
  }

  /**
   * `synth()` for a program's entry point: on invalid declarations or a write error, prints the
   * problems to stderr, one per line (`[construct path] field: problem. Fix: fix`), sets
   * `process.exitCode = 1` and returns false, without a stack trace. Other errors (bugs) are thrown.
   *
   *     const app = new ZeroTrustApp();
   *     buildPlatform(app);
   *     app.synthOrExit();
   */
  public synthOrExit(): boolean {
    try {
      this.synth();
      return true;
    } catch (error) {
      if (!(error instanceof ZeroTrustValidationError || error instanceof OutputWriteError)) throw error;
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
      return false;
    }
  }

  /**
   * The files `synth()` would write, sorted by name, without writing them: the same files in the
   * same order whatever the order of the declarations. Throws on any invalid declaration.
   */
  public synthFiles(): SynthesizedFile[] {
    this.validateAll();
    return layoutFiles(this.charts, this.layout, this.outputFileExtension).sort((a, b) => compareStrings(a.fileName, b.fileName));
  }

  private validateAll(): void {
    const platforms: ZeroTrustPlatform[] = [];
    const otherErrors: string[] = [];
    for (const construct of this.node.findAll()) {
      if (ZeroTrustPlatform.isZeroTrustPlatform(construct)) {
        platforms.push(construct);
        continue;
      }
      if (NamespaceManifestsChart.isNamespaceManifestsChart(construct)) continue;
      for (const error of construct.node.validate()) otherErrors.push(`[${construct.node.path}] ${error}`);
    }
    const issues: ValidationIssue[] = platforms.flatMap((p) => [...p.validateIntent()]);
    // Report everything at once: our issues and the other constructs' validation errors.
    if (otherErrors.length > 0 || issues.length > 0) throw new ZeroTrustValidationError(issues, otherErrors);
  }
}
