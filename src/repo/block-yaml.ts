import { yamlKeyText, yamlScalarText } from './yaml-output';

/**
 * A one-pass reader and writer for the block YAML that kpt sends to and reads from functions:
 * block mappings and sequences, one-line plain and quoted scalars, literal blocks, `[]`/`{}`, and
 * comments (kept by the path of the entry they belong to, and written back there). It builds
 * plain objects directly, without the syntax tree of the `yaml` package, which costs several
 * times the input in memory and time. Anything else (flow collections, anchors, tags, folded or
 * multi-line scalars, non-canonical numbers) throws {@link Unsupported}: the caller then reads that
 * part with the `yaml` package, so what is accepted is always read exactly as the `yaml` package
 * (YAML 1.2 core schema) reads it.
 */

/** The text uses YAML this reader leaves to the `yaml` package. */
export class Unsupported extends Error {
  constructor() {
    super('unsupported YAML');
    this.name = 'Unsupported';
  }
}

/** Nesting beyond this many levels is refused: no Kubernetes object comes near it. */
export const MAX_NESTING = 100;

/** The input nests deeper than {@link MAX_NESTING}; `index` is where, in the text read. */
export class NestingTooDeep extends Error {
  constructor(public readonly index: number) {
    super(`nests deeper than ${MAX_NESTING} levels`);
    this.name = 'NestingTooDeep';
  }
}

/** Comments of one item, by entry path (keys and indexes joined with NUL; '' is the item itself). */
export class ItemComments {
  /** Full-line comments above an entry. */
  public readonly before = new Map<string, string[]>();
  /** The comment at the end of an entry's first line (`key: value # c`, `key: # c`, `- # c`). */
  public readonly trailing = new Map<string, string>();
}

const SEP = '\u0000';

/** The 1-based line number of `index` in `text`. */
export function lineAt(text: string, index: number): number {
  // Items are read front to back: count on from the last answer for the same text.
  let line = 1;
  let from = 0;
  if (lastLine.text === text && lastLine.index <= index) {
    line = lastLine.line;
    from = lastLine.index;
  }
  for (let i = text.indexOf('\n', from); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  lastLine = { text, index, line };
  return line;
}

let lastLine: { text: string; index: number; line: number } = { text: '', index: 0, line: 1 };

/** Numbers as the YAML 1.2 core schema reads them; only canonical ones (that print back the same) are read here. */
const CORE_NUMBER = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function resolvePlain(raw: string): unknown {
  switch (raw) {
    case '~': case 'null': case 'Null': case 'NULL': return null;
    case 'true': case 'True': case 'TRUE': return true;
    case 'false': case 'False': case 'FALSE': return false;
  }
  const c = raw.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (CORE_NUMBER.test(raw)) {
      const n = Number(raw);
      if (String(n) === raw) return n;
      throw new Unsupported();
    }
  }
  return raw;
}

/**
 * The plain scalar in text[from, to) without its trailing spaces. Control characters, and spaces
 * and line separators other than the ASCII space (which YAML versions and JavaScript's trim() see
 * differently), are left to the yaml package.
 */
function plainText(text: string, from: number, to: number): string {
  while (to > from && text.charCodeAt(to - 1) === 32) to--;
  const raw = text.slice(from, to);
  if (ODD_CHARACTERS.test(raw)) throw new Unsupported();
  return raw;
}

const ODD_CHARACTERS = /[\x00-\x1F\x7F-\xA0\u1680\u180E\u2000-\u200F\u2028-\u202F\u205F-\u206F\u3000\uFEFF\uFFF0-\uFFFF]/;

/** The index of `code` in text[from, le), or -1: never searches past the line. */
function indexInLine(text: string, code: number, from: number, le: number): number {
  for (let p = from; p < le; p++) if (text.charCodeAt(p) === code) return p;
  return -1;
}

