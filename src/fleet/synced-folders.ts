import * as posix from 'path/posix';
import { parseAllDocuments } from 'yaml';
import { LOCAL_CONFIG_ANNOTATION } from '../kpt/kptfile';
import { compareStrings } from '../repo/compare';
import { SynthContext } from '../repo/synth-context';

/** ConfigSync slows sharply above this many objects in one RootSync source. */
export const SYNC_OBJECT_LIMIT = 5000;
/** Synth warns from this many objects in one synced folder, before the limit is reached. */
export const SYNC_OBJECT_WARNING = 4000;

const KRM_FILE = /\.(ya?ml|json)$/;
const SETTER_MARKER = /#\s*kpt-set:/;
/** What every SETTER_MARKER match contains: a cheap test on the bytes before decoding them. */
const SETTER_MARKER_TEXT = 'kpt-set:';

/** A repository folder a RootSync syncs. */
export interface SyncedFolder {
  /** Repository folder; `''` for the repository root. */
  readonly folder: string;
  /** The RootSync that syncs it. */
  readonly rootSyncName: string;
  /** The construct path of that RootSync, where folder-level problems are reported. */
  readonly constructPath: string;
}

/** The synced folder a RootSync object points at, when it syncs `repoUrl`. */
export function syncedFolderOf(object: Record<string, any>, repoUrl: string): string | undefined {
  if (object?.kind !== 'RootSync' || !String(object.apiVersion).startsWith('configsync.gke.io/')) return undefined;
  const git = object.spec?.git;
  if (!git || normalizeRepoUrl(String(git.repo ?? '')) !== normalizeRepoUrl(repoUrl)) return undefined;
  const dir = posix.normalize(String(git.dir ?? '.')).replace(/^\/+|\/+$/g, '');
  return dir === '.' ? '' : dir;
}

/** Compares repository URLs without a trailing `/` or `.git`. */
export function normalizeRepoUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\.git$/, '');
}

/**
 * Checks what ConfigSync will read from each synced folder: every .yaml/.yml/.json file, hidden
 * folders included, holds Kubernetes objects (apiVersion, kind, metadata.name); every object is fully
 * rendered or marked local-config (no setter markers left, no kpt function configs, Kptfiles,
 * package contexts or Nephio requirement objects without local-config, no kpt live inventory),
 * no object appears twice, no RootSync syncs the folder holding itself (KNV1069), and the folder
 * stays below 5,000 objects (a warning from 4,000). Linear in the number of files: each path's
 * ancestors are looked up once.
 */
