import { ChildProcess, spawn } from 'child_process';
import * as net from 'net';

/** A `git daemon` serving a folder of repositories on 127.0.0.1, with push enabled. */
export interface GitDaemon {
  /** `git://127.0.0.1:<port>/<repo>` */
  url(repo: string): string;
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `git daemon` on a free port and waits until it accepts connections. */
export async function startGitDaemon(baseDir: string): Promise<GitDaemon> {
  const port = await freePort();
  const child: ChildProcess = spawn('git', ['daemon', '--reuseaddr', '--listen=127.0.0.1', `--port=${port}`, `--base-path=${baseDir}`,
    '--export-all', '--enable=receive-pack', '--informative-errors', baseDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', d => { stderr += d; });
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`git daemon did not start on port ${port}: ${stderr}`);
    }
    await new Promise(r => setTimeout(r, 50));
  }
  return {
    url: repo => `git://127.0.0.1:${port}/${repo}`,
    stop: () => new Promise<void>(resolve => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
