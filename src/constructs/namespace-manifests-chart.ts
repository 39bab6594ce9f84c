import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { ZeroTrustPlatform } from './platform';
import { Manifest } from '../backends/manifest';

export interface NamespaceManifestsChartProps {
  readonly namespace: string;
  readonly platform: ZeroTrustPlatform;
}

/**
 * Holds one managed namespace's policies. Its objects come from the platform's single rendering,
 * so synthesizing N charts costs one validation, not N (cdk8s' default Chart.toJson re-validates
 * the whole app for every chart, which is quadratic).
 */
const NAMESPACE_CHART_SYMBOL = Symbol.for('cdk8s-zero-trust.NamespaceManifestsChart');

export class NamespaceManifestsChart extends Chart {
  /** A brand test: `instanceof` cannot tell our charts apart, since cdk8s' Chart answers it for every chart. */
  public static isNamespaceManifestsChart(x: unknown): x is NamespaceManifestsChart {
    return x !== null && typeof x === 'object' && NAMESPACE_CHART_SYMBOL in x;
  }

  public readonly platform: ZeroTrustPlatform;
  public readonly namespaceName: string;

  constructor(scope: Construct, id: string, props: NamespaceManifestsChartProps) {
    super(scope, id, { namespace: props.namespace });
    Object.defineProperty(this, NAMESPACE_CHART_SYMBOL, { value: true });
    this.platform = props.platform;
    this.namespaceName = props.namespace;
  }

  public toJson(): Manifest[] {
    return this.platform._manifestsOf(this.namespaceName);
  }
}
