import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { findKrmFunction, runOnObjects } from './functions';
import { isSelected, KptFunction } from './kpt-function';
import { KptPackageInfo, KptUpstream, LOCAL_CONFIG_ANNOTATION, renderKptfile } from './kptfile';
import { checkDnsLabel, checkObjectName, toDnsFragment } from './naming';
import { validateKptfile, ValidationMemo } from '../apis/validation';
import { compareStrings } from '../repo/compare';
import { checkRepoPath } from '../repo/repo-path';
import { RevisionField } from '../repo/repo-tree';
import { SynthContext } from '../repo/synth-context';
import { IRepoContributor, markRepoContributor } from '../repo/synthesizer';
import { toYamlDocuments } from '../repo/yaml-output';

/** Props of a KptPackage. */
export interface KptPackageProps {
  /** Repository-relative folder of the package, e.g. `packages/network-functions/amf`. */
  readonly path: string;
  /**
   * The package name (Kptfile `metadata.name` and package-context `data.name`).
   * @default - the last segment of `path`
   */
  readonly name?: string;
  /**
   * Package metadata (`info`).
   * @default - none
   */
  readonly info?: KptPackageInfo;
  /**
   * The upstream package this one is a variant of (writes `upstream` and `upstreamLock`).
   * @default - a blueprint with no upstream
   */
  readonly upstream?: KptUpstream;
  /**
   * Pipeline mutators, run in order at synth and declared in the Kptfile.
   * @default - none
   */
  readonly mutators?: KptFunction[];
  /**
   * Pipeline validators, declared in the Kptfile for Porch and `kpt fn render`.
   * @default - none
   */
  readonly validators?: KptFunction[];
  /**
   * Write `package-context.yaml` (ConfigMap `kptfile.kpt.dev`, local-config) as `kpt pkg get
   * --for-deployment` and Porch do; extra keys go into its data.
   * @default true
   */
  readonly packageContext?: boolean;
}

/** One resource as cdk8s renders it, with the construct that declared it. */
export interface RenderedResource {
  readonly object: Record<string, any>;
  readonly constructPath: string;
}

/**
 * Turns the resources of the package a variant reuses into the variant's own: returns the list
 * with the objects that differ replaced by new ones (the given objects are shared and never modified).
 */
export type RenderedResourcesPatch = (resources: readonly RenderedResource[]) => RenderedResource[];

const KPTFILE = 'Kptfile';
/** What `kpt pkg get` of a revision tag records: the tag as ref, and the commit it resolved to. */
const KPTFILE_REVISION_FIELDS: RevisionField[] = [
  { field: ['upstream', 'git', 'ref'], value: 'tag' },
  { field: ['upstreamLock', 'git', 'ref'], value: 'tag' },
  { field: ['upstreamLock', 'git', 'commit'], value: 'commit' },
];
const PACKAGE_CONTEXT_FILE = 'package-context.yaml';
const IS_KPT_PACKAGE = Symbol.for('nephoran-gitops.KptPackage');

/**
 * A kpt package at a repository path: a typed Kptfile and its resources, one resource per file.
 * Resources are the ApiObjects (and cdk8s-plus constructs) created inside it. At synth, the
 * declared mutators run in-process, so the written resources are already hydrated.
 */
export class KptPackage extends Chart implements IRepoContributor {
  /** True when `x` is a KptPackage (works across copies of the library). */
  public static isKptPackage(x: unknown): x is KptPackage {
    return x !== null && typeof x === 'object' && IS_KPT_PACKAGE in (x as object);
  }

  /** The repository folder of the package. */
  public readonly packagePath: string;
  /** The package name. */
  public readonly packageName: string;
  public readonly upstream?: KptUpstream;
  private readonly info?: KptPackageInfo;
  private readonly mutators: KptFunction[] = [];
  private readonly validators: KptFunction[] = [];
  private readonly extraFiles = new Map<string, string>();
  private readonly contextData = new Map<string, string>();
  private readonly writePackageContext: boolean;
  private readonly pathError?: string;
  private readonly nameGiven: boolean;
  private objectSource?: KptPackage;
  private objectPatch?: RenderedResourcesPatch;
  private readonly revisionPins = new Map<string, { upstream: string; fields: RevisionField[] }>();
  private renderedFor?: { context: SynthContext; objects: RenderedResource[] };

