import { catalogImage } from './functions/registry';
import { KptfileFunction, KptSelector, LOCAL_CONFIG_ANNOTATION } from './kptfile';

/** Options shared by every pipeline function. */
export interface KptFunctionOptions {
  /**
   * A name for the step, shown by kpt in its output.
   * @default - none
   */
  readonly name?: string;
  /**
   * Run the function only on resources matching one of these selectors.
   * @default - all resources
   */
  readonly selectors?: KptSelector[];
  /**
   * Never run the function on resources matching one of these selectors.
   * @default - none excluded
   */
  readonly exclude?: KptSelector[];
  /**
   * Write the function config into this file of the package (annotated local-config, so it is
   * never applied) and reference it with `configPath`, instead of an inline `configMap`.
   * @default - the config is written inline as `configMap`
   */
  readonly configFile?: string;
}

/** Options of a function given by image. */
export interface KptFunctionImageOptions extends KptFunctionOptions {
  /**
   * Function config given inline; kpt turns it into a ConfigMap named `function-input`.
   * @default - no config
   */
  readonly configMap?: Record<string, string>;
  /**
   * A typed function config object (e.g. `fn.kpt.dev/v1alpha1` `SetLabels`); needs `configFile`.
   * @default - no config object
   */
  readonly configObject?: Record<string, any>;
}


/**
 * One step of a kpt package pipeline. Build it with the static factories; the four catalog
 * functions run in-process at synth so the written resources are already hydrated, while the
 * Kptfile still declares the standard catalog image for Porch and `kpt fn render`.
 */
export class KptFunction {
  /** set-namespace: moves namespaced resources into `namespace`. */
  public static setNamespace(namespace: string, options: KptFunctionOptions = {}): KptFunction {
    return new KptFunction(catalogImage('set-namespace'), { namespace }, options);
  }

  /** set-labels: adds labels to resources, selectors and pod templates. */
  public static setLabels(labels: Record<string, string>, options: KptFunctionOptions = {}): KptFunction {
    return new KptFunction(catalogImage('set-labels'), { ...labels }, options);
  }

  /** set-annotations: adds annotations to resources and pod templates. */
  public static setAnnotations(annotations: Record<string, string>, options: KptFunctionOptions = {}): KptFunction {
    return new KptFunction(catalogImage('set-annotations'), { ...annotations }, options);
  }

  /** apply-setters: substitutes `# kpt-set: ${name}` markers. */
  public static applySetters(setters: Record<string, string>, options: KptFunctionOptions = {}): KptFunction {
    return new KptFunction(catalogImage('apply-setters'), { ...setters }, options);
  }

  /**
   * Any function image. Synth runs it in-process only when it is one of the catalog functions
   * the library implements; any other image is an error at synth, since its output could not be
   * hydrated for ConfigSync.
   */
  public static fromImage(image: string, options: KptFunctionImageOptions = {}): KptFunction {
    if (options.configObject && options.configMap) throw new Error(`function "${image}": give configMap or configObject, not both (kpt accepts one config)`);
    if (options.configObject && !options.configFile) throw new Error(`function "${image}": a configObject is written to a file of the package; set configFile (e.g. "fn-config.yaml")`);
    return new KptFunction(image, options.configMap, options, options.configObject);
  }

  private constructor(
    /** The container image written into the Kptfile. */
    public readonly image: string,
    /** Inline config (`configMap:`). */
    public readonly configMap: Record<string, string> | undefined,
    private readonly options: KptFunctionOptions,
    private readonly configObject?: Record<string, any>,
  ) {
    if (options.configFile !== undefined && !/^[A-Za-z0-9._-]+\.ya?ml$/.test(options.configFile)) {
      throw new Error(`configFile must be a .yaml file name inside the package such as "fn-config.yaml"; got ${JSON.stringify(options.configFile)}`);
    }
  }

  /** The step's name in the pipeline, when it has one. */
  public get name(): string | undefined {
    return this.options.name;
  }

  /** The package file holding the function config, when it is not inline. */
  public get configFile(): string | undefined {
    return this.options.configFile;
  }

  /** The step as written into the Kptfile pipeline. */
  public toKptfile(): KptfileFunction {
    return {
      image: this.image,
      ...(this.options.name ? { name: this.options.name } : {}),
      ...(this.options.configFile ? { configPath: this.options.configFile } : this.configMap ? { configMap: { ...this.configMap } } : {}),
      ...(this.options.selectors?.length ? { selectors: this.options.selectors } : {}),
      ...(this.options.exclude?.length ? { exclude: this.options.exclude } : {}),
    };
  }

  public get selectors(): KptSelector[] {
    return this.options.selectors ?? [];
  }

  public get exclude(): KptSelector[] {
    return this.options.exclude ?? [];
  }

  /**
   * The functionConfig kpt builds from an inline `configMap:`: a ConfigMap named
   * `function-input` with every value as a string, and no local-config annotation.
   */
  public functionConfig(): Record<string, any> | undefined {
    if (this.configObject) return structuredClone(this.configObject);
    if (!this.configMap) return undefined;
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' }, data: { ...this.configMap } };
  }

  /**
   * The object written to `configFile`: the config object, or a ConfigMap holding the inline
   * values, annotated local-config so neither ConfigSync nor kpt live applies it.
   */
  public configFileObject(): Record<string, any> | undefined {
    if (!this.options.configFile) return undefined;
    const base = this.configObject
      ? structuredClone(this.configObject)
      : { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: this.options.configFile.replace(/\.ya?ml$/, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-') }, data: { ...(this.configMap ?? {}) } };
    base.metadata = { ...(base.metadata ?? {}), annotations: { ...(base.metadata?.annotations ?? {}), [LOCAL_CONFIG_ANNOTATION]: 'true' } };
    return base;
  }
}

/** True when a resource matches a kpt selector (every given field must match). */
export function matchesSelector(obj: Record<string, any>, selector: KptSelector): boolean {
  const meta = obj.metadata ?? {};
  if (selector.apiVersion !== undefined && obj.apiVersion !== selector.apiVersion) return false;
  if (selector.kind !== undefined && obj.kind !== selector.kind) return false;
  if (selector.name !== undefined && meta.name !== selector.name) return false;
  if (selector.namespace !== undefined && (meta.namespace ?? '') !== selector.namespace) return false;
  for (const [k, v] of Object.entries(selector.labels ?? {})) if (meta.labels?.[k] !== v) return false;
  for (const [k, v] of Object.entries(selector.annotations ?? {})) if (meta.annotations?.[k] !== v) return false;
  return true;
}

/** kpt's rule: selected by any selector (all when none) and excluded by none. */
export function isSelected(obj: Record<string, any>, fn: KptFunction): boolean {
  const selected = fn.selectors.length === 0 || fn.selectors.some(s => matchesSelector(obj, s));
  return selected && !fn.exclude.some(s => matchesSelector(obj, s));
}
