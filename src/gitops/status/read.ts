import type * as K8s from '@kubernetes/client-node';
import { interpretRootSync, rootSyncOf, summarizeInventory } from './interpret';
import { ClusterSyncState, ClusterSyncTarget, RESOURCE_GROUP_API, ROOT_SYNC_API } from './types';

/** How clusters are reached. */
export interface ReadClusterSyncOptions {
  /**
   * The kubeconfig file.
   * @default - `KUBECONFIG` (its files merged), else ~/.kube/config, as kubectl does
   */
  readonly kubeconfig?: string;
  /**
   * How long one cluster may take to answer, in milliseconds.
   * @default 10000
   */
  readonly timeoutMs?: number;
  /** The clock, for tests. @default () => new Date() */
  readonly now?: () => Date;
}

/** The default per-cluster request timeout. */
export const DEFAULT_CLUSTER_TIMEOUT_MS = 10_000;

/**
 * Reads, for each target, its RootSync and the ResourceGroup ConfigSync keeps for it, through the
 * target's kubeconfig context, and interprets them as ConfigSync means them. Clusters are read
 * in parallel; one that cannot be reached is reported as such (`reachable: false` and why), never
 * thrown. The result is in the targets' order.
 */
export async function readClusterSyncStates(
  targets: readonly ClusterSyncTarget[],
  options: ReadClusterSyncOptions = {},
): Promise<ClusterSyncState[]> {
  if (targets.length === 0) return [];
  // Loaded here, not at module load: the client is an ES module that plain Node 20 loads through
  // require(esm), which test runners in CommonJS mode cannot.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy require(esm) of an ES module, see above
  const k8s = require('@kubernetes/client-node') as typeof K8s;
  const base = new k8s.KubeConfig();
  let loadError: string | undefined;
  try {
    if (options.kubeconfig) base.loadFromFile(options.kubeconfig);
    else base.loadFromDefault();
  } catch (err) {
    loadError = `the kubeconfig ${options.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config'} could not be read: ${(err as Error).message}`;
  }
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? DEFAULT_CLUSTER_TIMEOUT_MS;
  return Promise.all(targets.map(target => readOne(k8s, base, loadError, target, timeoutMs, now)));
}

async function readOne(
  k8s: typeof K8s,
  base: K8s.KubeConfig,
  loadError: string | undefined,
  target: ClusterSyncTarget,
  timeoutMs: number,
  now: () => Date,
): Promise<ClusterSyncState> {
  const rootSync = rootSyncOf(target);
  const unreachable = (reason: string): ClusterSyncState => ({
    cluster: target.cluster,
    context: target.context,
    rootSync,
    reachable: false,
    unreachableReason: reason,
    rootSyncFound: false,
    errors: [],
    conditions: [],
    readAt: now().toISOString(),
  });
  if (loadError) return unreachable(loadError);
  const context = base.getContextObject(target.context);
  if (!context) {
    const known = base.getContexts().map(c => c.name).sort();
    return unreachable(`the kubeconfig has no context "${target.context}" (it has ${known.length > 0 ? known.join(', ') : 'none'}); map the cluster with --context ${target.cluster}=<context>`);
  }
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({ clusters: base.getClusters(), users: base.getUsers(), contexts: base.getContexts(), currentContext: target.context });
  const api = kc.makeApiClient(k8s.CustomObjectsApi);
  // Each request gets an abort signal, so a cluster that never answers cannot hold the command.
  const withTimeout = {
    middleware: [{
      pre: (request: K8s.RequestContext) => {
        request.setSignal(AbortSignal.timeout(timeoutMs) as any);
        return new k8s.Observable(Promise.resolve(request));
      },
      post: (response: K8s.ResponseContext) => new k8s.Observable(Promise.resolve(response)),
    }],
    middlewareMergeStrategy: 'append' as const,
  };
  const get = async (api_: typeof RESOURCE_GROUP_API | typeof ROOT_SYNC_API): Promise<{ object?: unknown; missing?: string; failure?: string }> => {
    try {
      const object = await api.getNamespacedCustomObject({
        group: api_.group,
        version: api_.version,
        plural: api_.plural,
        namespace: rootSync.namespace,
        name: rootSync.name,
      }, withTimeout);
      return { object };
    } catch (err) {
      return describeFailure(err, api_, rootSync, target.context, timeoutMs);
    }
  };
  const [rs, rg] = await Promise.all([get(ROOT_SYNC_API), get(RESOURCE_GROUP_API)]);
  const readAt = now().toISOString();
  if (rs.failure) return unreachable(rs.failure);
  if (rs.missing !== undefined) {
    return {
      cluster: target.cluster,
      context: target.context,
      rootSync,
      reachable: true,
      rootSyncFound: false,
      rootSyncMissing: rs.missing,
      errors: [],
      conditions: [],
      readAt,
    };
  }
  const sync = interpretRootSync(rs.object);
  return {
    cluster: target.cluster,
    context: target.context,
    rootSync,
    reachable: true,
    rootSyncFound: true,
    ...sync,
    inventory: summarizeInventory(rg.object),
    readAt,
  };
}

function describeFailure(
  err: unknown,
  api: typeof RESOURCE_GROUP_API | typeof ROOT_SYNC_API,
  rootSync: { name: string; namespace: string },
  context: string,
  timeoutMs: number,
): { missing?: string; failure?: string } {
  const e = err as { code?: number | string; body?: unknown; message?: string; name?: string; type?: string; cause?: { code?: string } };
  if (typeof e.code === 'number') {
    const status = parseStatus(e.body);
    if (e.code === 404) {
      // A Status with details names a missing object; a bare 404 means the kind is not served.
      return { missing: status?.message ?? `${api.kind} ${rootSync.namespace}/${rootSync.name} not found (the ${api.group} API is not served)` };
    }
    const reading = `reading ${api.kind} ${rootSync.namespace}/${rootSync.name} failed`;
    if (e.code === 401) return { failure: `${reading}: HTTP 401 Unauthorized: the credentials of context ${context} were refused` };
    const what = status?.message ?? (typeof e.body === 'string' && e.body.trim() ? e.body.trim().slice(0, 200) : e.message ?? '');
    return { failure: `${reading}: HTTP ${e.code}${e.code === 403 ? ' Forbidden' : ''}${what ? `: ${what}` : ''}` };
  }
  if (e.name === 'AbortError' || e.type === 'aborted' || e.name === 'TimeoutError') return { failure: `the API server did not answer within ${timeoutMs / 1000} s` };
  const code = typeof e.code === 'string' ? e.code : e.cause?.code;
  // node-fetch says "request to <url> failed, reason: <why>": the why is what people need.
  const message = String(e.message ?? err).split('\n')[0];
  const why = /failed, reason: (.*)$/.exec(message)?.[1] ?? message;
  return { failure: `the API server could not be reached: ${why}${code && !why.includes(code) ? ` (${code})` : ''}` };
}

function parseStatus(body: unknown): { message?: string; reason?: string } | undefined {
  let value = body;
  if (typeof value === 'string') {
    try { value = JSON.parse(value); } catch { return undefined; }
  }
  if (typeof value === 'object' && value !== null && (value as any).kind === 'Status') return value as { message?: string; reason?: string };
  return undefined;
}
