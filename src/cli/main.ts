import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError } from 'commander';
import { registerDiffCommand } from './commands/diff';
import { registerFnCommand } from './commands/fn';
import { registerHistoryCommand } from './commands/history';
import { registerIntentCommand } from './commands/intent';
import { registerPromoteCommand } from './commands/promote';
import { registerPublishCommand } from './commands/publish';
import { registerReviewCommand } from './commands/review';
import { registerRollbackCommand } from './commands/rollback';
import { registerStatusCommand } from './commands/status';
import { registerSynthCommand } from './commands/synth';
import { AppInterruptedError } from '../repo/app-runner';
import { removeStaleTempFolders } from '../repo/temp-folders';

/**
 * The nephoran command. Parses arguments and calls the library; it holds no logic of its own.
 * Returns the process exit code.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('nephoran')
    .description('Synthesize and publish Nephio R5 / kpt / ConfigSync GitOps repositories')
    .version(packageVersion(), '-V, --version', 'print the nephoran-gitops version')
    .exitOverride()
    .configureOutput({ writeErr: s => process.stderr.write(s), writeOut: s => process.stdout.write(s) });
  // Temporary folders of runs that were killed go first, whatever the command.
  removeStaleTempFolders();
  let exitCode = 0;
  const setExitCode = (code: number) => { exitCode = code; };
  registerSynthCommand(program, setExitCode);
  registerFnCommand(program, setExitCode);
  registerPublishCommand(program, setExitCode);
  registerDiffCommand(program, setExitCode);
  registerHistoryCommand(program, setExitCode);
  registerRollbackCommand(program, setExitCode);
  registerReviewCommand(program, setExitCode);
  registerStatusCommand(program, setExitCode);
  registerPromoteCommand(program, setExitCode);
  registerIntentCommand(program, setExitCode);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    process.stderr.write(`nephoran: ${(err as Error).message}\n`);
    // Stopped by a signal: the exit code a shell expects of a process that signal ended.
    if (err instanceof AppInterruptedError) return err.exitCode;
    return 1;
  }
  return exitCode;
}

/** The version of the installed package, read at run time so that it is the one npm installed. */
function packageVersion(): string {
  // lib/cli/main.js (and src/cli/main.ts under ts-node) sit two levels below package.json.
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
}
