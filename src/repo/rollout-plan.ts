import { parse } from 'yaml';
import { clusterFolders } from './layout-paths';
import { DNS1123_LABEL } from './names';
import { comparePaths } from './repo-tree';

/**
 * Where a repository keeps its rollout plan: the waves a change reaches one at a time. Like the
 * review policy and the environment records, it has no file extension, so ConfigSync (which
 * parses only `.yaml`, `.yml` and `.json` files, hidden folders included) never reads it, even
 * where it syncs a repository root. The publisher reads nothing but this plan and paths: it knows
 * the clusters only by the names written here.
 */
export const ROLLOUT_PLAN_PATH = '.nephoran/rollout';

/** One cluster of a wave and the repository folders that are its own. */
export interface RolloutPlanCluster {
  /** The cluster's name (the RootSync that syncs it is named after it). */
  readonly name: string;
  /** Repository folders, each ending in `/`, that hold only this cluster's files. */
  readonly paths: readonly string[];
}

/** One wave: the clusters a change reaches together. */
export interface RolloutPlanWave {
  /** DNS-1123 label, unique in the plan. */
  readonly name: string;
  /**
   * How long the wave must have run the change, healthy, before the next wave may be promoted:
   * a duration such as `30m`, `1h30m`, `90s`.
   * @default - no soak time
   */
  readonly soak?: string;
  /** The clusters, sorted by name. */
  readonly clusters: readonly RolloutPlanCluster[];
}

/** The waves, in the order a change reaches them. */
export interface RolloutPlan {
  readonly waves: readonly RolloutPlanWave[];
}

/** A plan that cannot be read or is not valid; the message names the field and what is valid. */
export class RolloutPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RolloutPlanError';
  }
}

const DNS_LABEL = DNS1123_LABEL;
const DURATION = /^([0-9]+(ms|s|m|h))+$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
const HEADER = [
  '# Written by nephoran-gitops: the rollout waves of this repository, in order. A new change',
  '# reaches the paths of the first wave; `nephoran promote` takes it to the next once the clusters',
  '# of the previous one report it synced and healthy and its soak time has passed. Paths no wave',
  '# lists (blueprints, shared files) take every change at once.',
];

/**
 * The seconds a duration such as `90s`, `30m` or `1h30m` stands for, or undefined when it is
 * not one.
 */
export function parseDuration(text: string): number | undefined {
  if (typeof text !== 'string' || !DURATION.test(text)) return undefined;
  let seconds = 0;
  for (const match of text.matchAll(/([0-9]+)(ms|s|m|h)/g)) seconds += Number(match[1]) * UNIT_SECONDS[match[2]];
  return seconds;
}

