import { Document } from 'yaml';
import {
  ConfigSource, configData, FieldPath, fileOf, FunctionResult, GroupVersionKind, gvkOf, isJsonObject, JsonObject, KrmFunctionError,
  ObjectEditor, PlainKrmFunction, PlainRunOutput, runPlainOnDocuments, stringAt,
} from './krm-function';
import { knownNamespaceScope } from './set-namespace';
import { compareStrings as compare } from '../../repo/compare';

/**
 * set-annotations as on the catalog's master branch (same code as the v0.1.x releases): the
 * kustomize annotations transformer. Unlike set-labels and set-namespace it also annotates
 * local-config objects.
 */
const NAME = 'set-annotations';
const IMAGE = 'gcr.io/kpt-fn/set-annotations:v0.1.4';

const FN_CONFIG_API_VERSION = 'fn.kpt.dev/v1alpha1';
const CONFIG_KINDS = ['SetAnnotations', 'SetAnnotationConfig'];

/** A kustomize field spec: where to put annotations, for which kinds. */
export interface AnnotationFieldSpec {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  /** Slash-separated, e.g. `spec/template/metadata/annotations`; `name[]` marks a list. */
  readonly path: string;
  /** Create missing maps along the path. */
  readonly create?: boolean;
}

/** kustomize's `commonAnnotations` field specs, which always apply after the configured ones. */
const DEFAULT_FIELD_SPECS: readonly AnnotationFieldSpec[] = [
  { path: 'metadata/annotations', create: true },
  { path: 'spec/template/metadata/annotations', create: true, version: 'v1', kind: 'ReplicationController' },
  { path: 'spec/template/metadata/annotations', create: true, kind: 'Deployment' },
  { path: 'spec/template/metadata/annotations', create: true, kind: 'ReplicaSet' },
  { path: 'spec/template/metadata/annotations', create: true, kind: 'DaemonSet' },
  { path: 'spec/template/metadata/annotations', create: true, kind: 'StatefulSet' },
  { path: 'spec/template/metadata/annotations', create: true, group: 'batch', kind: 'Job' },
  { path: 'spec/jobTemplate/metadata/annotations', create: true, group: 'batch', kind: 'CronJob' },
  { path: 'spec/jobTemplate/spec/template/metadata/annotations', create: true, group: 'batch', kind: 'CronJob' },
];

interface CompiledFieldSpec extends AnnotationFieldSpec {
  readonly segments: readonly string[];
  /** The path as results name it: field names only, dotted. */
  readonly fieldPath: string;
}

interface AnnotationsConfig {
  readonly annotations: Record<string, string>;
  readonly fieldSpecs: readonly CompiledFieldSpec[];
}

export const setAnnotations: PlainKrmFunction = {
  name: NAME,
  image: IMAGE,
  run(items: Document[], functionConfig: Document | undefined) {
    return runPlainOnDocuments(items, functionConfig, setAnnotations.runPlain);
  },
  runPlain(objects, functionConfig): PlainRunOutput {
    const config = readConfig(functionConfig);
    rejectDuplicateIds(objects);
    const annotator = new Annotator(config);
    const output = objects.map(obj => annotator.annotate(obj));
    return { objects: output, results: annotator.results() };
  },
};

function configError(message: string): KrmFunctionError {
  return new KrmFunctionError(`failed to configure function: ${message}`);
}

