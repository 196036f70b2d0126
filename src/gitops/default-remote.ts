import * as fs from 'fs';
import * as path from 'path';
import { GitRunner } from './git';

/** Where the embedded default remote lives under the project root. */
export const DEFAULT_REMOTE_DIR = '.nephoran/remote.git';

/**
 * The embedded default remote: a bare repository at `.nephoran/remote.git` under the project
 * root, created (initial branch main) on first use. Returns its absolute path.
 */
export async function ensureLocalRemote(projectRoot: string = process.cwd()): Promise<string> {
  const dir = path.resolve(projectRoot, DEFAULT_REMOTE_DIR);
  if (!fs.existsSync(path.join(dir, 'HEAD'))) {
    fs.mkdirSync(dir, { recursive: true });
    await new GitRunner({ cwd: dir }).run(['init', '--quiet', '--bare', '--initial-branch=main']);
  }
  return dir;
}
