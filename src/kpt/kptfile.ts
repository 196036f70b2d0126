/**
 * The Kptfile (kpt.dev/v1) as kpt v1 and Porch v1.4.0 read it. Only fields those versions know:
 * `configRef` and `tag` from kpt main are deliberately absent.
 */

/** Selects resources for a pipeline function (all given fields must match). */
export interface KptSelector {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** One pipeline step as written into the Kptfile. */
export interface KptfileFunction {
  readonly image?: string;
  readonly exec?: string;
  readonly name?: string;
  readonly configMap?: Record<string, string>;
  readonly configPath?: string;
  readonly selectors?: KptSelector[];
  readonly exclude?: KptSelector[];
}

/** Free-form package metadata (`info`), passed through by kpt; Porch copies readiness gates. */
export interface KptPackageInfo {
  readonly description?: string;
  readonly site?: string;
  readonly emails?: string[];
  readonly license?: string;
  readonly keywords?: string[];
  readonly man?: string;
  readonly readinessGates?: Array<{ readonly conditionType: string }>;
}

/** Where a variant (deployment instance) came from. */
export interface KptUpstream {
  /** The git repository URL of the upstream package. */
  readonly repo: string;
  /** The package folder inside that repository, e.g. `packages/network-functions/amf`. */
  readonly directory: string;
  /**
   * Branch, tag or commit of the upstream, as synth writes it. When `commit` is not given and the
   * upstream is a package of the same synth, publish replaces it with the upstream's published
   * revision tag (`<directory>/v<N>`).
   */
  readonly ref: string;
  /**
   * The resolved commit. kpt and Porch record it in `upstreamLock`; `kpt pkg update` fetches it
   * as the merge base and fails without it.
   * @default - synth writes upstreamLock without a commit; publish locks the variant to the
   * commit of its upstream's published revision (see `docs/PUBLISHING.md`, "Package revisions").
   * An upstream outside the synth needs it given here.
   */
  readonly commit?: string;
  /** @default 'resource-merge' */
  readonly updateStrategy?: 'resource-merge' | 'fast-forward' | 'force-delete-replace';
}

export const LOCAL_CONFIG_ANNOTATION = 'config.kubernetes.io/local-config';
export const KPTFILE_API_VERSION = 'kpt.dev/v1';

/** Renders a Kptfile object with keys in kpt's own order. */
export function renderKptfile(props: {
  name: string;
  info?: KptPackageInfo;
  upstream?: KptUpstream;
  mutators: KptfileFunction[];
  validators: KptfileFunction[];
}): Record<string, any> {
  const kptfile: Record<string, any> = {
    apiVersion: KPTFILE_API_VERSION,
    kind: 'Kptfile',
    metadata: { name: props.name, annotations: { [LOCAL_CONFIG_ANNOTATION]: 'true' } },
  };
  if (props.upstream) {
    const up = props.upstream;
    kptfile.upstream = {
      type: 'git',
      git: { repo: up.repo, directory: up.directory, ref: up.ref },
      updateStrategy: up.updateStrategy ?? 'resource-merge',
    };
    kptfile.upstreamLock = {
      type: 'git',
      git: { repo: up.repo, directory: up.directory, ref: up.ref, ...(up.commit ? { commit: up.commit } : {}) },
    };
  }
  if (props.info && Object.keys(props.info).length > 0) kptfile.info = { ...props.info };
  if (props.mutators.length > 0 || props.validators.length > 0) {
    kptfile.pipeline = {
      ...(props.mutators.length > 0 ? { mutators: props.mutators } : {}),
      ...(props.validators.length > 0 ? { validators: props.validators } : {}),
    };
  }
  return kptfile;
}
