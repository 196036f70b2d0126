import { parseAllDocuments } from 'yaml';
import { ChangeSet, contentPaths } from './change';
import { GitOpsError } from './errors';
import { Workspace } from './workspace';
import { REPOSITORY_ENVIRONMENT_FOLDER } from '../repo/environment-records';
import { deploymentsFolder, placeOf } from '../repo/layout-paths';
import { OWNERSHIP_MANIFEST_PATH } from '../repo/ownership';
import { comparePaths, RepoTree } from '../repo/repo-tree';

/**
 * What ConfigSync's reader does with a synced folder (kpt-config-sync pkg/importer/reader): it
 * reads every file whose extension is exactly `.yaml`, `.yml` or `.json` (hidden folders
 * included, paths through `.github` or `.gitlab` skipped), splits YAML on `---`, ignores empty
 * documents, and stops the whole sync on a document that does not decode as an object. Two
 * declarations of one object (group, kind, namespace, name) are refused as KNV1029
 * (NameCollisionErrorCode, pkg/importer/analyzer/validation/nonhierarchical). Objects annotated
 * `config.kubernetes.io/local-config: "true"` are never applied.
 */
const CONFIGSYNC_READS = /\.(yaml|yml|json)$/;
const CONFIGSYNC_SKIPS = /(^|\/)(\.github|\.gitlab|\.gitlab-ci\.yml)(\/|$)/;

/** One file in a synced folder, not written by nephoran, that ConfigSync would refuse or that must not be in git. */
export interface UnownedFileProblem {
  readonly path: string;
  /** The folder a RootSync syncs that holds it (`''`: the repository root). */
  readonly syncedFolder: string;
  /**
   * `duplicate-object`: it declares an object another file of the folder declares (KNV1029);
   * `secret-data`: a Secret with `data` or `stringData` (plaintext values in git);
   * `not-an-object`: ConfigSync cannot read it as Kubernetes objects.
   */
  readonly problem: 'duplicate-object' | 'secret-data' | 'not-an-object';
  /** What is wrong and what to do, for people. Never holds a Secret value. */
  readonly detail: string;
}

/** Publishing is refused because of files nephoran does not own in a folder ConfigSync syncs. */
export class UnownedFileError extends GitOpsError {
  constructor(message: string, public readonly problems: readonly UnownedFileProblem[]) {
    super(message);
    this.name = 'UnownedFileError';
  }
}

/**
 * The folders RootSyncs sync in a repository laid out as nephoran writes it:
 * `deployments/<env>/<cluster>` (one repository for the fleet), the subfolder a RootSync of the
 * tree names in `spec.git.dir`, and the root of a workload cluster's own repository (which
 * records its environment under `.nephoran/environment/`). Sorted; `''` is the root.
 */
export function syncedFolders(paths: Iterable<string>, rootSyncDirs: Iterable<string> = []): string[] {
  const folders = new Set<string>();
  for (const p of paths) {
    const place = placeOf(p);
    if (place.kind === 'deployment') folders.add(deploymentsFolder(place.environment, place.cluster));
    if (p.startsWith(REPOSITORY_ENVIRONMENT_FOLDER + '/')) folders.add('');
  }
  // A RootSync that syncs a repository root (dir unset, `.` or `/`) names another repository
  // (a workload cluster's own): its record above says so; only subfolders are taken from it.
  for (const dir of rootSyncDirs) {
    const folder = dir.replace(/^\.?\/+/, '').replace(/\/+$/, '').replace(/^\.$/, '');
    if (folder !== '') folders.add(folder);
  }
  return [...folders].sort(comparePaths);
}

/**
 * Refuses a change when a synced folder it touches holds files nephoran does not own (not in the
 * ownership manifest) that would make ConfigSync refuse the folder's sync (a second declaration
 * of an object, a file that is not a Kubernetes object) or that put Secret values into git.
 * Folders the change does not touch are not checked: a hand-written file there never blocks a
 * change elsewhere, and this change cannot make things worse there. Nothing is deleted: the
 * error names each file and what to do.
 */
