import { ForgeOptions, ForgePull, ForgeProvider, ForgeReview, forgeRequest, PullRequest, splitRepository, toPullRequest } from './forge';

interface GiteaReview {
  user: { login: string } | null;
  state: string;
  commit_id: string;
  stale?: boolean;
  dismissed?: boolean;
  submitted_at?: string;
}

/**
 * Gitea (Nephio's default forge) through its API v1: /repos/{owner}/{repo}/pulls,
 * pulls/{index}/reviews and pulls/{index}/merge. The API URL is https://<host>/api/v1.
 */
export class GiteaForge implements ForgeProvider {
  public readonly name = 'gitea';
  public readonly repository: string;
  private readonly base: string;

  constructor(private readonly options: ForgeOptions) {
    const { owner, repo } = splitRepository(options.repository);
    this.repository = `${owner}/${repo}`;
    this.base = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
  }

  public async currentUser(): Promise<string> {
    return (await this.call<{ login: string }>('GET', '/user')).login;
  }

  public async findOpenPullRequest(head: string, base: string): Promise<PullRequest | undefined> {
    for (let page = 1; page <= 20; page++) {
      const pulls = await this.call<ForgePull[]>('GET', `${this.base}/pulls?state=open&limit=50&page=${page}`);
      const found = pulls.find(p => p.head.ref === head && p.base.ref === base);
      if (found) return toPullRequest(found);
      if (pulls.length < 50) return undefined;
    }
    return undefined;
  }

  public async createPullRequest(request: { title: string; body: string; head: string; base: string }): Promise<PullRequest> {
    return toPullRequest(await this.call<ForgePull>('POST', `${this.base}/pulls`, request));
  }

  public async updatePullRequest(number: number, update: { title?: string; body?: string }): Promise<PullRequest> {
    return toPullRequest(await this.call<ForgePull>('PATCH', `${this.base}/pulls/${number}`, update));
  }

  public async listReviews(number: number): Promise<ForgeReview[]> {
    const reviews = await this.call<GiteaReview[]>('GET', `${this.base}/pulls/${number}/reviews?limit=50`);
    return reviews.map(r => ({
      reviewer: r.user?.login ?? '(deleted user)',
      state: r.dismissed ? 'dismissed' : r.state === 'APPROVED' ? 'approved' : r.state === 'REQUEST_CHANGES' ? 'changes-requested' : r.state === 'COMMENT' ? 'commented' : 'other',
      commitSha: r.commit_id,
      submittedAt: r.submitted_at,
    }));
  }

  public async approve(number: number, commitSha: string, body: string): Promise<void> {
    await this.call('POST', `${this.base}/pulls/${number}/reviews`, { commit_id: commitSha, body, event: 'APPROVED' });
  }

  public async merge(number: number, merge: { sha: string; title: string; message: string }): Promise<void> {
    await this.call('POST', `${this.base}/pulls/${number}/merge`, {
      Do: 'merge',
      MergeTitleField: merge.title,
      MergeMessageField: merge.message,
      head_commit_id: merge.sha,
    });
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return forgeRequest<T>('Gitea', this.options, `token ${this.options.token}`, method, path, body);
  }
}
