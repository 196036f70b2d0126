import { parseAllDocuments } from 'yaml';
import { compareStrings } from './compare';
import { normalizeRepoPath } from './repo-path';
import { toYamlDocuments } from './yaml-output';

/** What a pinned field receives from the published revision of the package it is bound to. */
export type RevisionValue = 'tag' | 'commit' | 'revision' | 'workspaceName';

/** One field of a bound file and the part of the revision it takes. */
export interface RevisionField {
  /** Field path inside the file's one YAML document, e.g. `['upstreamLock', 'git', 'commit']`. */
  readonly field: readonly string[];
  readonly value: RevisionValue;
}

/**
 * A file whose content names a published revision of a package: a variant's Kptfile (its
 * upstream ref and lock commit) or a PackageVariantSet (the upstream revision it pins). Synth
 * cannot know the revision (it knows no remote); the publisher resolves it against the remote's
 * revision tags and rewrites the fields. Kept beside the files, never as a file of the repository.
 */
export interface RevisionBinding {
  /** The bound file (one YAML document). */
  readonly path: string;
  /** The folder of the upstream package (in `repository`). */
  readonly upstream: string;
  /**
   * The repository of a set holding the upstream package.
   * @default - the repository holding the bound file
   */
  readonly repository?: string;
  readonly fields: readonly RevisionField[];
}

/** A published revision of a package: Porch's tag `<package path>/v<N>` on the commit holding it. */
export interface PackageRevision {
  readonly packagePath: string;
  readonly revision: number;
  /** `<package path>/v<N>`. */
  readonly tag: string;
  /** The commit the tag points at. */
  readonly commit: string;
  /**
   * The workspace name Porch gives the revision: the `kpt:` line of the tagged commit when it has
   * one for the package (a Porch approval), else `v<N>`.
   */
  readonly workspaceName: string;
}

/** The revision tag of a package: `<package path>/v<N>`, as Porch names published revisions. */
export function revisionTag(packagePath: string, revision: number): string {
  return `${packagePath}/v${revision}`;
}

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
  private readonly bindings = new Map<string, RevisionBinding>();
  /** The sorted paths, kept until a file is added or removed: every check and sink lists them. */
  private sortedPaths?: string[];

  /**
   * Adds a file. Throws when the path is invalid (absolute, `..`, `.git`), already taken, or
   * when a file and a folder would share a name.
   */
  public addFile(path: string, content: string | Uint8Array): void {
    const normal = normalizeRepoPath(path);
    if (this.files.has(normal)) throw new Error(`two files at one path: "${normal}"`);
    this.files.set(normal, typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content));
    this.sortedPaths = undefined;
  }

  /** Replaces or adds a file. */
  public setFile(path: string, content: string | Uint8Array): void {
    const normal = normalizeRepoPath(path);
    if (!this.files.has(normal)) this.sortedPaths = undefined;
    this.files.set(normal, typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content));
  }

  public removeFile(path: string): boolean {
    const normal = normalizeRepoPath(path);
    this.bindings.delete(normal);
    const removed = this.files.delete(normal);
    if (removed) this.sortedPaths = undefined;
    return removed;
  }

  /**
   * Records that a file names a published revision of a package (see RevisionBinding). A file
   * has at most one binding; binding it again replaces the previous one.
   */
  public bindRevision(binding: RevisionBinding): void {
    const path = normalizeRepoPath(binding.path);
    if (binding.fields.length === 0) throw new Error(`revision binding of "${path}" pins no field`);
    this.bindings.set(path, { ...binding, path, upstream: binding.upstream.replace(/^\/+|\/+$/g, '') });
  }

  /** The revision bindings, sorted by path. */
  public revisionBindings(): RevisionBinding[] {
    return [...this.bindings.values()].sort((a, b) => comparePaths(a.path, b.path));
  }

  /**
   * A copy of the tree in which every bound file whose revision `resolve` knows names that
   * revision. Bindings it does not resolve leave their file as it is and stay bound in the copy.
   */
  public withRevisions(resolve: (binding: RevisionBinding) => PackageRevision | undefined): RepoTree {
    const copy = new RepoTree();
    for (const [path, content] of this.files) copy.files.set(path, content);
    copy.sortedPaths = this.sortedPaths;
    for (const binding of this.bindings.values()) {
      const content = this.files.get(binding.path);
      const revision = content ? resolve(binding) : undefined;
      if (!content || !revision) {
        copy.bindings.set(binding.path, binding);
        continue;
      }
      copy.files.set(binding.path, Buffer.from(pinRevisionFields(content.toString('utf8'), binding, revision), 'utf8'));
    }
    return copy;
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
    this.sortedPaths ??= [...this.files.keys()].sort(comparePaths);
    return [...this.sortedPaths];
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

/** The file's one YAML document with the bound fields set from the revision, written as synth writes it. */
export function pinRevisionFields(text: string, binding: RevisionBinding, revision: PackageRevision): string {
  const docs = parseAllDocuments(text);
  if (docs.length !== 1 || docs[0].errors.length > 0) throw new Error(`"${binding.path}" is bound to a package revision but is not one YAML document`);
  const object = docs[0].toJS() as Record<string, any>;
  if (object === null || typeof object !== 'object') throw new Error(`"${binding.path}" is bound to a package revision but holds no object`);
  for (const { field, value } of binding.fields) {
    let node: Record<string, any> = object;
    for (const key of field.slice(0, -1)) {
      if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
      node = node[key];
    }
    node[field[field.length - 1]] = revision[value === 'revision' ? 'revision' : value];
  }
  return toYamlDocuments([object]);
}

/** Byte-wise comparison of paths: stable across locales. */
export const comparePaths: (a: string, b: string) => number = compareStrings;
