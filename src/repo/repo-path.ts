import * as posix from 'path/posix';

/** Relative, "/"-separated, no empty segment, no backslash or NUL, not a drive, not into .git. */
const CANONICAL_PATH = /^(?!\.git(?:\/|$))(?![A-Za-z]:)[^/\\\0]+(?:\/[^/\\\0]+)*$/;
/** A "." or ".." segment. */
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

/**
 * Checks a repository-relative path and returns it in canonical form (POSIX separators, no `./`).
 * Returns an error message instead when the path is absolute, escapes the repository with `..`,
 * or reaches into `.git`.
 */
export function checkRepoPath(path: string): { path: string } | { error: string } {
  // Most paths are canonical already (every lookup of a synthesized tree passes one): accept
  // those without splitting and normalizing them.
  if (typeof path === 'string' && CANONICAL_PATH.test(path) && !DOT_SEGMENT.test(path)) return { path };
  if (typeof path !== 'string' || path.length === 0) return { error: 'must be a non-empty repository-relative path' };
  if (path.includes('\\')) return { error: `"${path}" must use "/" as separator` };
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return { error: `"${path}" must be relative to the repository root, not absolute` };
  if (path.includes('\0')) return { error: `"${path}" must not contain NUL characters` };
  const segments = path.split('/');
  if (segments.includes('..')) return { error: `"${path}" must stay inside the repository (no ".." segments)` };
  const normal = posix.normalize(path).replace(/\/+$/, '');
  if (normal === '.' || normal === '') return { error: `"${path}" names the repository root, not a path inside it` };
  if (normal.split('/')[0] === '.git') return { error: `"${path}" must not write into .git` };
  return { path: normal };
}

/** Like checkRepoPath, but throws the error message. */
export function normalizeRepoPath(path: string): string {
  const result = checkRepoPath(path);
  if ('error' in result) throw new Error(`invalid repository path: ${result.error}`);
  return result.path;
}
