import { Document, isMap, isScalar, isSeq, Scalar, visit } from 'yaml';
import { describeValue } from '../../repo/describe-value';
import { LOCAL_CONFIG_ANNOTATION } from '../kptfile';

/** One entry of a function's `results`, as kpt prints and records it. */
export interface FunctionResult {
  readonly message: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly resourceRef?: { apiVersion: string; kind: string; name: string; namespace?: string };
  /** Dotted path of the field the result is about, e.g. `metadata.annotations`. */
  readonly field?: string;
  /** The file the resource came from, when kpt said so (`internal.config.kubernetes.io/path`). */
  readonly file?: { path: string; index?: number };
}

export interface FunctionOutput {
  readonly items: Document[];
  readonly results: FunctionResult[];
}

/** A KRM function that runs in-process: the same contract as a kpt function image. */
export interface KrmFunction {
  readonly name: string;
  /** catalog image, e.g. gcr.io/kpt-fn/set-labels:v0.2.0 */
  readonly image: string;
  /**
   * Runs the function. Never mutates `items` or `functionConfig`; returns the resulting items
   * (unchanged ones may be the same Document instances). Throws KrmFunctionError on failure.
   */
  run(items: Document[], functionConfig: Document | undefined): FunctionOutput;
}

/** The function failed; `results` holds what it reported (at least one error). */
export class KrmFunctionError extends Error {
  public readonly results: FunctionResult[];

  constructor(results: FunctionResult[] | string) {
    const list: FunctionResult[] = typeof results === 'string' ? [{ message: results, severity: 'error' }] : results;
    const errors = list.filter(r => r.severity === 'error');
    super((errors.length ? errors : list).map(r => r.message).join('; ') || 'function failed');
    this.name = 'KrmFunctionError';
    this.results = list;
  }
}

/** A JSON-shaped Kubernetes object, as cdk8s produces it. */
export type JsonObject = Record<string, any>;

/** The functionConfig seen as data, plus the raw text of `data` values when it came from YAML. */
export interface ConfigSource {
  readonly object: JsonObject;
  /** `data` values exactly as written (so `tag: 1.10` stays "1.10", as kpt's Go functions read it). */
  readonly dataText?: Readonly<Record<string, string>>;
}

export interface PlainRunOutput {
  readonly objects: JsonObject[];
  readonly results: FunctionResult[];
}

/** A function that can also run directly on plain objects, without building YAML documents. */
export interface PlainKrmFunction extends KrmFunction {
  /**
   * True when the function reads no comments, so a ResourceList can be read for it as plain data
   * in one pass (unchanged items then go back exactly as they came).
   * @default false
   */
  readonly readsNoComments?: boolean;
  /** Same contract as run(); returned objects may share untouched sub-objects with the input. */
  runPlain(objects: readonly JsonObject[], functionConfig: ConfigSource | undefined): PlainRunOutput;
}

function isPlainKrmFunction(fn: KrmFunction): fn is PlainKrmFunction {
  return typeof (fn as Partial<PlainKrmFunction>).runPlain === 'function';
}

/**
 * Runs a function on plain JSON objects (the synthesizer's cdk8s output). The input is never
 * mutated; changed objects are copied along the changed paths only, so the cost is linear in
 * the input. Functions without a plain implementation go through YAML documents (slower).
 */
export function runOnObjects(
  fn: KrmFunction,
  objects: Record<string, any>[],
  functionConfig: Record<string, any> | undefined,
): { objects: Record<string, any>[]; results: FunctionResult[] } {
  objects.forEach((o, i) => requireObject(o, i));
  const config = functionConfig === undefined ? undefined : { object: functionConfig };
  if (isPlainKrmFunction(fn)) return fn.runPlain(objects, config);
  const output = fn.run(objects.map(o => new Document(o)), functionConfig === undefined ? undefined : new Document(functionConfig));
  return { objects: output.items.map(d => d.toJS() as JsonObject), results: output.results };
}

/**
 * Implements KrmFunction.run for a function written against plain objects: converts the
 * documents to data, runs, and writes only the changed fields back into copies of the
 * documents, so comments, quoting and key order elsewhere survive.
 */