  constructor(scope: Construct, id: string, props: KptPackageProps) {
    super(scope, id, { disableResourceNameHashes: true });
    Object.defineProperty(this, IS_KPT_PACKAGE, { value: true });
    markRepoContributor(this);

    const checked = checkRepoPath(props.path);
    if ('error' in checked) {
      this.pathError = checked.error;
      this.packagePath = String(props.path);
    } else {
      this.packagePath = checked.path;
    }
    this.packageName = props.name ?? this.packagePath.split('/').pop()!;
    this.nameGiven = props.name !== undefined;
    this.info = props.info;
    this.upstream = props.upstream;
    this.writePackageContext = props.packageContext ?? true;
    for (const fn of props.mutators ?? []) this.addMutator(fn);
    for (const fn of props.validators ?? []) this.addValidator(fn);
  }

  /** Appends a mutator to the pipeline. */
  public addMutator(fn: KptFunction): void {
    this.mutators.push(fn);
  }

  /** Appends a validator to the pipeline. */
  public addValidator(fn: KptFunction): void {
    this.validators.push(fn);
  }

  /**
   * Replaces the validator step named `name`, in its place; false when the pipeline has none of
   * that name (then nothing is added).
   */
  public replaceValidator(name: string, fn: KptFunction): boolean {
    const index = this.validators.findIndex(v => v.name === name);
    if (index < 0) return false;
    this.validators[index] = fn;
    return true;
  }

  /**
   * Pins an object of this package to the published revision of another package of the same
   * synth (a PackageVariantSet's upstream, say): synth writes the object as declared; publish
   * sets `fields` from the revision it resolves on the remote (tag `<upstreamPath>/v<N>`), in the
   * same change that publishes that revision.
   */
  public pinToRevision(apiObject: ApiObject, upstreamPath: string, fields: RevisionField[]): void {
    if (apiObject.chart !== this) throw new Error(`${apiObject.node.path} is not a resource of package "${this.packagePath}"`);
    this.revisionPins.set(apiObject.node.path, { upstream: upstreamPath, fields: [...fields] });
  }

  /** Adds a non-resource file to the package (a README.md, say). */
  public addFile(fileName: string, content: string): void {
    if (this.extraFiles.has(fileName)) throw new Error(`package "${this.packagePath}" already has a file "${fileName}"`);
    this.extraFiles.set(fileName, content);
  }

  /** Adds a key to package-context.yaml `data` (as PackageVariant packageContext does). */
  public addContextData(key: string, value: string): void {
    if (key === 'name') throw new Error('package-context key "name" is the package name; set props.name instead');
    this.contextData.set(key, value);
  }

  /**
   * Takes its resources from another package instead of its own constructs: a variant whose
   * resources, before its pipeline, are those of a package already declared (same blueprint, same
   * settings) reuses them rather than building and rendering the same construct tree again. With
   * `patch`, a variant that differs from that package only in values it can set on the plain
   * objects (an NF's configuration, say) takes the source's resources with `patch` applied.
   * Construct paths inside the source are read as the same paths inside this package.
   * @internal
   */
  public _reuseObjectsOf(source: KptPackage, patch?: RenderedResourcesPatch): void {
    this.objectSource = source;
    this.objectPatch = patch;
  }

