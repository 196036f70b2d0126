import * as fs from 'fs';

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

/**
 * The environment variable `nephoran synth` (and every command that runs the app) sets to the
 * file the app reports the outcome of its synth to: its problems, or the exception that stopped
 * it, as data rather than as text on stderr, so the CLI can print them (or JSON) its own way.
 */
export const SYNTH_REPORT_ENV = 'NEPHORAN_SYNTH_REPORT';

/** An exception the app did not catch, as the CLI shows it. */
export interface AppException {
  /** The error's name, e.g. `TypeError`. */
  readonly name: string;
  readonly message: string;
  /** The first stack frame in the user's own program (outside this library and node_modules). */
  readonly location?: string;
  /** The whole stack, for `--verbose`. */
  readonly stack?: string;
}

/** What the app reports to the file named by NEPHORAN_SYNTH_REPORT. */
export type SynthReport =
  | { readonly status: 'ok'; readonly warnings: SynthProblem[] }
  | { readonly status: 'failed'; readonly problems: SynthProblem[] }
  | { readonly status: 'exception'; readonly error: AppException };

/**
 * Writes the report when a CLI asked for one (NEPHORAN_SYNTH_REPORT is set); returns false
 * otherwise, and the caller prints to stderr as it would for `cdk8s synth`.
 */
export function writeSynthReport(report: SynthReport): boolean {
  const file = process.env[SYNTH_REPORT_ENV];
  if (!file) return false;
  try {
    fs.writeFileSync(file, JSON.stringify(report));
    return true;
  } catch {
    return false;
  }
}

/** Reads a report the app wrote; undefined when it wrote none or something unreadable. */
export function readSynthReport(file: string): SynthReport | undefined {
  let data: any;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const problemList = (list: unknown): SynthProblem[] | undefined => Array.isArray(list)
    ? list.filter(p => p && typeof p.path === 'string' && typeof p.message === 'string')
      .map(p => ({ path: p.path, field: typeof p.field === 'string' ? p.field : '', message: p.message, severity: p.severity === 'warning' ? 'warning' as const : 'error' as const }))
    : undefined;
  if (data?.status === 'ok') return { status: 'ok', warnings: problemList(data.warnings) ?? [] };
  if (data?.status === 'failed') {
    const problems = problemList(data.problems);
    return problems && problems.length > 0 ? { status: 'failed', problems } : undefined;
  }
  if (data?.status === 'exception' && data.error && typeof data.error.message === 'string') {
    const e = data.error;
    return {
      status: 'exception',
      error: {
        name: typeof e.name === 'string' ? e.name : 'Error',
        message: e.message,
        ...(typeof e.location === 'string' ? { location: e.location } : {}),
        ...(typeof e.stack === 'string' ? { stack: e.stack } : {}),
      },
    };
  }
  return undefined;
}
