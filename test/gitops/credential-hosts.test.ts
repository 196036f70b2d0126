import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { ALICE, fleetTree } from './fixtures';
import { credentialsFromEnvironment, publish } from '../../src/gitops';
import { createBareRemote, removeTempDirs, tempDir } from '../support/git';
import { startGitHttpServer } from '../support/git-http-server';

// Tokens stay with their host. Host A is a real smart-HTTP git server that wants the token; host
// B is a second local server that asks every request for credentials and records what it gets.

afterAll(removeTempDirs);

const TOKEN = `tok_${randomBytes(16).toString('hex')}`;

interface Recorder {
  readonly url: string;
  readonly host: string;
  /** Authorization headers received (undefined when a request had none). */
  readonly authorizations: Array<string | undefined>;
  stop(): Promise<void>;
}

/** A server that asks for basic auth on every request; `redirectTo` makes it redirect instead. */
async function startRecorder(redirectTo?: string): Promise<Recorder> {
  const authorizations: Array<string | undefined> = [];
  const server = http.createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    if (redirectTo) {
      res.writeHead(302, { Location: redirectTo + (req.url ?? '/').replace(/^\/[^/]+/, '') });
      res.end();
      return;
    }
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
    res.end('authentication required\n');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `http://${host}/fleet.git`, host, authorizations, stop: () => new Promise(resolve => server.close(() => resolve())) };
}

async function failure(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the publish to fail');
}

test('a token bound to host A is never sent to host B, directly or through a redirect; A gets it', async () => {
  const root = tempDir();
  const served = path.join(root, 'srv');
  fs.mkdirSync(served);
  createBareRemote(served, 'fleet.git');
  const a = await startGitHttpServer({ projectRoot: served, username: 'deployer', token: TOKEN });
  const b = await startRecorder();
  const redirector = await startRecorder(b.url);
  try {
    const hostA = new URL(a.url('fleet.git')).host;
    const credentials = { token: TOKEN, username: 'deployer', tokenHost: hostA, allowHttpHosts: [hostA, b.host, redirector.host] };
    const landed = await publish(fleetTree(), { remote: a.url('fleet.git'), cwd: root, author: ALICE, credentials });
    expect(landed.changed).toBe(true);
    expect(a.requests.some(r => r.authorized)).toBe(true);

    // B asks for credentials: it gets none, and the publish fails saying so.
    const direct = await failure(publish(fleetTree(), { remote: b.url, cwd: root, author: ALICE, credentials }));
    expect(direct).toMatch(/git fetch failed: .*(could not read Username|Authentication failed)/);
    // A redirect from a host without a token to B: B still gets none.
    await failure(publish(fleetTree(), { remote: redirector.url, cwd: root, author: ALICE, credentials }));
    expect(b.authorizations.length).toBeGreaterThanOrEqual(2);
    expect(b.authorizations.filter(h => h !== undefined)).toEqual([]);
    expect(redirector.authorizations.filter(h => h !== undefined)).toEqual([]);
  } finally {
    await Promise.all([a.stop(), b.stop(), redirector.stop()]);
  }
});

test('GITHUB_TOKEN goes to GitHub hosts only, GITEA_TOKEN only to a named Gitea host', async () => {
  const root = tempDir();
  const b = await startRecorder();
  try {
    const env = { GITHUB_TOKEN: TOKEN, GITEA_TOKEN: `${TOKEN}-gitea`, NEPHORAN_GIT_ALLOW_HTTP: b.host };
    const credentials = credentialsFromEnvironment(env);
    expect(credentials.token).toBeUndefined();
    expect(credentials.hostTokens).toEqual([{ token: TOKEN, source: 'GITHUB_TOKEN', hosts: ['github.com'] }]);
    expect(credentialsFromEnvironment({ ...env, GITHUB_SERVER_URL: 'https://ghe.example.com', NEPHORAN_GITEA_HOST: 'gitea.example.com' }).hostTokens)
      .toEqual([{ token: TOKEN, source: 'GITHUB_TOKEN', hosts: ['github.com', 'ghe.example.com'] }, { token: `${TOKEN}-gitea`, source: 'GITEA_TOKEN', hosts: ['gitea.example.com'] }]);
    const message = await failure(publish(fleetTree(), { remote: b.url, cwd: root, author: ALICE, credentials }));
    expect(message).toContain(`no token is bound to ${b.host} (GITHUB_TOKEN to github.com), so none was sent`);
    expect(message).not.toContain(TOKEN);
    expect(b.authorizations.length).toBeGreaterThanOrEqual(1);
    expect(b.authorizations.filter(h => h !== undefined)).toEqual([]);
  } finally {
    await b.stop();
  }
});

