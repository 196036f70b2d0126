import { Document, isCollection, isMap, isScalar, isSeq, Node, parseAllDocuments, parseDocument, visit } from 'yaml';
import {
  configFromDocument, documentWithChanges, findKrmFunction, FunctionResult, functionNames, isJsonObject,
  KrmFunction, KrmFunctionError, PlainKrmFunction, requireObject,
} from './functions';
import { BlockReader, ItemComments, lineAt, MAX_NESTING, NestingTooDeep, Unsupported, writeItem } from '../repo/block-yaml';
import { toYamlDocuments } from '../repo/yaml-output';

/**
 * The KRM function protocol kpt speaks with exec functions: a `config.kubernetes.io/v1`
 * ResourceList on stdin (items + functionConfig), the resulting ResourceList with `results` on
 * stdout, a non-zero exit code on failure. Comments on items are kept, so `# kpt-set:` markers
 * survive a round trip through kpt.
 */
const API_VERSIONS = ['config.kubernetes.io/v1', 'config.kubernetes.io/v1alpha1'];
const OUTPUT_API_VERSION = 'config.kubernetes.io/v1';
const STRINGIFY = { lineWidth: 0 } as const;

/**
 * Functions whose documents-run is their plain run with the changes written back (they read no
 * comments): their items are read and written in one pass without the yaml package's syntax tree.
 */
const DATA_ONLY_FUNCTIONS: ReadonlySet<string> = new Set(['set-namespace', 'set-labels', 'set-annotations']);

/** One item of the list: read directly as data (with its comments), or as a yaml Document. */
interface ListItem {
  value?: unknown;
  comments?: ItemComments;
  /** The item's text as it came (from its dash line at `column`), when it has no comment above the dash. */
  source?: string;
  doc?: Document;
}

interface ParsedResourceList {
  readonly items: ListItem[];
  readonly functionConfig: Document | undefined;
  /** The column of the items' dashes in the input. */
  readonly column: number;
}

/** The ResourceList cannot be read; the message says what is wrong and where. */
class ReadError extends Error {}

/** Output pieces are joined into chunks of about this many pieces. */
const PIECES_PER_CHUNK = 65_536;

/**
 * Runs one function on a ResourceList given as YAML or JSON text: a catalog function by name or
 * image, or any KrmFunction given itself. Never throws.
 */
export function runResourceList(functionOrName: string | KrmFunction, input: string): { stdout: string; exitCode: number } {
  const { chunks, exitCode } = processResourceList(functionOrName, input);
  return { stdout: chunks.join(''), exitCode };
}

/**
 * Like {@link runResourceList}, with the output as a list of chunks to write one after the
 * other (a large list is never held as one more string). Never throws.
 */
export function processResourceList(functionOrName: string | KrmFunction, input: string): { chunks: string[]; exitCode: number } {
  const functionName = typeof functionOrName === 'string' ? functionOrName : functionOrName.name;
  const fn = typeof functionOrName === 'string' ? findKrmFunction(functionOrName) : functionOrName;
  const dataOnly = fn === undefined || (typeof (fn as PlainKrmFunction).runPlain === 'function' && (DATA_ONLY_FUNCTIONS.has(fn.name) || (fn as PlainKrmFunction).readsNoComments === true));
  let parsed: ParsedResourceList;
  try {
    parsed = parseResourceList(input, dataOnly);
  } catch (err) {
    return failure(undefined, [{ message: `cannot read the ResourceList: ${readErrorMessage(err)}`, severity: 'error' }]);
  }
  if (!fn) {
    return failure(parsed, [{ message: `unknown function "${functionName}": expected one of ${functionNames().join(', ')}`, severity: 'error' }]);
  }
  try {
    if (dataOnly) return runPlain(fn as PlainKrmFunction, parsed);
    const docs = parsed.items.map(item => item.doc ?? new Document(item.value));
    const output = fn.run(docs, parsed.functionConfig);
    // Any error result fails the run, and then the items go back as they came.
    if (output.results.some(r => r.severity === 'error')) return failure(parsed, output.results);
    return { chunks: writeResourceList(output.items.map(doc => ({ doc })), 0, output.results), exitCode: 0 };
  } catch (err) {
    if (err instanceof KrmFunctionError) return failure(parsed, err.results);
    if (err instanceof RangeError) return failure(parsed, [{ message: `${fn.name} failed: the input nests too deeply to process`, severity: 'error' }]);
    return failure(parsed, [{ message: `${fn.name} failed unexpectedly: ${(err as Error).message}`, severity: 'error' }]);
  }
}

function readErrorMessage(err: unknown): string {
  if (err instanceof RangeError) return `the input nests too deeply to read (more than ${MAX_NESTING} levels is refused)`;
  return (err as Error).message;
}

