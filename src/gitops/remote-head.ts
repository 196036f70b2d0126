import * as fs from 'fs';
import * as path from 'path';
import { CREATED_BY_NEPHORAN_CONFIG } from './default-remote';
import { GitRunner } from './git';
import { shellQuote } from './hints';
import { Workspace } from './workspace';

/**
 * After `branch` landed on the remote: makes sure a `git clone` of the remote checks something
 * out. A bare repository's HEAD names `refs/heads/main` (or `master`) from `git init`; when only
 * another branch is ever pushed, clone warns "remote HEAD refers to nonexistent ref, unable to
 * checkout" and leaves an empty work tree. A bare repository nephoran created itself
 * (CREATED_BY_NEPHORAN_CONFIG) has its HEAD pointed at `branch`; for any other remote, returns a
 * one-line hint saying how to fix it, and changes nothing. Undefined when HEAD is fine.
 */
export async function checkRemoteHead(ws: Workspace, branch: string): Promise<string | undefined> {
  const local = localBareRepository(ws.remote);
  if (local) {
    const git = new GitRunner({ cwd: local });
    const head = await git.tryText(['symbolic-ref', '--quiet', 'HEAD']);
    if (head && await git.tryText(['rev-parse', '--verify', '--quiet', `${head}^{commit}`])) return undefined;
    if (!await git.tryText(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`])) return undefined;
    if (await git.tryText(['config', '--get', CREATED_BY_NEPHORAN_CONFIG]) === 'true') {
      await git.run(['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
      ws.log(`pointed the HEAD of ${local} at ${branch}, so that a clone checks it out`);
      return undefined;
    }
    return headHint(head ?? 'HEAD', branch, `git --git-dir=${shellQuote(local)} symbolic-ref HEAD refs/heads/${branch}`);
  }
  // A server advertises HEAD only when it names an existing branch.
  const advertised = await ws.git.tryText(['ls-remote', '--symref', 'origin', 'HEAD']);
  if (advertised) return undefined;
  return headHint(undefined, branch, `on the server, git --git-dir=<repository>.git symbolic-ref HEAD refs/heads/${branch}; on a forge, make ${branch} the default branch in the repository's settings`);
}

function headHint(head: string | undefined, branch: string, fix: string): string {
  return `the remote's HEAD ${head ? `names ${head}, which does not exist` : 'names no existing branch'}: git clone warns "remote HEAD refers to nonexistent ref" and checks nothing out. Point it at ${branch}: ${fix}`;
}

/** The folder of a bare repository the remote names on this machine, or undefined (a URL). */
function localBareRepository(remote: string): string | undefined {
  const dir = remote.startsWith('file://') ? decodeURIComponent(remote.slice('file://'.length)) : remote;
  if (!path.isAbsolute(dir)) return undefined;
  return fs.existsSync(path.join(dir, 'HEAD')) && fs.existsSync(path.join(dir, 'objects')) ? dir : undefined;
}
