import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { FolderWriteResult, readOwnedPaths, readTreeFromFolder, writeTreeToFolder } from './folder-writer';
import { DNS1123_LABEL as DNS_LABEL } from './names';
import { OWNERSHIP_MANIFEST_PATH } from './ownership';
import { comparePaths, RepoTree, RevisionBinding } from './repo-tree';
import { SynthContext } from './synth-context';
import { SynthError, SynthProblem } from './synth-error';

/** The name a lone repository gets when nothing declared a name for it. */
export const DEFAULT_REPOSITORY_NAME = 'repository';

/**
 * Where the list of repositories lives in a folder holding several of them (`<outdir>/<name>/`).
 * Not a .yaml/.json file, and outside every repository folder.
 */
export const REPOSITORY_SET_MANIFEST_PATH = '.nephoran/repositories';

/**
 * Where a written folder keeps the revision bindings of its repositories (RepoTree.bindRevision),
 * so that a publish reading the folder back can resolve them: beside the list of repositories,
 * outside every repository (for a single repository, in its `.nephoran/`, which it does not own
 * and never publishes). JSON without a .json name: ConfigSync reads only .yaml, .yml and .json.
 */
export const REVISION_BINDINGS_PATH = '.nephoran/revision-bindings';

const MANIFEST_HEADER = '# Repositories written by nephoran-gitops into this folder, one per line; the first is the primary (management) repository.';

/** One repository among those a synth produces, and the folder of the synthesized tree it takes. */
export interface RepositoryDeclaration {
  /** Repository name (DNS-1123 label): its folder in a written set and its remote's name. */
  readonly name: string;
  /**
   * The folder of the synthesized tree that holds this repository's files; `''` for the primary
   * repository, which receives every file outside the other repositories' folders.
   */
  readonly folder: string;
}

interface Declared extends RepositoryDeclaration {
  readonly owner: string;
}

const declarationsByContext = new WeakMap<SynthContext, Declared[]>();

/**
 * Declares that the files under `folder` of the synthesized tree form a repository of their own,
 * named `name`, with the folder as its root. Call while rendering (a contributor's
 * `_renderRepoFiles`). A synth without declarations produces one repository, as before; a synth
 * with declarations produces a RepoSet. Mistakes are reported as synth problems of `owner`.
 */
export function declareRepository(context: SynthContext, declaration: RepositoryDeclaration, owner: IConstruct): void {
  let list = declarationsByContext.get(context);
  if (!list) declarationsByContext.set(context, list = []);
  const where = owner.node.path;
  if (typeof declaration.name !== 'string' || !DNS_LABEL.test(declaration.name) || declaration.name.length > 63) {
    context.problems.add(where, 'repository', `repository name ${JSON.stringify(declaration.name)} must be a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters): it names a folder and a remote`);
    return;
  }
  const folder = declaration.folder.replace(/^\/+|\/+$/g, '');
  for (const other of list) {
    if (other.name === declaration.name) {
      context.problems.add(where, 'repository', `two repositories named "${declaration.name}" (also declared by ${other.owner}); repository names are unique`);
      return;
    }
    if (other.folder === folder || (folder !== '' && other.folder !== '' && (isInside(folder, other.folder) || isInside(other.folder, folder)))) {
      context.problems.add(where, 'repository', `repository "${declaration.name}" at "${folder || '/'}" overlaps repository "${other.name}" at "${other.folder || '/'}" (declared by ${other.owner}); each file belongs to one repository`);
      return;
    }
  }
  list.push({ name: declaration.name, folder, owner: where });
}

/** The repositories declared in a synth, the primary one first. */
export function declaredRepositories(context: SynthContext): RepositoryDeclaration[] {
  const list = declarationsByContext.get(context) ?? [];
  return [...list].sort((a, b) => (a.folder === '' ? -1 : b.folder === '' ? 1 : comparePaths(a.name, b.name)))
    .map(({ name, folder }) => ({ name, folder }));
}

/**
 * Several repositories synthesized together: repository name -> RepoTree. The primary
 * (management) repository comes first, the others follow by name, so whatever iterates a set is
 * deterministic. A set of one repository is what a synth without declarations produces.
 */
export class RepoSet {
  /** A set holding one repository. */
  public static single(tree: RepoTree, name: string = DEFAULT_REPOSITORY_NAME): RepoSet {
    return new RepoSet(name, new Map([[name, tree]]));
  }

  /** A set of repositories given as name -> tree; `primary` must be one of them. */
  public static fromTrees(primary: string, trees: Record<string, RepoTree>): RepoSet {
    for (const name of Object.keys(trees)) {
      if (!DNS_LABEL.test(name) || name.length > 63) throw new Error(`repository name ${JSON.stringify(name)} must be a DNS-1123 label`);
    }
    if (!(primary in trees)) throw new Error(`the primary repository "${primary}" is not among ${Object.keys(trees).join(', ') || 'no repositories'}`);
    return new RepoSet(primary, new Map(Object.entries(trees)));
  }