/** A data-only function on the items as plain objects; only changed items are written anew. */
function runPlain(fn: PlainKrmFunction, parsed: ParsedResourceList): { chunks: string[]; exitCode: number } {
  const before = parsed.items.map((item, i) => (item.doc ? requireObject(item.doc.toJS(), i) : requireObject(item.value, i)));
  const output = fn.runPlain(before, parsed.functionConfig ? configFromDocument(parsed.functionConfig) : undefined);
  if (output.objects.length !== before.length) throw new Error(`function returned ${output.objects.length} items for ${before.length} inputs`);
  if (output.results.some(r => r.severity === 'error')) return failure(parsed, output.results);
  const items = parsed.items.map((item, i): ListItem => {
    const after = output.objects[i];
    if (item.doc) return { doc: documentWithChanges(item.doc, before[i], after) };
    return after === before[i] ? item : { value: after, comments: item.comments };
  });
  return { chunks: writeResourceList(items, parsed.column, output.results), exitCode: 0 };
}

function failure(parsed: ParsedResourceList | undefined, results: FunctionResult[]): { chunks: string[]; exitCode: number } {
  return { chunks: writeResourceList(parsed?.items ?? [], parsed?.column ?? 0, results), exitCode: 1 };
}

// ---------------------------------------------------------------------------------------------
// Reading

function parseResourceList(input: string, dataOnly: boolean): ParsedResourceList {
  if (input.trim().startsWith('{')) return parseJsonResourceList(input);
  // YAML reads every line break as \n, in scalars too: CRLF input reads the same with LF.
  const text = input.includes('\r\n') ? input.replace(/\r\n/g, '\n') : input;
  return readYamlList(text, dataOnly) ?? parseWholeDocument(text);
}

/** One yaml Document of a ResourceList (or of its header), checked to be one. */
function parseResourceListDocument(text: string) {
  checkYamlNesting(text, 1);
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(doc.errors[0].message);
  moveKeyLineComments(doc, text);
  if (!isMap(doc.contents)) throw new Error('expected a ResourceList mapping');
  checkHeader(doc.get('apiVersion'), doc.get('kind'));
  return doc;
}

/** The old way, for YAML the one-pass reader leaves alone: one yaml Document for the whole list. */
function parseWholeDocument(input: string): ParsedResourceList {
  const doc = parseResourceListDocument(input);
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
    items: isSeq(items) ? items.items.map((item, i) => ({ doc: documentOf(item, `items[${i}]`) })) : [],
    functionConfig: isCollection(functionConfig) ? documentOf(functionConfig, 'functionConfig') : undefined,
    column: 0,
  };
}

function parseJsonResourceList(input: string): ParsedResourceList {
  checkJsonNesting(input);
  const list = JSON.parse(input);
  if (typeof list !== 'object' || list === null || Array.isArray(list)) throw new Error('expected a ResourceList object');
  checkHeader(list.apiVersion, list.kind);
  if (list.items !== undefined && list.items !== null && !Array.isArray(list.items)) throw new Error('`items` must be a list');
  const items: unknown[] = list.items ?? [];
  return {
    items: items.map(value => ({ value })),
    functionConfig: list.functionConfig ? new Document(list.functionConfig) : undefined,
    column: 0,
  };
}

function lineEndOf(text: string, i: number): number {
  const e = text.indexOf('\n', i);
  return e < 0 ? text.length : e;
}

const TOP_LEVEL_KEY = /^([A-Za-z][A-Za-z0-9_]*):(?: +(.*))?$/;

/**
 * Reads a list in the block layout kpt writes, in one pass: the items one by one (each with the
 * one-pass reader where `dataOnly`, else, or where it declines, with the yaml package), the other
 * top-level fields with the yaml package. Undefined when the layout is another (then the whole
 * list goes through the yaml package).
 */
function readYamlList(input: string, dataOnly: boolean): ParsedResourceList | undefined {
  if (input.includes('\r') || input.charCodeAt(0) === 0xfeff) return undefined;
  const header: string[] = [];
  const items: ListItem[] = [];
  let column = 0;
  let sawItems = false;
  let sawContent = false;
  let i = 0;
  while (i < input.length) {
    const le = lineEndOf(input, i);
    const line = input.slice(i, le);
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i = le + 1;
      continue;
    }
    if (!sawContent && line === '---') {
      sawContent = true;
      i = le + 1;
      continue;
    }
    sawContent = true;
    const key = TOP_LEVEL_KEY.exec(line);
    if (!key) return undefined;
    if (key[1] === 'items') {
      if (sawItems) return undefined;
      sawItems = true;
      const rest = (key[2] ?? '').trim();
      if (rest === '[]' || rest === '~' || rest === 'null') {
        i = le + 1;
        continue;
      }
      if (rest !== '' && !rest.startsWith('#')) return undefined;
      const read = readItems(input, le + 1, dataOnly, items);
      if (!read) return undefined;
      column = read.column;
      i = read.next;
      continue;
    }
    let e = le + 1;
    while (e < input.length) {
      const c = input.charCodeAt(e);
      if (c !== 32 && c !== 10 && c !== 35) break;
      e = lineEndOf(input, e) + 1;
    }
    header.push(input.slice(i, Math.min(e, input.length)), '\n');
    i = e;
  }
  const headerText = header.join('');
  const doc = parseResourceListDocument(headerText);
  const functionConfig = doc.get('functionConfig', true);
  return { items, functionConfig: isCollection(functionConfig) ? documentOf(functionConfig, 'functionConfig') : undefined, column };
}

