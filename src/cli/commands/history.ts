import { Command } from 'commander';
import { addRepositorySetOptions, addTargetOptions, commandTargetFromFlags, TargetFlags } from './publish';
import { formatHistory, formatRolloutHistory, history, rolloutHistory } from '../../gitops';

export function registerHistoryCommand(program: Command, setExitCode: (code: number) => void): void {
  addRepositorySetOptions(addTargetOptions(program.command('history')
    .description('who changed what on the branch, when, with which approvals and change id (read from git alone)')))
    .option('--cluster <name>', 'only changes to this cluster (and only its files of each commit)')
    .option('--package <name>', 'only changes to this package, its folder or its name (and only its files of each commit)')
    .option('--limit <n>', 'at most this many entries', value => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new Error(`--limit must be a whole number above 0, not "${value}"`);
      return n;
    })
    .option('--rollouts', 'per change rolled out in waves: which wave reached which clusters, and when')
    .option('--json', 'print the entries as JSON')
    .action(async (flags: TargetFlags & { cluster?: string; package?: string; limit?: number; json?: boolean; rollouts?: boolean }) => {
      const target = await commandTargetFromFlags(flags);
      if (flags.rollouts) {
        const rollouts = await rolloutHistory({
          remote: target.remote, branch: flags.branch, cacheDir: flags.cache, limit: flags.limit, targetArgs: target.targetArgs,
        });
        process.stdout.write((flags.json ? JSON.stringify(rollouts, null, 2) : formatRolloutHistory(rollouts)) + '\n');
        setExitCode(0);
        return;
      }
      const entries = await history({
        remote: target.remote,
        branch: flags.branch,
        cacheDir: flags.cache,
        cluster: flags.cluster,
        package: flags.package,
        limit: flags.limit,
        targetArgs: target.targetArgs,
      });
      process.stdout.write((flags.json ? JSON.stringify(entries, null, 2) : formatHistory(entries)) + '\n');
      setExitCode(0);
    });
}