/** Where ` #` starts in text[from, le), or `le`. */
function commentStart(text: string, from: number, le: number): number {
  for (let p = from; p < le - 1; p++) if (text.charCodeAt(p) === 32 && text.charCodeAt(p + 1) === 35) return p;
  return le;
}

/** Characters that cannot start a plain scalar (some only when a space follows). */
function isIndicator(c: number): boolean {
  // ! " # % & ' * , > @ [ ] ` { | } and ? : - (checked by the callers where a space must follow)
  return c === 33 || c === 34 || c === 35 || c === 37 || c === 38 || c === 39 || c === 42 || c === 44 || c === 62 || c === 64
    || c === 91 || c === 93 || c === 96 || c === 123 || c === 124 || c === 125;
}

/**
 * Reads block YAML from `text`, starting at a line start. Comments seen and not yet given to an
 * entry wait in `pending` (with `pendingStart`, the start of their first line).
 */
export class BlockReader {
  public i: number;
  /** Indentation of the content line at `i` after {@link nextContentLine}. */
  public indent = 0;
  public comments: ItemComments | undefined;
  public pending: string[] | undefined;
  public pendingStart = -1;

  constructor(public readonly text: string, start: number, public readonly end: number) {
    this.i = start;
  }

  public lineEnd(i: number): number {
    const e = this.text.indexOf('\n', i);
    return e < 0 || e > this.end ? this.end : e;
  }

  /** Moves to the next line holding content, collecting comment lines; false at the end. */
  public nextContentLine(): boolean {
    const text = this.text;
    while (this.i < this.end) {
      const ls = this.i;
      let k = ls;
      while (text.charCodeAt(k) === 32) k++;
      const le = this.lineEnd(ls);
      if (k >= le) {
        this.i = le + 1;
        continue;
      }
      const ch = text.charCodeAt(k);
      if (ch === 9 || ch === 13) throw new Unsupported();
      if (ch === 35) {
        (this.pending ??= []).push(text.slice(k + 1, le));
        if (this.pendingStart < 0) this.pendingStart = ls;
        this.i = le + 1;
        continue;
      }
      this.indent = k - ls;
      return true;
    }
    return false;
  }

  /** True when the content line at `i` is a sequence entry (`- ` or a lone `-`). */
  public atDash(): boolean {
    const k = this.i + this.indent;
    if (this.text.charCodeAt(k) !== 45) return false;
    const next = this.text.charCodeAt(k + 1);
    return k + 1 >= this.end || next === 32 || next === 10;
  }

  /** Reads the whole range as one document: a block mapping or sequence at column 0 (null when empty). */
  public readDocument(): unknown {
    if (!this.nextContentLine()) return null;
    if (this.indent !== 0) throw new Unsupported();
    let value: unknown;
    if (this.atDash()) {
      value = this.sequence(0, '', 1);
    } else {
      if (this.keyColon(this.i, this.lineEnd(this.i)) < 0) throw new Unsupported();
      value = this.mapping(0, this.i, '', 1);
    }
    if (this.nextContentLine()) throw new Unsupported();
    return value;
  }

  /** Reads one sequence entry whose dash is at column `n` of the line at `i`. */
  public seqEntry(n: number, path: string, depth: number): unknown {
    if (depth > MAX_NESTING) throw new NestingTooDeep(this.i);
    const text = this.text;
    const ls = this.i;
    const le = this.lineEnd(ls);
    let j = ls + n + 1;
    while (j < le && text.charCodeAt(j) === 32) j++;
    if (j >= le || text.charCodeAt(j) === 35) {
      if (j < le) this.comment(path, text.slice(j + 1, le));
      this.i = le + 1;
      return this.blockValue(n, path, depth, false);
    }
    const c = text.charCodeAt(j);
    if (c === 45 && (j + 1 >= le || text.charCodeAt(j + 1) === 32)) throw new Unsupported();
    if (this.keyColon(j, le) >= 0) return this.mapping(j - ls, j, path, depth + 1);
    const value = this.inlineScalar(j, n, path);
    this.afterScalar(n);
    return value;
  }