export async function checkUnownedFiles(ws: Workspace, tree: RepoTree, change: ChangeSet): Promise<void> {
  const problems = await findUnownedFileProblems(ws, tree, change);
  if (problems.length === 0) return;
  const folders = [...new Set(problems.map(p => p.syncedFolder))].map(f => f === '' ? 'the repository root' : f);
  throw new UnownedFileError(
    `nothing was published: ${folders.join(', ')}, which ConfigSync syncs, ${folders.length === 1 ? 'holds' : 'hold'} ${problems.length === 1 ? 'a file' : `${problems.length} files`} nephoran did not write (not in ${OWNERSHIP_MANIFEST_PATH}) that ${problems.some(p => p.problem !== 'secret-data') ? 'would stop the sync' : 'must not be in git'}. ` +
    `Nothing was deleted; fix ${problems.length === 1 ? 'it' : 'them'} in the repository, then publish again:\n${problems.map(p => `  ${p.path}: ${p.detail}`).join('\n')}`,
    problems);
}

/** The problems checkUnownedFiles refuses, sorted by path. */
export async function findUnownedFileProblems(ws: Workspace, tree: RepoTree, change: ChangeSet): Promise<UnownedFileProblem[]> {
  const base = change.base;
  // What stays after the change without being nephoran's: not owned now, not owned before (the
  // change removes those), not written or removed by the change.
  const ours = new Set([...change.ownedAfter, ...change.ownedBefore, ...change.ops.map(op => op.path), OWNERSHIP_MANIFEST_PATH]);
  const unowned = [...base.paths()].filter(p => !ours.has(p) && !tree.has(p));
  const read = unowned.filter(p => CONFIGSYNC_READS.test(p) && !CONFIGSYNC_SKIPS.test(p));
  if (read.length === 0) return [];
  const touched = contentPaths(change);
  const folders = syncedFolders([...tree.paths(), ...base.paths()], rootSyncDirsOf(tree)).filter(f => touched.some(p => within(p, f)));
  const candidates = read.filter(p => folders.some(f => within(p, f)));
  if (candidates.length === 0) return [];
  const contents = await ws.readFiles(base, candidates);
  const problems: UnownedFileProblem[] = [];
  for (const folder of folders) {
    const mine = candidates.filter(p => within(p, folder));
    if (mine.length === 0) continue;
    // Objects declared in the folder: the owned ones from the tree, the others from the remote.
    const declared = new Map<string, string[]>();
    const declare = (path: string, object: Record<string, any>) => {
      const key = objectKey(object);
      declared.set(key, [...(declared.get(key) ?? []), path]);
    };
    for (const [path, content] of tree.entries()) {
      if (!within(path, folder) || !CONFIGSYNC_READS.test(path) || CONFIGSYNC_SKIPS.test(path)) continue;
      const parsed = readObjects(path, content);
      if (!('error' in parsed)) for (const o of parsed.objects) declare(path, o);
    }
    const unownedObjects = new Map<string, Array<Record<string, any>>>();
    for (const path of mine) {
      const parsed = readObjects(path, contents.get(path) ?? Buffer.alloc(0));
      if ('error' in parsed) {
        problems.push({
          path,
          syncedFolder: folder,
          problem: 'not-an-object',
          detail: `not a Kubernetes object (${parsed.error}); ConfigSync reads every .yaml, .yml and .json file under the folder it syncs and stops the whole sync on such a file. Move it out of ${folder || 'the repository'}, rename it to another extension, or make it a Kubernetes object.`,
        });
        continue;
      }
      unownedObjects.set(path, parsed.objects);
      for (const o of parsed.objects) declare(path, o);
    }
    for (const [path, objects] of unownedObjects) {
      for (const object of objects) {
        const others = (declared.get(objectKey(object)) ?? []).filter(p => p !== path);
        const secret = secretDataFields(object);
        if (secret.length > 0) {
          problems.push({
            path,
            syncedFolder: folder,
            problem: 'secret-data',
            detail: `the ${describe(object)} carries ${secret.join(' and ')} (values not shown), pushed by hand: anyone who can clone the repository reads it. Remove the file, rotate the values it held, and deliver the Secret as an ExternalSecret (external-secrets.io/v1) or a SealedSecret.`,
          });
        }
        if (others.length > 0) {
          const ownedOthers = others.filter(p => tree.has(p));
          problems.push({
            path,
            syncedFolder: folder,
            problem: 'duplicate-object',
            detail: `declares ${describe(object)}, which ${ownedOthers.length > 0 ? `nephoran writes in ${ownedOthers.join(', ')}` : `${others.join(', ')} also declare${others.length === 1 ? 's' : ''}`}; ConfigSync refuses two declarations of one object (KNV1029) and stops syncing the folder. Remove the declaration from this file${ownedOthers.length > 0 ? ', and make the change it carries in the program' : ''}.`,
          });
        }
      }
    }
  }
  return problems.sort((a, b) => comparePaths(a.path, b.path) || a.problem.localeCompare(b.problem));
}

