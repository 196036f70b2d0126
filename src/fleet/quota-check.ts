import type { Cluster } from './cluster';
import type { Placement } from './placement';
import { WorkloadFootprint, WorkloadOverrides } from '../kpt/blueprint';
import { checkQuantity, parseQuantity } from '../network/validation';
import { RenderedObject, SynthContext } from '../repo/synth-context';

/**
 * The packages that reach one cluster: the variants synth writes into its synced folder, or (with
 * Porch) the packages Porch clones for it, which several clusters may share.
 */
export interface PlacedFolder {
  readonly cluster: Cluster;
  readonly packages: ReadonlyArray<{ readonly placement: Placement; readonly packagePath: string; readonly overrides: WorkloadOverrides }>;
}

/** The quota resources checked, and what one pod counts against each. */
const TRACKED: Record<string, { list?: 'requests' | 'limits'; resource?: string }> = {
  'pods': {},
  'requests.cpu': { list: 'requests', resource: 'cpu' },
  'requests.memory': { list: 'requests', resource: 'memory' },
  'cpu': { list: 'requests', resource: 'cpu' },
  'memory': { list: 'requests', resource: 'memory' },
  'limits.cpu': { list: 'limits', resource: 'cpu' },
  'limits.memory': { list: 'limits', resource: 'memory' },
};

interface ContainerDefaults {
  readonly requests: Record<string, number>;
  readonly limits: Record<string, number>;
}

/**
 * Checks every ResourceQuota in every synced cluster folder against what is placed in its
 * namespace on that cluster (each package's `workloadFootprints`, or its rendered Deployments,
 * StatefulSets, ReplicaSets and Pods when the blueprint gives none), with the namespace's
 * LimitRange defaults for containers that declare nothing:
 *
 * - the steady state over `hard` is an error: pods beyond it are never created;
 * - the steady state plus the surge of the workload that needs the most room over `hard` is an
 *   error: the quota counts surge pods, so that workload's rolling update stalls;
 * - a workload that declares nothing for a resource the quota limits is an error: the quota
 *   rejects its pods.
 *
 * Counts `pods`, `requests.cpu`, `requests.memory`, `limits.cpu`, `limits.memory`, and `cpu` and
 * `memory` as requests. Quotas with scopes (they count a subset of pods) are not checked.
 */
