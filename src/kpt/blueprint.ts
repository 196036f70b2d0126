import { Construct } from 'constructs';
import { KptFunction } from './kpt-function';
import { KptPackage } from './kpt-package';

/** The cluster a package variant is rendered for, as the package needs to know it. */
export interface DeploymentTarget {
  /** Cluster name (DNS-1123 label). */
  readonly name: string;
  /** Environment name, e.g. `production`. */
  readonly environment: string;
  /** Cluster labels, e.g. `nephio.org/site-type: edge`. */
  readonly labels: Record<string, string>;
}

/** Compute resources of a container, in Kubernetes quantity strings. */
export interface ResourceRequirements {
  /** e.g. `{ cpu: '500m', memory: '512Mi' }` @default - none */
  readonly requests?: Record<string, string>;
  /** e.g. `{ cpu: '2', memory: '2Gi' }` @default - none */
  readonly limits?: Record<string, string>;
}

/** Per-environment or per-cluster changes to a workload package. Later overrides win, key by key. */
export interface WorkloadOverrides {
  /** @default - the blueprint's */
  readonly replicas?: number;
  /** Image reference (tag or digest). @default - the blueprint's */
  readonly image?: string;
  /** @default - the blueprint's */
  readonly resources?: ResourceRequirements;
  /** Configuration values merged over the blueprint's, key by key. @default - the blueprint's */
  readonly configuration?: Record<string, string>;
}

/** Everything a blueprint needs to render one hydrated variant of itself. */
export interface VariantOptions {
  /** Repository folder of the variant, e.g. `deployments/production/edge-01/amf`. */
  readonly path: string;
  /** The cluster it is for. */
  readonly target: DeploymentTarget;
  /** Merged overrides for this cluster. */
  readonly overrides: WorkloadOverrides;
  /** The repository URL recorded as the variant's upstream (`upstream.git.repo`). */
  readonly upstreamRepo: string;
  /** The upstream ref recorded (`upstream.git.ref`). */
  readonly upstreamRef: string;
  /** Extra mutators the placement adds after the blueprint's own (e.g. cluster labels). */
  readonly mutators: KptFunction[];
}

/**
 * A package that can be placed on clusters: it owns a blueprint under `packages/` and renders a
 * hydrated variant for one cluster, whose Kptfile upstream points back at the blueprint.
 */
export interface IPackageBlueprint {
  /** The blueprint package. */
  readonly blueprint: KptPackage;
  /** Namespaces the package's resources live in, which a cluster running it must have. */
  readonly namespaces: string[];
  /** Creates the variant package under `scope`. */
  renderVariant(scope: Construct, id: string, options: VariantOptions): KptPackage;
}
