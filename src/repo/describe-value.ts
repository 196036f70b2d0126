/** Longest rendering of a value in a message before it is summarized. */
const MAX_LENGTH = 80;

/**
 * A value as a message shows it ("must be X; got <value>"): its JSON when short, a summary when
 * long (a list's length, a map's first keys), the class of an instance, `undefined` when absent.
 * One wording for every layer, so that a bad value reads the same wherever it is reported.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (typeof value === 'bigint' || typeof value === 'symbol') return String(value);
  if (value !== null && typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value);
    const plain = prototype === null || prototype === Object.prototype || Array.isArray(value);
    if (!plain) return `a ${(value as object).constructor?.name || 'object'}`;
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value); // a cycle
  }
  if (text.length <= MAX_LENGTH) return text;
  if (Array.isArray(value)) return `a list of ${value.length} items`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    return `a map with keys ${keys.slice(0, 4).join(', ')}${keys.length > 4 ? `, ... (${keys.length} keys)` : ''}`;
  }
  return `${text.slice(0, MAX_LENGTH - 3)}...`;
}