export function checkSyncedFolders(context: SynthContext, folders: SyncedFolder[], repoUrl: string): void {
  const byFolder = new Map<string, SyncedFolder>();
  for (const f of folders) if (!byFolder.has(f.folder)) byFolder.set(f.folder, f);
  if (byFolder.size === 0) return;
  const problems = context.problems;
  // Files share folders: look up each folder's synced ancestors once.
  const syncedByDir = new Map<string, string[]>();
  const foldersOf = (path: string): string[] => {
    const dir = path.slice(0, Math.max(path.lastIndexOf('/'), 0));
    let synced = syncedByDir.get(dir);
    if (!synced) syncedByDir.set(dir, synced = ancestors(path).filter(a => byFolder.has(a)));
    return synced;
  };

  for (const rendered of context.objects) {
    const dir = syncedFolderOf(rendered.object, repoUrl);
    if (dir !== undefined && (dir === '' || rendered.filePath.startsWith(dir + '/'))) {
      problems.add(rendered.constructPath, 'spec.git.dir', `RootSync "${rendered.object.metadata?.name}" syncs "${dir || '/'}", which holds the RootSync itself (${rendered.filePath}); ConfigSync refuses that (KNV1069): keep RootSyncs outside the folders they sync, e.g. in clusters/<cluster>/`);
    }
  }

  const recorded = new Map<string, Array<{ object: any; constructPath: string }>>();
  for (const r of context.objects) {
    let list = recorded.get(r.filePath);
    if (!list) recorded.set(r.filePath, list = []);
    list.push({ object: r.object, constructPath: r.constructPath });
  }

  const paths = context.tree.paths();
  const functionConfigs = new Map<string, string>();
  for (const path of paths) {
    if (posix.basename(path) !== 'Kptfile' || foldersOf(path).length === 0) continue;
    const text = context.tree.getText(path) ?? '';
    // Most Kptfiles declare inline configs only: skip parsing those.
    if (!text.includes('configPath')) continue;
    for (const fn of pipelineFunctions(text)) {
      if (typeof fn.configPath === 'string') functionConfigs.set(posix.join(posix.dirname(path), fn.configPath), path);
    }
  }

  const stats = new Map<string, { objects: number; files: number; seen: Map<string, string> }>();
  for (const folder of byFolder.keys()) stats.set(folder, { objects: 0, files: 0, seen: new Map() });

  for (const path of paths) {
    const synced = foldersOf(path);
    if (synced.length === 0) continue;
    for (const folder of synced) stats.get(folder)!.files++;
    if (!KRM_FILE.test(path)) continue;
    const content = context.tree.get(path);
    let objects = recorded.get(path);
    // Text is needed to parse a file synth did not render, or to find a marker: most files need neither.
    const text = !objects || content?.includes(SETTER_MARKER_TEXT) ? content?.toString('utf8') ?? '' : '';
    if (!objects) {
      const parsed = parseKrmFile(text);
      if ('error' in parsed) {
        problems.add(path, '', `ConfigSync parses every .yaml, .yml and .json file in ${quoteFolder(synced[0])} and cannot parse this one: ${parsed.error}; rename it (e.g. .txt) or fix it`);
        continue;
      }
      objects = parsed.objects.map(object => ({ object, constructPath: path }));
    }
    const hasMarkers = SETTER_MARKER.test(text);
    let reportedFile = false;
    for (const { object, constructPath } of objects) {
      const notAnObject = notAnObjectReason(object);
      if (notAnObject) {
        // Once per file: ConfigSync stops at the first.
        if (reportedFile) continue;
        reportedFile = true;
        problems.add(constructPath, '', `${path} ${notAnObject}; ConfigSync parses every .yaml, .yml and .json file in ${quoteFolder(synced[0])}, hidden folders included, and stops syncing the whole folder on it: keep the file outside the synced folder or give it another extension (e.g. no extension or .txt)`);
        continue;
      }
      if (isLocalConfig(object)) continue;
      const reason = hasMarkers
        ? 'still carries kpt setter markers (# kpt-set:), so it was never rendered; render the package (apply-setters) before it is synced'
        : unrenderedReason(object, path, functionConfigs);
      if (reason) {
        problems.add(constructPath, 'metadata.annotations', `${describe(object)} in ${path} ${reason}; ConfigSync runs no kpt functions and would apply it to the cluster`);
      }
      const id = objectId(object);
      for (const folder of synced) {
        const stat = stats.get(folder)!;
        stat.objects++;
        const previous = stat.seen.get(id);
        if (previous !== undefined) {
          problems.add(constructPath, 'metadata.name', `${describe(object)} appears twice in the folder ${quoteFolder(folder)} synced by RootSync "${byFolder.get(folder)!.rootSyncName}" (${previous} and ${path}); ConfigSync rejects duplicate objects: declare it once, e.g. Namespaces only in the cluster's namespaces package`);
        } else {
          stat.seen.set(id, path);
        }
      }
    }
  }

  for (const [folder, stat] of [...stats].sort(([a], [b]) => compareStrings(a, b))) {
    const owner = byFolder.get(folder)!;
    const count = stat.objects.toLocaleString('en-US');
    const split = 'split it: place fewer packages on the cluster, sync some packages with a second RootSync or a RepoSync per namespace whose dir is a subfolder, or use one repository per cluster';
    if (stat.files === 0) {
      problems.warn(owner.constructPath, 'spec.git.dir', `RootSync "${owner.rootSyncName}" syncs ${quoteFolder(folder)}, which holds no files; ConfigSync reports a missing folder as a source error: place at least one package on the cluster`);
    } else if (stat.objects > SYNC_OBJECT_LIMIT) {
      problems.add(owner.constructPath, 'spec.git.dir', `the folder ${quoteFolder(folder)} synced by RootSync "${owner.rootSyncName}" holds ${count} objects; ConfigSync slows sharply above ${SYNC_OBJECT_LIMIT.toLocaleString('en-US')} objects per RootSync source: ${split}`);
    } else if (stat.objects >= SYNC_OBJECT_WARNING) {
      problems.warn(owner.constructPath, 'spec.git.dir', `the folder ${quoteFolder(folder)} synced by RootSync "${owner.rootSyncName}" holds ${count} objects, close to the ${SYNC_OBJECT_LIMIT.toLocaleString('en-US')} at which ConfigSync slows sharply; plan to ${split}`);
    }
  }
}

