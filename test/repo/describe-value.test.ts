import { describeValue } from '../../src/repo/describe-value';

describe('describeValue: one wording for a bad value in every message', () => {
  test.each([
    [undefined, 'undefined'],
    [null, 'null'],
    ['two', '"two"'],
    [-1, '-1'],
    [true, 'true'],
    [{}, '{}'],
    [[1, 2], '[1,2]'],
    [{ cpu: 'two' }, '{"cpu":"two"}'],
    [new Date(0), 'a Date'],
    [Object.assign(Object.create(null), { a: 1 }), '{"a":1}'],
  ])('%p is shown as %s', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });

  test('functions, long lists, long maps and long strings are summarized', () => {
    expect(describeValue(function build() { return 1; })).toBe('a function (build)');
    expect(describeValue(Array.from({ length: 50 }, (_, i) => i))).toBe('a list of 50 items');
    const wide = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`key${i}`, 'x'.repeat(10)]));
    expect(describeValue(wide)).toBe('a map with keys key0, key1, key2, key3, ... (12 keys)');
    expect(describeValue('y'.repeat(200))).toBe(`"${'y'.repeat(76)}...`);
  });

  test('a cycle does not throw', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).toBe('[object Object]');
  });
});