export function runPlainOnDocuments(
  items: Document[],
  functionConfig: Document | undefined,
  runPlain: PlainKrmFunction['runPlain'],
): FunctionOutput {
  const before = items.map((doc, i) => requireObject(doc.toJS(), i));
  const output = runPlain(before, functionConfig ? configFromDocument(functionConfig) : undefined);
  if (output.objects.length !== items.length) {
    throw new Error(`function returned ${output.objects.length} items for ${items.length} inputs`);
  }
  const changed = items.map((doc, i) => documentWithChanges(doc, before[i], output.objects[i]));
  return { items: changed, results: output.results };
}

/**
 * `doc` as `after`, given that `before` is `doc.toJS()`: the same document when nothing changed,
 * else a copy with only the changed fields written, so comments and quoting elsewhere survive.
 */
export function documentWithChanges(doc: Document, before: unknown, after: unknown): Document {
  if (after === before) return doc;
  const copy = doc.clone();
  patchDocument(copy, [], before, after);
  return copy;
}

export function requireObject(value: unknown, index: number): JsonObject {
  if (!isJsonObject(value)) {
    throw new KrmFunctionError(`item ${index} is not a KRM object: expected a mapping, found ${describeValue(value)}`);
  }
  return value;
}

/** Reads a functionConfig document, keeping the written text of its `data` values. */
export function configFromDocument(doc: Document): ConfigSource {
  const object = doc.toJS() ?? {};
  if (!isJsonObject(object)) throw new KrmFunctionError(`functionConfig must be a mapping, found ${describeValue(object)}`);
  const data = isMap(doc.contents) ? doc.contents.get('data', true) : undefined;
  if (!isMap(data)) return { object };
  const dataText: Record<string, string> = {};
  for (const pair of data.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    dataText[key] = isScalar(pair.value) ? scalarText(pair.value) : '';
  }
  return { object, dataText };
}

/** A scalar as its text: strings as they are, other scalars as they were written. */
export function scalarText(node: Scalar): string {
  if (typeof node.value === 'string') return node.value;
  if (node.source !== undefined) return node.source;
  return node.value === null || node.value === undefined ? '' : String(node.value);
}

/** The `data` map of a functionConfig as strings, or undefined when there is none. */
export function configData(config: ConfigSource): Record<string, string> | undefined {
  const data = config.object.data;
  if (data === undefined || data === null) return undefined;
  if (!isJsonObject(data)) throw new KrmFunctionError(`functionConfig \`data\` must be a map of strings, found ${describeValue(data)}`);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) out[key] = config.dataText?.[key] ?? plainText(value);
  return out;
}

function plainText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return '';
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export { describeValue };

// ---------------------------------------------------------------------------------------------
// Reading KRM objects the way the kpt function SDK does


/** The string at obj.a(.b(.c)), '' when absent. Fixed arity: this runs for every object. */
export function stringAt(obj: JsonObject, first: string, second?: string, third?: string): string {
  let current: unknown = obj[first];
  if (second !== undefined) current = isJsonObject(current) ? current[second] : undefined;
  if (third !== undefined) current = isJsonObject(current) ? current[third] : undefined;
  return plainText(current);
}

export function annotationOf(obj: JsonObject, key: string): string {
  return stringAt(obj, 'metadata', 'annotations', key);
}

/** kpt's rule: local-config unless the annotation is absent, "" or "false". */
export function isLocalConfig(obj: JsonObject): boolean {
  const value = annotationOf(obj, LOCAL_CONFIG_ANNOTATION);
  return value !== '' && value !== 'false';
}

export interface GroupVersionKind { readonly group: string; readonly version: string; readonly kind: string }

export function gvkOf(obj: JsonObject): GroupVersionKind {
  const apiVersion = stringAt(obj, 'apiVersion');
  const slash = apiVersion.indexOf('/');
  const kind = stringAt(obj, 'kind');
  if (slash < 0) return { group: '', version: apiVersion, kind };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
}

/**
 * The SDK's IsGVK on a parsed object type (gvkOf): only the parts given on both sides are
 * compared, so an empty group, version or kind in either the rule or the object matches anything.
 */