  /** The value of an entry whose line ended after its indicator: on the next lines, or null. */
  private blockValue(parentIndent: number, path: string, depth: number, seqAtSameIndent: boolean): unknown {
    if (!this.nextContentLine()) return null;
    const m = this.indent;
    if (m > parentIndent || (m === parentIndent && seqAtSameIndent && this.atDash())) {
      if (this.atDash()) return this.sequence(m, path, depth + 1);
      const k = this.i + m;
      if (this.keyColon(k, this.lineEnd(k)) < 0) throw new Unsupported();
      return this.mapping(m, k, path, depth + 1);
    }
    return null;
  }

  private sequence(n: number, path: string, depth: number): unknown[] {
    if (depth > MAX_NESTING) throw new NestingTooDeep(this.i);
    const items: unknown[] = [];
    for (;;) {
      const itemPath = path + SEP + items.length;
      this.give(itemPath);
      items.push(this.seqEntry(n, itemPath, depth));
      if (!this.nextContentLine() || this.indent < n) return items;
      if (this.indent > n) throw new Unsupported();
      if (!this.atDash()) return items;
    }
  }

  /** A block mapping at column `n` whose first key starts at `k` (on the current line). */
  private mapping(n: number, k: number, path: string, depth: number): Record<string, unknown> {
    if (depth > MAX_NESTING) throw new NestingTooDeep(this.i);
    const text = this.text;
    const map: Record<string, unknown> = {};
    for (;;) {
      const le = this.lineEnd(k);
      const colon = this.keyColon(k, le);
      if (colon < 0) throw new Unsupported();
      const key = this.keyAt(k, colon);
      if (key === '__proto__' || key.length > 1024 || Object.prototype.hasOwnProperty.call(map, key)) throw new Unsupported();
      const keyPath = path + SEP + key;
      this.give(keyPath);
      let j = colon + 1;
      while (j < le && text.charCodeAt(j) === 32) j++;
      if (j >= le || text.charCodeAt(j) === 35) {
        if (j < le) {
          if (j === colon + 1) throw new Unsupported();
          this.comment(keyPath, text.slice(j + 1, le));
        }
        this.i = le + 1;
        map[key] = this.blockValue(n, keyPath, depth, true);
        if (this.i >= this.end) return map;
        // blockValue stopped on a content line (or the end) already.
        if (this.indent < n) return map;
      } else {
        map[key] = this.inlineScalar(j, n, keyPath);
        if (!this.nextContentLine() || this.indent < n) return map;
      }
      if (this.indent > n || this.atDash()) throw new Unsupported();
      k = this.i + n;
    }
  }

  /** After a scalar at column > n: the next content line must not be deeper (no multi-line scalars). */
  private afterScalar(n: number): void {
    if (this.nextContentLine() && this.indent > n) throw new Unsupported();
  }

  /** The `:` ending an implicit key that starts at `k`, or -1 when the line holds no key. */
  private keyColon(k: number, le: number): number {
    const text = this.text;
    const c = text.charCodeAt(k);
    let from = k;
    if (c === 34 || c === 39) {
      const close = this.quoteEnd(k, le);
      let j = close + 1;
      while (j < le && text.charCodeAt(j) === 32) j++;
      if (text.charCodeAt(j) !== 58) return -1;
      const next = text.charCodeAt(j + 1);
      return j + 1 >= le || next === 32 ? j : -1;
    }
    for (;;) {
      const colon = indexInLine(text, 58, from, le);
      if (colon < 0) return -1;
      if (colon + 1 >= le || text.charCodeAt(colon + 1) === 32) {
        return commentStart(text, k, colon) < colon ? -1 : colon;
      }
      from = colon + 1;
    }
  }

