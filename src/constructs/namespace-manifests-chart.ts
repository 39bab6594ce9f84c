import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Manifest } from '../backends/manifest';

/** Where a namespace chart's objects come from: the platform's single rendering. @internal */
export interface NamespaceManifestsSource extends IConstruct {
  _manifestsOf(namespace: string): Manifest[];
}

/** @internal */
export interface NamespaceManifestsChartProps {
  readonly namespace: string;
  readonly source: NamespaceManifestsSource;
}

const NAMESPACE_CHART_SYMBOL = Symbol.for('cdk8s-zero-trust.NamespaceManifestsChart');

/**
 * Holds one managed namespace's policies. Its objects come from the platform's single rendering,
 * so synthesizing N charts costs one validation, not N (cdk8s' default Chart.toJson re-validates
 * the whole app for every chart, which is quadratic). Internal: the platform creates one per namespace.
 */
export class NamespaceManifestsChart extends Chart {
  /** A brand test: `instanceof` cannot tell our charts apart, since cdk8s' Chart answers it for every chart. */
  public static isNamespaceManifestsChart(x: unknown): x is NamespaceManifestsChart {
    return x !== null && typeof x === 'object' && NAMESPACE_CHART_SYMBOL in x;
  }

  /** The platform that manages the namespace. */
  public readonly platform: NamespaceManifestsSource;
  public readonly namespaceName: string;

  constructor(scope: Construct, id: string, props: NamespaceManifestsChartProps) {
    super(scope, id, { namespace: props.namespace });
    Object.defineProperty(this, NAMESPACE_CHART_SYMBOL, { value: true });
    this.platform = props.source;
    this.namespaceName = props.namespace;
  }

  public toJson(): Manifest[] {
    return this.platform._manifestsOf(this.namespaceName);
  }
}
