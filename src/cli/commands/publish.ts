import { Command, Option } from 'commander';
import { INTENT_OPTION_DESCRIPTION, INTENT_OPTION_FLAGS, loadRepoSet } from './intent';
import { checkRemoteUrl, createForge, formatPublishResult, GitOpsError, parseIdentity, publish, PUBLISH_MODES, PublishMode, readReviewPolicyFile, resolveTarget, Target } from '../../gitops';
import {
  DEFAULT_PUBLISH_CONCURRENCY, DEFAULT_REMOTES_DIR, ensureLocalRemotes, formatMultiPublishResult, publishRepoSet, remotesFromTemplate,
  REPOSITORY_PLACEHOLDER, RepositoryRemote,
} from '../../gitops/multi-publish';
import { RepoSet } from '../../repo/repo-set';

/** Options every git-backed command shares: where the deployment repository is. */
export interface TargetFlags {
  readonly remote?: string;
  readonly branch: string;
  readonly cache?: string;
  readonly forge?: string;
  readonly forgeUrl?: string;
  readonly forgeRepo?: string;
  /** Several repositories: a URL template with {repository}. */
  readonly remoteTemplate?: string;
  /** Several repositories: a folder of bare repositories. */
  readonly remotesDir?: string;
  /** Which repository of the set (with --remote-template or --remotes-dir). */
  readonly repository?: string;
  /** Review policy file, which every suggested review command must carry too. */
  readonly policy?: string;
}

/** A resolved target and the arguments that name it, for the commands a result suggests. */
export interface CommandTarget extends Target {
  readonly targetArgs: readonly string[];
}

/**
 * Adds --remote-template, --remotes-dir and --repository to a command that acts on one
 * repository of a set (history, rollback, review).
 */
export function addRepositorySetOptions(command: Command): Command {
  return command
    .option('--remote-template <url>', `the app's repositories' remotes, with ${REPOSITORY_PLACEHOLDER} where the name goes (as given to publish); pick one with --repository`)
    .option('--remotes-dir <dir>', `the app's repositories as bare repositories <dir>/<repository>.git (as given to publish, default of publish: ${DEFAULT_REMOTES_DIR}); pick one with --repository`)
    .option('--repository <name>', 'with --remote-template or --remotes-dir: the repository of the set (default with --remotes-dir: the only one there)');
}

/**
 * The remote the flags name (--remote, or one repository of --remote-template/--remotes-dir,
 * else the embedded default) with its forge, and the arguments that name it. The embedded
 * default is created only by commands that write a tree (`createDefault`): a command that reads
 * or reviews what was published would otherwise act on a new, empty repository.
 */
export async function commandTargetFromFlags(flags: TargetFlags, createDefault = false): Promise<CommandTarget> {
  checkUrlFlags(flags);
  const target = await resolveTarget({
    remote: flags.remote,
    remoteTemplate: flags.remoteTemplate,
    remotesDir: flags.remotesDir,
    repository: flags.repository,
    forge: flags.forge,
    forgeUrl: flags.forgeUrl,
    forgeRepo: flags.forgeRepo,
    branch: flags.branch,
    createDefault,
  });
  return { ...target, targetArgs: targetArgsFrom(flags, target.repository) };
}

