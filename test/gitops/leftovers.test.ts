import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ALICE, fleetTree } from './fixtures';
import { defaultCacheDir, publish } from '../../src/gitops';
import { createBareRemote, git, removeTempDirs, tempDir } from '../support/git';

// What a killed publish leaves behind (its credential helper's temporary folder, work refs and
// temporary packs in the cache, the cache lock) is removed by the next run, which does not wait
// for the dead process.

afterAll(removeTempDirs);

function deadPid(): number {
  return Number(spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim());
}

test('the next publish removes a killed publish\'s temporary folder, work refs, temporary packs and lock', async () => {
  const root = tempDir();
  const remote = createBareRemote(root);
  const options = { remote, cwd: root, author: ALICE };
  await publish(fleetTree(), options);
  const cache = defaultCacheDir(remote, root);

  // As a publish SIGKILLed midway leaves them.
  const dead = deadPid();
  const helperDir = fs.mkdtempSync(path.join(os.tmpdir(), `nephoran-credentials-${dead}.1-`));
  fs.writeFileSync(path.join(helperDir, 'credential-helper.sh'), '#!/bin/sh\n');
  git(cache, 'update-ref', `refs/nephoran-work/${dead}-1-abcd`, git(cache, 'rev-parse', 'refs/nephoran-base/heads/main'));
  fs.writeFileSync(path.join(cache, 'objects', 'pack', 'tmp_pack_XyZ123'), 'partial');
  fs.writeFileSync(`${cache}.lock`, `${dead} 1 0123456789abcdef\n`);

  const started = Date.now();
  const result = await publish(fleetTree({ productionReplicas: 3 }), options);
  expect(result.changed).toBe(true);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(fs.existsSync(helperDir)).toBe(false);
  expect(git(cache, 'for-each-ref', 'refs/nephoran-work/')).toBe('');
  expect(fs.readdirSync(path.join(cache, 'objects', 'pack')).filter(n => n.startsWith('tmp_'))).toEqual([]);
  expect(fs.existsSync(`${cache}.lock`)).toBe(false);
  expect(spawnSync('git', ['-C', cache, 'fsck', '--no-progress']).status).toBe(0);
});
