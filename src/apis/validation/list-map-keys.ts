import { isPlainObject } from './field-path';

/** Two items of a list that share the values of its list-map keys. */
export interface ListMapKeyDuplicate {
  readonly keys: string[];
  readonly first: number;
  readonly duplicate: number;
  readonly message: string;
}

/**
 * `x-kubernetes-list-type: map`: the first item that has the same values of the list-map keys as
 * an earlier one, or undefined when every item is unique by them. Called from compiled and
 * precompiled (standalone) validators alike.
 */
export function firstDuplicateByListMapKeys(keys: string[], items: unknown[]): ListMapKeyDuplicate | undefined {
  const seen = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isPlainObject(item)) continue;
    const identity = JSON.stringify(keys.map(k => item[k]));
    const first = seen.get(identity);
    if (first !== undefined) {
      return { keys, first, duplicate: i, message: `items ${first} and ${i} have the same ${keys.join(', ')}; each item must be unique by ${keys.join(', ')}` };
    }
    seen.set(identity, i);
  }
  return undefined;
}
