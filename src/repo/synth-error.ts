/**
 * One problem found while synthesizing: where it is (the construct path), which field,
 * and what would be valid.
 */
export interface SynthProblem {
  /** Construct path, e.g. `fleet/amf`, or a repository path for file-level problems. */
  readonly path: string;
  /** The offending field, e.g. `props.replicas` or `metadata.name`. */
  readonly field: string;
  /** What is wrong and what would be valid. */
  readonly message: string;
  /** `warning` problems are reported but do not fail synth. @default 'error' */
  readonly severity?: 'error' | 'warning';
}

/** Formats one problem as a single line: `[path] field: message`. */
export function formatProblem(problem: SynthProblem): string {
  const field = problem.field ? ` ${problem.field}:` : '';
  return `[${problem.path}]${field} ${problem.message}`;
}

/**
 * Every error of one synth at once. Thrown before anything is written, so a failed synth leaves
 * the output folder as it was.
 */
export class SynthError extends Error {
  public readonly problems: SynthProblem[];

  constructor(problems: SynthProblem[]) {
    const sorted = [...problems].sort(compareProblems);
    super(`synth failed with ${sorted.length} problem${sorted.length === 1 ? '' : 's'}:\n` + sorted.map(p => '  ' + formatProblem(p)).join('\n'));
    this.name = 'SynthError';
    this.problems = sorted;
    // The problems are the user's input, not a fault in the library: show them, not a stack.
    this.stack = `${this.name}: ${this.message}`;
  }
}

function compareProblems(a: SynthProblem, b: SynthProblem): number {
  return a.path.localeCompare(b.path) || a.field.localeCompare(b.field) || a.message.localeCompare(b.message);
}

/** Collects problems; throws one SynthError holding all of them. */
export class ProblemCollector {
  private readonly errorList: SynthProblem[] = [];
  private readonly warningList: SynthProblem[] = [];

  public add(path: string, field: string, message: string): void {
    this.errorList.push({ path, field, message, severity: 'error' });
  }

  public warn(path: string, field: string, message: string): void {
    this.warningList.push({ path, field, message, severity: 'warning' });
  }

  public addAll(problems: readonly SynthProblem[]): void {
    for (const p of problems) {
      if (p.severity === 'warning') this.warningList.push(p);
      else this.errorList.push({ ...p, severity: 'error' });
    }
  }

  public get hasErrors(): boolean {
    return this.errorList.length > 0;
  }

  public get errors(): SynthProblem[] {
    return [...this.errorList];
  }

  public get warnings(): SynthProblem[] {
    return [...this.warningList];
  }

  public throwIfAny(): void {
    if (this.errorList.length > 0) throw new SynthError(this.errorList);
  }
}
