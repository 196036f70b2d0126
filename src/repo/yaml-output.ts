import { stringify } from 'yaml';

/**
 * Serializes Kubernetes objects as YAML documents joined with `---`. Key order is the object's own:
 * the caller makes it deterministic.
 *
 * Plain JSON data (what `ApiObject.toJson()` returns) is written directly in one pass, in the layout
 * the `yaml` package uses (2-space indent, sequences indented under their key, literal blocks for
 * multi-line text). A scalar is left unquoted only when it is a string under both YAML 1.1 (the Go
 * parsers of kubectl, kpt and ConfigSync) and YAML 1.2. Anything else (class instances, `undefined`,
 * bigint) goes through the `yaml` package.
 */
export function toYamlDocuments(objects: readonly unknown[]): string {
  return objects.map(toYamlDocument).join('---\n');
}

function toYamlDocument(value: unknown): string {
  try {
    return emitDocument(value);
  } catch (error) {
    if (error instanceof UnsupportedValue) return stringify(value, FALLBACK_OPTIONS);
    throw error;
  }
}

/** `compat: 'core'` makes the `yaml` package also quote strings that YAML 1.2 would read as non-strings. */
const FALLBACK_OPTIONS = { version: '1.1', compat: 'core', lineWidth: 0, aliasDuplicateObjects: false } as const;

/** Thrown where the direct emitter leaves a document to the `yaml` package. */
class UnsupportedValue extends Error {}

const INDENT_STEP = '  ';

/** Indentation strings by depth, built once: the emitter never concatenates them. */
const INDENTS: string[] = [''];

function indentAt(depth: number): string {
  while (INDENTS.length <= depth) INDENTS.push(INDENTS[INDENTS.length - 1] + INDENT_STEP);
  return INDENTS[depth];
}

/** Go YAML parsers reject implicit keys longer than 1024 characters: longer ones become explicit `? key` entries. */
const MAX_IMPLICIT_KEY_LENGTH = 1024;

/** Output pieces, joined once per document (cheaper than growing one string piece by piece). */
type Parts = string[];

function emitDocument(value: unknown): string {
  const out: Parts = [];
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]\n';
    writeSequence(value, 0, false, out);
    return out.join('');
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return '{}\n';
    writeMapping(value, keys, 0, false, out);
    return out.join('');
  }
  // Quoted rather than a literal block, whose lines would start at column 0 where `---` ends the document.
  if (typeof value === 'string') return (isPlainSafe(value) ? value : quoted(value)) + '\n';
  return nonStringScalar(value) + '\n';
}

/**
 * Writes mapping entries at `depth`. With `continuesLine` the first key follows a `- ` already
 * written on the current line (the compact form of a mapping inside a sequence).
 */
function writeMapping(map: Record<string, unknown>, keys: readonly string[], depth: number, continuesLine: boolean, out: Parts): void {
  const indent = indentAt(depth);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const text = keyText(key);
    if (i > 0 || !continuesLine) out.push(indent);
    if (text.length <= MAX_IMPLICIT_KEY_LENGTH) {
      out.push(text, ':');
      writeAfterIndicator(map[key], depth, false, out);
    } else {
      out.push('? ', text, '\n', indent, ':');
      writeAfterIndicator(map[key], depth, true, out);
    }
  }
}

/** Kubernetes objects repeat a small set of keys: their text is worked out once (memory stays bounded). */
const KEY_TEXTS = new Map<string, string>();
const MAX_CACHED_KEYS = 10_000;
const MAX_CACHED_KEY_LENGTH = 128;

function keyText(key: string): string {
  let text = KEY_TEXTS.get(key);
  if (text === undefined) {
    text = isPlainSafe(key) ? key : quoted(key);
    if (KEY_TEXTS.size < MAX_CACHED_KEYS && key.length <= MAX_CACHED_KEY_LENGTH) KEY_TEXTS.set(key, text);
  }
  return text;
}

/** Writes sequence items at `depth`; `continuesLine` as for {@link writeMapping}. */
function writeSequence(items: readonly unknown[], depth: number, continuesLine: boolean, out: Parts): void {
  const indent = indentAt(depth);
  for (let i = 0; i < items.length; i++) {
    if (i > 0 || !continuesLine) out.push(indent);
    out.push('-');
    writeAfterIndicator(items[i], depth, true, out);
  }
}

/**
 * Writes what follows a `key:` or `-` at `depth`, through the end of the node's last line.
 * Collections in a sequence start on the item's line; in a mapping they start on the next line.
 */
