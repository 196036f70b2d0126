/** One file of a commit, as `git ls-tree` lists it. */
export interface TreeEntry {
  readonly mode: string;
  /** `blob`, or `commit` for a submodule. */
  readonly type: string;
  readonly id: string;
}

/** The new state of a file: its git id, and its bytes when they are not in the repository yet. */
export interface BlobRef {
  readonly id: string;
  readonly content?: Buffer;
  /** @default '100644' */
  readonly mode?: string;
}

/** Writes or removes one file. */
export interface FileOp {
  readonly path: string;
  /** The new file; undefined removes it. */
  readonly after?: BlobRef;
}

/** All files of one commit, by path. */
export class TreeSnapshot {
  private folderSet?: Set<string>;

  constructor(
    /** The commit, or undefined for a branch that does not exist yet. */
    public readonly commit: string | undefined,
    private readonly entries: ReadonlyMap<string, TreeEntry>,
  ) {}

  public get(path: string): TreeEntry | undefined {
    return this.entries.get(path);
  }

  public has(path: string): boolean {
    return this.entries.has(path);
  }

  public paths(): IterableIterator<string> {
    return this.entries.keys();
  }

  public get size(): number {
    return this.entries.size;
  }

  /** True when a folder of that path holds files. */
  public isFolder(path: string): boolean {
    if (!this.folderSet) {
      this.folderSet = new Set();
      for (const file of this.entries.keys()) {
        for (let i = file.indexOf('/'); i > 0; i = file.indexOf('/', i + 1)) this.folderSet.add(file.slice(0, i));
      }
    }
    return this.folderSet.has(path);
  }

  /** Files below a folder. */
  public filesUnder(folder: string): string[] {
    const prefix = folder + '/';
    return [...this.entries.keys()].filter(p => p.startsWith(prefix));
  }

  /** Folders holding a file named `Kptfile`: kpt packages. */
  public packageFolders(): string[] {
    const result: string[] = [];
    for (const file of this.entries.keys()) {
      if (file === 'Kptfile') result.push('');
      else if (file.endsWith('/Kptfile')) result.push(file.slice(0, -'/Kptfile'.length));
    }
    return result;
  }
}