  /**
   * Splits a synthesized tree into the declared repositories: each file goes to the repository
   * whose folder holds it, with that folder removed from its path; files outside every folder go
   * to the primary repository (folder `''`). Without declarations the whole tree is one
   * repository. Throws a SynthError when files fall outside every repository.
   */
  public static partition(tree: RepoTree, declarations: readonly RepositoryDeclaration[]): RepoSet {
    if (declarations.length === 0) return RepoSet.single(tree);
    const primary = declarations.find(d => d.folder === '');
    const repositoryOf = (file: string): { name: string; path: string } | undefined => {
      const owner = owningFolder(file, byFolder);
      if (owner !== undefined) return { name: byFolder.get(owner)!, path: file.slice(owner.length + 1) };
      return primary ? { name: primary.name, path: file } : undefined;
    };
    const byFolder = new Map(declarations.filter(d => d.folder !== '').map(d => [d.folder, d.name] as const));
    const trees = new Map<string, RepoTree>();
    for (const d of declarations) trees.set(d.name, new RepoTree());
    const orphans: string[] = [];
    for (const [file, content] of tree.entries()) {
      const owner = owningFolder(file, byFolder);
      if (owner !== undefined) trees.get(byFolder.get(owner)!)!.addFile(file.slice(owner.length + 1), content);
      else if (primary) trees.get(primary.name)!.addFile(file, content);
      else orphans.push(file);
    }
    if (orphans.length > 0) {
      const problems: SynthProblem[] = orphans.map(file => ({
        path: file, field: 'path', message: `the file is in none of the repositories (${declarations.map(d => `${d.name} at "${d.folder}"`).join(', ')}) and no primary repository takes the rest`,
      }));
      throw new SynthError(problems);
    }
    // A binding moves with its file; its upstream is named by repository and path inside it.
    for (const binding of tree.revisionBindings()) {
      const file = repositoryOf(binding.path);
      const upstream = repositoryOf(binding.upstream + '/Kptfile');
      if (!file || !upstream || binding.repository !== undefined) continue;
      trees.get(file.name)!.bindRevision({
        ...binding,
        path: file.path,
        upstream: upstream.path.slice(0, -'/Kptfile'.length),
        ...(upstream.name !== file.name ? { repository: upstream.name } : {}),
      });
    }
    const primaryName = primary?.name ?? [...trees.keys()].sort(comparePaths)[0];
    return new RepoSet(primaryName, trees);
  }

  private readonly trees: Map<string, RepoTree>;

  private constructor(
    /** The primary (management) repository: the one a single-repository publish would target. */
    public readonly primary: string,
    trees: Map<string, RepoTree>,
  ) {
    const names = [...trees.keys()].filter(n => n !== primary).sort(comparePaths);
    this.trees = new Map([[primary, trees.get(primary)!], ...names.map(n => [n, trees.get(n)!] as const)]);
  }

  /** Repository names, the primary one first, the others sorted. */
  public get names(): string[] {
    return [...this.trees.keys()];
  }

  /** Number of repositories. */
  public get size(): number {
    return this.trees.size;
  }

  /** True when the set holds one repository (what the single-repository layout synthesizes). */
  public get isSingle(): boolean {
    return this.trees.size === 1;
  }

  /** Files across every repository. */
  public get fileCount(): number {
    let count = 0;
    for (const tree of this.trees.values()) count += tree.size;
    return count;
  }

  public has(name: string): boolean {
    return this.trees.has(name);
  }

  /** The tree of one repository; throws naming the known ones when there is none of that name. */
  public tree(name: string): RepoTree {
    const tree = this.trees.get(name);
    if (!tree) throw new Error(`no repository named "${name}" in this set; it holds ${this.names.join(', ')}`);
    return tree;
  }

  /** [name, tree] pairs, the primary repository first. */
  public entries(): Array<[string, RepoTree]> {
    return [...this.trees.entries()];
  }

  /** True when both sets hold the same repositories with the same files. */
  public equals(other: RepoSet): boolean {
    if (other.primary !== this.primary || other.size !== this.size) return false;
    return this.entries().every(([name, tree]) => other.has(name) && other.tree(name).equals(tree));
  }
}

/** The RepoSet of a finished synth: its tree split along the repositories declared while rendering. */
export function repoSetOf(context: SynthContext): RepoSet {
  return RepoSet.partition(context.tree, declaredRepositories(context));
}

/** What writing a set changed, per repository. */
export interface RepoSetWriteResult {
  /** Each repository's folder write, by name. */
  readonly repositories: Record<string, FolderWriteResult>;
  /** Repositories of the previous write that the set no longer has: their generated files were removed. */
  readonly removedRepositories: readonly string[];
}

/**
 * Writes a set into a folder. A single repository is written into the folder itself, exactly as
 * writeTreeToFolder does; several are written each into `<outdir>/<name>/`, each atomically and
 * owning only what it wrote, plus the list of repositories (`.nephoran/repositories`). A
 * repository of the previous write that the set no longer has loses its generated files; its
 * folder goes when nothing a person added is left in it.
 */
