import * as fs from 'fs';
import * as path from 'path';
import { App, AppProps, Chart, Names, Yaml, YamlOutputType } from 'cdk8s';
import { JsonValue, stringifyYamlDocuments } from './yaml-emitter';
import { NamespaceManifestsChart } from '../constructs/namespace-manifests-chart';
import { ZeroTrustPlatform } from '../constructs/platform';
import { formatIssue, ValidationIssue, ZeroTrustValidationError } from '../model/issues';

/** Props of ZeroTrustApp: those of a cdk8s App; the output layout is always one file per chart. */
export interface ZeroTrustAppProps {
  /** @default - CDK8S_OUTDIR if set, otherwise "dist" */
  readonly outdir?: string;
  /** @default ".k8s.yaml" */
  readonly outputFileExtension?: string;
  /** @default false */
  readonly recordConstructMetadata?: boolean;
}

/** One file to write. */
export interface SynthesizedFile {
  /** Relative to the output directory. */
  readonly fileName: string;
  readonly content: string;
}

/**
 * A cdk8s App that synthesizes zero-trust platforms fast: one validation for the whole app, one
 * rendering per platform, and a YAML writer byte-identical to cdk8s' own but an order of magnitude
 * faster. Layout: `<platform>.k8s.yaml` (cluster-scoped objects) and `<namespace>.k8s.yaml` per
 * managed namespace; other charts of the app are written as cdk8s writes them (`<chart>.k8s.yaml`).
 * Nothing is written unless every chart is valid.
 */
export class ZeroTrustApp extends App {
  constructor(props: ZeroTrustAppProps = {}) {
    const appProps: AppProps = { ...props, yamlOutputType: YamlOutputType.FILE_PER_CHART };
    super(appProps);
  }

  /** Validates, renders every chart in memory, then writes the files. */
  public synth(): void {
    const files = this.synthFiles();
    fs.mkdirSync(this.outdir, { recursive: true });
    for (const file of files) fs.writeFileSync(path.join(this.outdir, file.fileName), file.content);
  }

  /** The files `synth()` would write, without writing them. Throws on any invalid declaration. */
  public synthFiles(): SynthesizedFile[] {
    this.validateAll();
    const seen = new Map<string, string>();
    return this.charts.map((chart) => {
      const fileName = `${Names.toDnsLabel(chart)}${this.outputFileExtension}`;
      const other = seen.get(fileName);
      if (other !== undefined) {
        throw new Error(`charts ${other} and ${chart.node.path} would both be written to ${fileName}; rename one of them`);
      }
      seen.set(fileName, chart.node.path);
      return { fileName, content: renderChart(chart) };
    });
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

function renderChart(chart: Chart): string {
  const objects: unknown[] = chart.toJson();
  const ours = NamespaceManifestsChart.isNamespaceManifestsChart(chart) || ZeroTrustPlatform.isZeroTrustPlatform(chart);
  // Our manifests are plain JSON data; the fast writer gives the same bytes as cdk8s' Yaml.
  return ours ? stringifyYamlDocuments(objects as JsonValue[]) : Yaml.stringify(...objects);
}
