import * as fs from 'fs';
import * as path from 'path';
import { GitOpsError } from './errors';
import { credentialInUrl } from '../repo/git-url';
import { makeTempFolder } from '../repo/temp-folders';

/**
 * How git authenticates to the remote. A token reaches git only through a credential helper that
 * answers for the host the token is bound to (and, over plain http, only for hosts named in
 * `allowHttpHosts`): a redirect, a submodule or a second remote on another host never receives
 * it. The helper reads the tokens from git's environment, so no token is written anywhere. A key
 * goes through GIT_SSH_COMMAND. Never through the remote URL.
 */
export interface PublishCredentials {
  /** Token (or password) for HTTPS remotes, sent only to `tokenHost`. */
  readonly token?: string;
  /**
   * User name sent with the token.
   * @default 'x-access-token' (what GitHub expects with app tokens; forges accept it with personal tokens)
   */
  readonly username?: string;
  /**
   * The host (`name` or `name:port`) `token` belongs to.
   * @default - the host of the remote being published
   */
  readonly tokenHost?: string;
  /** More tokens, each sent only to its own hosts (GITHUB_TOKEN to GitHub, GITEA_TOKEN to Gitea). @default - none */
  readonly hostTokens?: readonly HostToken[];
  /**
   * Hosts (`name` or `name:port`) a token may be sent to over plain http. Anywhere else a token
   * goes over https only.
   * @default - none
   */
  readonly allowHttpHosts?: readonly string[];
  /** Private key file for SSH remotes. */
  readonly sshKeyFile?: string;
  /** known_hosts file for SSH remotes. @default - ssh's own */
  readonly sshKnownHostsFile?: string;
}

/** A token and the hosts it belongs to. */
export interface HostToken {
  readonly token: string;
  /** Hosts (`name` or `name:port`) the token is sent to. */
  readonly hosts: readonly string[];
  /** @default 'x-access-token' */
  readonly username?: string;
  /** Where the token came from, for messages (an environment variable's name). */
  readonly source?: string;
}

/** Names of the environment variables `credentialsFromEnvironment` reads. */
export const CREDENTIAL_ENV = {
  token: 'NEPHORAN_GIT_TOKEN',
  tokenHost: 'NEPHORAN_GIT_TOKEN_HOST',
  username: 'NEPHORAN_GIT_USERNAME',
  allowHttp: 'NEPHORAN_GIT_ALLOW_HTTP',
  githubHost: 'NEPHORAN_GITHUB_HOST',
  giteaHost: 'NEPHORAN_GITEA_HOST',
  sshKeyFile: 'NEPHORAN_GIT_SSH_KEY',
  sshKnownHostsFile: 'NEPHORAN_GIT_SSH_KNOWN_HOSTS',
} as const;

/**
 * Credentials from the environment, each token bound to its host:
 * - NEPHORAN_GIT_TOKEN (user NEPHORAN_GIT_USERNAME) to NEPHORAN_GIT_TOKEN_HOST, else to the host
 *   of the remote being published;
 * - GITHUB_TOKEN to github.com, the host of GITHUB_SERVER_URL (GitHub Actions on GitHub Enterprise)
 *   and NEPHORAN_GITHUB_HOST;
 * - GITEA_TOKEN to the hosts of GITEA_SERVER_URL and NEPHORAN_GITEA_HOST (Gitea has no default
 *   host: without either it is not used for git);
 * - NEPHORAN_GIT_ALLOW_HTTP: comma-separated hosts a token may reach over plain http;
 * - NEPHORAN_GIT_SSH_KEY, NEPHORAN_GIT_SSH_KNOWN_HOSTS.
 */
export function credentialsFromEnvironment(env: NodeJS.ProcessEnv = process.env): PublishCredentials {
  const hostTokens: HostToken[] = [];
  if (env.GITHUB_TOKEN) {
    hostTokens.push({ token: env.GITHUB_TOKEN, source: 'GITHUB_TOKEN', hosts: hostList(['github.com', hostOfUrl(env.GITHUB_SERVER_URL), ...splitHosts(env[CREDENTIAL_ENV.githubHost])]) });
  }
  if (env.GITEA_TOKEN) {
    const hosts = hostList([hostOfUrl(env.GITEA_SERVER_URL), ...splitHosts(env[CREDENTIAL_ENV.giteaHost])]);
    if (hosts.length > 0) hostTokens.push({ token: env.GITEA_TOKEN, source: 'GITEA_TOKEN', hosts });
  }
  return {
    token: env[CREDENTIAL_ENV.token] || undefined,
    tokenHost: env[CREDENTIAL_ENV.tokenHost] || undefined,
    username: env[CREDENTIAL_ENV.username] || undefined,
    hostTokens,
    allowHttpHosts: splitHosts(env[CREDENTIAL_ENV.allowHttp]),
    sshKeyFile: env[CREDENTIAL_ENV.sshKeyFile] || undefined,
    sshKnownHostsFile: env[CREDENTIAL_ENV.sshKnownHostsFile] || undefined,
  };
}

