import { checkRemoteUrl } from '../credentials';
import { GitOpsError } from '../errors';
import { ForgeProvider, repositoryFromRemote } from './forge';
import { GiteaForge } from './gitea';
import { GitHubForge } from './github';

export {
  ForgeError,
  ForgeOptions,
  ForgeProvider,
  forgeRequest,
  ForgeReview,
  PullRequest,
  repositoryFromRemote,
  splitRepository,
} from './forge';
export { GitHubForge } from './github';
export { GiteaForge } from './gitea';

/** Which forge hosts the deployment repository, for pull requests and their reviews. */
export interface ForgeSettings {
  readonly kind: 'github' | 'gitea';
  /**
   * REST API base URL.
   * @default - https://api.github.com for github.com remotes, https://<host>/api/v3 for other
   * GitHub hosts, <scheme>://<host>/api/v1 for Gitea (from an HTTP(S) remote URL)
   */
  readonly apiUrl?: string;
  /** `owner/repo` on the forge. @default - read from the remote URL */
  readonly repository?: string;
  /**
   * API token.
   * @default - GITHUB_TOKEN (github) or GITEA_TOKEN (gitea), else NEPHORAN_FORGE_TOKEN
   */
  readonly token?: string;
}

/** The forge provider for settings and a remote URL. */
export function createForge(settings: ForgeSettings, remote: string, env: NodeJS.ProcessEnv = process.env): ForgeProvider {
  const tokenVariable = settings.kind === 'github' ? 'GITHUB_TOKEN' : 'GITEA_TOKEN';
  const token = settings.token || env[tokenVariable] || env.NEPHORAN_FORGE_TOKEN;
  if (!token) throw new GitOpsError(`the ${settings.kind} forge needs an API token: set ${tokenVariable} (or NEPHORAN_FORGE_TOKEN)`);
  const repository = settings.repository ?? repositoryFromRemote(remote);
  if (!repository) throw new GitOpsError(`cannot tell the forge repository from the remote ${remote}: pass it as owner/name (--forge-repo)`);
  if (settings.apiUrl) checkRemoteUrl(settings.apiUrl, 'the forge API URL');
  const apiUrl = settings.apiUrl ?? defaultApiUrl(settings.kind, remote);
  checkApiHost(settings, apiUrl, remote, env);
  if (settings.kind === 'github') return new GitHubForge({ apiUrl, repository, token });
  if (settings.kind === 'gitea') return new GiteaForge({ apiUrl, repository, token });
  throw new GitOpsError(`unknown forge "${String(settings.kind)}": use github or gitea`);
}

function defaultApiUrl(kind: 'github' | 'gitea', remote: string): string {
  const match = /^(https?):\/\/(?:[^@/]*@)?([^/]+)/.exec(remote);
  if (kind === 'github' && (!match || match[2] === 'github.com')) return 'https://api.github.com';
  if (!match) throw new GitOpsError(`cannot tell the ${kind} API URL from the remote ${remote}: pass it (--forge-url)`);
  return kind === 'github' ? `${match[1]}://${match[2]}/api/v3` : `${match[1]}://${match[2]}/api/v1`;
}

/**
 * The forge's token goes to its own API only: https (http only to a host named in
 * NEPHORAN_GIT_ALLOW_HTTP), and an environment token to the host it belongs to: GITHUB_TOKEN to
 * api.github.com or the host of the remote, GITHUB_API_URL, GITHUB_SERVER_URL or
 * NEPHORAN_GITHUB_HOST; GITEA_TOKEN to the host of the remote, GITEA_SERVER_URL or
 * NEPHORAN_GITEA_HOST. A token given in the settings goes where the settings say.
 */
function checkApiHost(settings: ForgeSettings, apiUrl: string, remote: string, env: NodeJS.ProcessEnv): void {
  const api = /^(https?):\/\/([^/?#]+)/i.exec(apiUrl);
  if (!api) throw new GitOpsError(`the ${settings.kind} API URL must be http(s); got ${apiUrl}`);
  const host = api[2].toLowerCase().replace(/:443$/, '');
  const allowHttp = (env.NEPHORAN_GIT_ALLOW_HTTP ?? '').split(',').map(h => h.trim().toLowerCase()).filter(h => h);
  if (api[1].toLowerCase() === 'http' && !allowHttp.includes(host)) {
    throw new GitOpsError(`the ${settings.kind} API ${host} is plain http: the forge token is not sent over http. Use https, or allow http for this host explicitly with NEPHORAN_GIT_ALLOW_HTTP=${host}.`);
  }
  if (settings.token) return;
  const hostOf = (url: string | undefined) => url ? /^https?:\/\/(?:[^/?#@]*@)?([^/?#]+)/i.exec(url)?.[1].toLowerCase().replace(/:443$/, '') : undefined;
  const owned = settings.kind === 'github'
    ? ['api.github.com', hostOf(remote), hostOf(env.GITHUB_API_URL), hostOf(env.GITHUB_SERVER_URL), env.NEPHORAN_GITHUB_HOST?.toLowerCase()]
    : [hostOf(remote), hostOf(env.GITEA_SERVER_URL), env.NEPHORAN_GITEA_HOST?.toLowerCase()];
  if (!owned.includes(host)) {
    throw new GitOpsError(`the ${settings.kind} API URL's host ${host} is neither the remote's host nor one the token is bound to: the token is not sent there. Set ${settings.kind === 'github' ? 'NEPHORAN_GITHUB_HOST' : 'NEPHORAN_GITEA_HOST'}=${host} if that host is your forge.`);
  }
}
