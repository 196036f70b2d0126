import { spawn } from 'child_process';
import * as http from 'http';
import { AddressInfo } from 'net';

/** A smart-HTTP git server (`git http-backend` as CGI) behind HTTP basic auth on 127.0.0.1. */
export interface GitHttpServer {
  /** Every request: whether it carried the right credentials. */
  readonly requests: Array<{ method: string; path: string; authorized: boolean }>;
  /** `http://127.0.0.1:<port>/<repo>` (no credentials in it). */
  url(repo: string): string;
  stop(): Promise<void>;
}

/** Serves the repositories under `projectRoot`, accepting only `username`:`token`. */
export async function startGitHttpServer(options: { projectRoot: string; username: string; token: string }): Promise<GitHttpServer> {
  const expected = 'Basic ' + Buffer.from(`${options.username}:${options.token}`).toString('base64');
  const requests: GitHttpServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authorized = req.headers.authorization === expected;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, authorized });
    if (!authorized) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end('authentication required\n');
      return;
    }
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: options.projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: options.username,
      REMOTE_ADDR: '127.0.0.1',
    };
    if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = String(req.headers['content-encoding']);
    if (req.headers['git-protocol']) env.GIT_PROTOCOL = String(req.headers['git-protocol']);
    if (req.headers['content-length']) env.CONTENT_LENGTH = String(req.headers['content-length']);
    const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    req.pipe(cgi.stdin);
    const out: Buffer[] = [];
    cgi.stdout.on('data', (d: Buffer) => out.push(d));
    cgi.on('close', () => {
      const all = Buffer.concat(out);
      const split = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, split).toString('utf8');
      const body = all.subarray(split + 4);
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
        else if (name) headers[name] = value;
      }
      res.writeHead(status, headers);
      res.end(body);
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: repo => `http://127.0.0.1:${port}/${repo}`,
    requests,
    stop: () => new Promise(resolve => server.close(() => resolve())),
  };
}