  /**
   * Its resources as JSON, before the pipeline, rendered once per synth: a failure in one is
   * reported and the rest are still checked.
   * @internal
   */
  public _renderObjects(context: SynthContext): RenderedResource[] {
    if (this.renderedFor?.context === context) return this.renderedFor.objects;
    if (this.objectSource) {
      const sourcePath = this.objectSource.node.path;
      const where = this.node.path;
      const reused = this.objectSource._renderObjects(context).map(r => ({
        object: r.object,
        constructPath: r.constructPath.startsWith(sourcePath + '/') ? where + r.constructPath.slice(sourcePath.length) : where,
      }));
      const objects = this.objectPatch ? this.objectPatch(reused) : reused;
      this.renderedFor = { context, objects };
      return objects;
    }
    const objects: RenderedResource[] = [];
    for (const apiObject of context.apiObjectsOf(this)) {
      try {
        objects.push({ object: apiObject.toJson(), constructPath: apiObject.node.path });
      } catch (err) {
        context.problems.add(apiObject.node.path, '', firstLine((err as Error).message));
      }
    }
    this.renderedFor = { context, objects };
    return objects;
  }

  /** Names objects after their construct path inside the package, without hashes: stable and readable. */
  public generateObjectName(apiObject: ApiObject): string {
    const own = this.node.scopes.length;
    const parts: string[] = [];
    for (const scope of apiObject.node.scopes.slice(own)) {
      const id = scope.node.id;
      if (id === 'Resource' || id === 'Default') continue;
      const fragment = toDnsFragment(id);
      if (fragment && parts[parts.length - 1] !== fragment) parts.push(fragment);
    }
    return parts.join('-') || this.packageName;
  }

  /** @internal */
  public _renderRepoFiles(context: SynthContext): void {
    const where = this.node.path;
    const problems = context.problems;
    if (this.pathError) {
      problems.add(where, 'path', this.pathError);
      return;
    }
    if (!this.checkPackagePath(context)) return;
    // A name taken from the path was checked with the path's segments.
    const nameError = this.nameGiven ? checkDnsLabel(this.packageName) : undefined;
    if (nameError) problems.add(where, 'name', `package name ${nameError}`);

    if (this.objectSource && context.apiObjectsOf(this).length > 0) {
      problems.add(where, '', `package "${this.packagePath}" takes its resources from "${this.objectSource.packagePath}" and cannot also declare its own`);
    }
    const objects = this._renderObjects(context);

    let kptfile = renderKptfile({
      name: this.packageName,
      info: this.info,
      upstream: this.upstream,
      mutators: this.mutators.map(m => m.toKptfile()),
      validators: this.validators.map(v => v.toKptfile()),
    });
    let packageContext = this.writePackageContext ? this.renderPackageContext() : undefined;

    // kpt passes the Kptfile and package-context to functions as items too.
    let items: Array<Record<string, any>> = [kptfile, ...(packageContext ? [packageContext] : []), ...objects.map(o => o.object)];
    items = this.runMutators(items, context);
    kptfile = items[0];
    if (packageContext) packageContext = items[1];
    const rendered = items.slice(packageContext ? 2 : 1);

    for (const violation of validateKptfile(kptfile)) problems.add(where, `Kptfile ${violation.field}`, violation.message);

    const fileNames = this.assignFileNames(rendered);
    const seenIds = new Map<string, string>();
    rendered.forEach((object, i) => {
      const constructPath = objects[i]?.constructPath ?? where;
      this.checkObject(object, constructPath, seenIds, context);
      const filePath = `${this.packagePath}/${fileNames[i]}`;
      context.addFile(filePath, toYamlDocuments([object]), this);
      context.recordObject({ object, filePath, packagePath: this.packagePath, constructPath });
      const pin = this.objectSource ? undefined : this.revisionPins.get(constructPath);
      if (pin && context.tree.has(filePath)) context.tree.bindRevision({ path: filePath, upstream: pin.upstream, fields: pin.fields });
    });

    const kptfilePath = `${this.packagePath}/${KPTFILE}`;
    context.addFile(kptfilePath, toYamlDocuments([kptfile]), this);
    // A variant not locked by its author is locked at publish to its upstream's published revision.
    if (this.upstream && !this.upstream.commit && context.tree.has(kptfilePath)) {
      context.tree.bindRevision({ path: kptfilePath, upstream: this.upstream.directory, fields: KPTFILE_REVISION_FIELDS });
    }
    if (packageContext) {
      const filePath = `${this.packagePath}/${PACKAGE_CONTEXT_FILE}`;
      context.addFile(filePath, toYamlDocuments([packageContext]), this);
      // Recorded like any object, so repository checks need not parse the file back.
      context.recordObject({ object: packageContext, filePath, packagePath: this.packagePath, constructPath: where });
    }
    for (const [fileName, content] of [...this.extraFiles].sort(([a], [b]) => compareStrings(a, b))) {
      context.addFile(`${this.packagePath}/${fileName}`, content, this);
    }
    // Function configs given by configPath: kpt excludes these files from the pipeline input.
    const written = new Set([KPTFILE, PACKAGE_CONTEXT_FILE, ...fileNames, ...this.extraFiles.keys()]);
    [...this.mutators, ...this.validators].forEach(fn => {
      const config = fn.configFileObject();
      if (!config || !fn.configFile) return;
      if (written.has(fn.configFile)) {
        problems.add(where, 'pipeline', `function "${fn.image}" writes its config to "${fn.configFile}", which another file of the package already uses; choose another configFile`);
        return;
      }
      written.add(fn.configFile);
      const filePath = `${this.packagePath}/${fn.configFile}`;
      context.addFile(filePath, toYamlDocuments([config]), this);
      context.recordObject({ object: config, filePath, packagePath: this.packagePath, constructPath: where });
    });
  }

