/**
 * Code-unit order of two strings: the same on every machine and locale (`localeCompare` is not),
 * so that every sorted list synth writes is byte-identical wherever it runs.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