/**
 * Reads the items of a block sequence starting at `start`; returns the column of their dashes and
 * where the next top-level field starts, or undefined when the layout is not the expected one.
 */
function readItems(input: string, start: number, dataOnly: boolean, items: ListItem[]): { column: number; next: number } | undefined {
  const reader = new BlockReader(input, start, input.length);
  if (!reader.nextContentLine()) return { column: 0, next: input.length };
  if (reader.indent === 0 && !reader.atDash()) return { column: 0, next: reader.i };
  if (!reader.atDash()) return undefined;
  const d = reader.indent;
  for (;;) {
    const itemStart = reader.pendingStart >= 0 ? reader.pendingStart : reader.i;
    const dashLine = reader.i;
    const index = items.length;
    let item: ListItem | undefined;
    if (dataOnly) {
      try {
        reader.comments = undefined;
        reader.give('');
        const value = reader.seqEntry(d, '', 1);
        if (!isJsonObject(value)) throw new ReadError(`items[${index}] must be a mapping (line ${lineAt(input, dashLine)})`);
        const stop = reader.pendingStart >= 0 ? reader.pendingStart : Math.min(reader.i, input.length);
        // Head comments above the dash are written after it when the item goes out (kpt's form), so only an item without them can go out as it came.
        item = { value, comments: reader.comments, source: itemStart === dashLine ? input.slice(itemStart, stop) : undefined };
      } catch (err) {
        if (err instanceof NestingTooDeep) throw new ReadError(nestingMessage(input, err.index));
        if (!(err instanceof Unsupported)) throw err;
      }
    }
    if (!item) {
      const read = readDocumentItem(input, d, itemStart, dashLine, index);
      if (!read) return undefined;
      item = read.item;
      reader.i = read.end;
      reader.pending = undefined;
      reader.pendingStart = -1;
      reader.comments = undefined;
    }
    items.push(item);
    if (!reader.nextContentLine()) return { column: d, next: input.length };
    if (reader.indent === d && reader.atDash()) continue;
    if (reader.indent === 0 && !reader.atDash()) return { column: d, next: reader.i };
    return undefined;
  }
}

/**
 * Reads one item with the yaml package: its lines (through the last one indented past the dash),
 * moved left by the dash's column plus two. Undefined when its lines do not allow that.
 */
function readDocumentItem(input: string, d: number, itemStart: number, dashLine: number, index: number): { item: ListItem; end: number } | undefined {
  let e = lineEndOf(input, dashLine) + 1;
  let end = Math.min(e, input.length);
  // Blank lines right after the item's last line are its own (a `|+` block keeps them).
  let blankRun = true;
  while (e < input.length) {
    const le = lineEndOf(input, e);
    let k = e;
    while (input.charCodeAt(k) === 32) k++;
    if (k < le) {
      const isComment = input.charCodeAt(k) === 35;
      if (k - e <= d && !isComment) break;
      blankRun = k - e > d;
      if (blankRun) end = Math.min(le + 1, input.length);
    } else if (blankRun) {
      end = Math.min(le + 1, input.length);
    }
    e = le + 1;
  }
  const lines = input.slice(dashLine, end).split('\n');
  const first = lines[0];
  if (first.charCodeAt(d) !== 45 || (first.length > d + 1 && first.charCodeAt(d + 1) !== 32)) return undefined;
  const moved: string[] = [first.slice(d + 2)];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n];
    const trimmed = line.trimStart();
    if (trimmed === '') moved.push('');
    else if (line.length - trimmed.length >= d + 2) moved.push(line.slice(d + 2));
    else if (trimmed.startsWith('#')) moved.push(trimmed);
    else return undefined;
  }
  const text = moved.join('\n');
  const firstLine = lineAt(input, dashLine);
  // The item sits one level down, in `items`.
  checkYamlNesting(text, firstLine, 1);
  const doc = parseDocument(text);
  if (doc.errors.length) {
    const error = doc.errors[0];
    const line = (error.linePos?.[0].line ?? 1) + firstLine - 1;
    throw new ReadError(`${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')} (items[${index}], line ${line})`);
  }
  moveKeyLineComments(doc, text);
  if (!isMap(doc.contents)) throw new ReadError(`items[${index}] must be a mapping (line ${firstLine})`);
  const head = input.slice(itemStart, dashLine).split('\n').map(l => l.trim()).filter(l => l.startsWith('#')).map(l => l.slice(1));
  if (head.length) {
    doc.contents.commentBefore = [...head, doc.commentBefore, doc.contents.commentBefore].filter(c => typeof c === 'string').join('\n');
    doc.commentBefore = null;
  }
  return { item: { doc }, end };
}

