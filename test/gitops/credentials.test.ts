import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ALICE, BOB, fleetTree } from './fixtures';
import { approveReview, checkRemoteUrl, defaultCacheDir, diffTree, history, mergeReview, prepareGitAuth, publish, rollback } from '../../src/gitops';
import { createBareRemote, removeTempDirs, tempDir } from '../support/git';
import { startGitHttpServer } from '../support/git-http-server';

// Publishes over smart HTTP: `git http-backend` behind a local HTTP server on 127.0.0.1 that
// demands basic auth, so the token is really sent. Then searches everything the run produced
// (results, logs, errors, commits, every file of the cache and the remote, every object
// decompressed) for the token.

afterAll(removeTempDirs);

const TOKEN = `tok_${randomBytes(16).toString('hex')}`;

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(e => e.isFile())
    .map(e => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

function everyObject(repo: string): string {
  return execFileSync('git', ['-C', repo, 'cat-file', '--batch-all-objects', '--batch'], { maxBuffer: 512 * 1024 * 1024 }).toString('latin1');
}

test('a token reaches the server through GIT_ASKPASS and appears nowhere else', async () => {
  const root = tempDir();
  const served = path.join(root, 'srv');
  fs.mkdirSync(served);
  const bare = createBareRemote(served, 'fleet.git');
  const work = path.join(root, 'work');
  fs.mkdirSync(work);
  const server = await startGitHttpServer({ projectRoot: served, username: 'deployer', token: TOKEN });
  const envBefore = JSON.stringify(process.env);
  const logs: string[] = [];
  const outputs: unknown[] = [];
  const errors: string[] = [];
  try {
    const remote = server.url('fleet.git');
    // The local server is plain http: allowed for its host only, by name.
    const allowHttpHosts = [new URL(remote).host];
    const options = { remote, cwd: work, author: ALICE, credentials: { token: TOKEN, username: 'deployer', allowHttpHosts }, log: (line: string) => logs.push(line) };
    outputs.push(await publish(fleetTree(), options));
    outputs.push(await publish(fleetTree({ productionReplicas: 3 }), { ...options, mode: 'pull-request' }));
    const branch = (outputs[1] as { reviewBranch: string }).reviewBranch;
    outputs.push(await approveReview(branch, { ...options, reviewer: BOB }));
    outputs.push(await mergeReview(branch, { ...options, committer: BOB }));
    outputs.push(await history(options));
    outputs.push(await diffTree(fleetTree(), options));
    outputs.push(await rollback({ ...options, to: 'main~1' }));

    // Wrong token and no token: refused, and the errors carry neither token.
    for (const credentials of [{ token: `${TOKEN}-wrong`, username: 'deployer', allowHttpHosts }, {}]) {
      await publish(fleetTree({ stagingReplicas: 9 }), { ...options, credentials, cacheDir: path.join(work, 'other-cache') })
        .then(() => errors.push('unexpectedly succeeded'), (err: Error) => errors.push(`${err.message}\n${err.stack}`));
    }
  } finally {
    await server.stop();
  }

  // The token was really used: every git request that got through carried it.
  expect(server.requests.filter(r => r.authorized).length).toBeGreaterThan(10);
  expect(server.requests.some(r => r.path.endsWith('/git-receive-pack') && r.authorized)).toBe(true);
  expect(errors).toHaveLength(2);
  expect(errors[0]).toMatch(/git fetch failed: .*Authentication failed|could not read Username/);
  expect(errors[1]).toMatch(/git fetch failed/);
  expect(execFileSync('git', ['-C', bare, 'rev-list', '--count', 'main']).toString().trim()).toBe('4');

  const cache = defaultCacheDir(server.url('fleet.git'), work);
  const config = fs.readFileSync(path.join(cache, 'config'), 'utf8');
  expect(config).toContain(`url = ${server.url('fleet.git')}`);

  const haystacks: Array<[string, string]> = [
    ['results', JSON.stringify(outputs)],
    ['logs', logs.join('\n')],
    ['errors', errors.join('\n')],
    ['process.env', JSON.stringify(process.env)],
    ['cache objects', everyObject(cache)],
    ['remote objects', everyObject(bare)],
    ['remote history', execFileSync('git', ['-C', bare, 'log', '--all', '-p', '--format=fuller']).toString()],
    ...filesUnder(root).map(f => [f, fs.readFileSync(f).toString('latin1')] as [string, string]),
  ];
  expect(haystacks.length).toBeGreaterThan(20);
  const leaks = haystacks.filter(([, text]) => text.includes(TOKEN) || text.includes(encodeURIComponent(TOKEN)) || text.includes(Buffer.from(`deployer:${TOKEN}`).toString('base64')));
  expect(leaks.map(([where]) => where)).toEqual([]);
  expect(JSON.stringify(process.env)).toBe(envBefore);
});

test('the credential helper holds no token, answers only for the bound host over https (http only where allowed), and is removed after use', () => {
  const auth = prepareGitAuth({ token: TOKEN, username: 'deployer', allowHttpHosts: ['plain.example.com'] }, 'https://git.example.com/fleet.git');
  const helper = auth.config.find(c => c.startsWith('credential.helper=/'))!.slice('credential.helper='.length);
  expect(fs.readFileSync(helper, 'utf8')).not.toContain(TOKEN);
  expect(fs.statSync(path.dirname(helper)).mode & 0o077).toBe(0);
  expect(auth.config[0]).toBe('credential.helper=');
  expect(auth.env.GIT_ASKPASS).toBe('');
  const ask = (request: string) => execFileSync(helper, ['get'], { input: request + '\n', env: { ...process.env, ...auth.env } }).toString();
  expect(ask('protocol=https\nhost=git.example.com')).toBe(`username=deployer\npassword=${TOKEN}\n`);
  expect(ask('protocol=https\nhost=GIT.example.com:443')).toBe(`username=deployer\npassword=${TOKEN}\n`);
  expect(ask('protocol=https\nhost=evil.example.com')).toBe('');
  expect(ask('protocol=https\nhost=git.example.com.evil.example')).toBe('');
  expect(ask('protocol=http\nhost=git.example.com')).toBe('');
  auth.dispose();
  expect(fs.existsSync(helper)).toBe(false);

  const plain = prepareGitAuth({ token: TOKEN, tokenHost: 'plain.example.com', allowHttpHosts: ['plain.example.com'] }, 'http://plain.example.com/fleet.git');
  const plainHelper = plain.config[1].slice('credential.helper='.length);
  expect(execFileSync(plainHelper, ['get'], { input: 'protocol=http\nhost=plain.example.com\n', env: { ...process.env, ...plain.env } }).toString()).toBe(`username=x-access-token\npassword=${TOKEN}\n`);
  plain.dispose();
});

test('a remote URL with a token in it is refused without echoing the token', async () => {
  const work = tempDir();
  const attempt = publish(fleetTree(), { remote: `https://deployer:${TOKEN}@git.example.com/fleet.git`, cwd: work, author: ALICE });
  await expect(attempt).rejects.toThrow(/carries a password.*NEPHORAN_GIT_TOKEN/);
  await attempt.catch((err: Error) => expect(err.message).not.toContain(TOKEN));
});

test('any user info in an http(s) remote URL is refused, short tokens included; an SSH user is not', () => {
  const token = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
  expect(() => checkRemoteUrl(`https://${token}@github.com/telco/fleet.git`)).toThrow(/carries a user name or token/);
  expect(() => checkRemoteUrl(`https://${token}@github.com/telco/fleet.git`)).not.toThrow(new RegExp(token));
  expect(() => checkRemoteUrl('https://tok3n@git.example.com/fleet.git')).toThrow(/carries a user name or token/);
  expect(() => checkRemoteUrl('https://tok3n@git.example.com/fleet.git')).not.toThrow(/tok3n/);
  expect(() => checkRemoteUrl('ssh://git@git.example.com/fleet.git')).not.toThrow();
  expect(() => checkRemoteUrl('git@git.example.com:telco/fleet.git')).not.toThrow();
});