function writeAfterIndicator(value: unknown, depth: number, inSequence: boolean, out: Parts): void {
  if (typeof value === 'string') {
    out.push(' ', stringNode(value, depth + 1), '\n');
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(' []\n');
    } else {
      out.push(inSequence ? ' ' : '\n');
      writeSequence(value, depth + 1, inSequence, out);
    }
  } else if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) {
      out.push(' {}\n');
    } else {
      out.push(inSequence ? ' ' : '\n');
      writeMapping(value, keys, depth + 1, inSequence, out);
    }
  } else {
    out.push(' ', nonStringScalar(value), '\n');
  }
}

/** `null`, a boolean or a number; anything else is left to the `yaml` package. */
function nonStringScalar(value: unknown): string {
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  throw new UnsupportedValue();
}

/** An object literal or `Object.create(null)`, from any realm (so not `=== Object.prototype`). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
  return Object.is(value, -0) ? '-0' : String(value);
}

/** A string value whose block-scalar content lines, if any, are at `blockDepth`. */
function stringNode(value: string, blockDepth: number): string {
  if (isPlainSafe(value)) return value;
  if (value.includes('\n') && fitsLiteralBlock(value)) return literalBlock(value, indentAt(blockDepth));
  return quoted(value);
}

/**
 * One scalar as {@link toYamlDocuments} writes it, for emitters that lay out their own documents:
 * a multi-line string becomes a literal block whose lines start with `blockIndent`. Undefined for
 * anything but a string, a number, a boolean or null.
 */
export function yamlScalarText(value: unknown, blockIndent: string): string | undefined {
  if (typeof value === 'string') {
    if (isPlainSafe(value)) return value;
    if (value.includes('\n') && fitsLiteralBlock(value)) return literalBlock(value, blockIndent);
    return quoted(value);
  }
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  return undefined;
}

/** A mapping key as {@link toYamlDocuments} writes it (plain where safe, else quoted). */
export function yamlKeyText(key: string): string {
  return keyText(key);
}

// ---------------------------------------------------------------------------------------------
// Plain scalars

/**
 * Identifier-like text, the bulk of Kubernetes strings: plain unless it is a reserved word. Excludes
 * `e3`-like starts, which the `yaml` package's YAML 1.1 schema reads as an exponent-only float.
 */
const SIMPLE_WORD = /^(?![eE][0-9])[A-Za-z][A-Za-z0-9._/-]*$/;

/** Booleans and nulls of YAML 1.1 and 1.2 in any case, the 1.1 merge key and the 1.1 value key. */
const RESERVED_WORD = /^(?:y|n|yes|no|on|off|true|false|null|~|<<|=)$/i;

/**
 * Printable characters that read the same everywhere on one line: no tab or line break (NEL, LS and
 * PS are line breaks in YAML 1.1), no C0/C1 controls, no invisible spaces or bidi controls, no BOM
 * and no lone surrogates.
 */
