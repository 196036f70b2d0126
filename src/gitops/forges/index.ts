import { GitOpsError } from '../errors';
import { ForgeProvider, repositoryFromRemote } from './forge';
import { GiteaForge } from './gitea';
import { GitHubForge } from './github';

export * from './forge';
export * from './github';
export * from './gitea';

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
  const apiUrl = settings.apiUrl ?? defaultApiUrl(settings.kind, remote);
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
