import { GitOpsError } from '../errors';
import { redactSecrets } from '../git';

/** A pull request, as the forge reports it. */
export interface PullRequest {
  readonly number: number;
  readonly url: string;
  readonly title: string;
  readonly headRef: string;
  readonly headSha: string;
  readonly baseRef: string;
  /** Login of the person who opened it. */
  readonly author: string;
  readonly state: string;
}

/** A review on a pull request, bound to the commit it reviewed. */
/** A pull request as both forges' REST APIs return it (Gitea follows GitHub's field names). */
export interface ForgePull {
  number: number;
  html_url: string;
  title: string;
  state: string;
  head: { ref: string; sha: string };
  base: { ref: string };
  user: { login: string };
}

/** The fields of a forge's pull request that publish and review read. */
export function toPullRequest(p: ForgePull): PullRequest {
  return {
    number: p.number,
    url: p.html_url,
    title: p.title,
    headRef: p.head.ref,
    headSha: p.head.sha,
    baseRef: p.base.ref,
    author: p.user.login,
    state: p.state,
  };
}

export interface ForgeReview {
  readonly reviewer: string;
  readonly state: 'approved' | 'changes-requested' | 'commented' | 'dismissed' | 'other';
  readonly commitSha: string;
  readonly submittedAt?: string;
}

/** The calls nephoran makes on a forge. Approvals live in the forge's own reviews. */
export interface ForgeProvider {
  /** `github` or `gitea`. */
  readonly name: string;
  /** `owner/repo` on the forge. */
  readonly repository: string;
  /** Login of the token's owner. */
  currentUser(): Promise<string>;
  findOpenPullRequest(head: string, base: string): Promise<PullRequest | undefined>;
  createPullRequest(request: { title: string; body: string; head: string; base: string }): Promise<PullRequest>;
  updatePullRequest(number: number, update: { title?: string; body?: string }): Promise<PullRequest>;
  listReviews(number: number): Promise<ForgeReview[]>;
  /** Approves the pull request at `commitSha`. */
  approve(number: number, commitSha: string, body: string): Promise<void>;
  /** Merges with a merge commit, only if the head is still `sha`. */
  merge(number: number, merge: { sha: string; title: string; message: string }): Promise<void>;
}

/** How to reach a forge. */
export interface ForgeOptions {
  /** Base URL of the REST API, e.g. https://api.github.com or https://gitea.example.com/api/v1. */
  readonly apiUrl: string;
  /** `owner/repo`. */
  readonly repository: string;
  /** API token. */
  readonly token: string;
}

/** A forge answered with an error status. */
export class ForgeError extends GitOpsError {
  constructor(message: string, public readonly status: number) {
    super(message);
    this.name = 'ForgeError';
  }
}

/** Calls a JSON REST API; errors carry the forge's own message and never the token. */
export async function forgeRequest<T>(
  forge: string,
  options: ForgeOptions,
  authorization: string,
  method: string,
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const url = options.apiUrl.replace(/\/+$/, '') + path;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { 'Authorization': authorization, 'Accept': 'application/json', 'Content-Type': 'application/json', 'User-Agent': 'nephoran-gitops', ...extraHeaders },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    throw new GitOpsError(redactSecrets(`cannot reach ${forge} at ${url}: ${cause}`, [options.token]));
  }
  const text = await response.text();
  if (!response.ok) {
    let detail = text.slice(0, 300);
    try {
      const json = JSON.parse(text);
      detail = [json.message, ...(Array.isArray(json.errors) ? json.errors.map((e: unknown) => typeof e === 'string' ? e : (e as { message?: string }).message ?? JSON.stringify(e)) : [])].filter(Boolean).join('; ') || detail;
    } catch {
      // not JSON: keep the text
    }
    throw new ForgeError(redactSecrets(`${forge} API ${method} ${path} failed with ${response.status}: ${detail}`, [options.token]), response.status);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Splits `owner/repo`. */
export function splitRepository(repository: string): { owner: string; repo: string } {
  const match = /^([^/\s]+)\/([^/\s]+?)(\.git)?$/.exec(repository);
  if (!match) throw new GitOpsError(`"${repository}" is not a forge repository: write it as owner/name`);
  return { owner: match[1], repo: match[2] };
}

/** `owner/repo` from an HTTPS or SSH remote URL (`https://host/owner/repo.git`, `git@host:owner/repo.git`). */
export function repositoryFromRemote(remote: string): string | undefined {
  const url = /^[a-z][a-z0-9+.-]*:\/\/[^/]+\/(?:.*\/)?([^/]+)\/([^/]+?)(?:\.git)?\/?$/i.exec(remote);
  const scp = /^[^/:]+:(?:.*\/)?([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(remote);
  const match = url ?? (remote.includes('://') ? null : scp);
  return match ? `${match[1]}/${match[2]}` : undefined;
}
