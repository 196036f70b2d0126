import { Document, isMap, isScalar, isSeq, Scalar, visit } from 'yaml';
import { isJsonObject } from './json-object';

// Writing plain-object changes back into a YAML document, so comments and quoting survive.

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
