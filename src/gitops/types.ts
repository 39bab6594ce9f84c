/**
 * The subset of the Argo CD and Flux APIs the delivery constructs emit, typed by hand (the upstream CRDs:
 * https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/ and
 * https://fluxcd.io/flux/components/kustomize/kustomizations/, https://fluxcd.io/flux/components/source/gitrepositories/).
 * The tests check every emitted object against the upstream schemas.
 */
import { ObjectMetadata } from '../backends/manifest';

/** `spec.source` of an Argo CD Application. */
export interface ArgoCdSource {
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly path: string;
}

/** Where an Argo CD Application deploys: a cluster by API server URL or by its name in Argo CD. */
export interface ArgoCdDestinationSpec {
  readonly server?: string;
  readonly name?: string;
}

export interface ArgoCdSyncPolicy {
  readonly automated?: { readonly prune: boolean; readonly selfHeal: boolean };
  readonly syncOptions: readonly string[];
  readonly retry?: {
    readonly limit: number;
    readonly backoff: { readonly duration: string; readonly factor: number; readonly maxDuration: string };
  };
}

export interface ArgoCdApplicationSpec {
  readonly project: string;
  readonly source: ArgoCdSource;
  readonly destination: ArgoCdDestinationSpec;
  readonly syncPolicy: ArgoCdSyncPolicy;
}

/** argoproj.io/v1alpha1 Application. */
export interface ArgoCdApplicationManifest {
  readonly apiVersion: 'argoproj.io/v1alpha1';
  readonly kind: 'Application';
  readonly metadata: ObjectMetadata;
  readonly spec: ArgoCdApplicationSpec;
}

/** argoproj.io/v1alpha1 ApplicationSet with a list generator (one element per cluster). */
export interface ArgoCdApplicationSetManifest {
  readonly apiVersion: 'argoproj.io/v1alpha1';
  readonly kind: 'ApplicationSet';
  readonly metadata: ObjectMetadata;
  readonly spec: {
    readonly goTemplate: true;
    readonly goTemplateOptions: readonly string[];
    readonly generators: readonly [{ readonly list: { readonly elements: readonly Readonly<Record<string, string>>[] } }];
    readonly syncPolicy: { readonly preserveResourcesOnDeletion: boolean };
    readonly template: {
      readonly metadata: {
        readonly name: string;
        readonly labels?: Readonly<Record<string, string>>;
        readonly annotations?: Readonly<Record<string, string>>;
      };
      readonly spec: ArgoCdApplicationSpec;
    };
  };
}

/** A reference to a Flux object, by name and (optionally) namespace. */
export interface FluxObjectReference {
  readonly name: string;
  readonly namespace?: string;
}

/** kustomize.toolkit.fluxcd.io/v1 Kustomization. */
export interface FluxKustomizationManifest {
  readonly apiVersion: 'kustomize.toolkit.fluxcd.io/v1';
  readonly kind: 'Kustomization';
  readonly metadata: ObjectMetadata;
  readonly spec: {
    readonly interval: string;
    readonly retryInterval: string;
    readonly timeout?: string;
    readonly path: string;
    readonly prune: boolean;
    readonly wait: boolean;
    readonly deletionPolicy: 'Orphan' | 'MirrorPrune' | 'Delete';
    readonly sourceRef: { readonly kind: 'GitRepository'; readonly name: string; readonly namespace?: string };
    readonly dependsOn?: readonly FluxObjectReference[];
  };
}

/** source.toolkit.fluxcd.io/v1 GitRepository. */
export interface FluxGitRepositoryManifest {
  readonly apiVersion: 'source.toolkit.fluxcd.io/v1';
  readonly kind: 'GitRepository';
  readonly metadata: ObjectMetadata;
  readonly spec: {
    readonly url: string;
    readonly interval: string;
    readonly ref: { readonly branch?: string; readonly tag?: string; readonly commit?: string };
    readonly secretRef?: { readonly name: string };
  };
}
