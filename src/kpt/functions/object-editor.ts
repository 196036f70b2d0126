import { isJsonObject, JsonObject } from './json-object';
import { describeValue } from '../../repo/describe-value';

// Copy-on-write editing of plain objects: a function changes only the paths it edits, and every
// untouched sub-object stays the input's own (so unchanged items can go back as they came).

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
