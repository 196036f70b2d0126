import { GitOpsError } from './errors';
import { GitRunner } from './git';

/** A person as git records them. */
export interface GitIdentity {
  readonly name: string;
  readonly email: string;
}

/** Parses `Name <email>`. */
export function parseIdentity(text: string): GitIdentity {
  const match = /^\s*([^<>]*?)\s*<([^<>\s]+)>\s*$/.exec(text);
  if (!match || match[1] === '') throw new GitOpsError(`"${text}" is not an identity: write it as "Name <email@example.com>"`);
  return checkIdentity({ name: match[1], email: match[2] });
}

/** Formats an identity as `Name <email>`. */
export function formatIdentity(identity: GitIdentity): string {
  return `${identity.name} <${identity.email}>`;
}

/** Refuses names and emails git cannot record (angle brackets, line breaks). */
export function checkIdentity(identity: GitIdentity): GitIdentity {
  for (const [field, value] of [['name', identity.name], ['email', identity.email]] as const) {
    if (!value || /[<>\n\r\0]/.test(value)) throw new GitOpsError(`identity ${field} "${value}" is empty or holds <, > or a line break`);
  }
  return identity;
}

/** Two identities are the same person when their emails match, ignoring case. */
export function samePerson(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * The identity to record: the explicit one, else GIT_<ROLE>_NAME/EMAIL, else git config
 * user.name/user.email as seen from `cwd`. `flag` is the command-line option that gives it
 * explicitly, which the error names.
 */
export async function resolveIdentity(role: 'author' | 'committer', explicit: GitIdentity | undefined, cwd: string, flag: string = role === 'author' ? '--author' : '--committer'): Promise<GitIdentity> {
  if (explicit) return checkIdentity(explicit);
  const prefix = role === 'author' ? 'GIT_AUTHOR' : 'GIT_COMMITTER';
  const envName = process.env[`${prefix}_NAME`];
  const envEmail = process.env[`${prefix}_EMAIL`];
  const git = new GitRunner({ cwd });
  const name = envName || await git.tryText(['config', 'user.name']);
  const email = envEmail || await git.tryText(['config', 'user.email']);
  if (!name || !email) {
    throw new GitOpsError(`no ${role} identity: set one with git config --global user.name "Your Name" and git config --global user.email you@example.com, or pass ${flag} "Name <email>"`);
  }
  return checkIdentity({ name, email });
}

/**
 * The commit of the source program: HEAD of the git repository holding `dir`, with `-dirty`
 * appended when tracked files have uncommitted changes. Undefined outside a git repository.
 */
export async function sourceCommit(dir: string): Promise<string | undefined> {
  const git = new GitRunner({ cwd: dir });
  const head = await git.tryText(['rev-parse', '--verify', '--quiet', 'HEAD']);
  if (!head) return undefined;
  const status = await git.tryText(['status', '--porcelain', '--untracked-files=no']);
  return status ? `${head}-dirty` : head;
}