const PLAIN_CHARACTERS =
  /^(?:[\x20-\x7E\u00A1-\u167F\u1681-\u180D\u180F-\u1FFF\u2010-\u2027\u2030-\u205E\u2070-\u2FFF\u3001-\uD7FF\uE000-\uFEFE\uFF00-\uFFEF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

/**
 * Syntax that stops a string from being a plain scalar: a leading space or indicator (a `-` is only
 * an indicator when followed by a space, so `--flag` stays plain), a document marker, `: ` or ` #`,
 * and a trailing space or colon.
 */
const UNSAFE_PLAIN_SYNTAX = /^[\s?:,[\]{}#&*!|>'"%@`]|^-(?: |$)|^(?:---|\.\.\.)|: | #|[: ]$/;

/** Every number, infinity/NaN and timestamp form of YAML 1.1, YAML 1.2 and go-yaml starts like this. */
const NUMERIC_START = /^[-+._0-9eE]/;

/**
 * Numbers as any resolver reads them once underscores are dropped (YAML 1.1 and Go's `ParseInt`
 * accept them): decimal, 0b/0o/0x and leading-zero octal integers, floats with or without a dot or
 * exponent (the `yaml` package's YAML 1.1 schema even reads `e3` and `.e3`), `.inf`/`.nan` in any
 * case, and base-60 numbers (`1:20`, `190:20:30.15`).
 */
const NUMBER_LIKE =
  /^[-+]?(?:0[bBoOxX][0-9a-fA-F]*|(?:[0-9]+\.?[0-9]*|\.[0-9]*)(?:[eE][-+]?[0-9]*)?|\.?[eE][-+]?[0-9]+|\.(?:inf|nan)|[0-9]+(?::[0-5]?[0-9])+(?:\.[0-9]*)?)$/i;

/** Dates and date-times (YAML 1.1 timestamps; go-yaml also accepts one-digit months and days). */
const DATE_LIKE = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt \t])/;

function isPlainSafe(value: string): boolean {
  if (SIMPLE_WORD.test(value)) return !RESERVED_WORD.test(value);
  return value !== ''
    && PLAIN_CHARACTERS.test(value)
    && !UNSAFE_PLAIN_SYNTAX.test(value)
    && !RESERVED_WORD.test(value)
    && !looksLikeNumberOrDate(value);
}

function looksLikeNumberOrDate(value: string): boolean {
  if (!NUMERIC_START.test(value)) return false;
  const digits = value.includes('_') ? value.replace(/_/g, '') : value;
  return NUMBER_LIKE.test(digits) || DATE_LIKE.test(value);
}

// ---------------------------------------------------------------------------------------------
// Literal block scalars

/** Like {@link PLAIN_CHARACTERS}, plus line feeds. */
const BLOCK_CHARACTERS =
  /^(?:[\n\x20-\x7E\u00A1-\u167F\u1681-\u180D\u180F-\u1FFF\u2010-\u2027\u2030-\u205E\u2070-\u2FFF\u3001-\uD7FF\uE000-\uFEFE\uFF00-\uFFEF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

/**
 * Trailing spaces on a line are easily lost by editors and whitespace-only text is invisible in a
 * block, so those strings are quoted instead.
 */
function fitsLiteralBlock(value: string): boolean {
  return BLOCK_CHARACTERS.test(value) && !/ \n| $/.test(value) && /[^ \n]/.test(value);
}

/** A line feed that starts a non-empty line: only those lines get indented, empty lines stay empty. */
const LINE_START = /\n(?!\n)/g;

function literalBlock(value: string, indent: string): string {
  let end = value.length;
  while (value.charCodeAt(end - 1) === 10) end--;
  const trailingNewlines = value.length - end;
  const chomping = trailingNewlines === 0 ? '-' : trailingNewlines === 1 ? '' : '+';
  const body = value.slice(0, end);
  // When the first line starts with a space, the indentation cannot be detected from it: state it.
  const indentation = /^\n* /.test(body) ? INDENT_STEP.length.toString() : '';
  const lines = (body.charCodeAt(0) === 10 ? '' : indent) + body.replace(LINE_START, '\n' + indent);
  return `|${indentation}${chomping}\n${lines}${'\n'.repeat(Math.max(trailingNewlines - 1, 0))}`;
}

// ---------------------------------------------------------------------------------------------
// Quoted scalars

/** Single quotes (as the `yaml` package picks) for printable one-line text with `"` but no `'`. */
function quoted(value: string): string {
  if (value.includes('"') && !value.includes("'") && PLAIN_CHARACTERS.test(value)) return `'${value}'`;
  return doubleQuoted(value);
}

/** Characters escaped in double quotes: the quote, backslash, controls, line separators, BOM, non-characters and lone surrogates. */
const NEEDS_ESCAPE = /["\\\x00-\x1F\x7F-\x9F\u2028\u2029\uFEFF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x00: '\\0',
  0x07: '\\a',
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0b: '\\v',
  0x0c: '\\f',
  0x0d: '\\r',
  0x1b: '\\e',
  0x22: '\\"',
  0x5c: '\\\\',
};

function doubleQuoted(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return `"${value}"`;
  let out = '"';
  let copiedUpTo = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (isSurrogatePairAt(value, i)) {
      i++;
      continue;
    }
    const escape = escapeFor(code);
    if (escape === undefined) continue;
    out += value.slice(copiedUpTo, i) + escape;
    copiedUpTo = i + 1;
  }
  return out + value.slice(copiedUpTo) + '"';
}

function isSurrogatePairAt(value: string, index: number): boolean {
  const code = value.charCodeAt(index);
  if (code < 0xd800 || code > 0xdbff) return false;
  const next = value.charCodeAt(index + 1);
  return next >= 0xdc00 && next <= 0xdfff;
}

/** The escape for one UTF-16 code unit, or undefined when it is written as is. */
function escapeFor(code: number): string | undefined {
  const short = SHORT_ESCAPES[code];
  if (short !== undefined) return short;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return '\\x' + code.toString(16).padStart(2, '0');
  if (code === 0x2028 || code === 0x2029 || code === 0xfeff || code >= 0xfffe || (code >= 0xd800 && code <= 0xdfff)) {
    return '\\u' + code.toString(16).padStart(4, '0');
  }
  return undefined;
}
