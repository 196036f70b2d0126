import { carriedProblems } from './carried-problems';
import { GitCredentials } from './git-credentials';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * How ConfigSync authenticates to the repository (RootSync `spec.git.auth`), and the Secret keys
 * that auth needs. Auth types that use a Secret take the GitCredentials that produce it; `none`,
 * `gcenode` and `gcpserviceaccount` set no `secretRef`, as ConfigSync requires.
 *
 * @example
 * GitAuth.token(GitCredentials.externalSecret({ secretStoreName: 'vault', remoteKey: 'gitops/token' }));
 * GitAuth.none(); // a public repository
 */
export class GitAuth {
  /** A username and a personal access token (Secret keys `username` and `token`). */
  public static token(credentials: GitCredentials): GitAuth {
    return new GitAuth('token', ['username', 'token'], credentials);
  }

  /** An SSH private key (Secret key `ssh`). */
  public static ssh(credentials: GitCredentials): GitAuth {
    return new GitAuth('ssh', ['ssh'], credentials);
  }

  /** A git cookie file (Secret key `cookie_file`). */
  public static cookieFile(credentials: GitCredentials): GitAuth {
    return new GitAuth('cookiefile', ['cookie_file'], credentials);
  }

  /** No authentication: a public repository. */
  public static none(): GitAuth {
    return new GitAuth('none', []);
  }

  /** The GCE node's service account (Google Cloud Source Repositories). */
  public static gceNode(): GitAuth {
    return new GitAuth('gcenode', []);
  }

  /** A Google service account through Workload Identity. */
  public static gcpServiceAccount(email: string): GitAuth {
    if (typeof email !== 'string' || !EMAIL.test(email)) {
      return new GitAuth('gcpserviceaccount', [], undefined, typeof email === 'string' ? email : undefined,
        [`GitAuth.gcpServiceAccount: email must be a service account address such as "configsync@project.iam.gserviceaccount.com"; got ${JSON.stringify(email)}`]);
    }
    return new GitAuth('gcpserviceaccount', [], undefined, email);
  }

  private readonly problems: string[];

  private constructor(
    /** The RootSync `spec.git.auth` value. */
    public readonly type: string,
    /** The keys the Secret must hold; empty when the auth uses no Secret. */
    public readonly secretKeys: string[],
    /** Where the Secret comes from; undefined when the auth uses no Secret. */
    public readonly credentials?: GitCredentials,
    /** The service account of `gcpserviceaccount` auth. */
    public readonly gcpServiceAccountEmail?: string,
    problems: string[] = [],
  ) {
    // Problems are carried, not thrown: the Fleet or Cluster given this auth reports them at synth.
    this.problems = [...problems];
    if (secretKeys.length > 0) {
      if (!credentials || typeof credentials.missingKeys !== 'function') {
        this.problems.push(`GitAuth.${type}: credentials are required: GitCredentials.externalSecret(...) or GitCredentials.sealedSecret(...); got ${credentials === undefined ? 'none' : JSON.stringify(typeof credentials)}`);
        this.credentials = undefined;
        return;
      }
      this.problems.push(...carriedProblems(credentials));
      const missing = credentials.missingKeys(secretKeys);
      if (missing.length > 0) {
        this.problems.push(`${type} auth needs a Secret with keys ${secretKeys.join(' and ')}, but the ${credentials.kind} has no ${missing.join(', ')}; add ${missing.map(k => `encryptedData.${k}`).join(' and ')}`);
      }
    }
  }

  /** True when RootSync must reference a Secret (`spec.git.secretRef`). */
  public get usesSecret(): boolean {
    return this.secretKeys.length > 0;
  }

  /** Problems in the arguments this auth was made with (its credentials' included). @internal */
  public get _problems(): string[] {
    return [...this.problems];
  }
}