/** What git needs to authenticate: environment, `-c` settings, secrets to redact, and cleanup. */
export interface GitProcessAuth {
  readonly env: Record<string, string>;
  readonly config: string[];
  readonly secrets: string[];
  /**
   * Why no token goes to the remote's host although tokens were given (each is bound elsewhere),
   * for an authentication failure's message; undefined otherwise.
   */
  readonly unboundHint?: string;
  dispose(): void;
}

/**
 * A git credential helper (`<helper> get`, the request on stdin). It answers only when the
 * request's host is one a token is bound to, and its protocol is https (or http for a host
 * allowed so); otherwise it says nothing and git gets no credential. The tokens come from git's
 * environment (NEPHORAN_CRED_*), never from this file.
 */
const HELPER_SCRIPT = `#!/bin/sh
[ "$1" = get ] || exit 0
protocol=
host=
while IFS= read -r line; do
  [ -n "$line" ] || break
  case "$line" in
    protocol=*) protocol=\${line#protocol=} ;;
    host=*) host=\${line#host=} ;;
  esac
done
host=$(printf '%s' "$host" | tr 'A-Z' 'a-z')
case "$protocol:$host" in
  https:*:443) host=\${host%:443} ;;
  http:*:80) host=\${host%:80} ;;
esac
i=0
while [ "$i" -lt "\${NEPHORAN_CRED_COUNT:-0}" ]; do
  eval "h=\\$NEPHORAN_CRED_HOST_$i; web=\\$NEPHORAN_CRED_HTTP_$i"
  if [ "$h" = "$host" ]; then
    if [ "$protocol" = https ] || { [ "$protocol" = http ] && [ "$web" = 1 ]; }; then
      eval "printf 'username=%s\\\\npassword=%s\\\\n' \\"\\$NEPHORAN_CRED_USER_$i\\" \\"\\$NEPHORAN_CRED_TOKEN_$i\\""
    fi
    exit 0
  fi
  i=$((i + 1))
done
exit 0
`;

/**
 * Prepares git's authentication for one remote. With tokens, writes the credential helper into
 * a private temporary folder (removed by `dispose()`, or by the next run when this one is
 * killed), switches off configured credential helpers and askpass programs for these commands,
 * and binds each token to its hosts. A token bound to the remote's own host when the remote is
 * plain http is refused unless that host is in `allowHttpHosts`.
 */
