import * as path from 'path';
import { Command } from 'commander';
import { loadAppRepoSet } from '../../repo/app-runner';
import { FolderWriteResult } from '../../repo/folder-writer';
import { writeRepoSetToFolder } from '../../repo/repo-set';

/** `nephoran synth`: runs the app and writes its repositories atomically into a folder. */
export function registerSynthCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('synth')
    .description('run the app, validate, and write the synthesized repository into a folder (atomically; files a person added are kept)')
    .option('--app <command>', 'command that runs the app (default: "app" in cdk8s.yaml)')
    .option('--out <dir>', 'output folder', 'dist')
    .action(async (opts: { app?: string; out: string }) => {
      const set = await loadAppRepoSet({ app: opts.app });
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
