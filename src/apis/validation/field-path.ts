import { describeValue } from '../../repo/describe-value';

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** Appends one key to a field path: `spec` + `git` -> `spec.git`; keys with dots or slashes are quoted. */
export function appendKey(path: string, key: string): string {
  if (PLAIN_KEY.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

export function appendIndex(path: string, index: number | string): string {
  return `${path}[${index}]`;
}

/**
 * Turns a JSON pointer (`/spec/targets/0/repo`, as ajv reports it) into a field path
 * (`spec.targets[0].repo`). Walks the data alongside, so an array index is told apart from a map
 * key that happens to be a number. Returns the path and the value found there.
 */
export function resolvePointer(root: unknown, pointer: string): { path: string; value: unknown } {
  let path = '';
  let value: unknown = root;
  if (pointer === '') return { path, value };
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      path = appendIndex(path, segment);
      value = value[Number(segment)];
    } else {
      path = appendKey(path, segment);
      value = isPlainObject(value) ? value[segment] : undefined;
    }
  }
  return { path, value };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export { describeValue };

/** The JSON type name of a value, in the words JSON Schema uses. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
