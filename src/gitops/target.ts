import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_REMOTE_DIR, ensureLocalRemote } from './default-remote';
import { GitOpsError } from './errors';
import { ForgeProvider } from './forges/forge';
import { createForge } from './forges/index';
import { localRepositories, remotesFromTemplate } from './multi-publish';
import { parseReviewPolicy, ReviewPolicy } from './review-gate';

/** Where to publish, as a command line gives it. */
export interface TargetSettings {
  /** @default - the embedded default remote, `.nephoran/remote.git` under `cwd` (created on first use) */
  readonly remote?: string;
  /** @default process.cwd() */
  readonly cwd?: string;
  /** @default - no forge */
  readonly forge?: string;
  readonly forgeUrl?: string;
  readonly forgeRepo?: string;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * The branch to publish: the embedded default remote, when created, starts with its HEAD
   * there, so that a clone checks it out. @default 'main'
   */
  readonly branch?: string;
  /**
   * One repository of a set whose remotes a URL template names (`{repository}` where the name
   * goes); pick it with `repository`. @default - not a set
   */
  readonly remoteTemplate?: string;
  /**
   * One repository of a set of bare repositories `<dir>/<repository>.git` (as publish created
   * them; never created here); pick it with `repository`. @default - not a set
   */
  readonly remotesDir?: string;
  /** The repository of the set. @default - with `remotesDir`, the only repository there */
  readonly repository?: string;
  /**
   * Create the embedded default remote when no remote is named and it does not exist yet (a
   * command that publishes). Otherwise that is an error: reading or reviewing an empty new
   * repository would only mislead.
   * @default true
   */
  readonly createDefault?: boolean;
}

/** The remote and, when one is named, the forge provider. */
export interface Target {
  readonly remote: string;
  readonly forge?: ForgeProvider;
  /** The repository of a set the remote is (with `remoteTemplate` or `remotesDir`). */
  readonly repository?: string;
}

/**
 * Resolves the remote (creating the embedded default one when none is given, if allowed), or
 * one repository of a set, and the forge.
 */
export async function resolveTarget(settings: TargetSettings): Promise<Target> {
  const cwd = settings.cwd ?? process.cwd();
  const { remote, repository } = await resolveRemote(settings, cwd);
  const target = await resolveForge(settings, remote);
  return repository === undefined ? target : { ...target, repository };
}

async function resolveRemote(settings: TargetSettings, cwd: string): Promise<{ remote: string; repository?: string }> {
  if (settings.remoteTemplate || settings.remotesDir) {
    if (settings.remoteTemplate && settings.remotesDir) throw new GitOpsError('give --remote-template or --remotes-dir, not both');
    if (settings.remote) throw new GitOpsError('give --remote (one repository) or --remote-template/--remotes-dir with --repository (one of a set), not both');
    if (settings.remoteTemplate) {
      if (!settings.repository) throw new GitOpsError('--remote-template names several repositories: pick one with --repository <name>');
      return { remote: remotesFromTemplate(settings.remoteTemplate, [settings.repository])[0].remote, repository: settings.repository };
    }
    const dir = settings.remotesDir!;
    const names = localRepositories(dir, cwd);
    const repository = settings.repository ?? (names.length === 1 ? names[0] : undefined);
    if (repository === undefined) {
      throw new GitOpsError(names.length === 0
        ? `${dir} holds no repository (<name>.git): publish the app with --remotes-dir ${dir} first`
        : `${dir} holds ${names.length} repositories (${names.join(', ')}): pick one with --repository <name>`);
    }
    const remote = path.resolve(cwd, dir, `${repository}.git`);
    // Never created here: a misspelt name would make an empty repository.
    if (!names.includes(repository)) {
      throw new GitOpsError(`no repository "${repository}" in ${dir} (no ${remote}); ${names.length ? `it holds ${names.join(', ')}` : 'it holds none: publish the app with --remotes-dir first'}`);
    }
    return { remote, repository };
  }
  if (settings.repository) throw new GitOpsError('--repository picks a repository of --remote-template or --remotes-dir; give one of them');
  if (settings.remote) return { remote: settings.remote };
  if (settings.createDefault === false && !fs.existsSync(path.join(cwd, DEFAULT_REMOTE_DIR, 'HEAD'))) {
    throw new GitOpsError(`nothing was published to the embedded remote ${DEFAULT_REMOTE_DIR} of this folder: name the repository as publish did, with --remote <url>, or --remotes-dir <dir> / --remote-template <url> with --repository <name>`);
  }
  return { remote: await ensureLocalRemote(cwd, settings.branch) };
}

async function resolveForge(settings: TargetSettings, remote: string): Promise<Target> {
  if (settings.forge === undefined) {
    if (settings.forgeUrl || settings.forgeRepo) throw new GitOpsError('--forge-url and --forge-repo need --forge github|gitea');
    return { remote };
  }
  if (settings.forge !== 'github' && settings.forge !== 'gitea') throw new GitOpsError(`unknown forge "${settings.forge}": use github or gitea`);
  const forge = createForge({ kind: settings.forge, apiUrl: settings.forgeUrl, repository: settings.forgeRepo }, remote, settings.env ?? process.env);
  return { remote, forge };
}

/** Reads a review policy file (YAML). */
export function readReviewPolicyFile(file: string, cwd: string = process.cwd()): ReviewPolicy {
  const full = path.resolve(cwd, file);
  if (!fs.existsSync(full)) throw new GitOpsError(`review policy file not found: ${full}`);
  return parseReviewPolicy(fs.readFileSync(full, 'utf8'), full);
}