/** The flags that name the repository, in the order `nephoran ... --help` lists them. */
export function targetArgsFrom(flags: TargetFlags, repository?: string): string[] {
  const args: string[] = [];
  const add = (name: string, value: string | undefined) => { if (value !== undefined) args.push(name, value); };
  add('--remote', flags.remote);
  add('--remote-template', flags.remoteTemplate);
  add('--remotes-dir', flags.remotesDir);
  add('--repository', repository);
  if (flags.branch !== 'main') add('--branch', flags.branch);
  add('--cache', flags.cache);
  add('--forge', flags.forge);
  add('--forge-url', flags.forgeUrl);
  add('--forge-repo', flags.forgeRepo);
  add('--policy', flags.policy);
  return args;
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

/** The remote and forge the flags name. Tokens come from the environment only, never from a URL. */
export function targetFromFlags(flags: TargetFlags): Promise<Target> {
  checkUrlFlags(flags);
  return resolveTarget({ remote: flags.remote, forge: flags.forge, forgeUrl: flags.forgeUrl, forgeRepo: flags.forgeRepo, branch: flags.branch });
}

/** Refuses a credential in any URL flag, before anything runs; the message never shows it. */
export function checkUrlFlags(flags: TargetFlags & { readonly remoteTemplate?: string }): void {
  if (flags.remote) checkRemoteUrl(flags.remote, '--remote');
  if (flags.forgeUrl) checkRemoteUrl(flags.forgeUrl, '--forge-url');
  if (flags.remoteTemplate) checkRemoteUrl(flags.remoteTemplate, '--remote-template');
}

/** Hints (things to fix outside the command) go to stderr, with or without --json. */
export function printHints(hints: readonly string[] | undefined): void {
  for (const hint of hints ?? []) process.stderr.write(`nephoran: hint: ${hint}\n`);
}

/** Progress lines go to stderr, so that stdout holds only the result. */
export function progress(line: string): void {
  process.stderr.write(`nephoran: ${line}\n`);
}

/** The flags of `nephoran publish`. */
interface PublishFlags extends TargetFlags {
  readonly mode: PublishMode;
  readonly app?: string;
  readonly intent?: string;
  readonly message?: string;
  readonly author?: string;
  readonly reviewBranch?: string;
  readonly workspace?: string;
  readonly policy?: string;
  readonly verbose?: boolean;
  readonly json?: boolean;
  readonly remoteTemplate?: string;
  readonly remotesDir?: string;
  readonly concurrency: string;
  readonly base?: string;
  readonly allowRevert?: boolean;
  readonly pushDeadline: string;
}

export function registerPublishCommand(program: Command, setExitCode: (code: number) => void): void {
  addTargetOptions(program.command('publish')
    .description('synthesize the app and publish it to the deployment repository (direct, pull request or Porch proposal); an app that synthesizes several repositories publishes each to its own remote'))
    .addOption(new Option('--mode <mode>', 'how the change reaches the branch').choices([...PUBLISH_MODES]).default('direct'))
    .option('--app <command>', 'command that runs the cdk8s app (default: app of cdk8s.yaml)')
    .option(INTENT_OPTION_FLAGS, INTENT_OPTION_DESCRIPTION)
    .option('--message <text>', 'commit and pull request title')
    .option('--author <identity>', 'author as "Name <email>" (default: git config)')
    .option('--review-branch <name>', 'review branch for --mode pull-request (default: nephoran/change-<id>)')
    .option('--workspace <name>', 'Porch workspace name for --mode proposal')
    .option('--policy <file>', 'review policy YAML (default: .nephoran/review-policy on the target branch)')
    .option('--verbose', 'print progress to stderr')
    .option('--json', 'print the result as JSON')
    .option('--remote-template <url>', `several repositories: each one's remote, with ${REPOSITORY_PLACEHOLDER} where its name goes`)
    .option('--remotes-dir <dir>', `several repositories: a folder of bare repositories <dir>/<repository>.git, created on first run (default: ${DEFAULT_REMOTES_DIR})`)
    .option('--concurrency <n>', 'several repositories: how many are published at once', String(DEFAULT_PUBLISH_CONCURRENCY))
    .option('--base <commit>', 'commit of the branch the program was last synthesized against; changes landed since are never undone silently (default: what this cache last published or found unchanged)')
    .option('--allow-revert', 'publish even when the program undoes changes landed since its base; the commit records them as Reverts: trailers')
    .option('--push-deadline <seconds>', 'how long to keep trying when the branch keeps moving (other publishers)', '60')
    .action(async (flags: PublishFlags) => {
      checkUrlFlags(flags);
      const repositories = await loadRepoSet(flags);
      if (!repositories.isSingle) {
        setExitCode(await publishSeveral(repositories, flags));
        return;
      }
      if (flags.remoteTemplate || flags.remotesDir) {
        throw new GitOpsError('--remote-template and --remotes-dir are for apps that synthesize several repositories; this one synthesizes one: use --remote');
      }
      const target = await commandTargetFromFlags(flags, true);
      const tree = repositories.tree(repositories.primary);
      const result = await publish(tree, {
        ...changeOptionsFrom(flags),
        remote: target.remote,
        forge: target.forge,
        cacheDir: flags.cache,
        base: flags.base,
        targetArgs: target.targetArgs,
        retryCommand: retryCommandFrom(flags),
      });
      process.stdout.write((flags.json ? JSON.stringify(result, null, 2) : formatPublishResult(result)) + '\n');
      printHints(result.hints);
      setExitCode(0);
    });
}

/** The words that run this publish again (without --mode and the target flags), for the gate's refusal. */
function retryCommandFrom(flags: PublishFlags): string[] {
  const words = ['publish'];
  const add = (name: string, value: string | undefined) => { if (value !== undefined) words.push(name, value); };
  add('--app', flags.app);
  add('--intent', flags.intent);
  add('--message', flags.message);
  add('--author', flags.author);
  add('--base', flags.base);
  if (flags.allowRevert) words.push('--allow-revert');
  return words;
}

/** The publish options every repository shares, from the flags. */
/** The flags every command that commits shares: its message, author, review policy and progress. */
export interface CommitFlags {
  readonly message?: string;
  readonly author?: string;
  readonly policy?: string;
  readonly verbose?: boolean;
}

/** Those flags as the library's options take them. */
export function commitOptionsFrom(flags: CommitFlags) {
  return {
    message: flags.message,
    author: flags.author ? parseIdentity(flags.author) : undefined,
    reviewPolicy: flags.policy ? readReviewPolicyFile(flags.policy) : undefined,
    log: flags.verbose ? progress : undefined,
  };
}

function changeOptionsFrom(flags: PublishFlags) {
  return {
    ...commitOptionsFrom(flags),
    branch: flags.branch,
    mode: flags.mode,
    reviewBranch: flags.reviewBranch,
    workspaceName: flags.workspace,
    allowRevert: flags.allowRevert === true,
    pushDeadlineMs: pushDeadlineFrom(flags.pushDeadline),
  };
}

function pushDeadlineFrom(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) throw new GitOpsError(`--push-deadline must be a number of seconds, 0 or more; got "${value}"`);
  return Math.round(seconds * 1000);
}

