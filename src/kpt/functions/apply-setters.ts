import { Document, isMap, isScalar, isSeq, Node, Pair, parseDocument, Scalar, YAMLSeq } from 'yaml';
import {
  ConfigSource, configData, configFromDocument, fileOf, FunctionResult, isJsonObject, KrmFunctionError,
  PlainKrmFunction, PlainRunOutput, scalarText,
} from './krm-function';

/**
 * apply-setters as on the catalog's master branch (same code as the v0.2.x releases).
 *
 * A field is a setter when its line comment starts with `# kpt-set: `; the rest is a pattern
 * such as `${image}:${tag}`. Every item is walked, local-config ones and the Kptfile included,
 * and the setters come from the functionConfig's `data` whatever its kind.
 */
const NAME = 'apply-setters';
const IMAGE = 'gcr.io/kpt-fn/apply-setters:v0.2.0';

const MARKER = '# kpt-set: ';
const SETTER_REFERENCE = /\$\{([^}]*)\}/g;
const NO_MATCHES: FunctionResult = { message: 'no matches for input setter(s)', severity: 'info' };

interface Setter { readonly name: string; readonly value: string }

export const applySetters: PlainKrmFunction = {
  name: NAME,
  image: IMAGE,
  run(items: Document[], functionConfig: Document | undefined) {
    const setters = readSetters(functionConfig ? configFromDocument(functionConfig) : undefined);
    const applier = new SetterApplier(setters);
    const output = items.map(doc => {
      const copy = doc.clone();
      const data: unknown = doc.toJS();
      applier.walkDocument(copy, isJsonObject(data) ? fileOf(data).path : '');
      return copy;
    });
    return { items: output, results: applier.results.length ? applier.results : [NO_MATCHES] };
  },
  runPlain(objects, functionConfig): PlainRunOutput {
    readSetters(functionConfig);
    // Setters are marked by YAML comments; plain objects carry none, so no field can match.
    return { objects: [...objects], results: [NO_MATCHES] };
  },
};

function readSetters(config: ConfigSource | undefined): Setter[] {
  if (!config) return [];
  const raw = isJsonObject(config.object.data) ? config.object.data : {};
  // The catalog reads the config with kyaml's GetDataMap, where a null value (`ns: ~`) is "".
  return Object.entries(configData(config) ?? {}).map(([name, value]) => ({ name, value: raw[name] === null ? '' : value }));
}

class SetterApplier {
  public readonly results: FunctionResult[] = [];
  private file = '';

  constructor(private readonly setters: readonly Setter[]) {}

  public walkDocument(doc: Document, file: string): void {
    this.file = file;
    if (doc.contents) this.walk(doc.contents as Node, '');
  }

  private walk(node: Node, path: string): void {
    if (isMap(node)) {
      this.visitMapping(node.items as Array<Pair<unknown, unknown>>, path);
      for (const pair of node.items) {
        if (pair.value) this.walk(pair.value as Node, `${path}.${keyText(pair.key)}`);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => this.walk(item as Node, `${path}[${i}]`));
    } else if (isScalar(node)) {
      this.visitScalar(node, path);
    }
  }

  /** Array setters: `key: # kpt-set: ${name}` above a block list, or `key: [a, b] # kpt-set: ${name}`. */
  private visitMapping(pairs: Array<Pair<unknown, unknown>>, path: string): void {
    for (const pair of pairs) {
      const list = pair.value;
      if (!isSeq(list) || !pair.key) continue;
      const marker = arrayMarker(pair, list);
      const pattern = setterPattern(marker?.comment);
      if (!marker || !pattern || !this.mentionsAnySetter(pattern)) continue;
      const references = pattern.match(SETTER_REFERENCE) ?? [];
      if (references.length !== 1 || !pattern.startsWith('${') || !pattern.endsWith('}')) {
        throw new KrmFunctionError(`failed to apply setters: invalid setter pattern for array node: ${JSON.stringify(pattern)}`);
      }
      const name = pattern.slice(2, -1).trim();
      const value = this.setters.find(s => s.name === name)?.value ?? '';
      const field = `${path}.${keyText(pair.key)}`.replace(/^\./, '');
      marker.remove();
      const key = pair.key as Scalar;
      if (value === '') {
        // An empty list is written in flow style, with the marker after it.
        list.items = [];
        list.flow = true;
        list.comment = marker.comment;
        key.comment = undefined;
      } else {
        list.items = parseList(value).items;
        list.flow = false;
        list.comment = undefined;
        key.comment = marker.comment;
      }
      this.results.push({ message: `set field value to ${JSON.stringify(value)}`, severity: 'info', field, ...this.fileRef() });
    }
  }