/** The RootSync folders (`spec.git.dir`) the tree's RootSyncs name. */
function rootSyncDirsOf(tree: RepoTree): string[] {
  const dirs: string[] = [];
  for (const [path, content] of tree.entries()) {
    if (!/\.ya?ml$/.test(path) || content.indexOf('RootSync') < 0) continue;
    const parsed = readObjects(path, content);
    if ('error' in parsed) continue;
    for (const o of parsed.objects) {
      if (o.kind === 'RootSync' && typeof o.spec?.git?.dir === 'string') dirs.push(o.spec.git.dir);
    }
  }
  return dirs;
}

function within(path: string, folder: string): boolean {
  return folder === '' || path.startsWith(folder + '/');
}

/** group/kind/namespace/name, as ConfigSync tells objects apart. */
function objectKey(object: Record<string, any>): string {
  const apiVersion = String(object.apiVersion);
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return [group, object.kind, object.metadata?.namespace ?? '', object.metadata?.name].join('\0');
}

function describe(object: Record<string, any>): string {
  const ns = object.metadata?.namespace;
  return `${object.kind} ${ns ? `${ns}/` : ''}${object.metadata?.name}`;
}

function secretDataFields(object: Record<string, any>): string[] {
  if (object.kind !== 'Secret' || object.apiVersion !== 'v1') return [];
  return ['data', 'stringData'].filter(f => object[f] && typeof object[f] === 'object' && Object.keys(object[f]).length > 0);
}

/**
 * The objects ConfigSync would apply from one file (Lists flattened, local-config objects left
 * out), or why it cannot read them.
 */
function readObjects(path: string, content: Buffer): { objects: Array<Record<string, any>> } | { error: string } {
  const text = content.toString('utf8');
  let values: unknown[];
  if (path.endsWith('.json')) {
    try {
      values = [JSON.parse(text)];
    } catch (err) {
      return { error: `invalid JSON: ${(err as Error).message}` };
    }
  } else {
    values = [];
    for (const document of parseAllDocuments(text)) {
      if ('errors' in document && document.errors.length > 0) return { error: `invalid YAML: ${document.errors[0].message.split('\n')[0]}` };
      let value: unknown;
      try {
        value = document.toJS({ maxAliasCount: 100 });
      } catch (err) {
        return { error: `invalid YAML: ${(err as Error).message}` };
      }
      if (value !== null && value !== undefined) values.push(value);
    }
  }
  const objects: Array<Record<string, any>> = [];
  for (const value of values) {
    const list = isRecord(value) && typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items) ? value.items : [value];
    for (const item of list) {
      if (!isRecord(item)) return { error: `a document is ${Array.isArray(item) ? 'a list' : `the ${typeof item} ${JSON.stringify(item).slice(0, 40)}`}, not an object` };
      const missing = ['apiVersion', 'kind'].filter(f => typeof item[f] !== 'string' || item[f] === '');
      if (!isRecord(item.metadata) || typeof item.metadata.name !== 'string' || item.metadata.name === '') missing.push('metadata.name');
      if (missing.length > 0) return { error: `a document has no ${missing.join(', ')}` };
      if (isRecord(item.metadata.annotations) && item.metadata.annotations['config.kubernetes.io/local-config'] === 'true') continue;
      objects.push(item);
    }
  }
  return { objects };
}

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

