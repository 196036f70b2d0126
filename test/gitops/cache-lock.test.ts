import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { acquireCacheLock, processStart } from '../../src/gitops/cache-lock';
import { removeTempDirs, tempDir } from '../support/git';

// The cache lock: a pid reused by another process is not taken for the owner, a live owner is
// waited for, and taking over a dead owner's lock is atomic across real processes.

afterAll(removeTempDirs);

const ROOT = path.resolve(__dirname, '..', '..');

function deadPid(): number {
  const child = spawnSync('sh', ['-c', 'echo $$']);
  return Number(child.stdout.toString().trim());
}

test('a lock whose pid now belongs to another process (other start time) is taken over at once', async () => {
  const lock = path.join(tempDir(), 'cache.lock');
  const live = process.ppid;
  expect(processStart(live)).toBeDefined();
  fs.writeFileSync(lock, `${live} ${processStart(live)! + 1} feedface\n`);
  const started = Date.now();
  const release = await acquireCacheLock(lock, 5_000);
  expect(Date.now() - started).toBeLessThan(1_000);
  expect(fs.readFileSync(lock, 'utf8')).toMatch(new RegExp(`^${process.pid} ${processStart(process.pid)} [0-9a-f]{16}\\n$`));
  release();
  expect(fs.existsSync(lock)).toBe(false);
});

test('a live owner is waited for and named; a dead owner\'s lock is taken over', async () => {
  const lock = path.join(tempDir(), 'cache.lock');
  fs.writeFileSync(lock, `${process.ppid} ${processStart(process.ppid)} cafe\n`);
  await expect(acquireCacheLock(lock, 200)).rejects.toThrow(new RegExp(`in use by another nephoran process \\(pid ${process.ppid}\\)`));
  fs.writeFileSync(lock, `${deadPid()} 1 cafe\n`);
  const release = await acquireCacheLock(lock, 2_000);
  release();
});

test('release removes only its own lock', async () => {
  const lock = path.join(tempDir(), 'cache.lock');
  const release = await acquireCacheLock(lock, 1_000);
  fs.writeFileSync(lock, `${process.ppid} ${processStart(process.ppid)} other\n`);
  release();
  expect(fs.existsSync(lock)).toBe(true);
});

test('8 processes racing for a stale lock: never two holders at once, every one gets its turns', async () => {
  const dir = tempDir();
  const lock = path.join(dir, 'cache.lock');
  const marker = path.join(dir, 'held');
  const log = path.join(dir, 'log');
  fs.writeFileSync(lock, `${deadPid()} 1 dead\n`);
  const script = path.join(dir, 'contender.js');
  fs.writeFileSync(script, `
require(${JSON.stringify(require.resolve('ts-node', { paths: [ROOT] }))}).register({ transpileOnly: true, project: ${JSON.stringify(path.join(ROOT, 'tsconfig.json'))} });
const fs = require('fs');
const { acquireCacheLock } = require(${JSON.stringify(path.join(ROOT, 'src/gitops/cache-lock.ts'))});
(async () => {
  for (let i = 0; i < 15; i++) {
    const release = await acquireCacheLock(${JSON.stringify(lock)}, 120000);
    try {
      fs.writeFileSync(${JSON.stringify(marker)}, String(process.pid), { flag: 'wx' });
    } catch (err) {
      fs.appendFileSync(${JSON.stringify(log)}, 'OVERLAP ' + process.pid + '\\n');
      release();
      continue;
    }
    fs.appendFileSync(${JSON.stringify(log)}, 'held ' + process.pid + '\\n');
    fs.rmSync(${JSON.stringify(marker)});
    release();
  }
})().catch(err => { console.error(err); process.exit(1); });
`);
  const codes = await Promise.all(Array.from({ length: 8 }, () => new Promise<number>(resolve => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('close', code => resolve(code ?? 1));
  })));
  expect(codes).toEqual(Array(8).fill(0));
  const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
  expect(lines.filter(l => l.startsWith('OVERLAP'))).toEqual([]);
  expect(lines).toHaveLength(8 * 15);
  expect(fs.existsSync(lock)).toBe(false);
}, 120_000);