  /** The key text between `k` and its colon. */
  private keyAt(k: number, colon: number): string {
    const text = this.text;
    const c = text.charCodeAt(k);
    if (c === 34 || c === 39) {
      const key = this.quoted(k, this.quoteEnd(k, colon));
      if (/^(?:0|[1-9][0-9]*)$/.test(key)) throw new Unsupported();
      return key;
    }
    const raw = plainText(text, k, colon);
    if (raw === '' || isIndicator(c) || ((c === 45 || c === 63 || c === 58) && text.charCodeAt(k + 1) === 32)) throw new Unsupported();
    if (typeof resolvePlain(raw) !== 'string') throw new Unsupported();
    // JavaScript puts integer-like keys first in an object: their order would not survive.
    if (c >= 48 && c <= 57 && /^(?:0|[1-9][0-9]*)$/.test(raw)) throw new Unsupported();
    return raw;
  }

  /** Index of the quote closing the one-line quoted scalar opened at `k`. */
  private quoteEnd(k: number, le: number): number {
    const text = this.text;
    const quote = text.charCodeAt(k);
    let from = k + 1;
    for (;;) {
      const q = indexInLine(text, quote, from, le);
      if (q < 0) throw new Unsupported();
      if (quote === 39) {
        if (text.charCodeAt(q + 1) === 39) {
          from = q + 2;
          continue;
        }
        return q;
      }
      let backslashes = 0;
      while (text.charCodeAt(q - 1 - backslashes) === 92) backslashes++;
      if (backslashes % 2 === 0) return q;
      from = q + 1;
    }
  }

  private quoted(k: number, close: number): string {
    const body = this.text.slice(k + 1, close);
    if (this.text.charCodeAt(k) === 39) return body.includes("'") ? body.replace(/''/g, "'") : body;
    if (!body.includes('\\')) return body;
    // JSON's escapes are a subset of YAML's; anything else is left to the yaml package.
    try {
      return JSON.parse(`"${body}"`);
    } catch {
      throw new Unsupported();
    }
  }