export function prepareGitAuth(credentials: PublishCredentials = {}, remote?: string): GitProcessAuth {
  const env: Record<string, string> = {};
  const config: string[] = [];
  const secrets: string[] = [];
  let dispose = () => { /* nothing to remove */ };
  const remoteUrl = remote ? parseHttpRemote(remote) : undefined;
  const bindings: Array<{ host: string; token: string; username: string; source: string }> = [];
  if (credentials.token) {
    const host = normalizeHost(credentials.tokenHost ?? remoteUrl?.host ?? '');
    if (host) bindings.push({ host, token: credentials.token, username: credentials.username ?? 'x-access-token', source: credentials.tokenHost ? `${CREDENTIAL_ENV.token} (bound to ${host})` : CREDENTIAL_ENV.token });
  }
  for (const extra of credentials.hostTokens ?? []) {
    for (const host of extra.hosts) {
      const normal = normalizeHost(host);
      if (normal && !bindings.some(b => b.host === normal)) bindings.push({ host: normal, token: extra.token, username: extra.username ?? 'x-access-token', source: extra.source ?? 'a host token' });
    }
  }
  const allowHttp = new Set((credentials.allowHttpHosts ?? []).map(h => normalizeHost(h)));
  if (remoteUrl && remoteUrl.protocol === 'http') {
    const bound = bindings.find(b => b.host === remoteUrl.host);
    if (bound && !allowHttp.has(remoteUrl.host)) {
      throw new GitOpsError(`the remote ${remoteUrl.host} is plain http: the token from ${bound.source} is not sent over http, where anyone on the path can read it. Use an https URL, or allow http for this host explicitly with ${CREDENTIAL_ENV.allowHttp}=${remoteUrl.host} (credentials.allowHttpHosts).`);
    }
  }
  const allTokens = [credentials.token, ...(credentials.hostTokens ?? []).map(t => t.token)].filter((t): t is string => !!t);
  if (allTokens.length > 0) {
    const folder = makeTempFolder('credentials');
    const script = path.join(folder.path, 'credential-helper.sh');
    fs.chmodSync(folder.path, 0o700);
    fs.writeFileSync(script, HELPER_SCRIPT, { mode: 0o700 });
    bindings.forEach((b, i) => {
      env[`NEPHORAN_CRED_HOST_${i}`] = b.host;
      env[`NEPHORAN_CRED_USER_${i}`] = b.username;
      env[`NEPHORAN_CRED_TOKEN_${i}`] = b.token;
      env[`NEPHORAN_CRED_HTTP_${i}`] = allowHttp.has(b.host) ? '1' : '0';
    });
    env.NEPHORAN_CRED_COUNT = String(bindings.length);
    // No askpass program and no prompt: a host the helper does not answer for gets nothing.
    env.GIT_ASKPASS = '';
    env.SSH_ASKPASS = '';
    config.push('credential.helper=', `credential.helper=${script}`, 'core.askPass=');
    secrets.push(...allTokens);
    dispose = () => folder.remove();
  }
  if (credentials.sshKeyFile) {
    if (!fs.existsSync(credentials.sshKeyFile)) {
      dispose();
      throw new GitOpsError(`SSH key file not found: ${credentials.sshKeyFile}`);
    }
    const parts = ['ssh', '-i', shellQuote(credentials.sshKeyFile), '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes'];
    if (credentials.sshKnownHostsFile) parts.push('-o', shellQuote(`UserKnownHostsFile=${credentials.sshKnownHostsFile}`));
    env.GIT_SSH_COMMAND = parts.join(' ');
  }
  let unboundHint: string | undefined;
  if (remoteUrl && bindings.length > 0 && !bindings.some(b => b.host === remoteUrl.host)) {
    const where = [...new Set(bindings.map(b => `${b.source} to ${b.host}`))].join(', ');
    unboundHint = `no token is bound to ${remoteUrl.host} (${where}), so none was sent: set ${CREDENTIAL_ENV.token} for this remote, or bind GITHUB_TOKEN to a GitHub Enterprise host with ${CREDENTIAL_ENV.githubHost}=${remoteUrl.host} (GITEA_TOKEN: ${CREDENTIAL_ENV.giteaHost})`;
  }
  return { env, config, secrets, unboundHint, dispose };
}

/**
 * Refuses a remote URL that carries a credential: user info in an http(s) URL (a password, or a
 * token used as the user name), a password in any scheme, or a credential-like query parameter
 * (`access_token`, `private_token`, `token`, `password`, ...). Git would store it in the cache's
 * config and print it. The message shows the URL with the credential removed.
 */
export function checkRemoteUrl(remote: string, what = 'the remote URL'): void {
  const reason = credentialInUrl(remote);
  if (reason) throw new GitOpsError(`${what}: ${reason}. Remove it from the URL and set ${CREDENTIAL_ENV.token} instead (bound to the remote's host); git then receives it from nephoran's credential helper.`);
}

/** `protocol` and lower-case `host[:port]` (default port dropped) of an http(s) URL, else undefined. */
export function parseHttpRemote(url: string): { protocol: 'http' | 'https'; host: string } | undefined {
  const match = /^(https?):\/\/(?:[^/?#@]*@)?([^/?#]+)/i.exec(url);
  if (!match) return undefined;
  const protocol = match[1].toLowerCase() as 'http' | 'https';
  return { protocol, host: normalizeHost(match[2], protocol) };
}

function normalizeHost(host: string, protocol?: string): string {
  let h = host.trim().toLowerCase().replace(/\/+$/, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(h)) h = parseHttpRemote(h)?.host ?? h;
  if (protocol !== 'http') h = h.replace(/:443$/, '');
  if (protocol !== 'https') h = h.replace(/:80$/, '');
  return h;
}

function hostOfUrl(url: string | undefined): string | undefined {
  return url ? parseHttpRemote(url)?.host : undefined;
}

function splitHosts(value: string | undefined): string[] {
  return (value ?? '').split(',').map(h => h.trim()).filter(h => h);
}

function hostList(hosts: ReadonlyArray<string | undefined>): string[] {
  return [...new Set(hosts.filter((h): h is string => !!h).map(h => normalizeHost(h)))];
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, '\'\\\'\'')}'`;
}
