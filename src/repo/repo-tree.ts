import { normalizeRepoPath } from './repo-path';

/**
 * The synthesized repository, in memory: repo-relative path -> bytes.
 *
 * Everything downstream (validation, diff, the folder writer, the git publisher) takes a RepoTree.
 * Iteration is always in sorted path order, so whatever consumes it is deterministic.
 */
export class RepoTree {
  /** Builds a tree from a plain record of path -> content. */
  public static fromRecord(files: Record<string, string | Uint8Array>): RepoTree {
    const tree = new RepoTree();
    for (const [path, content] of Object.entries(files)) tree.addFile(path, content);
    return tree;
  }

  private readonly files = new Map<string, Buffer>();

  /**
   * Adds a file. Throws when the path is invalid (absolute, `..`, `.git`), already taken, or
   * when a file and a folder would share a name.
   */
  public addFile(path: string, content: string | Uint8Array): void {
    const normal = normalizeRepoPath(path);
    if (this.files.has(normal)) throw new Error(`two files at one path: "${normal}"`);
    this.files.set(normal, typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content));
  }

  /** Replaces or adds a file. */
  public setFile(path: string, content: string | Uint8Array): void {
    const normal = normalizeRepoPath(path);
    this.files.set(normal, typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content));
  }

  public removeFile(path: string): boolean {
    return this.files.delete(normalizeRepoPath(path));
  }

  public has(path: string): boolean {
    return this.files.has(path);
  }

  public get(path: string): Buffer | undefined {
    return this.files.get(path);
  }

  public getText(path: string): string | undefined {
    return this.files.get(path)?.toString('utf8');
  }

  /** Number of files. */
  public get size(): number {
    return this.files.size;
  }

  /** All paths, sorted. */
  public paths(): string[] {
    return [...this.files.keys()].sort(comparePaths);
  }

  /** All [path, content] pairs, sorted by path. */
  public entries(): Array<[string, Buffer]> {
    return this.paths().map(p => [p, this.files.get(p)!]);
  }

  /** Paths below a folder (`prefix/`), sorted. */
  public pathsUnder(folder: string): string[] {
    const prefix = folder.endsWith('/') ? folder : folder + '/';
    return this.paths().filter(p => p.startsWith(prefix));
  }

  /** A file and a folder with the same name cannot both exist on disk. */
  public findPathConflicts(): string[] {
    const conflicts: string[] = [];
    for (const path of this.files.keys()) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) {
        const parent = parts.slice(0, i).join('/');
        if (this.files.has(parent)) conflicts.push(`"${parent}" is a file but "${path}" needs it to be a folder`);
      }
    }
    return conflicts.sort();
  }

  /** True when both trees hold the same paths with the same bytes. */
  public equals(other: RepoTree): boolean {
    if (other.size !== this.size) return false;
    for (const [path, content] of this.files) {
      const theirs = other.files.get(path);
      if (!theirs || !theirs.equals(content)) return false;
    }
    return true;
  }
}

/** Byte-wise comparison of paths: stable across locales. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