function readConfig(source: ConfigSource | undefined): AnnotationsConfig {
  const config = source?.object ?? {};
  const apiVersion = stringAt(config, 'apiVersion');
  const kind = stringAt(config, 'kind');
  let annotations: Record<string, string>;
  let additional: AnnotationFieldSpec[] = [];
  if (apiVersion === 'v1' && kind === 'ConfigMap') {
    annotations = configData(source!) ?? {};
  } else if (apiVersion === FN_CONFIG_API_VERSION && CONFIG_KINDS.includes(kind)) {
    annotations = stringMap(config.annotations);
    const hasFieldSpecs = config.fieldSpecs !== undefined && config.fieldSpecs !== null;
    const hasAdditional = config.additionalAnnotationFields !== undefined && config.additionalAnnotationFields !== null;
    if (hasFieldSpecs && hasAdditional) {
      throw configError('`fieldSpecs` has been deprecated, please rename it to `additionalAnnotationFields`');
    }
    additional = fieldSpecs(hasAdditional ? config.additionalAnnotationFields : config.fieldSpecs, hasAdditional ? 'additionalAnnotationFields' : 'fieldSpecs');
  } else {
    throw configError('`functionConfig` must be a `ConfigMap` or `SetAnnotations`');
  }
  if (Object.keys(annotations).length === 0) throw configError('input annotation list cannot be empty');
  const compiled = [...additional, ...DEFAULT_FIELD_SPECS].map(spec => {
    const segments = splitPath(spec.path);
    return { ...spec, segments, fieldPath: segments.map(s => s.replace(/\[\]$/, '')).join('.') };
  });
  return { annotations, fieldSpecs: compiled };
}

function stringMap(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isJsonObject(value)) throw configError('`annotations` must be a map of strings');
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string' && v !== null) throw configError(`annotation "${key}" must be a string (quote it)`);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v ?? '']));
}

function fieldSpecs(value: unknown, field: string): AnnotationFieldSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw configError(`\`${field}\` must be a list of field specs`);
  return value.map((spec, i) => {
    const where = `\`${field}[${i}]\``;
    if (!isJsonObject(spec)) throw configError(`${where} must be a map with \`path\` and optional \`group\`, \`version\`, \`kind\`, \`create\``);
    for (const key of ['group', 'version', 'kind', 'path']) {
      if (spec[key] !== undefined && spec[key] !== null && typeof spec[key] !== 'string') throw configError(`${where}.${key} must be a string`);
    }
    if (spec.create !== undefined && spec.create !== null && typeof spec.create !== 'boolean') throw configError(`${where}.create must be true or false`);
    return { group: spec.group ?? '', version: spec.version ?? '', kind: spec.kind ?? '', path: spec.path ?? '', create: spec.create === true };
  });
}

/** kustomize refuses a resource list in which two resources have the same id. */
function rejectDuplicateIds(objects: readonly JsonObject[]): void {
  const seen = new Set<string>();
  for (const obj of objects) {
    const name = stringAt(obj, 'metadata', 'name');
    const namespace = stringAt(obj, 'metadata', 'namespace');
    const namespaced = knownNamespaceScope(obj) ?? true;
    const effectiveNamespace = !namespaced ? '' : namespace || 'default';
    // apiVersion stands for group and version together.
    const key = `${stringAt(obj, 'apiVersion')}\u0000${stringAt(obj, 'kind')}\u0000${name}\u0000${effectiveNamespace}`;
    if (seen.has(key)) {
      throw new KrmFunctionError(`failed to run function: may not add resource with an already registered id: ${resourceIdString(obj)}`);
    }
    seen.add(key);
  }
}

/** kustomize's way of naming a resource in errors: `Kind.version.group/name.namespace`. */
function resourceIdString(obj: JsonObject): string {
  const { group, version, kind } = gvkOf(obj);
  const namespace = stringAt(obj, 'metadata', 'namespace');
  return `${kind || '[noKind]'}.${version || '[noVer]'}.${group || '[noGrp]'}/${stringAt(obj, 'metadata', 'name')}.${namespace || '[noNs]'}`;
}

class Annotator {
  private readonly keys: string[];
  /** What was set where, keyed like upstream: file, index in file, field path. */
  private readonly applied = new Map<string, { file: string; index: string; field: string; values: Record<string, string> }>();

  constructor(private readonly config: AnnotationsConfig) {
    this.keys = Object.keys(config.annotations).sort();
  }