export function writeRepoSetToFolder(set: RepoSet, outdir: string): RepoSetWriteResult {
  const target = path.resolve(outdir);
  const previous = readRepositoryNames(target);
  if (set.isSingle) {
    if (previous.length > 0) {
      throw new Error(`refusing to write one repository into ${target}: it holds ${previous.length} repositories written earlier (${previous.join(', ')}); write into an empty folder or remove ${REPOSITORY_SET_MANIFEST_PATH} and their folders there`);
    }
    const result = writeTreeToFolder(set.tree(set.primary), target);
    writeRevisionBindings(set, target);
    return { repositories: { [set.primary]: result }, removedRepositories: [] };
  }
  if (readOwnedPaths(target).length > 0 || fs.existsSync(path.join(target, ...OWNERSHIP_MANIFEST_PATH.split('/')))) {
    throw new Error(`refusing to write ${set.size} repositories into ${target}: it holds a single repository written earlier; write into an empty folder or remove ${OWNERSHIP_MANIFEST_PATH} there`);
  }
  const results: Record<string, FolderWriteResult> = {};
  for (const [name, tree] of set.entries()) results[name] = writeTreeToFolder(tree, path.join(target, name));
  const removed = previous.filter(name => !set.has(name));
  for (const name of removed) {
    const folder = path.join(target, name);
    writeTreeToFolder(new RepoTree(), folder);
    removeIfOnlyManifest(folder);
  }
  const manifest = path.join(target, ...REPOSITORY_SET_MANIFEST_PATH.split('/'));
  fs.mkdirSync(path.dirname(manifest), { recursive: true });
  fs.writeFileSync(manifest, [MANIFEST_HEADER, ...set.names].join('\n') + '\n');
  writeRevisionBindings(set, target);
  return { repositories: results, removedRepositories: removed };
}

/**
 * Reads back what writeRepoSetToFolder wrote: several repositories when the folder lists them,
 * else the single repository written into the folder itself.
 */
export function readRepoSetFromFolder(outdir: string): RepoSet {
  const names = readRepositoryNames(outdir);
  const set = names.length === 0
    ? RepoSet.single(readTreeFromFolder(outdir))
    : RepoSet.fromTrees(names[0], Object.fromEntries(names.map(name => [name, readTreeFromFolder(path.join(outdir, name))] as const)));
  readRevisionBindings(set, outdir);
  return set;
}

/** Writes the set's revision bindings beside it (or removes a stale record when it has none). */
function writeRevisionBindings(set: RepoSet, target: string): void {
  const file = path.join(target, ...REVISION_BINDINGS_PATH.split('/'));
  const record: Record<string, RevisionBinding[]> = {};
  for (const [name, tree] of set.entries()) {
    const bindings = tree.revisionBindings();
    if (bindings.length > 0) record[name] = bindings;
  }
  if (Object.keys(record).length === 0) {
    fs.rmSync(file, { force: true });
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ repositories: record }, null, 1) + '\n');
}

/** Attaches the bindings a write recorded to the trees read back (single: recorded under its name or any). */
function readRevisionBindings(set: RepoSet, outdir: string): void {
  const file = path.join(outdir, ...REVISION_BINDINGS_PATH.split('/'));
  if (!fs.existsSync(file)) return;
  const record = JSON.parse(fs.readFileSync(file, 'utf8'))?.repositories ?? {};
  for (const [name, bindings] of Object.entries(record) as Array<[string, RevisionBinding[]]>) {
    const treeName = set.has(name) ? name : set.isSingle ? set.primary : undefined;
    if (!treeName) continue;
    const tree = set.tree(treeName);
    for (const binding of bindings) if (tree.has(binding.path)) tree.bindRevision(binding);
  }
}

/** True when the folder holds something writeRepoSetToFolder or writeTreeToFolder wrote. */
export function holdsSynthesizedOutput(outdir: string): boolean {
  return readRepositoryNames(outdir).length > 0 || readOwnedPaths(outdir).length > 0;
}

function readRepositoryNames(outdir: string): string[] {
  const file = path.join(outdir, ...REPOSITORY_SET_MANIFEST_PATH.split('/'));
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').map(l => l.trim()).filter(l => l.length > 0 && !l.startsWith('#') && DNS_LABEL.test(l));
}

function removeIfOnlyManifest(folder: string): void {
  const entries = fs.existsSync(folder) ? fs.readdirSync(folder) : [];
  const nephoranDir = path.join(folder, '.nephoran');
  const onlyManifest = entries.every(e => e === '.nephoran')
    && (!fs.existsSync(nephoranDir) || fs.readdirSync(nephoranDir).every(e => e === path.basename(OWNERSHIP_MANIFEST_PATH)));
  if (onlyManifest) fs.rmSync(folder, { recursive: true, force: true });
}

function owningFolder(file: string, folders: Map<string, string>): string | undefined {
  for (let end = file.indexOf('/'); end > 0; end = file.indexOf('/', end + 1)) {
    const prefix = file.slice(0, end);
    if (folders.has(prefix)) return prefix;
  }
  return undefined;
}

function isInside(inner: string, outer: string): boolean {
  return inner.startsWith(outer + '/');
}
