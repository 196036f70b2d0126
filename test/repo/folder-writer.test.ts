import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OWNERSHIP_MANIFEST_PATH, readTreeFromFolder, recoverInterruptedWrite, RepoTree, writeTreeToFolder } from '../../src/repo';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nephoran-writer-'));
}

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, p));
    else out.push(p);
  }
  return out.sort();
}

describe('writeTreeToFolder', () => {
  test('writes the tree and its ownership manifest', () => {
    const dir = path.join(tmpDir(), 'out');
    const result = writeTreeToFolder(RepoTree.fromRecord({ 'a/b.yaml': 'x: 1\n', 'c.yaml': 'y: 2\n' }), dir);
    expect(result.unchanged).toBe(false);
    expect(listFiles(dir)).toEqual([OWNERSHIP_MANIFEST_PATH, 'a/b.yaml', 'c.yaml']);
    expect(fs.readFileSync(path.join(dir, 'a/b.yaml'), 'utf8')).toBe('x: 1\n');
    expect(readTreeFromFolder(dir).paths()).toEqual(['a/b.yaml', 'c.yaml']);
  });

  test('removes its own stale files and keeps what a person added', () => {
    const dir = path.join(tmpDir(), 'out');
    writeTreeToFolder(RepoTree.fromRecord({ 'packages/a/x.yaml': '1', 'packages/b/y.yaml': '2' }), dir);
    fs.writeFileSync(path.join(dir, 'README.md'), 'mine');
    fs.mkdirSync(path.join(dir, 'docs'));
    fs.writeFileSync(path.join(dir, 'docs/notes.md'), 'notes');
    fs.writeFileSync(path.join(dir, 'packages/b/extra.txt'), 'hand-written');

    const result = writeTreeToFolder(RepoTree.fromRecord({ 'packages/a/x.yaml': '1b' }), dir);

    expect(result.removed).toEqual(['packages/b/y.yaml']);
    expect(listFiles(dir)).toEqual([OWNERSHIP_MANIFEST_PATH, 'README.md', 'docs/notes.md', 'packages/a/x.yaml', 'packages/b/extra.txt']);
    expect(fs.readFileSync(path.join(dir, 'packages/a/x.yaml'), 'utf8')).toBe('1b');
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe('mine');
  });

  test('an unchanged tree writes nothing', () => {
    const dir = path.join(tmpDir(), 'out');
    const tree = RepoTree.fromRecord({ 'a.yaml': 'a' });
    writeTreeToFolder(tree, dir);
    const before = fs.statSync(path.join(dir, 'a.yaml')).ino;
    expect(writeTreeToFolder(tree, dir).unchanged).toBe(true);
    expect(fs.statSync(path.join(dir, 'a.yaml')).ino).toBe(before);
  });

  test('refuses to overwrite a file a person wrote, and leaves the folder as it was', () => {
    const dir = path.join(tmpDir(), 'out');
    writeTreeToFolder(RepoTree.fromRecord({ 'a.yaml': 'a' }), dir);
    fs.writeFileSync(path.join(dir, 'b.yaml'), 'hand-written');
    expect(() => writeTreeToFolder(RepoTree.fromRecord({ 'a.yaml': 'a2', 'b.yaml': 'generated' }), dir)).toThrow(/refusing to overwrite "b.yaml"/);
    expect(fs.readFileSync(path.join(dir, 'b.yaml'), 'utf8')).toBe('hand-written');
    expect(fs.readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe('a');
    expect(fs.existsSync(dir + '.nephoran-staging')).toBe(false);
  });

  test('files whose bytes are already there are kept as they are, the others written afresh', () => {
    const dir = path.join(tmpDir(), 'out');
    writeTreeToFolder(RepoTree.fromRecord({ 'p/a.yaml': 'a', 'p/b.yaml': 'b', 'q/c.yaml': 'c' }), dir);
    const inode = (file: string) => fs.statSync(path.join(dir, file)).ino;
    const before = { a: inode('p/a.yaml'), b: inode('p/b.yaml'), c: inode('q/c.yaml') };

    const result = writeTreeToFolder(RepoTree.fromRecord({ 'p/a.yaml': 'a', 'p/b.yaml': 'b2', 'q/c.yaml': 'c', 'r/d.yaml': 'd' }), dir);

    expect(result).toEqual({ written: 4, kept: 2, removed: [], unchanged: false });
    expect(inode('p/a.yaml')).toBe(before.a);
    expect(inode('q/c.yaml')).toBe(before.c);
    expect(inode('p/b.yaml')).not.toBe(before.b);
    expect(fs.readFileSync(path.join(dir, 'p/b.yaml'), 'utf8')).toBe('b2');
    expect(fs.statSync(path.join(dir, 'p/a.yaml')).nlink).toBe(1);
  });

  test('a generated file edited, replaced by a symlink or linked elsewhere is written afresh', () => {
    const root = tmpDir();
    const dir = path.join(root, 'out');
    const files = { 'edited.yaml': 'generated', 'linked.yaml': 'generated', 'symlinked.yaml': 'generated', 'other.yaml': 'x' };
    writeTreeToFolder(RepoTree.fromRecord(files), dir);
    fs.writeFileSync(path.join(dir, 'edited.yaml'), 'edited by hand');
    fs.linkSync(path.join(dir, 'linked.yaml'), path.join(root, 'outside-link.yaml'));
    fs.writeFileSync(path.join(root, 'elsewhere.yaml'), 'generated');
    fs.rmSync(path.join(dir, 'symlinked.yaml'));
    fs.symlinkSync(path.join(root, 'elsewhere.yaml'), path.join(dir, 'symlinked.yaml'));

    const result = writeTreeToFolder(RepoTree.fromRecord({ ...files, 'other.yaml': 'y' }), dir);

    expect(result.kept).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'edited.yaml'), 'utf8')).toBe('generated');
    expect(fs.lstatSync(path.join(dir, 'symlinked.yaml')).isFile()).toBe(true);
    expect(fs.statSync(path.join(dir, 'linked.yaml')).ino).not.toBe(fs.statSync(path.join(root, 'outside-link.yaml')).ino);
    expect(fs.statSync(path.join(dir, 'linked.yaml')).nlink).toBe(1);
  });

  test('a hand-edited generated file counts as a change even when nothing else changed', () => {
    const dir = path.join(tmpDir(), 'out');
    const tree = RepoTree.fromRecord({ 'a.yaml': 'a', 'b.yaml': 'b' });
    writeTreeToFolder(tree, dir);
    fs.writeFileSync(path.join(dir, 'b.yaml'), 'edited');
    expect(writeTreeToFolder(tree, dir)).toEqual({ written: 2, kept: 1, removed: [], unchanged: false });
    expect(fs.readFileSync(path.join(dir, 'b.yaml'), 'utf8')).toBe('b');
  });

  test('refuses a tree that needs a folder where a person put a file, or a file where a person keeps files', () => {
    const dir = path.join(tmpDir(), 'out');
    writeTreeToFolder(RepoTree.fromRecord({ 'a.yaml': 'a' }), dir);
    fs.writeFileSync(path.join(dir, 'docs'), 'a file');
    fs.mkdirSync(path.join(dir, 'notes.yaml'));
    fs.writeFileSync(path.join(dir, 'notes.yaml', 'mine.md'), 'mine');
    expect(() => writeTreeToFolder(RepoTree.fromRecord({ 'a.yaml': 'a', 'docs/x.yaml': 'x' }), dir)).toThrow(/refusing to overwrite "docs".*needs a folder there/);
    expect(() => writeTreeToFolder(RepoTree.fromRecord({ 'a.yaml': 'a', 'notes.yaml': 'x' }), dir)).toThrow(/refusing to overwrite "notes.yaml\/mine.md".*writes a file at "notes.yaml"/);
    expect(listFiles(dir)).toEqual([OWNERSHIP_MANIFEST_PATH, 'a.yaml', 'docs', 'notes.yaml/mine.md']);
    expect(fs.existsSync(dir + '.nephoran-staging')).toBe(false);
  });

  test('a generated folder can become a generated file, and back', () => {
    const dir = path.join(tmpDir(), 'out');
    writeTreeToFolder(RepoTree.fromRecord({ 'x/a.yaml': 'a' }), dir);
    expect(writeTreeToFolder(RepoTree.fromRecord({ x: 'now a file' }), dir).removed).toEqual(['x/a.yaml']);
    expect(fs.readFileSync(path.join(dir, 'x'), 'utf8')).toBe('now a file');
    writeTreeToFolder(RepoTree.fromRecord({ 'x/a.yaml': 'a' }), dir);
    expect(listFiles(dir)).toEqual([OWNERSHIP_MANIFEST_PATH, 'x/a.yaml']);
  });

  test('reading a folder back skips generated files removed by hand', () => {
    const dir = path.join(tmpDir(), 'out');
    writeTreeToFolder(RepoTree.fromRecord({ 'a.yaml': 'a', 'b/c.yaml': 'c' }), dir);
    fs.rmSync(path.join(dir, 'b/c.yaml'));
    expect(readTreeFromFolder(dir).paths()).toEqual(['a.yaml']);
    expect(readTreeFromFolder(path.join(dir, 'missing')).size).toBe(0);
  });

  test('recovers the previous folder after a run died between the two renames', () => {
    const dir = path.join(tmpDir(), 'out');
    writeTreeToFolder(RepoTree.fromRecord({ 'a.yaml': 'old' }), dir);
    fs.renameSync(dir, dir + '.nephoran-previous');
    recoverInterruptedWrite(dir);
    expect(fs.readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe('old');
  });

  test('a writer killed at any moment leaves the previous tree or the new one, never a mix', async () => {
    const root = tmpDir();
    const dir = path.join(root, 'out');
    // Every third file is the same in both trees, so the writer also hard-links while it is killed.
    const files = (tag: string) => Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`pkg${i % 30}/f${i}.yaml`, `${i % 3 === 0 ? 'shared' : tag}-${i}\n`]));
    writeTreeToFolder(RepoTree.fromRecord(files('old')), dir);
    const script = path.join(root, 'write.js');
    const modulePath = path.resolve(__dirname, '../../src/repo');
    fs.writeFileSync(script, `
      require(${JSON.stringify(require.resolve('ts-node'))}).register({ transpileOnly: true, project: ${JSON.stringify(path.resolve(__dirname, '../tsconfig.json'))} });
      const { RepoTree, writeTreeToFolder } = require(${JSON.stringify(modulePath)});
      const files = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [\`pkg\${i % 30}/f\${i}.yaml\`, \`\${i % 3 === 0 ? 'shared' : 'new'}-\${i}\\n\`]));
      process.stdout.write('ready\\n');
      writeTreeToFolder(RepoTree.fromRecord(files), ${JSON.stringify(dir)});
      process.stdout.write('done\\n');
    `);
    const delays = [0, 5, 15, 30, 60, 120];
    let killedMidWrite = 0;
    for (const delay of delays) {
      const output = await new Promise<{ out: string; signal: string | null }>(resolve => {
        const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', chunk => {
          if (!out) setTimeout(() => child.kill('SIGKILL'), delay);
          out += chunk;
        });
        child.on('close', (_code, signal) => resolve({ out, signal }));
      });
      expect(output.out).toMatch(/^ready/);
      if (output.signal === 'SIGKILL' && !output.out.includes('done')) killedMidWrite++;
      recoverInterruptedWrite(dir);
      const yamlFiles = listFiles(dir).filter(f => f.endsWith('.yaml'));
      const tags = yamlFiles.map(f => fs.readFileSync(path.join(dir, f), 'utf8').split('-')[0]);
      expect(yamlFiles).toHaveLength(3000);
      expect(new Set(tags.filter(tag => tag !== 'shared')).size).toBe(1);
      expect(tags.filter(tag => tag === 'shared')).toHaveLength(1000);
      expect(yamlFiles.every(f => fs.statSync(path.join(dir, f)).nlink === 1)).toBe(true);
      // reset to the old tree for the next round
      writeTreeToFolder(RepoTree.fromRecord(files('old')), dir);
    }
    expect(killedMidWrite).toBeGreaterThan(0);
  });
});
