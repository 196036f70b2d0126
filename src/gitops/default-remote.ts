import * as fs from 'fs';
import * as path from 'path';
import { GitRunner } from './git';

/** Where the embedded default remote lives under the project root. */
export const DEFAULT_REMOTE_DIR = '.nephoran/remote.git';

/**
 * The git config key nephoran sets in the bare repositories it creates itself, which allows it to
 * point their HEAD at the branch it publishes (see remote-head.ts); repositories it did not
 * create are never changed, only reported.
 */
export const CREATED_BY_NEPHORAN_CONFIG = 'nephoran.created';

/**
 * The embedded default remote: a bare repository at `.nephoran/remote.git` under the project
 * root, created on first use with its HEAD on `branch`, so that a clone checks that branch out.
 * Returns its absolute path.
 */
export async function ensureLocalRemote(projectRoot: string = process.cwd(), branch: string = 'main'): Promise<string> {
  const dir = path.resolve(projectRoot, DEFAULT_REMOTE_DIR);
  await ensureBareRepository(dir, branch);
  return dir;
}

/**
 * A bare repository at `dir`, created when missing with its HEAD on `branch` and marked as
 * created by nephoran. Returns true when it was created.
 */
export async function ensureBareRepository(dir: string, branch: string = 'main'): Promise<boolean> {
  if (fs.existsSync(path.join(dir, 'HEAD'))) return false;
  fs.mkdirSync(dir, { recursive: true });
  const git = new GitRunner({ cwd: dir });
  await git.run(['init', '--quiet', '--bare', `--initial-branch=${branch}`]);
  await git.run(['config', CREATED_BY_NEPHORAN_CONFIG, 'true']);
  return true;
}