test('a token is not sent over plain http unless that host is allowed by name; nothing reaches the server', async () => {
  const root = tempDir();
  const served = path.join(root, 'srv');
  fs.mkdirSync(served);
  createBareRemote(served, 'fleet.git');
  const a = await startGitHttpServer({ projectRoot: served, username: 'deployer', token: TOKEN });
  try {
    const remote = a.url('fleet.git');
    const host = new URL(remote).host;
    const message = await failure(publish(fleetTree(), { remote, cwd: root, author: ALICE, credentials: { token: TOKEN, username: 'deployer' } }));
    expect(message).toBe(`the remote ${host} is plain http: the token from NEPHORAN_GIT_TOKEN is not sent over http, where anyone on the path can read it. Use an https URL, or allow http for this host explicitly with NEPHORAN_GIT_ALLOW_HTTP=${host} (credentials.allowHttpHosts).`);
    expect(a.requests).toEqual([]);
    // Another host allowed is not this one.
    await failure(publish(fleetTree(), { remote, cwd: root, author: ALICE, credentials: { token: TOKEN, username: 'deployer', allowHttpHosts: ['127.0.0.1:1'] } }));
    expect(a.requests).toEqual([]);
    // From the environment, allowed by name: it lands.
    const env = { NEPHORAN_GIT_TOKEN: TOKEN, NEPHORAN_GIT_USERNAME: 'deployer', NEPHORAN_GIT_ALLOW_HTTP: host };
    expect((await publish(fleetTree(), { remote, cwd: root, author: ALICE, credentials: credentialsFromEnvironment(env) })).changed).toBe(true);
  } finally {
    await a.stop();
  }
});

test('a remote URL or a forge URL with a token in its query is refused before git runs, without the token', async () => {
  const root = tempDir();
  for (const remote of [`https://git.example.com/fleet.git?access_token=${TOKEN}`, `https://git.example.com/fleet.git?private_token=${TOKEN}`, 'https://tok3n@git.example.com/fleet.git']) {
    const message = await failure(publish(fleetTree(), { remote, cwd: root, author: ALICE }));
    expect(message).toMatch(/^the remote URL: the URL https:\/\/.*git.example.com\/fleet.git.* carries (a credential in its query|a user name or token)/);
    expect(message).not.toContain(TOKEN);
    expect(message).not.toContain('tok3n');
  }
  expect(fs.readdirSync(root)).toEqual([]);
  const { createForge } = await import('../../src/gitops');
  expect(() => createForge({ kind: 'github', apiUrl: `https://api.github.com?access_token=${TOKEN}` }, 'https://github.com/nephio/fleet.git', { GITHUB_TOKEN: 't' })).toThrow(/forge API URL: .*access_token=\*\*\*/);
  // The GitHub token is not sent to an API on another host, nor over http.
  expect(() => createForge({ kind: 'github', apiUrl: 'https://evil.example.com/api/v3' }, 'https://github.com/nephio/fleet.git', { GITHUB_TOKEN: 't' })).toThrow(/neither the remote's host nor one the token is bound to/);
  expect(() => createForge({ kind: 'gitea' }, 'http://gitea.example.com/nephio/fleet.git', { GITEA_TOKEN: 't' })).toThrow(/plain http/);
});
