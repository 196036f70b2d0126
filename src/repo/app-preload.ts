/**
 * Loaded (`node --require`, through NODE_OPTIONS) into the user's program when a nephoran command
 * runs it. An exception the program does not catch is reported to the file NEPHORAN_SYNTH_REPORT
 * names, as data, instead of Node printing its whole stack: the CLI shows the message and where in
 * the user's own code it came from, and the stack only with --verbose. A SynthError that escapes
 * (a program calling synthTrees() itself) is reported as its list of problems.
 *
 * It does nothing unless NEPHORAN_SYNTH_REPORT is set, and nothing in a program that handles its
 * own exceptions.
 */
import * as path from 'path';
import { AppException, SYNTH_REPORT_ENV, SynthProblem, writeSynthReport } from './synth-error';

/** The folders of this copy of the library: frames there are not the user's code. */
const LIBRARY_ROOT = path.resolve(__dirname, '..', '..');
const LIBRARY_FOLDERS = ['lib', 'src'].map(f => path.join(LIBRARY_ROOT, f) + path.sep);

/**
 * The first frame of `stack` in the user's program: not in this library, not in node_modules
 * (where the user's own copy of the library is too), not inside Node.
 */
export function userLocation(stack: string | undefined, libraryFolders: readonly string[] = LIBRARY_FOLDERS): string | undefined {
  if (typeof stack !== 'string') return undefined;
  for (const line of stack.split('\n')) {
    const frame = /^\s+at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (!frame) continue;
    let file = frame[1];
    if (file.startsWith('file://')) file = decodeURIComponent(file.slice('file://'.length));
    if (file.startsWith('node:') || file.startsWith('internal/') || !path.isAbsolute(file)) continue;
    if (file.split(path.sep).includes('node_modules')) continue;
    if (libraryFolders.some(folder => file.startsWith(folder))) continue;
    return `${file}:${frame[2]}:${frame[3]}`;
  }
  return undefined;
}

/** The report of an uncaught exception: problems for a SynthError, else the exception. */
export function describeException(err: unknown): { problems?: SynthProblem[]; error?: AppException } {
  const e = err as { name?: unknown; message?: unknown; stack?: unknown; problems?: unknown } | null;
  if (e && e.name === 'SynthError' && Array.isArray(e.problems)) return { problems: e.problems as SynthProblem[] };
  if (e instanceof Error || (e && typeof e.message === 'string')) {
    const stack = typeof e.stack === 'string' ? e.stack : undefined;
    const location = userLocation(stack);
    return {
      error: {
        name: typeof e.name === 'string' ? e.name : 'Error',
        message: String(e.message),
        ...(location ? { location } : {}),
        ...(stack ? { stack } : {}),
      },
    };
  }
  return { error: { name: 'Error', message: `the program threw ${typeof err === 'string' ? JSON.stringify(err) : String(err)}, which is not an Error` } };
}

function onUncaught(err: unknown): void {
  const { problems, error } = describeException(err);
  const written = problems
    ? writeSynthReport({ status: 'failed', problems })
    : writeSynthReport({ status: 'exception', error: error! });
  if (!written) {
    // No report file after all: fail as Node would.
    process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  }
  process.exit(1);
}

if (process.env[SYNTH_REPORT_ENV]) {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
}
