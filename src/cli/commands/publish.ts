import { Command, Option } from 'commander';
import { formatPublishResult, parseIdentity, publish, PUBLISH_MODES, readReviewPolicyFile, resolveTarget, Target } from '../../gitops';
import { loadAppTree } from '../../repo/app-runner';

/** Options every git-backed command shares: where the deployment repository is. */
export interface TargetFlags {
  readonly remote?: string;
  readonly branch: string;
  readonly cache?: string;
  readonly forge?: string;
  readonly forgeUrl?: string;
  readonly forgeRepo?: string;
}

/** Adds --remote, --branch, --cache and the forge flags to a command. */
export function addTargetOptions(command: Command): Command {
  return command
    .option('--remote <url>', 'deployment repository URL or path (default: the embedded .nephoran/remote.git, created on first run)')
    .option('--branch <name>', 'target branch', 'main')
    .option('--cache <dir>', 'cache folder for the local copy (default: .nephoran/cache/<hash of the remote>)')
    .addOption(new Option('--forge <kind>', 'forge hosting the remote, for pull requests and their reviews').choices(['github', 'gitea']))
    .option('--forge-url <url>', 'forge API URL (default: from the remote URL)')
    .option('--forge-repo <owner/name>', 'repository on the forge (default: from the remote URL)');
}

/** The remote and forge the flags name. Tokens come from the environment only. */
export function targetFromFlags(flags: TargetFlags): Promise<Target> {
  return resolveTarget({ remote: flags.remote, forge: flags.forge, forgeUrl: flags.forgeUrl, forgeRepo: flags.forgeRepo });
}

/** Progress lines go to stderr, so that stdout holds only the result. */
export function progress(line: string): void {
  process.stderr.write(`nephoran: ${line}\n`);
}

export function registerPublishCommand(program: Command, setExitCode: (code: number) => void): void {
  addTargetOptions(program.command('publish')
    .description('Synthesize the app and publish it to the deployment repository (direct, pull request or Porch proposal)'))
    .addOption(new Option('--mode <mode>', 'how the change reaches the branch').choices([...PUBLISH_MODES]).default('direct'))
    .option('--app <command>', 'command that runs the cdk8s app (default: app of cdk8s.yaml)')
    .option('--message <text>', 'commit and pull request title')
    .option('--author <identity>', 'author as "Name <email>" (default: git config)')
    .option('--review-branch <name>', 'review branch for --mode pull-request (default: nephoran/change-<id>)')
    .option('--workspace <name>', 'Porch workspace name for --mode proposal')
    .option('--policy <file>', 'review policy YAML (default: .nephoran/review-policy.yaml on the target branch)')
    .option('--verbose', 'print progress to stderr')
    .option('--json', 'print the result as JSON')
    .action(async (flags: TargetFlags & { mode: 'direct' | 'pull-request' | 'proposal'; app?: string; message?: string; author?: string; reviewBranch?: string; workspace?: string; policy?: string; verbose?: boolean; json?: boolean }) => {
      const target = await targetFromFlags(flags);
      const tree = await loadAppTree({ app: flags.app });
      const result = await publish(tree, {
        remote: target.remote,
        forge: target.forge,
        branch: flags.branch,
        cacheDir: flags.cache,
        mode: flags.mode,
        message: flags.message,
        author: flags.author ? parseIdentity(flags.author) : undefined,
        reviewBranch: flags.reviewBranch,
        workspaceName: flags.workspace,
        reviewPolicy: flags.policy ? readReviewPolicyFile(flags.policy) : undefined,
        log: flags.verbose ? progress : undefined,
      });
      process.stdout.write((flags.json ? JSON.stringify(result, null, 2) : formatPublishResult(result)) + '\n');
      setExitCode(0);
    });
}