export function checkResourceQuotas(context: SynthContext, folders: readonly PlacedFolder[]): void {
  const packageOf = new Map<string, Array<{ cluster: Cluster; placement: Placement }>>();
  for (const { cluster, packages } of folders) {
    for (const p of packages) {
      let owners = packageOf.get(p.packagePath);
      if (!owners) packageOf.set(p.packagePath, owners = []);
      owners.push({ cluster, placement: p.placement });
    }
  }
  const quotas: Array<{ rendered: RenderedObject; cluster: Cluster }> = [];
  const defaults = new Map<string, ContainerDefaults>();
  const renderedWorkloads = new Map<string, RenderedObject[]>();
  for (const rendered of context.objects) {
    const owners = packageOf.get(rendered.packagePath);
    if (!owners) continue;
    const { apiVersion, kind, metadata } = rendered.object;
    if (apiVersion === 'v1' && kind === 'ResourceQuota') {
      for (const owner of owners) quotas.push({ rendered, cluster: owner.cluster });
    } else if (apiVersion === 'v1' && kind === 'LimitRange') {
      for (const owner of owners) defaults.set(`${owner.cluster.clusterName}\n${metadata?.namespace}`, limitRangeDefaults(rendered.object));
    } else if (WORKLOAD_KINDS.has(`${apiVersion}/${kind}`) && typeof owners[0].placement.blueprint.workloadFootprints !== 'function') {
      let list = renderedWorkloads.get(rendered.packagePath);
      if (!list) renderedWorkloads.set(rendered.packagePath, list = []);
      list.push(rendered);
    }
  }
  if (quotas.length === 0) return;

  // Footprints only of the clusters that have a quota.
  const footprints = new Map<string, WorkloadFootprint[]>();
  const clustersWithQuota = new Set(quotas.map(q => q.cluster));
  for (const { cluster, packages } of folders) {
    if (!clustersWithQuota.has(cluster)) continue;
    for (const p of packages) {
      const blueprint = p.placement.blueprint;
      const list = typeof blueprint.workloadFootprints === 'function'
        ? blueprint.workloadFootprints(p.overrides)
        : (renderedWorkloads.get(p.packagePath) ?? []).flatMap(r => footprintOf(r.object));
      for (const footprint of list) {
        const key = `${cluster.clusterName}\n${footprint.namespace}`;
        let sum = footprints.get(key);
        if (!sum) footprints.set(key, sum = []);
        sum.push(footprint);
      }
    }
  }

  for (const { rendered, cluster } of quotas) {
    const quota = rendered.object;
    if ((quota.spec?.scopes ?? []).length > 0 || quota.spec?.scopeSelector) continue;
    const namespace = String(quota.metadata?.namespace ?? 'default');
    const key = `${cluster.clusterName}\n${namespace}`;
    const workloads = [...(footprints.get(key) ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    const containerDefaults = defaults.get(key);
    const what = `ResourceQuota ${namespace}/${quota.metadata?.name} on cluster ${cluster.clusterName}`;
    for (const [resource, hardValue] of Object.entries<unknown>(quota.spec?.hard ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      const tracked = TRACKED[resource];
      if (!tracked || typeof hardValue !== 'string' && typeof hardValue !== 'number') continue;
      if (checkQuantity(String(hardValue))) continue; // the schema validation reports it
      const hard = parseQuantity(String(hardValue));
      const field = `spec.hard.${resource}`;
      let steady = 0;
      let largest: { workload: WorkloadFootprint; extra: number } | undefined;
      const parts: string[] = [];
      for (const workload of workloads) {
        const perPod = perPodValue(workload, tracked, containerDefaults);
        if (perPod === undefined) {
          context.problems.add(rendered.constructPath, field, `${what} limits ${resource}, but the pods of ${workload.name} declare none and no LimitRange in "${namespace}" gives a default, so the quota rejects them; set ${tracked.list}.${tracked.resource} on the workload or add a LimitRange default`);
          continue;
        }
        steady += perPod * workload.replicas;
        if (workload.replicas > 0) parts.push(`${workload.name} ${workload.replicas} x ${format(resource, perPod)}`);
        const extra = perPod * workload.surge;
        if (extra > 0 && (!largest || extra > largest.extra)) largest = { workload, extra };
      }
      const over = (value: number) => value > hard * (1 + 1e-9) + 1e-9;
      if (over(steady)) {
        context.problems.add(rendered.constructPath, field, `${what}: the workloads placed in namespace "${namespace}" need ${resource} ${format(resource, steady)} at steady state (${parts.join(', ')}), over hard ${hardValue}; set it to at least ${format(resource, steady + (largest?.extra ?? 0))} to admit them and a rolling update`);
      } else if (largest && over(steady + largest.extra)) {
        context.problems.add(rendered.constructPath, field, `${what} blocks the rollout of ${largest.workload.name}: ${resource} ${format(resource, steady)} at steady state plus ${format(resource, largest.extra)} for its ${largest.workload.surge} surge pod(s) is ${format(resource, steady + largest.extra)}, over hard ${hardValue}; set it to at least ${format(resource, steady + largest.extra)}, or make that workload replace its pods rather than surge`);
      }
    }
  }
}

const WORKLOAD_KINDS = new Set(['apps/v1/Deployment', 'apps/v1/StatefulSet', 'apps/v1/ReplicaSet', 'v1/Pod']);

/** What one pod of a workload counts against a quota resource; undefined when it declares nothing and nothing defaults it. */
function perPodValue(workload: WorkloadFootprint, tracked: { list?: 'requests' | 'limits'; resource?: string }, defaults: ContainerDefaults | undefined): number | undefined {
  if (!tracked.list) return 1;
  const resource = tracked.resource!;
  if (tracked.list === 'requests') {
    // The API server defaults a missing request to the limit.
    return workload.requests[resource] ?? workload.limits[resource] ?? defaults?.requests[resource];
  }
  return workload.limits[resource] ?? defaults?.limits[resource];
}

/** The container defaults a LimitRange gives (a missing defaultRequest defaults to the default limit). */
function limitRangeDefaults(limitRange: Record<string, any>): ContainerDefaults {
  const requests: Record<string, number> = {};
  const limits: Record<string, number> = {};
  for (const item of limitRange.spec?.limits ?? []) {
    if (item?.type !== 'Container') continue;
    for (const [name, q] of Object.entries<unknown>(item.default ?? {})) if (!checkQuantity(String(q))) limits[name] = parseQuantity(String(q));
    for (const [name, q] of Object.entries<unknown>({ ...item.default, ...item.defaultRequest })) {
      if (!checkQuantity(String(q))) requests[name] = parseQuantity(String(q));
    }
  }
  return { requests, limits };
}

/** The footprint of a rendered Deployment, StatefulSet, ReplicaSet or Pod. */
export function footprintOf(object: Record<string, any>): WorkloadFootprint[] {
  const kind = object.kind;
  const podSpec = kind === 'Pod' ? object.spec : object.spec?.template?.spec;
  if (!podSpec) return [];
  const replicas = kind === 'Pod' ? 1 : typeof object.spec?.replicas === 'number' ? object.spec.replicas : 1;
  let surge = 0;
  if (kind === 'Deployment' && object.spec?.strategy?.type !== 'Recreate') {
    const maxSurge = object.spec?.strategy?.rollingUpdate?.maxSurge ?? '25%';
    surge = typeof maxSurge === 'number' ? maxSurge : /^\d+%$/.test(String(maxSurge)) ? Math.ceil(replicas * parseInt(String(maxSurge), 10) / 100) : 0;
  }
  return [{
    name: `${kind} ${object.metadata?.namespace ?? 'default'}/${object.metadata?.name}`,
    namespace: String(object.metadata?.namespace ?? 'default'),
    replicas,
    surge,
    requests: podTotals(podSpec, 'requests'),
    limits: podTotals(podSpec, 'limits'),
  }];
}

/**
 * A pod's effective value per resource: the containers' sum or the largest init container,
 * whichever is more. A resource some container leaves out is left out (defaults apply later).
 */
function podTotals(podSpec: Record<string, any>, list: 'requests' | 'limits'): Record<string, number> {
  const containers: any[] = podSpec.containers ?? [];
  const value = (c: any, name: string): number | undefined => {
    const q = c?.resources?.[list]?.[name] ?? (list === 'requests' ? c?.resources?.limits?.[name] : undefined);
    return q !== undefined && !checkQuantity(String(q)) ? parseQuantity(String(q)) : undefined;
  };
  const totals: Record<string, number> = {};
  for (const name of ['cpu', 'memory']) {
    const values = containers.map(c => value(c, name));
    if (values.length === 0 || values.some(v => v === undefined)) continue;
    const sum = (values as number[]).reduce((a, b) => a + b, 0);
    const init = Math.max(0, ...((podSpec.initContainers ?? []) as any[]).map(c => value(c, name) ?? 0));
    totals[name] = Math.max(sum, init);
  }
  return totals;
}

/** A quantity for messages, in the unit the resource is usually written in. */
export function format(resource: string, value: number): string {
  if (resource === 'pods') return String(Math.round(value));
  if (resource.endsWith('cpu')) {
    const milli = Math.round(value * 1000);
    return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
  }
  const gi = value / 2 ** 30;
  if (Number.isInteger(gi)) return `${gi}Gi`;
  return `${Math.ceil(value / 2 ** 20)}Mi`;
}