function nestingMessage(text: string, index: number, lineOffset = 1): string {
  const line = lineAt(text, index) + lineOffset - 1;
  return `the input nests deeper than ${MAX_NESTING} levels at line ${line}: no Kubernetes object is that deep, so it is refused (look for runaway nesting in that object)`;
}

/** Refuses YAML whose block or flow nesting goes past MAX_NESTING, before the recursive yaml package sees it. */
function checkYamlNesting(text: string, firstLine: number, baseDepth = 0): void {
  const indents: number[] = [];
  let flow = 0;
  let i = 0;
  while (i < text.length) {
    const le = lineEndOf(text, i);
    let k = i;
    while (text.charCodeAt(k) === 32) k++;
    if (k >= le || text.charCodeAt(k) === 35) {
      i = le + 1;
      continue;
    }
    if (flow === 0) {
      while (indents.length && indents[indents.length - 1] >= k - i) indents.pop();
      indents.push(k - i);
    }
    let depth = baseDepth + indents.length;
    while (text.charCodeAt(k) === 45 && text.charCodeAt(k + 1) === 32) {
      depth++;
      k += 2;
      while (text.charCodeAt(k) === 32) k++;
    }
    for (let p = k; p < le; p++) {
      const c = text.charCodeAt(p);
      if (c === 34 || c === 39) {
        let close = p + 1;
        while (close < le && text.charCodeAt(close) !== c) close++;
        if (close < le) p = close;
      } else if (c === 91 || c === 123) {
        flow++;
      } else if (c === 93 || c === 125) {
        flow = Math.max(0, flow - 1);
      } else if (c === 35 && text.charCodeAt(p - 1) === 32) {
        break;
      }
      if (depth + flow > MAX_NESTING) throw new ReadError(nestingMessage(text, p, firstLine));
    }
    if (depth > MAX_NESTING) throw new ReadError(nestingMessage(text, k, firstLine));
    i = le + 1;
  }
}

/** The same for JSON, exactly: brackets outside strings. */
function checkJsonNesting(text: string): void {
  let depth = 0;
  for (let p = 0; p < text.length; p++) {
    const c = text.charCodeAt(p);
    if (c === 34) {
      for (p++; p < text.length; p++) {
        const q = text.charCodeAt(p);
        if (q === 92) p++;
        else if (q === 34) break;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > MAX_NESTING) throw new ReadError(nestingMessage(text, p));
    } else if (c === 93 || c === 125) {
      depth--;
    }
  }
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

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * The output list: apiVersion, kind, the items, the results. An item read as data and unchanged
 * goes out as its source text when the columns match; one changed is written from its data with
 * its comments; a Document through the yaml package.
 */
function writeResourceList(items: readonly ListItem[], inputColumn: number, results: FunctionResult[]): string[] {
  const chunks: string[] = [];
  const out: string[] = [`apiVersion: ${OUTPUT_API_VERSION}\nkind: ResourceList\n`];
  // Every dash of one sequence at one column: the input's when even (the writer's indentation step is 2).
  const column = inputColumn % 2 === 0 ? inputColumn : 0;
  out.push(items.length ? 'items:\n' : 'items: []\n');
  for (const item of items) {
    if (item.doc) writeDocumentItem(item.doc, column, out);
    else if (item.source !== undefined && column === inputColumn) out.push(item.source.endsWith('\n') ? item.source : item.source + '\n');
    else writeItem(item.value, column, item.comments, out);
    if (out.length > PIECES_PER_CHUNK) {
      chunks.push(out.join(''));
      out.length = 0;
    }
  }
  if (results.length) out.push(toYamlDocuments([{ results: results.map(resultForKpt) }]));
  chunks.push(out.join(''));
  return chunks;
}

function writeDocumentItem(doc: Document, column: number, out: string[]): void {
  headCommentOnFirstKey(doc.contents as Node);
  const text = doc.toString({ ...STRINGIFY, directives: false });
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const dash = ' '.repeat(column) + '- ';
  const indent = ' '.repeat(column + 2);
  out.push(dash, lines[0], '\n');
  for (let n = 1; n < lines.length; n++) out.push(lines[n] === '' ? '' : indent, lines[n], '\n');
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
