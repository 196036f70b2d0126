import { Command, Option } from 'commander';
import { formatPublishResult, GitOpsError, promote, PromotionRefusedError, readClusterSyncStates } from '../../gitops';
import { loadAppRepoSet } from '../../repo/app-runner';
import { addClusterContextOptions, clusterAccessArgs, clusterAccessFrom, ClusterContextFlags } from '../cluster-contexts';
import { addTargetOptions, commandTargetFromFlags, commitOptionsFrom, printHints, TargetFlags } from './publish';

interface PromoteFlags extends TargetFlags, ClusterContextFlags {
  readonly mode: 'direct' | 'pull-request';
  readonly app?: string;
  readonly message?: string;
  readonly author?: string;
  readonly policy?: string;
  readonly skipVerification?: boolean;
  readonly verbose?: boolean;
  readonly json?: boolean;
}

export function registerPromoteCommand(program: Command, setExitCode: (code: number) => void): void {
  addClusterContextOptions(addTargetOptions(program.command('promote')
    .description('publish the next rollout wave of the change once every cluster of the previous wave reports it synced and healthy and its soak time has passed (through the review gate)'))
    .addOption(new Option('--mode <mode>', 'how the wave reaches the branch').choices(['direct', 'pull-request']).default('direct'))
    .option('--app <command>', 'command that runs the cdk8s app (default: app of cdk8s.yaml)'))
    .option('--skip-verification', 'promote without reading the clusters of the previous wave (recorded in the commit as Nephoran-Verification: skipped)')
    .option('--message <text>', 'commit title')
    .option('--author <identity>', 'author as "Name <email>" (default: git config)')
    .option('--policy <file>', 'review policy YAML (default: .nephoran/review-policy on the target branch)')
    .option('--verbose', 'print progress to stderr')
    .option('--json', 'print the result as JSON')
    .action(async (flags: PromoteFlags) => {
      const repositories = await loadAppRepoSet({ app: flags.app });
      if (!repositories.isSingle) throw new GitOpsError(`this app synthesizes ${repositories.size} repositories: rollout waves need the single-repository layout`);
      const target = await commandTargetFromFlags(flags);
      const access = clusterAccessFrom(flags);
      try {
        const result = await promote(repositories.tree(repositories.primary), {
          remote: target.remote,
          forge: target.forge,
          branch: flags.branch,
          cacheDir: flags.cache,
          mode: flags.mode,
          ...commitOptionsFrom(flags),
          targetArgs: target.targetArgs,
          reader: readClusterSyncStates,
          kubeconfig: access.kubeconfig,
          contexts: access.contexts,
          clusterTimeoutMs: access.clusterTimeoutMs,
          skipVerification: flags.skipVerification === true,
          // The refusal of the review gate suggests this command again with --mode pull-request.
          retryCommand: ['promote', ...(flags.app ? ['--app', flags.app] : []), ...clusterAccessArgs(flags)],
        });
        process.stdout.write((flags.json ? JSON.stringify(result, null, 2) : formatPublishResult(result)) + '\n');
        printHints(result.hints);
        setExitCode(0);
      } catch (err) {
        if (!(err instanceof PromotionRefusedError) || !flags.json) throw err;
        // With --json a refusal is a document too, for CI; the exit code still says no.
        process.stdout.write(JSON.stringify({ promoted: false, reason: err.message, reasons: err.reasons, clusters: err.clusters }, null, 2) + '\n');
        process.stderr.write(`nephoran: ${err.message}\n`);
        setExitCode(1);
      }
    });
}
