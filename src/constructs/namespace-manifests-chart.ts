import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Manifest } from '../backends/manifest';
import type { ZeroTrustPlatform } from './platform';

export interface NamespaceManifestsChartProps {
  readonly namespace: string;
  readonly platform: ZeroTrustPlatform;
}

/**
 * Holds one managed namespace's policies. Its objects come from the platform's single rendering,
 * so synthesizing N charts costs one validation, not N (cdk8s' default Chart.toJson re-validates
 * the whole app for every chart, which is quadratic).
 */
export class NamespaceManifestsChart extends Chart {
  public readonly platform: ZeroTrustPlatform;
  public readonly namespaceName: string;

  constructor(scope: Construct, id: string, props: NamespaceManifestsChartProps) {
    super(scope, id, { namespace: props.namespace });
    this.platform = props.platform;
    this.namespaceName = props.namespace;
  }

  public toJson(): Manifest[] {
    return this.platform._manifestsOf(this.namespaceName);
  }
}