export function isGVK(gvk: GroupVersionKind, group: string, version: string, kind: string): boolean {
  if (gvk.kind && kind && gvk.kind !== kind) return false;
  if (gvk.group && group && gvk.group !== group) return false;
  if (gvk.version && version && gvk.version !== version) return false;
  return true;
}

export function shortString(obj: JsonObject): string {
  return `Resource(apiVersion=${stringAt(obj, 'apiVersion')}, kind=${stringAt(obj, 'kind')}, namespace=${stringAt(obj, 'metadata', 'namespace')}, name=${stringAt(obj, 'metadata', 'name')})`;
}

export function resourceRefOf(obj: JsonObject): NonNullable<FunctionResult['resourceRef']> {
  const namespace = stringAt(obj, 'metadata', 'namespace');
  return {
    apiVersion: stringAt(obj, 'apiVersion'),
    kind: stringAt(obj, 'kind'),
    name: stringAt(obj, 'metadata', 'name'),
    ...(namespace ? { namespace } : {}),
  };
}

/** The file kpt read the object from, from the annotations kpt adds to items. */
export function fileOf(obj: JsonObject): { path: string; index: string } {
  const path = annotationOf(obj, 'internal.config.kubernetes.io/path') || annotationOf(obj, 'config.kubernetes.io/path');
  const index = annotationOf(obj, 'internal.config.kubernetes.io/index') || annotationOf(obj, 'config.kubernetes.io/index');
  return { path, index };
}

// ---------------------------------------------------------------------------------------------
// Copy-on-write editing of plain objects

export type FieldPath = ReadonlyArray<string | number>;

/** A field could not be read or written because a value on the way has the wrong type. */
export class FieldTypeError extends Error {
  constructor(public readonly path: FieldPath, expected: 'a map' | 'a list' | 'a string', found: unknown) {
    super(`expected ${expected} at ${formatPath(path)}, found ${describeValue(found)}`);
    this.name = 'FieldTypeError';
  }
}