  /** A scalar starting at `j` on the current line (a literal block goes on over the next lines). */
  private inlineScalar(j: number, parentIndent: number, path: string): unknown {
    const text = this.text;
    const le = this.lineEnd(j);
    const c = text.charCodeAt(j);
    let value: unknown;
    let rest: number;
    if (c === 34 || c === 39) {
      const close = this.quoteEnd(j, le);
      value = this.quoted(j, close);
      rest = close + 1;
    } else if (c === 124) {
      const header = /^([-+]?) *(?:#(.*))?$/.exec(text.slice(j + 1, le));
      if (!header) throw new Unsupported();
      if (header[2] !== undefined) {
        if (text.charCodeAt(le - header[2].length - 2) !== 32) throw new Unsupported();
        this.comment(path, header[2]);
      }
      this.i = le + 1;
      return this.literal(parentIndent, header[1]);
    } else if (c === 91 || c === 123) {
      const close = text.charCodeAt(j + 1);
      if (close !== (c === 91 ? 93 : 125)) throw new Unsupported();
      value = c === 91 ? [] : {};
      rest = j + 2;
    } else {
      if (isIndicator(c) || ((c === 45 || c === 63 || c === 58) && (j + 1 >= le || text.charCodeAt(j + 1) === 32))) throw new Unsupported();
      const h = commentStart(text, j, le);
      const raw = plainText(text, j, h);
      if (raw.includes(': ') || raw.endsWith(':') || raw.includes('\t')) throw new Unsupported();
      if (h < le) this.comment(path, text.slice(h + 2, le));
      this.i = le + 1;
      return resolvePlain(raw);
    }
    while (rest < le && text.charCodeAt(rest) === 32) rest++;
    if (rest < le) {
      if (text.charCodeAt(rest) !== 35 || text.charCodeAt(rest - 1) !== 32) throw new Unsupported();
      this.comment(path, text.slice(rest + 1, le));
    }
    this.i = le + 1;
    return value;
  }

  /** A literal block's content, the lines indented deeper than `parentIndent`. */
  private literal(parentIndent: number, chomping: string): string {
    const text = this.text;
    let contentIndent = -1;
    let longestLeadingBlank = 0;
    const lines: string[] = [];
    while (this.i < this.end) {
      const ls = this.i;
      const le = this.lineEnd(ls);
      let k = ls;
      while (k < le && text.charCodeAt(k) === 32) k++;
      if (k >= le) {
        // An empty or spaces-only line belongs to the block; spaces past the indentation are content.
        if (contentIndent < 0) longestLeadingBlank = Math.max(longestLeadingBlank, le - ls);
        lines.push(contentIndent >= 0 && le - ls > contentIndent ? text.slice(ls + contentIndent, le) : '');
        this.i = le + 1;
        continue;
      }
      if (contentIndent < 0) {
        if (k - ls <= parentIndent || longestLeadingBlank > k - ls) throw new Unsupported();
        contentIndent = k - ls;
      } else if (k - ls < contentIndent) {
        break;
      }
      if (text.charCodeAt(le - 1) === 13) throw new Unsupported();
      lines.push(text.slice(ls + contentIndent, le));
      this.i = le + 1;
    }
    if (contentIndent < 0) throw new Unsupported();
    let last = lines.length;
    while (last > 0 && lines[last - 1] === '') last--;
    const body = lines.slice(0, last).join('\n');
    // Not yet on a content line: leave the reader where the next one is found.
    if (chomping === '-') return body;
    if (chomping === '+') return body + '\n'.repeat(1 + lines.length - last);
    return body + '\n';
  }

  /** Gives the waiting full-line comments to the entry at `path`. */
  public give(path: string): void {
    if (!this.pending) return;
    const comments = (this.comments ??= new ItemComments());
    const before = comments.before.get(path);
    comments.before.set(path, before ? [...before, ...this.pending] : this.pending);
    this.pending = undefined;
    this.pendingStart = -1;
  }

  private comment(path: string, text: string): void {
    (this.comments ??= new ItemComments()).trailing.set(path, text);
  }
}

/**
 * True when `text` is a stream of documents (separated by `---` lines) that this reader reads
 * whole, so it is valid YAML; false when it leaves some of it to the yaml package (which then
 * decides). A quick check for the many files a synthesis writes.
 */
export function readsAsBlockYaml(text: string): boolean {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) return false;
  let start = 0;
  for (;;) {
    let end = text.length;
    let next = -1;
    for (let i = start; i < text.length;) {
      const nl = text.indexOf('\n', i);
      const le = nl < 0 ? text.length : nl;
      if (text.startsWith('---', i) || text.startsWith('...', i)) {
        if (le !== i + 3 || text.charCodeAt(i) === 46) return false;
        end = i;
        next = le + 1;
        break;
      }
      i = le + 1;
    }
    try {
      new BlockReader(text, start, end).readDocument();
    } catch (err) {
      if (err instanceof Unsupported || err instanceof NestingTooDeep) return false;
      throw err;
    }
    if (next < 0 || next >= text.length) return true;
    start = next;
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

const INDENTS: string[] = [''];

function indentOf(column: number): string {
  while (INDENTS.length <= column) INDENTS.push(INDENTS[INDENTS.length - 1] + ' ');
  return INDENTS[column];
}

/**
 * Writes one item of a block sequence, its dash at `column`, in the layout of
 * `toYamlDocuments` (keys in the object's order), with its comments back where they were.
 * An item's own comments go after the dash (`- # c`), where kpt writes them.
 */
export function writeItem(value: unknown, column: number, comments: ItemComments | undefined, out: string[]): void {
  const c = comments && (comments.before.size || comments.trailing.size) ? comments : undefined;
  const indent = indentOf(column);
  const head = c ? [...(c.before.get('') ?? []), ...(c.trailing.has('') ? [c.trailing.get('')!] : [])] : [];
  if (head.length === 0) {
    out.push(indent, '-');
    writeAfter(value, column, true, '', c, out);
    return;
  }
  out.push(indent, '- #', head[0], '\n');
  const inner = indentOf(column + 2);
  for (const line of head.slice(1)) out.push(inner, '#', line, '\n');
  if (isMap(value) && Object.keys(value).length > 0) writeMap(value, column + 2, false, '', c, out);
  else if (Array.isArray(value) && value.length > 0) writeSeq(value, column + 2, false, '', c, out);
  else out.push(inner, scalarOrEmpty(value, column + 2), '\n');
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarOrEmpty(value: unknown, blockColumn: number): string {
  if (Array.isArray(value)) return '[]';
  if (isMap(value)) return '{}';
  const text = yamlScalarText(value, indentOf(blockColumn));
  if (text === undefined) throw new Error(`cannot write ${typeof value} as YAML`);
  return text;
}

function writeBefore(path: string, column: number, c: ItemComments | undefined, out: string[]): void {
  const lines = c?.before.get(path);
  if (!lines) return;
  const indent = indentOf(column);
  for (const line of lines) out.push(indent, '#', line, '\n');
}

/** Entries at `column`; with `continuesLine` the first follows a `- ` already written. */
function writeMap(
  map: Record<string, unknown>,
  column: number,
  continuesLine: boolean,
  path: string,
  c: ItemComments | undefined,
  out: string[],
): void {
  const indent = indentOf(column);
  let first = true;
  for (const key in map) {
    // As in JSON: a field set to undefined is no field.
    if (map[key] === undefined) continue;
    const keyPath = c ? path + SEP + key : '';
    // A comment above the first key of a `- key:` line cannot be written there: it goes above the dash's line instead.
    if (c && !(first && continuesLine)) writeBefore(keyPath, column, c, out);
    if (!(first && continuesLine)) out.push(indent);
    out.push(yamlKeyText(key), ':');
    writeAfter(map[key], column, false, keyPath, c, out);
    first = false;
  }
}

function writeSeq(items: readonly unknown[], column: number, continuesLine: boolean, path: string, c: ItemComments | undefined, out: string[]): void {
  const indent = indentOf(column);
  for (let i = 0; i < items.length; i++) {
    const itemPath = c ? path + SEP + i : '';
    if (c && !(i === 0 && continuesLine)) writeBefore(itemPath, column, c, out);
    if (i > 0 || !continuesLine) out.push(indent);
    out.push('-');
    writeAfter(items[i] === undefined ? null : items[i], column, true, itemPath, c, out);
  }
}

/** What follows `key:` or `-` at `column`. */
function writeAfter(value: unknown, column: number, inSequence: boolean, path: string, c: ItemComments | undefined, out: string[]): void {
  const comment = c?.trailing.get(path);
  const nested = Array.isArray(value) ? value.length > 0 : isMap(value) && !isEmpty(value);
  if (!nested) {
    out.push(' ', scalarOrEmpty(value, column + 2));
    if (comment !== undefined) {
      // After a literal block's header, not after its last line.
      const text = out[out.length - 1];
      if (text.charCodeAt(0) === 124) {
        const nl = text.indexOf('\n');
        out[out.length - 1] = `${text.slice(0, nl)} #${comment}${text.slice(nl)}`;
      } else {
        out.push(' #', comment);
      }
    }
    out.push('\n');
    return;
  }
  const compact = inSequence && comment === undefined && !(c && firstChildHasBefore(value, path, c));
  if (comment !== undefined) out.push(' #', comment);
  out.push(compact ? ' ' : '\n');
  if (Array.isArray(value)) writeSeq(value, column + 2, compact, path, c, out);
  else writeMap(value as Record<string, unknown>, column + 2, compact, path, c, out);
}

function isEmpty(map: Record<string, unknown>): boolean {
  for (const _ in map) return false;
  return true;
}

function firstChildHasBefore(value: unknown, path: string, c: ItemComments): boolean {
  if (Array.isArray(value)) return c.before.has(path + SEP + 0);
  for (const key in value as Record<string, unknown>) return c.before.has(path + SEP + key);
  return false;
}
