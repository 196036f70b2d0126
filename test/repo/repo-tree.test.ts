import { checkRepoPath, renderOwnershipManifest, parseOwnershipManifest, RepoTree } from '../../src/repo';

describe('RepoTree', () => {
  test('iterates in sorted path order whatever the insertion order', () => {
    const tree = new RepoTree();
    tree.addFile('z/a.yaml', 'z');
    tree.addFile('a/z.yaml', 'a');
    tree.addFile('a/b.yaml', 'b');
    expect(tree.paths()).toEqual(['a/b.yaml', 'a/z.yaml', 'z/a.yaml']);
  });

  test.each([
    ['/etc/passwd', /absolute/],
    ['../outside.yaml', /stay inside/],
    ['a/../../b', /stay inside/],
    ['.git/config', /\.git/],
    ['', /non-empty/],
  ])('rejects the path %p', (p, message) => {
    expect(() => new RepoTree().addFile(p, 'x')).toThrow(message);
    expect('error' in checkRepoPath(p)).toBe(true);
  });

  test('rejects two files at one path', () => {
    const tree = new RepoTree();
    tree.addFile('a.yaml', '1');
    expect(() => tree.addFile('./a.yaml', '2')).toThrow(/two files at one path: "a.yaml"/);
  });

  test('finds a file that another file needs as a folder', () => {
    const tree = RepoTree.fromRecord({ 'a': '1', 'a/b.yaml': '2' });
    expect(tree.findPathConflicts()).toEqual(['"a" is a file but "a/b.yaml" needs it to be a folder']);
  });

  test('equals compares bytes', () => {
    expect(RepoTree.fromRecord({ a: '1' }).equals(RepoTree.fromRecord({ a: '1' }))).toBe(true);
    expect(RepoTree.fromRecord({ a: '1' }).equals(RepoTree.fromRecord({ a: '2' }))).toBe(false);
  });

  test('ownership manifest round-trips and is sorted', () => {
    const text = renderOwnershipManifest(['b', 'a', 'a']);
    expect(parseOwnershipManifest(text)).toEqual(['a', 'b']);
  });
});
