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
