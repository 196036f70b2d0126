import { ForgeOptions, ForgePull, ForgeProvider, ForgeReview, forgeRequest, PullRequest, splitRepository, toPullRequest } from './forge';

interface GitHubReview {
  user: { login: string } | null;
  state: string;
  commit_id: string;
  submitted_at?: string;
}

/**
 * GitHub (and GitHub Enterprise) through its REST API: pulls, pulls/{n}/reviews and
 * pulls/{n}/merge. The API URL is https://api.github.com, or https://<host>/api/v3.
 */
export class GitHubForge implements ForgeProvider {
  public readonly name = 'github';
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
    const owner = this.repository.split('/')[0];
    const pulls = await this.call<ForgePull[]>('GET', `${this.base}/pulls?state=open&head=${encodeURIComponent(`${owner}:${head}`)}&base=${encodeURIComponent(base)}&per_page=100`);
    const found = pulls.find(p => p.head.ref === head && p.base.ref === base);
    return found ? toPullRequest(found) : undefined;
  }

  public async createPullRequest(request: { title: string; body: string; head: string; base: string }): Promise<PullRequest> {
    return toPullRequest(await this.call<ForgePull>('POST', `${this.base}/pulls`, request));
  }

  public async updatePullRequest(number: number, update: { title?: string; body?: string }): Promise<PullRequest> {
    return toPullRequest(await this.call<ForgePull>('PATCH', `${this.base}/pulls/${number}`, update));
  }

  public async listReviews(number: number): Promise<ForgeReview[]> {
    const reviews = await this.call<GitHubReview[]>('GET', `${this.base}/pulls/${number}/reviews?per_page=100`);
    return reviews.map(r => ({
      reviewer: r.user?.login ?? '(deleted user)',
      state: r.state === 'APPROVED' ? 'approved' : r.state === 'CHANGES_REQUESTED' ? 'changes-requested' : r.state === 'COMMENTED' ? 'commented' : r.state === 'DISMISSED' ? 'dismissed' : 'other',
      commitSha: r.commit_id,
      submittedAt: r.submitted_at,
    }));
  }

  public async approve(number: number, commitSha: string, body: string): Promise<void> {
    await this.call('POST', `${this.base}/pulls/${number}/reviews`, { commit_id: commitSha, body, event: 'APPROVE' });
  }

  public async merge(number: number, merge: { sha: string; title: string; message: string }): Promise<void> {
    await this.call('PUT', `${this.base}/pulls/${number}/merge`, { sha: merge.sha, commit_title: merge.title, commit_message: merge.message, merge_method: 'merge' });
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return forgeRequest<T>('GitHub', this.options, `Bearer ${this.options.token}`, method, path, body, {
      'Accept': 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
    });
  }
}