/** Every ancestor folder of a file path, nearest first, ending with `''` (the repository root). */
function ancestors(path: string): string[] {
  const result: string[] = [];
  for (let end = path.lastIndexOf('/'); end > 0; end = path.lastIndexOf('/', end - 1)) result.push(path.slice(0, end));
  result.push('');
  return result;
}

/**
 * Why a parsed document is not an object ConfigSync accepts: a mapping with apiVersion and kind,
 * and a metadata.name unless it is local-config (ConfigSync drops those after decoding them).
 */
function notAnObjectReason(object: unknown): string | undefined {
  if (!object || typeof object !== 'object' || Array.isArray(object)) return 'holds a document that is not a Kubernetes object (a mapping with apiVersion, kind and metadata.name)';
  const o = object as Record<string, any>;
  const missing = ['apiVersion', 'kind'].filter(f => typeof o[f] !== 'string' || o[f] === '');
  if (!isLocalConfig(o) && (typeof o.metadata?.name !== 'string' || o.metadata.name === '')) missing.push('metadata.name');
  return missing.length > 0 ? `holds a document without ${missing.join(', ')}, which is not a Kubernetes object` : undefined;
}

function isLocalConfig(object: Record<string, any>): boolean {
  const value = object.metadata?.annotations?.[LOCAL_CONFIG_ANNOTATION];
  return value !== undefined && value !== null && String(value) !== 'false';
}

/** Why an object that is not local-config must not reach ConfigSync, or undefined. */
function unrenderedReason(object: Record<string, any>, path: string, functionConfigs: Map<string, string>): string | undefined {
  const apiVersion = String(object.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  const kind = String(object.kind ?? '');
  const mark = `mark it ${LOCAL_CONFIG_ANNOTATION}: "true"`;
  if (kind === 'Kptfile' && group === 'kpt.dev') return `is a Kptfile in a .yaml file; name the file Kptfile or ${mark}`;
  if (kind === 'ResourceGroup' && group === 'kpt.dev') return 'is a kpt live inventory, which conflicts with ConfigSync\'s own inventory; remove it from synced folders';
  if (group === 'fn.kpt.dev' || group === 'config.kubernetes.io') return `is kpt function configuration (${kind}.${group}); ${mark}`;
  const configOf = functionConfigs.get(path);
  if (configOf) return `is the function config of a pipeline step in ${configOf} (configPath); ${mark}`;
  if (kind === 'ConfigMap' && group === '' && object.metadata?.name === 'kptfile.kpt.dev') return `is the kpt package context; ${mark}`;
  if (group === 'req.nephio.org') return `is a Nephio requirement (${kind}) that functions consume; ${mark}`;
  return undefined;
}

function pipelineFunctions(kptfileText: string): Array<Record<string, any>> {
  const parsed = parseKrmFile(kptfileText);
  if ('error' in parsed) return [];
  const pipeline = parsed.objects[0]?.pipeline ?? {};
  return [...(Array.isArray(pipeline.mutators) ? pipeline.mutators : []), ...(Array.isArray(pipeline.validators) ? pipeline.validators : [])]
    .filter(fn => fn && typeof fn === 'object');
}

function parseKrmFile(text: string): { objects: any[] } | { error: string } {
  const docs = parseAllDocuments(text, { version: '1.1' });
  const list = Array.isArray(docs) ? docs : [docs];
  const objects: any[] = [];
  for (const doc of list) {
    if (doc.errors.length > 0) return { error: doc.errors[0].message.split('\n')[0] };
    const value = doc.toJS();
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) objects.push(...value);
    else objects.push(value);
  }
  return { objects };
}

function objectId(object: Record<string, any>): string {
  const apiVersion = String(object.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  return `${group}/${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
}

function describe(object: Record<string, any>): string {
  const ns = object.metadata?.namespace;
  return `${object.kind ?? 'object'} ${ns ? ns + '/' : ''}${object.metadata?.name ?? '<unnamed>'}`;
}

function quoteFolder(folder: string): string {
  return folder === '' ? 'the repository root' : `"${folder}"`;
}