export function formatPath(path: FieldPath): string {
  return path.map((p, i) => typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${p}`).join('');
}

/**
 * Edits one object without touching the original: the first write to a map or list copies it
 * (shallowly), later writes reuse the copy. `result` is the original object when nothing was
 * written. A null value on the way counts as absent, so writing replaces it with a map.
 * Paths are walked by index, without allocating, since this runs for every synthesized object.
 */
export class ObjectEditor {
  /** Maps and lists this editor made, which it may write to; created on the first write. */
  private copies?: Set<object>;
  private root: JsonObject;

  constructor(public readonly original: JsonObject) {
    this.root = original;
  }

  public get result(): JsonObject {
    return this.root;
  }

  /** The value at `path`; undefined when a step is missing. Throws FieldTypeError on a type clash. */
  public get(path: FieldPath): unknown {
    return this.valueAt(path, path.length);
  }

  /** True when the last key of `path` is present, whatever its value. */
  public has(path: FieldPath): boolean {
    return hasKey(this.valueAt(path, path.length - 1), path[path.length - 1]);
  }

  /** Sets `path` to `value`, creating maps on the way. Writing the value already there is a no-op. */
  public set(path: FieldPath, value: unknown): void {
    const last = path[path.length - 1];
    const parent = this.valueAt(path, path.length - 1);
    if (hasKey(parent, last) && (parent as any)[last] === value) return;
    const container = this.writable(path, path.length - 1);
    if (typeof last === 'number' ? !Array.isArray(container) : !isJsonObject(container)) {
      throw new FieldTypeError(path.slice(0, -1), typeof last === 'number' ? 'a list' : 'a map', container);
    }
    container[last] = value;
  }

  /** The map at `path`, ready for writing: copied once, created (with its parents) when missing. */
  public writableMap(path: FieldPath): JsonObject {
    const map = this.writable(path, path.length);
    if (!isJsonObject(map)) throw new FieldTypeError(path, 'a map', map);
    return map;
  }

  private valueAt(path: FieldPath, length: number): unknown {
    let current: unknown = this.root;
    for (let i = 0; i < length; i++) {
      if (current === undefined || current === null) return undefined;
      current = child(current, path, i);
    }
    return current;
  }

  /** Makes the containers along path[0..length) writable and returns the last one. */
  private writable(path: FieldPath, length: number): any {
    this.root = this.own(this.root);
    let current: any = this.root;
    for (let i = 0; i < length; i++) {
      let next = child(current, path, i);
      if (next === undefined || next === null) {
        if (typeof path[i] === 'number') throw new FieldTypeError(path.slice(0, i + 1), 'a map', next);
        next = {};
        this.copies!.add(next as object);
      } else if (typeof next !== 'object') {
        throw new FieldTypeError(path.slice(0, i + 1), typeof path[i + 1] === 'number' ? 'a list' : 'a map', next);
      } else {
        next = this.own(next as object);
      }
      current[path[i]] = next;
      current = next;
    }
    return current;
  }

  private own<T extends object>(value: T): T {
    this.copies ??= new Set();
    if (this.copies.has(value)) return value;
    const copy = (Array.isArray(value) ? value.slice() : { ...value }) as T;
    this.copies.add(copy);
    return copy;
  }
}

function hasKey(container: unknown, key: string | number): boolean {
  if (typeof key === 'number') return Array.isArray(container) && key < container.length;
  return isJsonObject(container) && Object.prototype.hasOwnProperty.call(container, key);
}

/** container[path[i]], checking that the container has the kind the key needs. */
function child(container: unknown, path: FieldPath, i: number): unknown {
  const key = path[i];
  if (typeof key === 'number') {
    if (!Array.isArray(container)) throw new FieldTypeError(path.slice(0, i), 'a list', container);
    return container[key];
  }
  if (!isJsonObject(container)) throw new FieldTypeError(path.slice(0, i), 'a map', container);
  return Object.prototype.hasOwnProperty.call(container, key) ? container[key] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Writing plain-object changes back into a YAML document

/**
 * Applies the difference between `before` and `after` to `doc`. Sub-objects that are the same
 * instance are skipped, so only the paths an ObjectEditor copied are visited. Existing scalar
 * nodes keep their comments.
 */
function patchDocument(doc: Document, path: Array<string | number>, before: unknown, after: unknown): void {
  if (before === after) return;
  if (isJsonObject(before) && isJsonObject(after)) {
    const own = Object.prototype.hasOwnProperty;
    for (const key of Object.keys(before)) {
      if (!own.call(after, key)) doc.deleteIn([...path, key]);
    }
    for (const [key, value] of Object.entries(after)) {
      if (own.call(before, key)) patchDocument(doc, [...path, key], before[key], value);
      else writeValue(doc, [...path, key], value);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    after.forEach((value, i) => patchDocument(doc, [...path, i], before[i], value));
    return;
  }
  writeValue(doc, path, after);
}

function writeValue(doc: Document, path: Array<string | number>, value: unknown): void {
  if (path.length === 0) {
    doc.contents = doc.createNode(value) as Document['contents'];
    quoteYaml11Strings(doc.contents);
    return;
  }
  doc.setIn(path, typeof value === 'object' && value !== null ? doc.createNode(value) : value);
  const node = doc.getIn(path, true);
  if (isScalar(node) && typeof value === 'string' && node.tag && node.tag !== 'tag:yaml.org,2002:str') node.tag = undefined;
  quoteYaml11Strings(node);
}

/**
 * Quotes strings that YAML 1.1 readers (kubectl, ConfigSync) would take for booleans or
 * numbers, as kpt's Go writer does: a label `on` must stay the string "on".
 */
function quoteYaml11Strings(node: unknown): void {
  const fix = (scalar: Scalar) => {
    if (typeof scalar.value === 'string' && scalar.type !== 'QUOTE_SINGLE' && isYaml11NonString(scalar.value)) scalar.type = 'QUOTE_DOUBLE';
  };
  if (isScalar(node)) fix(node);
  else if (isMap(node) || isSeq(node)) visit(node, { Scalar: (_, scalar) => fix(scalar) });
}

const YAML11_BOOL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const YAML11_NUMBER = /^[-+]?(0b[01_]+|0[0-7_]+|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?)$/;

export function isYaml11NonString(value: string): boolean {
  return YAML11_BOOL.test(value) || YAML11_NUMBER.test(value);
}