  private visitScalar(node: Scalar, path: string): void {
    const original = setterPattern(firstLine(node.comment));
    if (!original || !this.mentionsAnySetter(original)) return;
    let value = original;
    for (const setter of this.setters) value = value.split(`\${${setter.name}}`).join(setter.value);
    const derived = deriveSetterValues(original, scalarText(node));
    for (const [name, derivedValue] of derived) value = value.split(`\${${name}}`).join(derivedValue);
    const unresolved = value.match(SETTER_REFERENCE);
    if (unresolved) {
      throw new KrmFunctionError(`failed to apply setters: values for setters [${unresolved.join(' ')}] must be provided`);
    }
    writeScalar(node, value);
    this.results.push({ message: `set field value to ${JSON.stringify(value)}`, severity: 'info', field: path.replace(/^\./, ''), ...this.fileRef() });
  }

  private mentionsAnySetter(pattern: string): boolean {
    return this.setters.some(s => pattern.includes(`\${${s.name}}`));
  }

  private fileRef(): Pick<FunctionResult, 'file'> {
    return this.file ? { file: { path: this.file } } : {};
  }
}

function keyText(key: unknown): string {
  return isScalar(key) ? scalarText(key) : String(key);
}

function firstLine(comment: string | null | undefined): string | undefined {
  return comment?.split('\n')[0];
}

/** The pattern after `# kpt-set: `, or undefined when the comment is not a setter marker. */
function setterPattern(comment: string | undefined): string | undefined {
  if (comment === undefined) return undefined;
  const text = `#${comment}`;
  if (!text.startsWith(MARKER)) return undefined;
  return text.slice(MARKER.length).trim() || undefined;
}

/**
 * Where an array setter's marker sits. A flow list carries it after the value; a block list
 * carries it on the key (documents read with parseYamlItems), or, for documents parsed
 * otherwise, as the first comment line above the list.
 */
function arrayMarker(pair: Pair<unknown, unknown>, list: YAMLSeq): { comment: string; remove: () => void } | undefined {
  if (list.flow) {
    const comment = firstLine(list.comment);
    return comment === undefined ? undefined : { comment, remove: () => { list.comment = undefined; } };
  }
  const key = pair.key;
  if (isScalar(key) && key.comment) {
    const comment = firstLine(key.comment)!;
    return { comment, remove: () => { key.comment = undefined; } };
  }
  if (list.commentBefore) {
    const [comment, ...rest] = list.commentBefore.split('\n');
    return { comment, remove: () => { list.commentBefore = rest.length ? rest.join('\n') : undefined; } };
  }
  return undefined;
}

/** An array setter's value must be a YAML list, e.g. `[a, b]` or `- a`. */
function parseList(value: string): YAMLSeq {
  const doc = parseDocument(value);
  if (doc.errors.length === 0 && isSeq(doc.contents)) return doc.contents;
  throw new KrmFunctionError(`failed to apply setters: input to array setter must be an array of values, but found ${JSON.stringify(value)}`);
}

/**
 * Values of the setters in `pattern`, read back from the current field value: each `${x}`
 * becomes a `(.*)` group and the rest must match literally. All groups must be non-empty.
 */
function deriveSetterValues(pattern: string, current: string): Map<string, string> {
  const names = [...pattern.matchAll(SETTER_REFERENCE)].map(m => m[1].trim());
  const literal = pattern.split(SETTER_REFERENCE).filter((_, i) => i % 2 === 0);
  const regex = new RegExp(literal.map(escapeRegExp).join('(.*)'));
  const match = regex.exec(current);
  const values = new Map<string, string>();
  if (!match || match.length - 1 !== names.length || match.slice(1).some(v => v === '')) return values;
  names.forEach((name, i) => values.set(name, match[i + 1]));
  return values;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Writes the substituted text. Like upstream, the node's tag is cleared so a plain value is
 * read again by YAML (`3` becomes an integer, `true` a boolean); a quoted value stays a string,
 * and an empty one is written as "".
 */
function writeScalar(node: Scalar, text: string): void {
  node.tag = undefined;
  node.source = text;
  node.minFractionDigits = undefined;
  node.format = undefined;
  if (text === '') {
    node.value = '';
    node.type = 'QUOTE_DOUBLE';
    return;
  }
  if (node.type !== undefined && node.type !== 'PLAIN') {
    node.value = text;
    return;
  }
  const retyped = resolvePlainScalar(text);
  node.value = retyped ? retyped.value : text;
  node.minFractionDigits = retyped?.minFractionDigits;
  node.format = retyped?.format;
}

/** How YAML reads `text` as a plain scalar; undefined when it would not be one scalar. */
function resolvePlainScalar(text: string): Scalar | undefined {
  const doc = parseDocument(text);
  const node = doc.contents;
  if (doc.errors.length || doc.warnings.length || !isScalar(node) || node.type !== 'PLAIN') return undefined;
  if (node.comment || node.commentBefore || node.source !== text) return undefined;
  return node;
}
