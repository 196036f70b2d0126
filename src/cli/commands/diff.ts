import { Command } from 'commander';
import { INTENT_OPTION_DESCRIPTION, INTENT_OPTION_FLAGS, loadRepoSet } from './intent';
import { addTargetOptions, targetFromFlags, TargetFlags } from './publish';
import { diffTree, formatTreeDiff, GitOpsError, TreeDiff } from '../../gitops';
import { boundElsewhere, DEFAULT_REMOTES_DIR, ensureLocalRemotes, remotesFromTemplate, REPOSITORY_PLACEHOLDER } from '../../gitops/multi-publish';
import { PackageRevision } from '../../repo/repo-tree';

interface DiffFlags extends TargetFlags {
  readonly app?: string;
  readonly intent?: string;
  readonly json?: boolean;
  readonly remoteTemplate?: string;
  readonly remotesDir?: string;
  readonly base?: string;
}

export function registerDiffCommand(program: Command, setExitCode: (code: number) => void): void {
  addTargetOptions(program.command('diff')
    .description('compare the synthesized tree with the remote branch per cluster, package and object; exit code 1 when they differ'))
    .option('--app <command>', 'command that runs the cdk8s app (default: app of cdk8s.yaml)')
    .option(INTENT_OPTION_FLAGS, INTENT_OPTION_DESCRIPTION)
    .option('--json', 'print the difference as JSON')
    .option('--remote-template <url>', `several repositories: each one's remote, with ${REPOSITORY_PLACEHOLDER} where its name goes`)
    .option('--remotes-dir <dir>', `several repositories: a folder of bare repositories <dir>/<repository>.git (default: ${DEFAULT_REMOTES_DIR})`)
    .option('--base <commit>', 'commit of the branch the program was last synthesized against, for the changes publishing would undo (default: what this cache recorded)')
    .action(async (flags: DiffFlags) => {
      const repositories = await loadRepoSet(flags);
      const diffs: Record<string, TreeDiff> = {};
      if (repositories.isSingle) {
        if (flags.remoteTemplate || flags.remotesDir) {
          throw new GitOpsError('--remote-template and --remotes-dir are for apps that synthesize several repositories; this one synthesizes one: use --remote');
        }
        const target = await targetFromFlags(flags);
        const options = { remote: target.remote, branch: flags.branch, cacheDir: flags.cache, base: flags.base };
        diffs[repositories.primary] = await diffTree(repositories.tree(repositories.primary), options);
      } else {
        if (flags.base) throw new GitOpsError(`this app synthesizes ${repositories.size} repositories: --base names a commit of one; each repository's base is the one its cache recorded`);
        if (flags.remote || flags.cache) throw new GitOpsError(`this app synthesizes ${repositories.size} repositories (${repositories.names.join(', ')}): name their remotes with --remote-template or --remotes-dir, not --remote or --cache`);
        const remotes = flags.remoteTemplate
          ? remotesFromTemplate(flags.remoteTemplate, repositories.names)
          : await ensureLocalRemotes(repositories.names, flags.remotesDir ?? DEFAULT_REMOTES_DIR);
        // The management repository first: the others' variants lock to its package revisions.
        const externalRevisions = new Map<string, ReadonlyMap<string, PackageRevision>>();
        const bound = boundElsewhere(repositories);
        for (const { repository, remote } of remotes) {
          const options = { remote, branch: flags.branch, externalRevisions, boundElsewhere: bound.get(repository) };
          const diff = await diffTree(repositories.tree(repository), options);
          externalRevisions.set(repository, new Map(diff.revisions.map(r => [r.packagePath, r] as const)));
          diffs[repository] = diff;
        }
      }
      if (flags.json) {
        process.stdout.write(JSON.stringify(repositories.isSingle ? diffs[repositories.primary] : diffs, null, 2) + '\n');
      } else {
        for (const [name, diff] of Object.entries(diffs)) {
          process.stdout.write((repositories.isSingle ? '' : `repository ${name}: `) + formatTreeDiff(diff) + '\n');
        }
      }
      setExitCode(Object.values(diffs).some(d => d.different) ? 1 : 0);
    });
}
