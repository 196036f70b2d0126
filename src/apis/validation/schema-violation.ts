import { compareStrings as compare } from '../../repo/compare';

/** One way an object breaks its schema. */
export interface SchemaViolation {
  /** JSON path of the offending field, e.g. `spec.git.auth` or `spec.targets[0].repositories`; empty for the object itself. */
  readonly field: string;
  /** What is wrong and what would be valid, e.g. the allowed enum values. */
  readonly message: string;
}

/** Orders violations by field, then message, so reports are stable whatever order the checks ran in. */
export function sortViolations(violations: SchemaViolation[]): SchemaViolation[] {
  return violations.sort((a, b) => compare(a.field, b.field) || compare(a.message, b.message));
}
