import { execFileSync } from 'child_process';
import * as http from 'http';
import { AddressInfo } from 'net';

/**
 * A local HTTP server that follows the documented pull request endpoints of the GitHub REST API
 * (https://docs.github.com/en/rest/pulls: pulls, pulls/{n}/reviews, pulls/{n}/merge, /user) or of
 * the Gitea API v1 (https://gitea.com/api/swagger: the same paths under /api/v1, with Gitea's
 * field names: event APPROVED, Do/MergeTitleField/MergeMessageField/head_commit_id). Pull requests
 * are backed by a real bare repository: heads are read live from its branches, and a merge writes
 * a real merge commit with git.
 */
export interface FakeForge {
  readonly apiUrl: string;
  readonly pulls: FakePull[];
  readonly reviews: Map<number, FakeReview[]>;
  /** `METHOD path` of every request. */
  readonly requests: string[];
  stop(): Promise<void>;
}

export interface FakePull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  author: string;
  state: 'open' | 'closed';
  merged: boolean;
}

export interface FakeReview {
  id: number;
  user: string;
  state: string;
  commit_id: string;
  body: string;
}

export async function startFakeForge(kind: 'github' | 'gitea', options: { repoDir: string; owner: string; repo: string; users: Record<string, string> }): Promise<FakeForge> {
  const prefix = kind === 'gitea' ? '/api/v1' : '';
  const pulls: FakePull[] = [];
  const reviews = new Map<number, FakeReview[]>();
  const requests: string[] = [];
  let port = 0;
  const git = (...args: string[]) => execFileSync('git', ['-C', options.repoDir, ...args], {
    env: { ...process.env, GIT_COMMITTER_NAME: 'Forge', GIT_COMMITTER_EMAIL: 'forge@example.com', GIT_AUTHOR_NAME: 'Forge', GIT_AUTHOR_EMAIL: 'forge@example.com' },
  }).toString().trim();
  const headSha = (branch: string) => { try { return git('rev-parse', `refs/heads/${branch}`); } catch { return ''; } };
  const render = (p: FakePull) => ({
    number: p.number,
    title: p.title,
    body: p.body,
    state: p.state,
    merged: p.merged,
    html_url: `http://127.0.0.1:${port}/${options.owner}/${options.repo}/pull/${p.number}`,
    head: { ref: p.head, sha: headSha(p.head) },
    base: { ref: p.base },
    user: { login: p.author },
  });

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', d => { raw += d; });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push(`${req.method} ${url.pathname}`);
      const send = (status: number, value?: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(value === undefined ? '' : JSON.stringify(value));
      };
      const auth = req.headers.authorization ?? '';
      const token = kind === 'github' ? auth.replace(/^(Bearer|token) /, '') : auth.replace(/^token /, '');
      const user = options.users[token];
      if (!user) return send(401, { message: kind === 'github' ? 'Bad credentials' : 'token is required' });
      const body = raw ? JSON.parse(raw) : {};
      const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
      const repoBase = `/repos/${options.owner}/${options.repo}`;
      if (req.method === 'GET' && path === '/user') return send(200, { login: user });
      if (path === `${repoBase}/pulls` && req.method === 'GET') {
        const state = url.searchParams.get('state') ?? 'open';
        let list = pulls.filter(p => state === 'all' || p.state === state);
        if (kind === 'github') {
          const head = url.searchParams.get('head');
          const base = url.searchParams.get('base');
          if (head) list = list.filter(p => `${options.owner}:${p.head}` === head);
          if (base) list = list.filter(p => p.base === base);
        }
        return send(200, list.map(render));
      }
      if (path === `${repoBase}/pulls` && req.method === 'POST') {
        if (!headSha(body.head)) return send(422, { message: 'Validation Failed', errors: [{ message: `head ${body.head} does not exist` }] });
        const pull: FakePull = { number: pulls.length + 1, title: body.title, body: body.body ?? '', head: body.head, base: body.base, author: user, state: 'open', merged: false };
        pulls.push(pull);
        return send(201, render(pull));
      }
      const match = new RegExp(`^${repoBase}/pulls/(\\d+)(/reviews|/merge)?$`).exec(path);
      const pull = match ? pulls.find(p => p.number === Number(match[1])) : undefined;
      if (!match || !pull) return send(404, { message: 'Not Found' });
      if (!match[2] && req.method === 'PATCH') {
        if (body.title !== undefined) pull.title = body.title;
        if (body.body !== undefined) pull.body = body.body;
        return send(200, render(pull));
      }
      if (match[2] === '/reviews' && req.method === 'GET') {
        return send(200, (reviews.get(pull.number) ?? []).map(r => ({ id: r.id, user: { login: r.user }, state: r.state, commit_id: r.commit_id, body: r.body, submitted_at: '2025-01-01T00:00:00Z' })));
      }
      if (match[2] === '/reviews' && req.method === 'POST') {
        const approving = kind === 'github' ? body.event === 'APPROVE' : body.event === 'APPROVED';
        if (approving && user === pull.author) {
          return send(422, kind === 'github' ? { message: 'Unprocessable Entity', errors: ['Can not approve your own pull request'] } : { message: 'approve your own pull is not allowed' });
        }
        const list = reviews.get(pull.number) ?? [];
        const review = { id: list.length + 1, user, state: approving ? 'APPROVED' : 'COMMENTED', commit_id: body.commit_id ?? headSha(pull.head), body: body.body ?? '' };
        list.push(review);
        reviews.set(pull.number, list);
        return send(200, { ...review, user: { login: user } });
      }
      if (match[2] === '/merge' && req.method === (kind === 'github' ? 'PUT' : 'POST')) {
        const head = headSha(pull.head);
        const expected = kind === 'github' ? body.sha : body.head_commit_id;
        if (expected && expected !== head) return send(409, { message: 'Head branch was modified. Review and try the merge again.' });
        if (pull.state !== 'open') return send(405, { message: 'Pull Request is not mergeable' });
        const base = headSha(pull.base);
        let tree: string;
        try {
          tree = git('merge-tree', '--write-tree', base, head).split('\n')[0];
        } catch {
          return send(405, { message: 'Pull Request is not mergeable' });
        }
        const title = kind === 'github' ? body.commit_title : body.MergeTitleField;
        const message = kind === 'github' ? body.commit_message : body.MergeMessageField;
        const commit = git('commit-tree', tree, '-p', base, '-p', head, '-m', `${title}\n\n${message}`);
        git('update-ref', `refs/heads/${pull.base}`, commit, base);
        pull.state = 'closed';
        pull.merged = true;
        return send(200, kind === 'github' ? { sha: commit, merged: true, message: 'Pull Request successfully merged' } : undefined);
      }
      return send(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    apiUrl: `http://127.0.0.1:${port}${prefix}`,
    pulls,
    reviews,
    requests,
    stop: () => new Promise(resolve => server.close(() => resolve())),
  };
}