/** A duration in seconds, as a plan writes it back (`1h30m`, `45s`). */
export function formatDuration(seconds: number): string {
  // Rounded once, as a whole: rounding the seconds part alone would print 59.6 s as "60s".
  const total = Math.round(seconds);
  if (total <= 0) return '0s';
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 || (h === 0 && m === 0) ? `${s}s` : ''}`;
}

/** The soak time of a wave in seconds (0 when it has none). */
export function soakSecondsOf(wave: RolloutPlanWave): number {
  return wave.soak === undefined ? 0 : parseDuration(wave.soak) ?? 0;
}

/** The folders of one cluster in the single-repository layout. */
export function singleRepositoryClusterPaths(cluster: string, environment: string): string[] {
  return clusterFolders(cluster, environment).sort(comparePaths);
}

/** The plan's text: a header for people, then deterministic YAML. */
export function renderRolloutPlan(plan: RolloutPlan): string {
  const checked = checkRolloutPlan(plan, 'rollout plan');
  const lines = [...HEADER, 'waves:'];
  for (const wave of checked.waves) {
    lines.push(`  - name: ${wave.name}`);
    if (wave.soak !== undefined) lines.push(`    soak: ${wave.soak}`);
    lines.push('    clusters:');
    for (const cluster of wave.clusters) {
      lines.push(`      - name: ${cluster.name}`, '        paths:');
      for (const p of cluster.paths) lines.push(`          - ${JSON.stringify(p)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Reads and checks a plan's text; `source` names it in errors. */
export function parseRolloutPlan(text: string, source: string = ROLLOUT_PLAN_PATH): RolloutPlan {
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    throw new RolloutPlanError(`${source} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  return checkRolloutPlan(value, source);
}

/**
 * Checks a plan value and returns it normalized (clusters and paths sorted). Every mistake is
 * named with its field: wave names DNS-1123 labels and unique, soak a duration, each wave with at
 * least one cluster, a cluster in one wave only, paths relative folders ending in `/`, and no
 * folder of one wave inside a folder of another.
 */
export function checkRolloutPlan(value: unknown, source: string): RolloutPlan {
  const problems: string[] = [];
  if (!isRecord(value)) throw new RolloutPlanError(`${source}: a rollout plan is a mapping with "waves"`);
  for (const key of Object.keys(value)) if (key !== 'waves') problems.push(`unknown field "${key}" (allowed: waves)`);
  if (!Array.isArray(value.waves) || value.waves.length === 0) {
    throw new RolloutPlanError(`${source}: waves must be a list of at least one wave, e.g. [{ name: canary, clusters: [{ name: edge-01, paths: ["deployments/production/edge-01/"] }] }]`);
  }
  const waves: RolloutPlanWave[] = [];
  const waveNames = new Set<string>();
  const clusterWave = new Map<string, string>();
  const pathWave: Array<{ path: string; wave: string }> = [];
  value.waves.forEach((raw: unknown, i: number) => {
    const where = `waves[${i}]`;
    if (!isRecord(raw)) { problems.push(`${where} must be a mapping with name, soak and clusters`); return; }
    for (const key of Object.keys(raw)) if (!['name', 'soak', 'clusters'].includes(key)) problems.push(`${where}: unknown field "${key}" (allowed: name, soak, clusters)`);
    const name = String(raw.name);
    if (typeof raw.name !== 'string' || !DNS_LABEL.test(name) || name.length > 63) {
      problems.push(`${where}.name ${JSON.stringify(raw.name)} must be a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)`);
    }
    if (waveNames.has(name)) problems.push(`${where}.name "${name}" is taken by an earlier wave; wave names are unique`);
    waveNames.add(name);
    const soak = raw.soak === undefined || raw.soak === null ? undefined : String(raw.soak);
    if (soak !== undefined && parseDuration(soak) === undefined) problems.push(`${where}.soak ${JSON.stringify(raw.soak)} must be a duration such as "90s", "30m" or "1h30m"`);
    if (!Array.isArray(raw.clusters) || raw.clusters.length === 0) { problems.push(`${where}.clusters must list at least one cluster`); return; }
    const clusters: RolloutPlanCluster[] = [];
    raw.clusters.forEach((c: unknown, j: number) => {
      const at = `${where}.clusters[${j}]`;
      if (!isRecord(c) || typeof c.name !== 'string' || !DNS_LABEL.test(c.name)) { problems.push(`${at}.name must be a cluster name (a DNS-1123 label)`); return; }
      const earlier = clusterWave.get(c.name);
      if (earlier !== undefined) problems.push(`${at}: cluster "${c.name}" is already in wave "${earlier}"; a cluster belongs to one wave`);
      clusterWave.set(c.name, name);
      if (!Array.isArray(c.paths) || c.paths.length === 0) { problems.push(`${at}.paths must list the cluster's folders, e.g. "deployments/production/${c.name}/"`); return; }
      const paths: string[] = [];
      for (const p of c.paths) {
        if (typeof p !== 'string' || !p.endsWith('/') || p.startsWith('/') || p.split('/').slice(0, -1).some(part => part === '' || part === '.' || part === '..')) {
          problems.push(`${at}.paths: ${JSON.stringify(p)} must be a relative folder ending in "/", e.g. "deployments/production/${c.name}/"`);
          continue;
        }
        for (const other of pathWave) {
          if (other.wave !== name && (p.startsWith(other.path) || other.path.startsWith(p))) problems.push(`${at}.paths: "${p}" overlaps "${other.path}" of wave "${other.wave}"; each folder belongs to one wave`);
        }
        pathWave.push({ path: p, wave: name });
        paths.push(p);
      }
      clusters.push({ name: c.name, paths: [...new Set(paths)].sort(comparePaths) });
    });
    waves.push({ name, ...(soak !== undefined ? { soak } : {}), clusters: clusters.sort((a, b) => comparePaths(a.name, b.name)) });
  });
  if (problems.length > 0) throw new RolloutPlanError(`${source}: ${problems.join('; ')}`);
  return { waves };
}

/** The index of the wave whose folders hold `path`, or undefined when no wave governs it. */
export function waveIndexOf(plan: RolloutPlan, path: string): number | undefined {
  for (let i = 0; i < plan.waves.length; i++) {
    for (const cluster of plan.waves[i].clusters) if (cluster.paths.some(p => path.startsWith(p))) return i;
  }
  return undefined;
}

/** A function from path to wave index that looks each folder up once (for trees of many files). */
export function waveIndexer(plan: RolloutPlan): (path: string) => number | undefined {
  const byFolder = new Map<string, number>();
  plan.waves.forEach((wave, i) => { for (const c of wave.clusters) for (const p of c.paths) byFolder.set(p.slice(0, -1), i); });
  return (path: string) => {
    for (let end = path.indexOf('/'); end > 0; end = path.indexOf('/', end + 1)) {
      const hit = byFolder.get(path.slice(0, end));
      if (hit !== undefined) return hit;
    }
    return undefined;
  };
}

/** The wave of a name, or undefined. */
export function findWave(plan: RolloutPlan, name: string): { wave: RolloutPlanWave; index: number } | undefined {
  const index = plan.waves.findIndex(w => w.name === name);
  return index < 0 ? undefined : { wave: plan.waves[index], index };
}

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
