import { Command } from 'commander';
import { diffTree, formatTreeDiff } from '../../gitops';
import { loadAppTree } from '../../repo/app-runner';
import { addTargetOptions, targetFromFlags, TargetFlags } from './publish';

export function registerDiffCommand(program: Command, setExitCode: (code: number) => void): void {
  addTargetOptions(program.command('diff')
    .description('Compare the synthesized tree with the remote branch per cluster, package and object; exit code 1 when they differ'))
    .option('--app <command>', 'command that runs the cdk8s app (default: app of cdk8s.yaml)')
    .option('--json', 'print the difference as JSON')
    .action(async (flags: TargetFlags & { app?: string; json?: boolean }) => {
      const target = await targetFromFlags(flags);
      const tree = await loadAppTree({ app: flags.app });
      const diff = await diffTree(tree, { remote: target.remote, branch: flags.branch, cacheDir: flags.cache });
      process.stdout.write((flags.json ? JSON.stringify(diff, null, 2) : formatTreeDiff(diff)) + '\n');
      setExitCode(diff.different ? 1 : 0);
    });
}
