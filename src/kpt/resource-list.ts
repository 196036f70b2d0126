import { Document, isCollection, isMap, isScalar, isSeq, Node, parseAllDocuments, parseDocument, visit, YAMLSeq } from 'yaml';
import { findKrmFunction, FunctionResult, functionNames, KrmFunctionError } from './functions';

/**
 * The KRM function protocol kpt speaks with exec functions: a `config.kubernetes.io/v1`
 * ResourceList on stdin (items + functionConfig), the resulting ResourceList with `results` on
 * stdout, a non-zero exit code on failure. Comments on items are kept, so `# kpt-set:` markers
 * survive a round trip through kpt.
 */
const API_VERSIONS = ['config.kubernetes.io/v1', 'config.kubernetes.io/v1alpha1'];
const OUTPUT_API_VERSION = 'config.kubernetes.io/v1';
const STRINGIFY = { lineWidth: 0 } as const;

interface ParsedResourceList {
  readonly items: Document[];
  readonly functionConfig: Document | undefined;
}

/** Runs one function on a ResourceList given as YAML or JSON text. Never throws. */
export function runResourceList(functionName: string, input: string): { stdout: string; exitCode: number } {
  let parsed: ParsedResourceList;
  try {
    parsed = parseResourceList(input);
  } catch (err) {
    return failure([], [{ message: `cannot read the ResourceList: ${(err as Error).message}`, severity: 'error' }]);
  }
  const fn = findKrmFunction(functionName);
  if (!fn) {
    return failure(parsed.items, [{ message: `unknown function "${functionName}": expected one of ${functionNames().join(', ')}`, severity: 'error' }]);
  }
  try {
    const output = fn.run(parsed.items, parsed.functionConfig);
    // Any error result fails the run, and then the items go back as they came.
    if (output.results.some(r => r.severity === 'error')) return failure(parsed.items, output.results);
    return { stdout: writeResourceList(output.items, output.results), exitCode: 0 };
  } catch (err) {
    if (err instanceof KrmFunctionError) return failure(parsed.items, err.results);
    return failure(parsed.items, [{ message: `${fn.name} failed unexpectedly: ${(err as Error).message}`, severity: 'error' }]);
  }
}

function failure(items: Document[], results: FunctionResult[]): { stdout: string; exitCode: number } {
  return { stdout: writeResourceList(items, results), exitCode: 1 };
}

function parseResourceList(input: string): ParsedResourceList {
  if (input.trim().startsWith('{')) return parseJsonResourceList(input);
  const doc = parseDocument(input);
  if (doc.errors.length) throw new Error(doc.errors[0].message);
  moveKeyLineComments(doc, input);
  if (!isMap(doc.contents)) throw new Error('expected a ResourceList mapping');
  checkHeader(doc.get('apiVersion'), doc.get('kind'));
  const items = doc.get('items', true);
  if (items !== undefined && items !== null && !isSeq(items) && !(isScalar(items) && items.value === null)) {
    throw new Error('`items` must be a list');
  }
  // A comment above the first item belongs to that item.
  if (isSeq(items) && items.commentBefore && isMap(items.items[0])) {
    const first = items.items[0];
    first.commentBefore = [items.commentBefore, first.commentBefore].filter(Boolean).join('\n');
    items.commentBefore = undefined;
  }
  const functionConfig = doc.get('functionConfig', true);
  return {
    items: isSeq(items) ? items.items.map((item, i) => documentOf(item, `items[${i}]`)) : [],
    functionConfig: isCollection(functionConfig) ? documentOf(functionConfig, 'functionConfig') : undefined,
  };
}

function parseJsonResourceList(input: string): ParsedResourceList {
  const list = JSON.parse(input);
  if (typeof list !== 'object' || list === null || Array.isArray(list)) throw new Error('expected a ResourceList object');
  checkHeader(list.apiVersion, list.kind);
  if (list.items !== undefined && list.items !== null && !Array.isArray(list.items)) throw new Error('`items` must be a list');
  const items: unknown[] = list.items ?? [];
  return {
    items: items.map(item => new Document(item)),
    functionConfig: list.functionConfig ? new Document(list.functionConfig) : undefined,
  };
}

