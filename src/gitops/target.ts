import * as fs from 'fs';
import * as path from 'path';
import { ensureLocalRemote } from './default-remote';
import { GitOpsError } from './errors';
import { ForgeProvider } from './forges/forge';
import { createForge } from './forges/index';
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
}

/** The remote and, when one is named, the forge provider. */
export interface Target {
  readonly remote: string;
  readonly forge?: ForgeProvider;
}

/** Resolves the remote (creating the embedded default one when none is given) and the forge. */
export async function resolveTarget(settings: TargetSettings): Promise<Target> {
  const cwd = settings.cwd ?? process.cwd();
  const remote = settings.remote ?? await ensureLocalRemote(cwd, settings.branch);
  if (settings.forge === undefined) {
    if (settings.forgeUrl || settings.forgeRepo) throw new GitOpsError('--forge-url and --forge-repo need --forge github|gitea');
    return { remote };
  }
  if (settings.forge !== 'github' && settings.forge !== 'gitea') throw new GitOpsError(`unknown forge "${settings.forge}": use github or gitea`);
  return { remote, forge: createForge({ kind: settings.forge, apiUrl: settings.forgeUrl, repository: settings.forgeRepo }, remote, settings.env ?? process.env) };
}

/** Reads a review policy file (YAML). */
export function readReviewPolicyFile(file: string, cwd: string = process.cwd()): ReviewPolicy {
  const full = path.resolve(cwd, file);
  if (!fs.existsSync(full)) throw new GitOpsError(`review policy file not found: ${full}`);
  return parseReviewPolicy(fs.readFileSync(full, 'utf8'), full);
}
