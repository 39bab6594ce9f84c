import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps, YamlOutputType } from 'cdk8s';
import { layoutFiles, OutputLayout, SynthesizedFile } from './layout';
import { NamespaceManifestsChart } from '../constructs/namespace-manifests-chart';
import { ZeroTrustPlatform } from '../constructs/platform';
import { formatIssue, ValidationIssue, ZeroTrustValidationError } from '../model/issues';

export { OutputLayout, SynthesizedFile } from './layout';

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
 * other charts of the app are written as cdk8s writes them (`<chart>.k8s.yaml`). Nothing is written
 * unless every chart is valid.
 */
export class ZeroTrustApp extends App {
  public readonly layout: OutputLayout;

  constructor(props: ZeroTrustAppProps = {}) {
    const { layout, ...rest } = props;
    const appProps: AppProps = { ...rest, yamlOutputType: YamlOutputType.FILE_PER_CHART };
    super(appProps);
    this.layout = layout ?? OutputLayout.FLAT;
  }

  /** Validates, renders every chart in memory, then writes the files. */
  public synth(): void {
    const files = this.synthFiles();
    const targets = files.map((file) => ({ target: path.join(this.outdir, file.fileName), content: file.content }));
    for (const folder of new Set([this.outdir, ...targets.map((t) => path.dirname(t.target))])) fs.mkdirSync(folder, { recursive: true });
    for (const { target, content } of targets) fs.writeFileSync(target, content);
  }

  /** The files `synth()` would write, without writing them. Throws on any invalid declaration. */
  public synthFiles(): SynthesizedFile[] {
    this.validateAll();
    return layoutFiles(this.charts, this.layout, this.outputFileExtension);
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
    if (otherErrors.length === 0 && issues.length === 0) return;
    if (otherErrors.length === 0) throw new ZeroTrustValidationError(issues);
    // Report everything at once: our issues and the other constructs' validation errors.
    const lines = [...issues.map(formatIssue), ...otherErrors];
    throw new Error(`Validation failed with ${lines.length} error${lines.length === 1 ? '' : 's'}; nothing was written:\n  ${lines.join('\n  ')}`);
  }
}
