import * as fs from 'fs';
import * as path from 'path';
import { Document, isMap, isNode, isPair, isScalar, isSeq, LineCounter, Node, parseAllDocuments } from 'yaml';
import { SynthProblem } from '../repo/synth-error';

/** A place in an intent file, 1-based as editors count. */
export interface IntentLocation {
  /** The file as given (relative to the working directory when inside it). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** `file:line:column`, the form editors and terminals turn into a link. */
export function formatLocation(location: IntentLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/** A segment of a field path: an object key or a list index. */
export type FieldSegment = string | number;

/** `spec.interfaces[0].type`, `metadata.labels["nephio.org/site-type"]`. */
export function formatField(segments: readonly FieldSegment[]): string {
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** One YAML document of an intent file, with what is needed to point at its fields. */
export class IntentSourceDocument {
  constructor(
    public readonly file: string,
    private readonly document: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  /** The document as plain data. */
  public toJS(): unknown {
    return this.document.toJS({ maxAliasCount: 100 });
  }

  /** Where the document starts. */
  public get start(): IntentLocation {
    return this.locationOf(this.document.contents?.range?.[0] ?? 0);
  }

  /**
   * Where a field is: the deepest node of `segments` that the document holds (so a missing field
   * points at the object that lacks it). With `key`, the key of that entry rather than its value.
   */
  public locate(segments: readonly FieldSegment[], key = false): IntentLocation {
    let node: unknown = this.document.contents;
    let offset = (node as Node | null)?.range?.[0] ?? 0;
    for (const [i, segment] of segments.entries()) {
      const last = i === segments.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(item => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        const keyNode = pair.key as Node;
        if (last && key) return this.locationOf(keyNode.range?.[0] ?? offset);
        node = pair.value;
        offset = isNode(node) ? node.range?.[0] ?? keyNode.range?.[0] ?? offset : keyNode.range?.[0] ?? offset;
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        node = node.items[segment];
        offset = isNode(node) ? node.range?.[0] ?? offset : offset;
      } else {
        break;
      }
    }
    return this.locationOf(offset);
  }

  /** A problem at a field of this document. */
  public problem(segments: readonly FieldSegment[], message: string, options: { key?: boolean; severity?: 'error' | 'warning' } = {}): SynthProblem {
    return {
      path: formatLocation(this.locate(segments, options.key)),
      field: formatField(segments),
      message,
      severity: options.severity ?? 'error',
    };
  }

  private locationOf(offset: number): IntentLocation {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, column: col };
  }
}

/** What reading intent files gave: the documents, and every YAML problem. */
export interface IntentSourceRead {
  readonly documents: IntentSourceDocument[];
  readonly problems: SynthProblem[];
}

const INTENT_FILE = /\.ya?ml$/;

/**
 * The intent files at `target`: the file itself, or every `.yaml`/`.yml` file under the folder
 * (hidden folders left out), in path order, so that the same folder always gives the same program.
 */
export function intentFiles(target: string): string[] {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) throw new IntentPathError(`${target}: no such file or folder of NetworkIntent files`);
  if (stat.isFile()) return [target];
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && INTENT_FILE.test(entry.name)) found.push(full);
    }
  };
  walk(target);
  if (found.length === 0) throw new IntentPathError(`${target}: the folder holds no .yaml or .yml file`);
  return found;
}

/** The intent path names nothing to read. */
export class IntentPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntentPathError';
    this.stack = `${this.name}: ${message}`;
  }
}

/** How a file is named in messages: relative to the working directory when it is inside it. */
export function displayName(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
}

/** Reads and parses every document of the files; YAML errors become problems with their place. */
export function readIntentSources(files: readonly string[]): IntentSourceRead {
  const documents: IntentSourceDocument[] = [];
  const problems: SynthProblem[] = [];
  for (const file of files) {
    const name = displayName(file);
    const text = fs.readFileSync(file, 'utf8');
    const lineCounter = new LineCounter();
    // Merge keys (`<<: *defaults`) let documents share a block, as many Kubernetes manifests do.
    const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
    const list = Array.isArray(parsed) ? parsed : [];
    for (const document of list) {
      if (document.errors.length > 0) {
        for (const error of document.errors) {
          const { line, col } = lineCounter.linePos(error.pos[0]);
          problems.push({ path: formatLocation({ file: name, line, column: col }), field: '', message: `invalid YAML: ${error.message.split('\n')[0]}`, severity: 'error' });
        }
        continue;
      }
      // A document holding nothing (a trailing `---`, a file of comments) declares nothing.
      if (document.contents === null || (isScalar(document.contents) && document.contents.value === null)) continue;
      documents.push(new IntentSourceDocument(name, document, lineCounter));
    }
  }
  return { documents, problems };
}