/**
 * Publishes each repository of a set to its own remote: from --remote-template, else the bare
 * repositories under --remotes-dir (created on first run). Returns the exit code: 1 when any
 * repository failed.
 */
async function publishSeveral(repositories: RepoSet, flags: PublishFlags): Promise<number> {
  const several = `this app synthesizes ${repositories.size} repositories (${repositories.names.join(', ')})`;
  if (flags.remote) throw new GitOpsError(`${several}: give each its remote with --remote-template "https://git.example.com/nephio/${REPOSITORY_PLACEHOLDER}.git" or --remotes-dir <folder of bare repositories>, not --remote`);
  if (flags.cache) throw new GitOpsError(`${several}: each has its own cache folder under .nephoran/cache/; --cache names one`);
  if (flags.base) throw new GitOpsError(`${several}: --base names a commit of one repository; each repository's base is the one its cache recorded`);
  if (flags.forgeRepo) throw new GitOpsError(`${several}: --forge-repo names one repository on the forge; each repository's is read from its remote URL`);
  if (flags.remoteTemplate && flags.remotesDir) throw new GitOpsError('give --remote-template or --remotes-dir, not both');
  const concurrency = Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new GitOpsError(`--concurrency must be a whole number of at least 1; got "${flags.concurrency}"`);
  if (flags.forgeUrl && !flags.forge) throw new GitOpsError('--forge-url needs --forge github|gitea');
  if (flags.forge !== undefined && flags.forge !== 'github' && flags.forge !== 'gitea') throw new GitOpsError(`unknown forge "${flags.forge}": use github or gitea`);
  const names = repositories.names;
  const remotesDir = flags.remotesDir ?? DEFAULT_REMOTES_DIR;
  let remotes: RepositoryRemote[] = (flags.remoteTemplate
    ? remotesFromTemplate(flags.remoteTemplate, names)
    : await ensureLocalRemotes(names, remotesDir, process.cwd(), flags.branch))
    // What names each repository on the command line, for the review commands its result suggests.
    .map(r => ({ ...r, targetArgs: targetArgsFrom({ ...flags, remotesDir: flags.remoteTemplate ? undefined : remotesDir }, r.repository) }));
  if (flags.forge) {
    const kind = flags.forge as 'github' | 'gitea';
    remotes = remotes.map(r => ({ ...r, forge: createForge({ kind, apiUrl: flags.forgeUrl }, r.remote) }));
  }
  const result = await publishRepoSet(repositories, remotes, { ...changeOptionsFrom(flags), concurrency });
  process.stdout.write((flags.json ? JSON.stringify(result, null, 2) : formatMultiPublishResult(result)) + '\n');
  printHints(result.outcomes.flatMap(o => (o.result?.hints ?? []).map(h => `${o.repository}: ${h}`)));
  return result.ok ? 0 : 1;
}
