import { Document, isMap, isScalar, Scalar } from 'yaml';
import { isJsonObject, JsonObject } from './json-object';
import { documentWithChanges } from './yaml-write-back';
import { describeValue } from '../../repo/describe-value';

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

/** A scalar as kpt's SDK reads it into a string: '' for absent, the YAML text for others. */
export function plainText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return '';
}


export { describeValue };

export { documentWithChanges };
export {
  annotationOf, fileOf, GroupVersionKind, gvkOf, isGVK, isLocalConfig, resourceRefOf, shortString, stringAt,
} from './krm-object';
export { FieldPath, FieldTypeError, formatPath, ObjectEditor } from './object-editor';
export { isYaml11NonString } from './yaml-write-back';
export { isJsonObject, JsonObject };
