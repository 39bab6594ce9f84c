import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { layoutOf, OutputLayout } from './output-layout';
import { ValidationIssue } from '../model/issues';

/** How the app-level checks recognise charts. */
export interface ChartRoles {
  /** The platform's own charts: itself and its namespaces' charts. */
  readonly ownedBy: (chart: Chart) => boolean;
  /** Charts of any platform of the app (platforms and namespace charts). */
  readonly isPlatformChart: (chart: Chart) => boolean;
  /** The platforms of the app. */
  readonly isPlatform: (chart: Chart) => boolean;
}

/**
 * Checks of the app around a platform, which the model cannot see: objects that would not be
 * written, output types that would lose objects, and chart files that would overwrite each other.
 * They scan the construct tree, so they run once per validation, never per chart.
 */
export function appIssues(platform: Chart, roles: ChartRoles): ValidationIssue[] {
  return [...outputTypeIssues(platform), ...strayObjectIssues(platform), ...chartFileIssues(platform, roles)];
}

/** Our charts write only the rendered policies: an object created inside the platform would be lost. */
function strayObjectIssues(platform: IConstruct): ValidationIssue[] {
  return platform.node
    .findAll()
    .filter((c) => ApiObject.isApiObject(c))
    .map((c) => ({
      path: c.node.path,
      field: 'scope',
      message: `the ${(c as ApiObject).kind} created inside the ZeroTrustPlatform would not be written: the platform's charts hold only the rendered policies`,
      fix: "create it in a chart of your own, e.g. new Chart(app, 'workloads'); cdk8s-plus workloads can then be used with namespace.adopt(workload)",
    }));
}

function outputTypeIssues(platform: IConstruct): ValidationIssue[] {
  const root = platform.node.root;
  if (!(root instanceof App)) return [];
  const type = root.yamlOutputType;
  if (type !== YamlOutputType.FILE_PER_RESOURCE && type !== YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE) return [];
  return [
    {
      path: platform.node.path,
      field: 'App.yamlOutputType',
      message: `${YamlOutputType[type]} is not supported: ${
        type === YamlOutputType.FILE_PER_RESOURCE
          ? 'it writes same-named objects of different namespaces (every default-deny-all) to one file, so all but one are lost'
          : 'it bypasses the charts that hold the rendered policies'
      }`,
      fix: 'use ZeroTrustApp, or App with YamlOutputType.FILE_PER_CHART (one file per namespace) or FILE_PER_APP',
    },
  ];
}

/**
 * With one file per chart, cdk8s names each file after the chart's id at the root, and after the
 * chart's path plus a hash of it below (`apps/web` → `apps-web-<hash>.k8s.yaml`), and silently
 * overwrites a file that two charts share: a root chart whose id is another chart's hashed name. A
 * collision that involves this platform's charts is reported by it; one between other charts by the
 * app's first platform, so that each is reported once.
 */
function chartFileIssues(platform: Chart, roles: ChartRoles): ValidationIssue[] {
  const root = platform.node.root;
  if (!(root instanceof App) || root.yamlOutputType !== YamlOutputType.FILE_PER_CHART) return [];
  const layout = layoutOf(root);
  // The folder layout writes our charts into folders.
  if (layout === OutputLayout.FOLDER_PER_BACKEND) return [];
  const charts = root.charts;
  // A plain App numbers the files when charts depend on each other (ZeroTrustApp does not).
  if (layout === undefined && charts.some((c) => c.node.dependencies.length > 0)) return [];
  const reportsOthers = charts.find(roles.isPlatform) === platform;
  const byFile = new Map<string, Chart>();
  const issues: ValidationIssue[] = [];
  for (const chart of charts) {
    const file = `${Names.toDnsLabel(chart)}${root.outputFileExtension}`;
    const other = byFile.get(file);
    if (!other) {
      byFile.set(file, chart);
      continue;
    }
    const platformInvolved = roles.isPlatformChart(chart) || roles.isPlatformChart(other);
    if (platformInvolved ? !(roles.ownedBy(chart) || roles.ownedBy(other)) : !reportsOthers) continue;
    issues.push({
      path: chart.node.path,
      field: 'id',
      message: `the chart ${chart.node.path} and the chart ${other.node.path} would both be written to ${file}, so one would overwrite the other`,
      fix: platformInvolved
        ? "rename one of them: a chart's file is named after its path, and a managed namespace's chart after the namespace"
        : "rename one of them: a chart's file is named after its path",
    });
  }
  return issues;
}
