import { Command } from 'commander';
import { loadAppTree } from '../../repo/app-runner';
import { writeTreeToFolder } from '../../repo/folder-writer';

/** `nephoran synth`: runs the app and writes the repository atomically into a folder. */
export function registerSynthCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('synth')
    .description('run the app, validate, and write the synthesized repository into a folder (atomically; files a person added are kept)')
    .option('--app <command>', 'command that runs the app (default: "app" in cdk8s.yaml)')
    .option('--out <dir>', 'output folder', 'dist')
    .action(async (opts: { app?: string; out: string }) => {
      const tree = await loadAppTree({ app: opts.app });
      const result = writeTreeToFolder(tree, opts.out);
      if (result.unchanged) {
        process.stdout.write(`${opts.out}: no change (${tree.size} files)\n`);
      } else {
        process.stdout.write(`${opts.out}: wrote ${result.written} files` + (result.removed.length ? `, removed ${result.removed.length} stale` : '') + '\n');
      }
      setExitCode(0);
    });
}