  public annotate(obj: JsonObject): JsonObject {
    const editor = new ObjectEditor(obj);
    const gvk = gvkOf(obj);
    for (const spec of this.config.fieldSpecs) {
      if (!specMatches(spec, gvk)) continue;
      try {
        this.applyPath(editor, [], spec.segments, 0, spec);
      } catch (err) {
        if (!(err instanceof AnnotationPathError)) throw err;
        throw new KrmFunctionError(`failed to run function: failed to run transformer: considering field '${spec.path}' of object ${resourceIdString(obj)}: ${err.message}`);
      }
    }
    return editor.result;
  }

  public results(): FunctionResult[] {
    if (this.applied.size === 0) return [{ message: 'no annotations applied', severity: 'info' }];
    return [...this.applied.values()]
      .sort((a, b) => compare(a.file, b.file) || (Number(a.index) || 0) - (Number(b.index) || 0) || compare(a.field, b.field))
      .map(entry => ({
        message: `set annotations: ${JSON.stringify(Object.fromEntries(Object.entries(entry.values).sort(([x], [y]) => compare(x, y))))}`,
        severity: 'info' as const,
        field: entry.field,
        ...(entry.file ? { file: { path: entry.file, ...(entry.index ? { index: Number(entry.index) } : {}) } } : {}),
      }));
  }

  /** kustomize's field-spec walk: lists apply the rest of the path to each element. */
  private applyPath(editor: ObjectEditor, at: FieldPath, segments: readonly string[], next: number, spec: CompiledFieldSpec): void {
    if (next === segments.length) {
      this.setAnnotations(editor, at, spec.fieldPath);
      return;
    }
    const node = editor.get(at);
    if (node === undefined || node === null) return;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) this.applyPath(editor, [...at, i], segments, next, spec);
      return;
    }
    if (!isJsonObject(node)) throw new AnnotationPathError('expected sequence or mapping node');
    const isList = segments[next].endsWith('[]');
    const field = isList ? segments[next].slice(0, -2) : segments[next];
    if (!field) throw new AnnotationPathError('cannot set or create an empty field name');
    const fieldPath = [...at, field];
    const value: unknown = Object.prototype.hasOwnProperty.call(node, field) ? node[field] : undefined;
    const create = spec.create === true && !isList;
    if (value === undefined) {
      if (!create) return;
      editor.set(fieldPath, {});
    } else if (value === null && (create || isList)) {
      // A null field becomes the kind the path expects.
      editor.set(fieldPath, isList ? [] : {});
    }
    this.applyPath(editor, fieldPath, segments, next + 1, spec);
  }

  private setAnnotations(editor: ObjectEditor, at: FieldPath, field: string): void {
    const node = editor.get(at);
    if (!isJsonObject(node)) throw new AnnotationPathError(`wrong node kind at ${field}: expected a map, found ${Array.isArray(node) ? 'a list' : 'a scalar'}`);
    const { path: file, index } = fileOf(editor.original);
    const key = `${file}\u0000${index}\u0000${field}`;
    let entry = this.applied.get(key);
    if (!entry) {
      entry = { file, index, field, values: {} };
      this.applied.set(key, entry);
    }
    let target: JsonObject | undefined;
    for (const name of this.keys) {
      const value = this.config.annotations[name];
      if (node[name] !== value || !Object.prototype.hasOwnProperty.call(node, name)) {
        target ??= editor.writableMap(at);
        target[name] = value;
      }
      entry.values[name] = value;
    }
  }
}

class AnnotationPathError extends Error {}

/** kustomize matching: each part given in the field spec must equal the object's. */
function specMatches(spec: AnnotationFieldSpec, gvk: GroupVersionKind): boolean {
  if (spec.kind && spec.kind !== gvk.kind) return false;
  if (spec.group && spec.group !== gvk.group) return false;
  if (spec.version && spec.version !== gvk.version) return false;
  return true;
}

/** Splits on `/`, keeping `[...]` segments whole. */
function splitPath(path: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of path) {
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === '/' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}