function checkHeader(apiVersion: unknown, kind: unknown): void {
  if (kind !== 'ResourceList' || !API_VERSIONS.includes(String(apiVersion))) {
    throw new Error(`expected apiVersion ${OUTPUT_API_VERSION} and kind ResourceList, found apiVersion ${String(apiVersion)} and kind ${String(kind)}`);
  }
}

function documentOf(node: unknown, where: string): Document {
  if (!isMap(node)) throw new Error(`${where} must be a mapping`);
  const doc = new Document();
  doc.contents = node;
  return doc;
}

function writeResourceList(items: Document[], results: FunctionResult[]): string {
  const list = new Document({ apiVersion: OUTPUT_API_VERSION, kind: 'ResourceList', items: [] });
  const seq = list.get('items', true) as YAMLSeq;
  seq.items = items.map(doc => headCommentOnFirstKey(doc.contents as Node));
  if (results.length) list.set('results', list.createNode(results.map(resultForKpt)));
  return list.toString(STRINGIFY);
}

/**
 * Writes an item's head comment as `- # comment` followed by its first key, the form kpt
 * itself sends. Written above the dash, kpt would keep it twice when it writes the file.
 */
function headCommentOnFirstKey(item: Node): Node {
  if (!isMap(item) || !item.commentBefore || item.items.length === 0) return item;
  const firstKey = item.items[0].key;
  if (!isScalar(firstKey)) return item;
  firstKey.commentBefore = [item.commentBefore, firstKey.commentBefore].filter(Boolean).join('\n');
  item.commentBefore = undefined;
  return item;
}

/** A result in the shape kpt reads: `field` and `file` are objects there. */
function resultForKpt(result: FunctionResult): Record<string, unknown> {
  return {
    message: result.message,
    severity: result.severity,
    ...(result.resourceRef ? { resourceRef: result.resourceRef } : {}),
    ...(result.field ? { field: { path: result.field } } : {}),
    ...(result.file ? { file: result.file } : {}),
  };
}

/**
 * Reads a file of YAML documents as function items: empty documents are dropped, and a comment
 * on a key line (`env: # kpt-set: ${env}` above a block list) stays on the key, where kpt
 * reads setter markers, instead of moving onto its own line when written back.
 */
export function parseYamlItems(text: string): Document[] {
  const docs = parseAllDocuments(text);
  for (const doc of docs) {
    if (doc.errors.length) throw new Error(doc.errors[0].message);
    moveKeyLineComments(doc, text);
  }
  return docs.filter(doc => !(doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null))) as Document[];
}

/** Writes items as one YAML stream, the way a package file holds them. */
export function stringifyYamlItems(items: Document[]): string {
  return items.map(doc => doc.toString({ ...STRINGIFY, directives: false })).join('---\n');
}

/**
 * The yaml library files a comment after `key:` as the comment before the block collection
 * that follows. Using the source text, put it back on the key.
 */
function moveKeyLineComments(doc: Document, source: string): void {
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key;
      const value = pair.value;
      if (!isScalar(key) || key.comment || !key.range) return;
      if (!(isMap(value) || isSeq(value)) || value.flow || !value.commentBefore || !value.range) return;
      const between = source.slice(key.range[1], value.range[0]);
      const onKeyLine = /^[ \t]*:[ \t]+#([^\n]*)/.exec(between);
      if (!onKeyLine) return;
      const [first, ...rest] = value.commentBefore.split('\n');
      if (first.trim() !== onKeyLine[1].trim()) return;
      key.comment = first;
      value.commentBefore = rest.length ? rest.join('\n') : undefined;
    },
  });
}
