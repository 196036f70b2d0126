import * as path from 'path';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_APP_TIMEOUT_SECONDS, loadAppRepoSet } from '../../repo/app-runner';
import { FolderWriteResult } from '../../repo/folder-writer';
import { writeRepoSetToFolder } from '../../repo/repo-set';

/** `nephoran synth`: runs the app and writes its repositories atomically into a folder. */
export function registerSynthCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('synth')
    .description('run the app, validate, and write the synthesized repository into a folder (atomically; files a person added are kept)')
    .option('--app <command>', 'command that runs the app (default: "app" in cdk8s.yaml)')
    .option('--out <dir>', 'output folder', 'dist')
    .option('--app-timeout <seconds>', 'stop the app and fail when it runs longer than this (0: no limit)', parseSeconds, DEFAULT_APP_TIMEOUT_SECONDS)
    .action(async (opts: { app?: string; out: string; appTimeout: number }) => {
      const set = await loadAppRepoSet({ app: opts.app, timeoutSeconds: opts.appTimeout });
      const result = writeRepoSetToFolder(set, opts.out);
      for (const [name, written] of Object.entries(result.repositories)) {
        const folder = set.isSingle ? opts.out : path.join(opts.out, name);
        process.stdout.write(describeWrite(folder, written, set.tree(name).size));
      }
      for (const name of result.removedRepositories) process.stdout.write(`${path.join(opts.out, name)}: removed (no longer synthesized)\n`);
      setExitCode(0);
    });
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
