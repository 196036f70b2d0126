import * as path from 'path';
import { Command, InvalidArgumentError } from 'commander';
import { INTENT_OPTION_DESCRIPTION, INTENT_OPTION_FLAGS, loadSynthesis } from './intent';
import { AppExceptionError, AppInterruptedError, DEFAULT_APP_TIMEOUT_SECONDS, isVerbose } from '../../repo/app-runner';
import { FolderWriteResult } from '../../repo/folder-writer';
import { writeRepoSetToFolder } from '../../repo/repo-set';
import { formatProblem, SynthError, SynthProblem } from '../../repo/synth-error';

interface SynthFlags {
  readonly app?: string;
  readonly intent?: string;
  readonly out: string;
  readonly appTimeout: number;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** One repository written, as `--json` reports it. */
export interface SynthOutputSummary {
  /** The repository's name (the folder's for the single-repository layout). */
  readonly repository: string;
  /** The folder it was written into. */
  readonly folder: string;
  /** Files the repository holds. */
  readonly files: number;
  /** Files written (new or changed) by this run. */
  readonly written: number;
  /** Stale files this run removed. */
  readonly removed: number;
  /** True when nothing changed. */
  readonly unchanged: boolean;
}

/** What `nephoran synth --json` prints: the summary, or every problem. */
export type SynthJsonResult =
  | {
    readonly status: 'ok';
    readonly outputs: SynthOutputSummary[];
    /** Repository folders removed because the app no longer synthesizes them. */
    readonly removedRepositories: string[];
    readonly warnings: SynthProblem[];
  }
  | {
    readonly status: 'failed';
    /** Every problem, sorted by path and field; `severity` is `error` for each. */
    readonly problems: SynthProblem[];
  }
  | {
    readonly status: 'error';
    /** Why the app produced nothing: an exception in the program, a timeout, no app to run. */
    readonly error: { readonly message: string; readonly location?: string; readonly stack?: string };
  };

/**
 * `nephoran synth`: runs the app and writes its repositories atomically into a folder. A failed
 * synth prints every problem, one per line with a count, and writes nothing; an exception in the
 * user's program prints its message and the line of the program it came from (`--verbose`: the
 * whole stack). `--json` prints the same as one JSON document on stdout, for CI.
 */
export function registerSynthCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('synth')
    .description('run the app, validate, and write the synthesized repository into a folder (atomically; files a person added are kept)')
    .option('--app <command>', 'command that runs the app (default: "app" in cdk8s.yaml)')
    .option(INTENT_OPTION_FLAGS, INTENT_OPTION_DESCRIPTION)
    .option('--out <dir>', 'output folder', 'dist')
    .option('--app-timeout <seconds>', 'stop the app and fail when it runs longer than this (0: no limit)', parseSeconds, DEFAULT_APP_TIMEOUT_SECONDS)
    .option('--json', 'print the result (files written per repository and warnings, or every problem) as one JSON document on stdout')
    .option('--verbose', 'show the whole stack of an exception in the program (also: NEPHORAN_VERBOSE=1)')
    .action(async (flags: SynthFlags) => {
      const verbose = flags.verbose === true || isVerbose();
      let synthesis;
      try {
        synthesis = await loadSynthesis(flags, { timeoutSeconds: flags.appTimeout, verbose });
      } catch (err) {
        if (!flags.json && err instanceof SynthError) {
          process.stderr.write(`${err.message}\nnothing was written to ${flags.out}\n`);
          setExitCode(1);
          return;
        }
        if (!flags.json) throw err;
        process.stdout.write(JSON.stringify(failureResult(err, verbose), null, 2) + '\n');
        setExitCode(err instanceof AppInterruptedError ? err.exitCode : 1);
        return;
      }
      const { repositories: set, warnings } = synthesis;
      const result = writeRepoSetToFolder(set, flags.out);
      const outputs: SynthOutputSummary[] = Object.entries(result.repositories).map(([name, written]) => ({
        repository: name,
        folder: set.isSingle ? flags.out : path.join(flags.out, name),
        files: set.tree(name).size,
        written: written.written,
        removed: written.removed.length,
        unchanged: written.unchanged,
      }));
      const removedRepositories = result.removedRepositories.map(name => path.join(flags.out, name));
      if (flags.json) {
        const summary: SynthJsonResult = { status: 'ok', outputs, removedRepositories, warnings };
        process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      } else {
        for (const warning of warnings) process.stderr.write(`warning: ${formatProblem(warning)}\n`);
        for (const [i, written] of Object.values(result.repositories).entries()) {
          process.stdout.write(describeWrite(outputs[i].folder, written, outputs[i].files));
        }
        for (const folder of removedRepositories) process.stdout.write(`${folder}: removed (no longer synthesized)\n`);
      }
      setExitCode(0);
    });
}

function failureResult(err: unknown, verbose: boolean): SynthJsonResult {
  if (err instanceof SynthError) return { status: 'failed', problems: err.problems };
  if (err instanceof AppExceptionError) {
    const { name, message, location, stack } = err.exception;
    return {
      status: 'error',
      error: {
        message: name && name !== 'Error' ? `${name}: ${message}` : message,
        ...(location ? { location } : {}),
        ...(verbose && stack ? { stack } : {}),
      },
    };
  }
  return { status: 'error', error: { message: (err as Error)?.message ?? String(err) } };
}

function describeWrite(folder: string, result: FolderWriteResult, files: number): string {
  if (result.unchanged) return `${folder}: no change (${files} files)\n`;
  return `${folder}: wrote ${result.written} files` + (result.removed.length ? `, removed ${result.removed.length} stale` : '') + '\n';
}

/** A non-negative number of seconds, for --app-timeout. */
export function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new InvalidArgumentError(`expected a number of seconds (0 for no limit), found "${value}"`);
  }
  return seconds;
}
