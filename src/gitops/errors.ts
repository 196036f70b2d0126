/**
 * An error the user can act on: bad input, a refused push, an unmet review gate. The CLI prints
 * its message alone, without a stack trace.
 */
export class GitOpsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitOpsError';
  }
}

/** Both sides changed the same file: the change cannot be re-applied on the new head. */
export class ConflictError extends GitOpsError {
  constructor(message: string, public readonly paths: readonly string[]) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** The review gate is not met: `missing` says what is still needed, one line per environment. */
export class ReviewGateError extends GitOpsError {
  constructor(message: string, public readonly missing: readonly string[]) {
    super(message);
    this.name = 'ReviewGateError';
  }
}

/** One change on the remote that a publish would undo: a file, and the commits that changed it since the program's base. */
export interface UndoneChange {
  readonly path: string;
  readonly commits: ReadonlyArray<{ readonly commit: string; readonly author: string; readonly subject: string }>;
}

/**
 * The program is older than the remote: publishing it would undo changes that landed since the
 * base it was synthesized against (another publish, or a person's commit). Nothing was pushed.
 */
export class StaleSourceError extends ConflictError {
  constructor(message: string, public readonly changes: readonly UndoneChange[]) {
    super(message, changes.map(c => c.path));
    this.name = 'StaleSourceError';
  }
}

/** A ref of the remote is locked by a lock file a git process left there; nothing was pushed. */
export class RemoteLockedError extends GitOpsError {
  constructor(message: string, public readonly lockFile: string) {
    super(message);
    this.name = 'RemoteLockedError';
  }
}