  private renderPackageContext(): Record<string, any> {
    const data: Record<string, string> = { name: this.packageName };
    for (const [k, v] of [...this.contextData].sort(([a], [b]) => compareStrings(a, b))) data[k] = v;
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kptfile.kpt.dev', annotations: { [LOCAL_CONFIG_ANNOTATION]: 'true' } },
      data,
    };
  }

  private runMutators(items: Array<Record<string, any>>, context: SynthContext): Array<Record<string, any>> {
    let current = items;
    this.mutators.forEach((mutator, index) => {
      const field = `pipeline.mutators[${index}]`;
      const fn = findKrmFunction(mutator.image);
      if (!fn) {
        context.problems.add(this.node.path, field, `unknown function "${mutator.image}": synth hydrates packages in-process and implements set-namespace, set-labels, set-annotations and apply-setters (any registry and tag); declare other functions as validators or render them before synth`);
        return;
      }
      const selected = current.map(item => isSelected(item, mutator));
      try {
        const { objects } = runOnObjects(fn, current.filter((_, i) => selected[i]), mutator.functionConfig());
        let next = 0;
        current = current.map((item, i) => selected[i] ? objects[next++] : item);
      } catch (err) {
        context.problems.add(this.node.path, field, `${fn.name} failed: ${firstLine((err as Error).message)}`);
      }
    });
    return current;
  }

  /** Reports path problems; false when another package already owns the path. */
  private checkPackagePath(context: SynthContext): boolean {
    const where = this.node.path;
    for (const segment of this.packagePath.split('/')) {
      const error = checkDnsLabel(segment);
      if (error) context.problems.add(where, 'path', `path segment ${error}`);
    }
    const flat = this.packagePath.replace(/\//g, '');
    if (flat.length > 63) {
      context.problems.add(where, 'path', `"${this.packagePath}" is ${flat.length} characters without its "/"; Porch requires a package path of at most 63 (shorten the folder names)`);
    }
    const seen = packagesOf(context);
    const duplicate = seen.byPath.get(this.packagePath);
    if (duplicate) {
      context.problems.add(where, 'path', `two packages at "${this.packagePath}": ${duplicate} is there already`);
      return false;
    }
    const segments = this.packagePath.split('/');
    for (let i = 1; i < segments.length; i++) {
      const parent = seen.byPath.get(segments.slice(0, i).join('/'));
      if (parent) context.problems.add(where, 'path', nestedMessage(this.packagePath, segments.slice(0, i).join('/'), parent));
    }
    const child = seen.descendants.get(this.packagePath);
    if (child) context.problems.add(child.constructPath, 'path', nestedMessage(child.path, this.packagePath, where));
    seen.byPath.set(this.packagePath, where);
    for (let i = 1; i < segments.length; i++) {
      const prefix = segments.slice(0, i).join('/');
      if (!seen.descendants.has(prefix)) seen.descendants.set(prefix, { path: this.packagePath, constructPath: where });
    }
    return true;
  }

  private checkObject(object: Record<string, any>, constructPath: string, seenIds: Map<string, string>, context: SynthContext): void {
    const kind = String(object.kind ?? '');
    const name = object.metadata?.name;
    const nameError = checkObjectName(kind, name);
    if (nameError) context.problems.add(constructPath, 'metadata.name', `${kind} name ${nameError}`);
    const ns = object.metadata?.namespace;
    if (ns !== undefined) {
      const nsError = checkDnsLabel(ns);
      if (nsError) context.problems.add(constructPath, 'metadata.namespace', `namespace ${nsError}`);
    }
    const id = `${String(object.apiVersion).split('/').slice(0, -1).join('/')}/${kind}/${ns ?? ''}/${name}`;
    const previous = seenIds.get(id);
    if (previous) context.problems.add(constructPath, 'metadata.name', `${kind} "${name}" is declared twice in package "${this.packagePath}" (also by ${previous})`);
    else seenIds.set(id, constructPath);
    for (const violation of validationsOf(context).validate(object)) {
      context.problems.add(constructPath, violation.field, `${kind} "${name}": ${violation.message}`);
    }
  }

  /** `<kind>_<name>.yaml`; the namespace, then the group, is added only where names would clash. */
  private assignFileNames(objects: Array<Record<string, any>>): string[] {
    const base = (o: Record<string, any>, withNs: boolean, withGroup: boolean) => {
      const parts = [String(o.kind ?? 'object').toLowerCase()];
      if (withGroup && String(o.apiVersion).includes('/')) parts.push(String(o.apiVersion).split('/')[0]);
      if (withNs && o.metadata?.namespace) parts.push(o.metadata.namespace);
      parts.push(String(o.metadata?.name ?? 'unnamed'));
      return parts.join('_').replace(/[^A-Za-z0-9._-]/g, '-') + '.yaml';
    };
    const count = (names: string[]) => names.reduce((m, n) => m.set(n, (m.get(n) ?? 0) + 1), new Map<string, number>());
    let names = objects.map(o => base(o, false, false));
    let counts = count(names);
    names = names.map((n, i) => counts.get(n)! > 1 ? base(objects[i], true, false) : n);
    counts = count(names);
    return names.map((n, i) => counts.get(n)! > 1 ? base(objects[i], true, true) : n);
  }
}

/** The packages of one synth: the construct path of each package path, and one package inside each folder. */
interface SeenPackages {
  readonly byPath: Map<string, string>;
  readonly descendants: Map<string, { path: string; constructPath: string }>;
}

/** Packages seen so far in one synth, to find duplicates and nesting in linear time. */
const packagesBySynth = new WeakMap<SynthContext, SeenPackages>();

function packagesOf(context: SynthContext) {
  let seen = packagesBySynth.get(context);
  if (!seen) packagesBySynth.set(context, seen = { byPath: new Map(), descendants: new Map() });
  return seen;
}

/** One memo per synth: the objects of its variants share their validations. */
const validationsBySynth = new WeakMap<SynthContext, ValidationMemo>();

function validationsOf(context: SynthContext): ValidationMemo {
  let memo = validationsBySynth.get(context);
  if (!memo) validationsBySynth.set(context, memo = new ValidationMemo());
  return memo;
}

function nestedMessage(inner: string, outer: string, outerConstruct: string): string {
  return `"${inner}" is inside package "${outer}" (${outerConstruct}); kpt treats nested packages as subpackages but Porch v1.4 as separate ones, so place packages beside each other, not below`;
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}
