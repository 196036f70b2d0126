import { Command, Option } from 'commander';
import { addRepositorySetOptions, addTargetOptions, commandTargetFromFlags, commitOptionsFrom, printHints, TargetFlags } from './publish';
import { formatPublishResult, GitOpsError, rollback, rollbackWave } from '../../gitops';

export function registerRollbackCommand(program: Command, setExitCode: (code: number) => void): void {
  addRepositorySetOptions(addTargetOptions(program.command('rollback')
    .description('restore the generated files as they were at a commit or tag, in a new commit through the review gate')))
    .option('--to <revision>', 'commit or tag to restore')
    .option('--wave <name>', 'instead of --to: give the clusters of this rollout wave their files from before the rollout, leaving the other waves untouched')
    .option('--emergency', 'push directly even when the review gate needs approvals (recorded in the commit)')
    .addOption(new Option('--mode <mode>', 'how the rollback reaches the branch').choices(['direct', 'pull-request']).default('direct'))
    .option('--message <text>', 'commit title')
    .option('--author <identity>', 'author as "Name <email>" (default: git config)')
    .option('--policy <file>', 'review policy YAML (default: .nephoran/review-policy on the target branch)')
    .option('--verbose', 'print progress to stderr')
    .option('--json', 'print the result as JSON')
    .action(async (flags: TargetFlags & { to?: string; wave?: string; emergency?: boolean; mode: 'direct' | 'pull-request'; message?: string; author?: string; verbose?: boolean; json?: boolean }) => {
      if (!flags.to === !flags.wave) throw new GitOpsError('rollback needs --to <commit|tag> or --wave <name> (one of them)');
      const target = await commandTargetFromFlags(flags);
      const result = await (flags.wave ? rollbackWave : rollback)({
        wave: flags.wave!,
        remote: target.remote,
        forge: target.forge,
        branch: flags.branch,
        cacheDir: flags.cache,
        to: flags.to!,
        emergency: flags.emergency,
        mode: flags.mode,
        ...commitOptionsFrom(flags),
        targetArgs: target.targetArgs,
      });
      process.stdout.write((flags.json ? JSON.stringify(result, null, 2) : formatPublishResult(result)) + '\n');
      printHints(result.hints);
      setExitCode(0);
    });
}
