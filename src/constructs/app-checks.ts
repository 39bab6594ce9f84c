import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationIssue } from '../model/issues';

/**
 * Checks of the app around a platform, which the model cannot see: objects that would not be
 * written, and output types that would lose objects. They scan the construct tree, so they run once
 * per validation, never per chart. (Chart files cannot collide: cdk8s names a chart's file after its
 * id at the root, where ids are unique, and adds a hash of the path below it.)
 */
export function appIssues(platform: Chart): ValidationIssue[] {
  return [...outputTypeIssues(platform), ...strayObjectIssues(platform)];
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
