import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GitOpsError } from './errors';

/**
 * How git authenticates to the remote. Credentials reach git only through its own mechanisms: a
 * token through a GIT_ASKPASS helper (which reads it from git's environment, so the token is
 * written nowhere), a key through GIT_SSH_COMMAND. Never through the remote URL.
 */
export interface PublishCredentials {
  /** Token (or password) for HTTPS remotes. */
  readonly token?: string;
  /**
   * User name sent with the token.
   * @default 'x-access-token' (what GitHub expects with app tokens; forges accept it with personal tokens)
   */
  readonly username?: string;
  /** Private key file for SSH remotes. */
  readonly sshKeyFile?: string;
  /** known_hosts file for SSH remotes. @default - ssh's own */
  readonly sshKnownHostsFile?: string;
}

/** Names of the environment variables `credentialsFromEnvironment` reads. */
export const CREDENTIAL_ENV = {
  token: 'NEPHORAN_GIT_TOKEN',
  username: 'NEPHORAN_GIT_USERNAME',
  sshKeyFile: 'NEPHORAN_GIT_SSH_KEY',
  sshKnownHostsFile: 'NEPHORAN_GIT_SSH_KNOWN_HOSTS',
} as const;

/**
 * Credentials from the environment: NEPHORAN_GIT_TOKEN (else the forge's GITHUB_TOKEN or
 * GITEA_TOKEN), NEPHORAN_GIT_USERNAME, NEPHORAN_GIT_SSH_KEY, NEPHORAN_GIT_SSH_KNOWN_HOSTS.
 */
export function credentialsFromEnvironment(env: NodeJS.ProcessEnv = process.env): PublishCredentials {
  const token = env[CREDENTIAL_ENV.token] || env.GITHUB_TOKEN || env.GITEA_TOKEN || undefined;
  return {
    token,
    username: env[CREDENTIAL_ENV.username] || undefined,
    sshKeyFile: env[CREDENTIAL_ENV.sshKeyFile] || undefined,
    sshKnownHostsFile: env[CREDENTIAL_ENV.sshKnownHostsFile] || undefined,
  };
}

/** What git needs to authenticate: environment, `-c` settings, secrets to redact, and cleanup. */
export interface GitProcessAuth {
  readonly env: Record<string, string>;
  readonly config: string[];
  readonly secrets: string[];
  dispose(): void;
}

const ASKPASS_SCRIPT = `#!/bin/sh
# git calls this with its prompt; the answers come from git's environment, never from this file.
case "$1" in
  Username*|username*) printf '%s\\n' "$NEPHORAN_ASKPASS_USERNAME" ;;
  *) printf '%s\\n' "$NEPHORAN_ASKPASS_TOKEN" ;;
esac
`;

/**
 * Prepares git's authentication. With a token, writes a GIT_ASKPASS helper into a private
 * temporary folder and disables configured credential helpers for these commands, so the token
 * is neither taken from nor stored into them. Call `dispose()` when done.
 */
export function prepareGitAuth(credentials: PublishCredentials = {}): GitProcessAuth {
  const env: Record<string, string> = {};
  const config: string[] = [];
  const secrets: string[] = [];
  let tempDir: string | undefined;
  if (credentials.token) {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nephoran-askpass-'));
    fs.chmodSync(tempDir, 0o700);
    const script = path.join(tempDir, 'askpass.sh');
    fs.writeFileSync(script, ASKPASS_SCRIPT, { mode: 0o700 });
    env.GIT_ASKPASS = script;
    env.NEPHORAN_ASKPASS_TOKEN = credentials.token;
    env.NEPHORAN_ASKPASS_USERNAME = credentials.username ?? 'x-access-token';
    config.push('credential.helper=');
    secrets.push(credentials.token);
  }
  if (credentials.sshKeyFile) {
    if (!fs.existsSync(credentials.sshKeyFile)) throw new GitOpsError(`SSH key file not found: ${credentials.sshKeyFile}`);
    const parts = ['ssh', '-i', shellQuote(credentials.sshKeyFile), '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes'];
    if (credentials.sshKnownHostsFile) parts.push('-o', shellQuote(`UserKnownHostsFile=${credentials.sshKnownHostsFile}`));
    env.GIT_SSH_COMMAND = parts.join(' ');
  }
  return {
    env,
    config,
    secrets,
    dispose: () => { if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true }); },
  };
}

/**
 * Refuses a remote URL that carries a password or token: git would store it in .git/config and
 * print it in messages.
 */
export function checkRemoteUrl(remote: string): void {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/@]*)@/i.exec(remote);
  if (match && (match[1].includes(':') || looksLikeToken(match[1]))) {
    const safe = remote.replace(/\/\/[^/@]*@/, '//***@');
    throw new GitOpsError(`the remote URL ${safe} carries a password or token. Remove it from the URL and set ${CREDENTIAL_ENV.token} instead; git then receives it through GIT_ASKPASS.`);
  }
}

/**
 * A user name that is really a token (`https://<token>@host/...` is accepted by GitHub and GitLab):
 * the known token prefixes, or a long run of token characters no person picks as a name.
 */
function looksLikeToken(userinfo: string): boolean {
  const user = decodeURIComponent(userinfo);
  return /^(gh[pousr]_|github_pat_|glpat-)/.test(user) || /^[A-Za-z0-9_-]{32,}$/.test(user);
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
