/**
 * A stand-in for the Kubernetes API servers of a fleet's workload clusters, for tests. No cluster
 * runs here: this local HTTPS server on 127.0.0.1 (a self-signed certificate made with openssl,
 * given to clients as the kubeconfig's certificate-authority-data, as a real cluster's CA is) follows the Kubernetes API contract for the
 * objects `nephoran status` reads (ConfigSync's RootSync, configsync.gke.io, and the ResourceGroup
 * inventory, kpt.dev), so that the real client (@kubernetes/client-node) and the real `kubectl`
 * can read it:
 * - discovery: `/version`, `/api`, `/api/v1`, `/apis` (APIGroupList), `/apis/<group>/<version>`
 *   (APIResourceList), answered in the legacy format (the aggregated-discovery Accept types are
 *   not honoured, so clients fall back, as they do with older servers);
 * - GET of one object and LIST (namespaced and across namespaces) in any served version;
 * - errors as `Status` objects (404 NotFound with details naming the resource, 401 without the
 *   context's bearer token, 405 for verbs not served), and a bare `404 page not found` for paths
 *   that name no served resource, as the real server answers.
 * Each cluster is a path prefix (`/clusters/<name>`) with its own bearer token; `writeKubeconfig`
 * writes one context per cluster. Objects are validated against the real CRDs
 * (test/fixtures/schemas/configsync) when they are stored, so a test cannot feed the readers an
 * object ConfigSync could never write.
 */
import { execFileSync } from 'child_process';
import { randomBytes, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { toViolations } from '../../src/apis/validation/ajv-errors';
import { sharedAjv } from '../../src/apis/validation/ajv-instance';
import { bundleCrds } from '../../src/apis/validation/crd-to-json-schema';

const SCHEMAS = path.resolve(__dirname, '../fixtures/schemas/configsync');
const CRD_FILES = ['rootsync-crd.nephio-r5-catalog.yaml', 'resourcegroup-crd.yaml'];

interface ServedResource {
  readonly group: string;
  readonly kind: string;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  readonly versions: readonly string[];
  /** The version stored (the CRD's storage version); served versions share its schema here. */
  readonly storage: string;
  readonly validate: (object: unknown, version: string) => string[];
}

function loadCrds(): ServedResource[] {
  return CRD_FILES.map(file => {
    const crd = YAML.parse(fs.readFileSync(path.join(SCHEMAS, file), 'utf8'));
    const bundle = bundleCrds([[file, crd]]);
    const kind = bundle.kinds[0];
    const compiled = new Map<string, ReturnType<ReturnType<typeof sharedAjv>['compile']>>();
    for (const v of kind.versions) if (v.served && v.schema !== undefined) compiled.set(v.name, sharedAjv().compile(bundle.schemas[v.schema]));
    const served = (crd.spec.versions as Array<{ name: string; served: boolean; storage: boolean }>).filter(v => v.served);
    return {
      group: crd.spec.group,
      kind: crd.spec.names.kind,
      listKind: crd.spec.names.listKind,
      plural: crd.spec.names.plural,
      singular: crd.spec.names.singular,
      // The preferred version first, as the real server orders them (storage, then the rest).
      versions: [...served.filter(v => v.storage), ...served.filter(v => !v.storage)].map(v => v.name),
      storage: served.find(v => v.storage)!.name,
      validate: (object, version) => {
        const check = compiled.get(version);
        if (!check) return [`version ${version} is not served`];
        return check(object) ? [] : toViolations(check.errors, object).map(v => `${v.field}: ${v.message}`);
      },
    };
  });
}

/** What a simulated reconciler reports for one error. */
export interface SimulatedError {
  /** The KNV number, e.g. '2009'. */
  readonly code: string;
  /** The error body (the server adds the `KNVnnnn: ` prefix and documentation link as ConfigSync does). */
  readonly message: string;
  readonly resources?: ReadonlyArray<{
    readonly group?: string;
    readonly version?: string;
    readonly kind: string;
    readonly namespace?: string;
    readonly name: string;
    readonly sourcePath?: string;
  }>;
}

/** One inventory entry of a simulated ResourceGroup. */
export interface SimulatedResource {
  readonly group?: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** @default 'Current' */
  readonly status?: 'Current' | 'InProgress' | 'Failed' | 'Terminating' | 'NotFound' | 'Unknown';
  readonly message?: string;
}

/** "Cluster synced commit X at time T with errors E", as a ConfigSync reconciler would write it. */
export interface SimulatedSync {
  /** The commit the reconciler has reached. */
  readonly commit: string;
  /** When the stage finished (RFC 3339 or Date). */
  readonly at: string | Date;
  /**
   * How far it got:
   * - 'synced' (default): applied; with `errors`, the apply failed (sync errors, Syncing False);
   * - 'syncing': fetched and rendered, apply in progress (Syncing True, reason Sync);
   * - 'source': fetching/parsing failed with `errors` (source errors; sync stays at `previousCommit`);
   * - 'rendering': rendering failed with `errors` (rendering errors; sync stays at `previousCommit`);
   * - 'stalled': the reconciler cannot make progress (Stalled True with `errors`).
   */
  readonly stage?: 'synced' | 'syncing' | 'source' | 'rendering' | 'stalled';
  readonly errors?: readonly SimulatedError[];
  /** The commit synced before (for source/rendering failures and lastSyncedCommit). */
  readonly previousCommit?: string;
  /** When the previous commit was synced. @default `at` minus one minute */
  readonly previousAt?: string | Date;
  /** The ResourceGroup inventory; undefined leaves the ResourceGroup as it is. */
  readonly resources?: readonly SimulatedResource[];
  /** The RootSync's name. @default the cluster name */
  readonly rootSyncName?: string;
  /** The RootSync's spec. @default the spec already stored, else a git source syncing main */
  readonly spec?: Record<string, unknown>;
}

/** A local Kubernetes API contract server for several clusters. */
export class KubeApiServer {
  /** Starts a server on 127.0.0.1 with the given cluster names. */
  public static async start(clusters: readonly string[]): Promise<KubeApiServer> {
    const server = new KubeApiServer(clusters);
    await new Promise<void>((resolve, reject) => {
      server.http.once('error', reject);
      server.http.listen(0, '127.0.0.1', () => resolve());
    });
    return server;
  }

  /** Every request received, as `METHOD path?query` (for tests that check what clients asked). */
  public readonly requests: string[] = [];
  private readonly readWaiters: Array<{ pending: Set<string>; resolve: () => void }> = [];
  private readonly http: https.Server;
  private readonly certificate: string;
  private readonly resources = loadCrds();
  private readonly stores = new Map<string, Map<string, Record<string, any>>>();
  private readonly tokens = new Map<string, string>();
  private resourceVersion = 1000;

  private constructor(clusters: readonly string[]) {
    for (const c of clusters) {
      this.stores.set(c, new Map());
      this.tokens.set(c, randomBytes(12).toString('hex'));
    }
    const { key, cert } = selfSignedCertificate();
    this.certificate = cert;
    this.http = https.createServer({ key, cert }, (req, res) => this.handle(req, res));
    this.http.keepAliveTimeout = 1000;
  }

  public get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** The API server URL of a cluster. */
  public serverUrl(cluster: string): string {
    return `https://127.0.0.1:${this.port}/clusters/${cluster}`;
  }

  public async stop(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>(resolve => this.http.close(() => resolve()));
  }

  /**
   * Writes a kubeconfig with one context per cluster, named like the cluster unless `contextNames`
   * maps it; `unreachable` adds contexts whose server refuses connections (a closed port).
   */
  public writeKubeconfig(
    file: string,
    options: { contextNames?: Record<string, string>; unreachable?: readonly string[]; currentContext?: string } = {},
  ): string {
    const clusters: object[] = [];
    const users: object[] = [];
    const contexts: object[] = [];
    for (const c of this.stores.keys()) {
      const name = options.contextNames?.[c] ?? c;
      clusters.push({ name: `${name}-cluster`, cluster: { 'server': this.serverUrl(c), 'certificate-authority-data': Buffer.from(this.certificate).toString('base64') } });
      users.push({ name: `${name}-user`, user: { token: this.tokens.get(c) } });
      contexts.push({ name, context: { cluster: `${name}-cluster`, user: `${name}-user` } });
    }
    for (const name of options.unreachable ?? []) {
      clusters.push({ name: `${name}-cluster`, cluster: { 'server': `https://127.0.0.1:${closedPort()}`, 'certificate-authority-data': Buffer.from(this.certificate).toString('base64') } });
      users.push({ name: `${name}-user`, user: { token: 'unused' } });
      contexts.push({ name, context: { cluster: `${name}-cluster`, user: `${name}-user` } });
    }
    const config = {
      'apiVersion': 'v1',
      'kind': 'Config',
      'preferences': {},
      clusters,
      users,
      contexts,
      'current-context': options.currentContext ?? (contexts[0] as { name: string } | undefined)?.name ?? '',
    };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, YAML.stringify(config), { mode: 0o600 });
    return file;
  }

  /** Stores (creates or replaces) a RootSync on a cluster, validated against the RootSync CRD. */
  public setRootSync(cluster: string, object: Record<string, any>): Record<string, any> {
    return this.store(cluster, 'configsync.gke.io', object);
  }

  /** Stores (creates or replaces) a ResourceGroup on a cluster, validated against the ResourceGroup CRD. */
  public setResourceGroup(cluster: string, object: Record<string, any>): Record<string, any> {
    return this.store(cluster, 'kpt.dev', object);
  }

  /** Removes an object; true when it existed. */
  public remove(cluster: string, kind: 'RootSync' | 'ResourceGroup', namespace: string, name: string): boolean {
    const r = this.resources.find(x => x.kind === kind)!;
    return this.storeOf(cluster).delete(`${r.plural}/${namespace}/${name}`);
  }

  /** The stored object, or undefined. */
  public get(cluster: string, kind: 'RootSync' | 'ResourceGroup', namespace: string, name: string): Record<string, any> | undefined {
    const r = this.resources.find(x => x.kind === kind)!;
    const o = this.storeOf(cluster).get(`${r.plural}/${namespace}/${name}`);
    return o ? structuredClone(o) : undefined;
  }

  /**
   * Writes the RootSync status (and ResourceGroup inventory) a ConfigSync reconciler would write
   * after reaching `commit` at `at`, following kpt-config-sync's pkg/parse/root_sync_client.go:
   * each stage records its commit, lastUpdate, errors and errorSummary; the Syncing condition
   * carries the commit, reason Source/Rendering/Sync, and errorSourceRefs instead of the errors;
   * `lastSyncedCommit` moves only when a sync completes without errors.
   */
  public simulateSync(cluster: string, sim: SimulatedSync): void {
    const name = sim.rootSyncName ?? cluster;
    const ns = 'config-management-system';
    const existing = this.get(cluster, 'RootSync', ns, name);
    const spec = sim.spec ?? existing?.spec ?? { sourceType: 'git', sourceFormat: 'unstructured', git: { repo: 'https://git.example.com/fleet.git', branch: 'main', auth: 'none' } };
    const at = toTime(sim.at);
    const prevAt = sim.previousAt ? toTime(sim.previousAt) : new Date(Date.parse(at) - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const stage = sim.stage ?? 'synced';
    const errors = (sim.errors ?? []).map(e => ({
      code: e.code,
      errorMessage: `KNV${e.code}: ${e.message}\n\nFor more information, see https://g.co/cloud/acm-errors#knv${e.code}`,
      ...(e.resources && e.resources.length > 0 ? {
        errorResources: e.resources.map(r => ({
          ...(r.sourcePath ? { sourcePath: r.sourcePath } : {}),
          name: r.name,
          ...(r.namespace ? { namespace: r.namespace } : {}),
          gvk: { group: r.group ?? '', version: r.version ?? 'v1', kind: r.kind },
        })),
      } : {}),
    }));
    const summary = (n: number) => ({ totalCount: n, errorCountAfterTruncation: n });
    const git = spec.git ? { repo: spec.git.repo, revision: spec.git.revision ?? 'HEAD', branch: spec.git.branch ?? 'master', dir: spec.git.dir ?? '.' } : undefined;
    const stageStatus = (commit: string | undefined, lastUpdate: string, errs: typeof errors) => ({
      ...(git ? { gitStatus: git } : {}),
      ...(commit ? { commit } : {}),
      lastUpdate,
      ...(errs.length > 0 ? { errors: errs } : {}),
      errorSummary: summary(errs.length),
    });
    const prev = sim.previousCommit;
    const status: Record<string, any> = { observedGeneration: existing?.metadata?.generation ?? 1, reconciler: `root-reconciler-${name}` };
    const syncing = (statusValue: 'True' | 'False', reason: string, message: string, commit: string, refs: string[], n: number, time: string) => ({
      type: 'Syncing',
      status: statusValue,
      lastUpdateTime: time,
      lastTransitionTime: time,
      reason,
      message,
      commit,
      ...(refs.length > 0 ? { errorSourceRefs: refs } : {}),
      errorSummary: summary(n),
    });
    const standard = [
      { type: 'Reconciling', status: 'False', lastUpdateTime: at, lastTransitionTime: at, reason: 'Sync', message: 'Sync Completed' },
      { type: 'Stalled', status: 'False', lastUpdateTime: at, lastTransitionTime: at, reason: 'Sync', message: 'Sync Completed' },
    ];
    switch (stage) {
      case 'synced': {
        status.source = stageStatus(sim.commit, at, []);
        status.rendering = { ...stageStatus(sim.commit, at, []), message: 'Rendering skipped' };
        status.sync = stageStatus(sim.commit, at, errors);
        if (errors.length === 0) status.lastSyncedCommit = sim.commit;
        else if (prev) status.lastSyncedCommit = prev;
        status.conditions = [...standard, syncing('False', 'Sync', 'Sync Completed', sim.commit, errors.length > 0 ? ['status.sync.errors'] : [], errors.length, at)];
        break;
      }
      case 'syncing':
        status.source = stageStatus(sim.commit, at, []);
        status.rendering = { ...stageStatus(sim.commit, at, []), message: 'Rendering skipped' };
        status.sync = stageStatus(sim.commit, at, errors);
        if (prev) status.lastSyncedCommit = prev;
        status.conditions = [...standard, syncing('True', 'Sync', 'Syncing', sim.commit, errors.length > 0 ? ['status.sync.errors'] : [], errors.length, at)];
        break;
      case 'source':
        status.source = stageStatus(sim.commit, at, errors);
        status.rendering = { ...stageStatus(prev, prevAt, []), message: 'Rendering skipped' };
        status.sync = stageStatus(prev, prevAt, []);
        if (prev) status.lastSyncedCommit = prev;
        // A failing stage sets Syncing False: it stops there (continueSyncing is false with errors).
        status.conditions = [...standard, syncing('False', 'Source', 'Source', sim.commit, ['status.source.errors'], errors.length, at)];
        break;
      case 'rendering':
        status.source = stageStatus(sim.commit, at, []);
        status.rendering = { ...stageStatus(sim.commit, at, errors), message: 'Rendering failed' };
        status.sync = stageStatus(prev, prevAt, []);
        if (prev) status.lastSyncedCommit = prev;
        status.conditions = [...standard, syncing('False', 'Rendering', 'Rendering failed', sim.commit, ['status.rendering.errors'], errors.length, at)];
        break;
      case 'stalled':
        status.source = stageStatus(prev, prevAt, []);
        status.rendering = { ...stageStatus(prev, prevAt, []), message: 'Rendering skipped' };
        status.sync = stageStatus(prev, prevAt, []);
        if (prev) status.lastSyncedCommit = prev;
        status.conditions = [
          { type: 'Reconciling', status: 'False', lastUpdateTime: at, lastTransitionTime: at, reason: 'Validation', message: 'Validation failed' },
          {
            type: 'Stalled',
            status: 'True',
            lastUpdateTime: at,
            lastTransitionTime: at,
            reason: 'Validation',
            message: errors.map(e => e.errorMessage).join('\n') || 'stalled',
            ...(errors.length > 0 ? { errors, errorSummary: summary(errors.length) } : {}),
          },
        ];
        break;
    }
    for (const key of ['source', 'rendering', 'sync']) if (status[key] && !status[key].commit) delete status[key].commit;
    this.setRootSync(cluster, {
      apiVersion: 'configsync.gke.io/v1beta1',
      kind: 'RootSync',
      metadata: { name, namespace: ns, ...(existing?.metadata?.annotations ? { annotations: existing.metadata.annotations } : {}) },
      spec,
      status,
    });
    if (sim.resources) {
      const hash = (stage === 'synced' || stage === 'syncing' ? sim.commit : prev ?? sim.commit).slice(0, 7);
      this.setResourceGroup(cluster, {
        apiVersion: 'kpt.dev/v1alpha1',
        kind: 'ResourceGroup',
        metadata: { name, namespace: ns, labels: { 'configsync.gke.io/declared-version': 'v1' } },
        spec: { resources: sim.resources.map(r => ({ group: r.group ?? '', kind: r.kind, namespace: r.namespace ?? '', name: r.name })) },
        status: {
          observedGeneration: 1,
          resourceStatuses: sim.resources.map(r => ({
            group: r.group ?? '',
            kind: r.kind,
            namespace: r.namespace ?? '',
            name: r.name,
            status: r.status ?? 'Current',
            sourceHash: hash,
            actuation: 'Succeeded',
            reconcile: (r.status ?? 'Current') === 'Current' ? 'Succeeded' : (r.status === 'Failed' ? 'Failed' : 'Pending'),
            strategy: 'Apply',
            ...(r.message ? { conditions: [{ type: 'Reconciling', status: 'True', reason: r.status ?? 'InProgress', message: r.message, lastTransitionTime: at }] } : {}),
          })),
          conditions: [
            { type: 'Reconciling', status: 'False', reason: 'FinishReconciling', message: 'finish reconciling', lastTransitionTime: at },
            { type: 'Stalled', status: 'False', reason: 'FinishReconciling', message: 'finish reconciling', lastTransitionTime: at },
          ],
        },
      });
    }
  }

  /**
   * Resolves once every named cluster has served a RootSync read after this call: a barrier for a
   * test that must change what a cluster reports only after a waiting reader saw the state before.
   * The answer to that read is computed in the same turn as the request, so it holds the old state.
   */
  public nextRootSyncReads(clusters: readonly string[]): Promise<void> {
    return new Promise(resolve => this.readWaiters.push({ pending: new Set(clusters), resolve }));
  }

  private noteRootSyncRead(cluster: string): void {
    for (const waiter of [...this.readWaiters]) {
      waiter.pending.delete(cluster);
      if (waiter.pending.size === 0) {
        this.readWaiters.splice(this.readWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  private storeOf(cluster: string): Map<string, Record<string, any>> {
    const s = this.stores.get(cluster);
    if (!s) throw new Error(`the server has no cluster "${cluster}" (it has ${[...this.stores.keys()].join(', ')})`);
    return s;
  }

  private store(cluster: string, group: string, input: Record<string, any>): Record<string, any> {
    const [g, version] = String(input.apiVersion ?? '').split('/');
    const r = this.resources.find(x => x.group === group && x.kind === input.kind);
    if (!r || g !== group || !r.versions.includes(version)) throw new Error(`${input.apiVersion} ${input.kind} is not served here (${group} only)`);
    const violations = r.validate(input, version);
    if (violations.length > 0) throw new Error(`${input.kind} ${input.metadata?.namespace}/${input.metadata?.name} is invalid against the ${r.kind} CRD:\n  ${violations.join('\n  ')}`);
    const key = `${r.plural}/${input.metadata.namespace}/${input.metadata.name}`;
    const existing = this.storeOf(cluster).get(key);
    const object = structuredClone(input);
    object.apiVersion = `${r.group}/${r.storage}`;
    object.metadata = {
      ...object.metadata,
      uid: existing?.metadata?.uid ?? randomUUID(),
      resourceVersion: String(++this.resourceVersion),
      generation: existing
        ? (JSON.stringify(existing.spec) === JSON.stringify(object.spec) ? existing.metadata.generation : existing.metadata.generation + 1)
        : 1,
      creationTimestamp: existing?.metadata?.creationTimestamp ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    this.storeOf(cluster).set(key, object);
    return structuredClone(object);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const match = /^\/clusters\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (match && /\/rootsyncs(\/|$)/.test(url.pathname)) this.noteRootSyncRead(match[1]);
    if (!match || !this.stores.has(match[1])) return notFoundPage(res);
    const cluster = match[1];
    const auth = req.headers.authorization ?? '';
    if (auth !== `Bearer ${this.tokens.get(cluster)}`) return sendStatus(res, 401, 'Unauthorized', 'Unauthorized');
    if (req.method !== 'GET') return sendStatus(res, 405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${req.method} is not served by this test server)`);
    const rest = (match[2] ?? '/').replace(/\/+$/, '') || '/';
    const parts = rest.split('/').filter(p => p);
    if (rest === '/version') return sendJson(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' });
    if (rest === '/api') return sendJson(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${this.port}` }] });
    if (rest === '/api/v1') {
      return sendJson(res, 200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list'], shortNames: ['ns'] }] });
    }
    if (rest === '/apis') return sendJson(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: this.groups() });
    if (parts[0] === 'api' && parts[1] === 'v1' && parts[2] === 'namespaces' && parts.length === 4) {
      // The namespaces that exist: ConfigSync's own, the default ones, and any that holds an object.
      const namespaces = new Set(['config-management-system', 'default', 'kube-system', ...[...this.storeOf(cluster).values()].map(o => String(o.metadata.namespace))]);
      if (!namespaces.has(parts[3])) return sendStatus(res, 404, 'NotFound', `namespaces "${parts[3]}" not found`, { name: parts[3], kind: 'namespaces' });
      return sendJson(res, 200, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: parts[3] }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    }
    if (parts[0] !== 'apis' || parts.length < 3) return notFoundPage(res);
    const [, group, version, ...tail] = parts;
    const inGroup = this.resources.filter(r => r.group === group && r.versions.includes(version));
    if (inGroup.length === 0) return notFoundPage(res);
    if (tail.length === 0) {
      return sendJson(res, 200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: `${group}/${version}`,
        resources: inGroup.flatMap(r => [
          { name: r.plural, singularName: r.singular, namespaced: true, kind: r.kind, verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'], storageVersionHash: storageHash(r) },
          { name: `${r.plural}/status`, singularName: '', namespaced: true, kind: r.kind, verbs: ['get', 'patch', 'update'] },
        ]),
      });
    }
    // /namespaces/<ns>/<plural>[/<name>[/status]]  or  /<plural>
    let namespace: string | undefined;
    let plural: string;
    let name: string | undefined;
    let sub: string | undefined;
    if (tail[0] === 'namespaces' && tail.length >= 3) [, namespace, plural, name, sub] = tail;
    else if (tail.length === 1) plural = tail[0];
    else return notFoundPage(res);
    const r = inGroup.find(x => x.plural === plural);
    if (!r || (sub !== undefined && sub !== 'status') || tail.length > 5) return notFoundPage(res);
    if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') {
      return sendStatus(res, 405, 'MethodNotAllowed', 'watch is not served by this test server');
    }
    const store = this.storeOf(cluster);
    const asVersion = (o: Record<string, any>) => ({ ...structuredClone(o), apiVersion: `${group}/${version}` });
    if (name !== undefined) {
      const object = store.get(`${r.plural}/${namespace}/${name}`);
      if (!object) return sendStatus(res, 404, 'NotFound', `${r.plural}.${r.group} "${name}" not found`, { name, group: r.group, kind: r.plural });
      return sendJson(res, 200, asVersion(object));
    }
    const prefix = namespace === undefined ? `${r.plural}/` : `${r.plural}/${namespace}/`;
    const selector = parseLabelSelector(url.searchParams.get('labelSelector'));
    const fieldName = /^metadata\.name=(.+)$/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
    const items = [...store.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => o)
      .filter(o => selector(o.metadata?.labels ?? {}) && (fieldName === undefined || o.metadata.name === fieldName))
      .map(asVersion);
    return sendJson(res, 200, { apiVersion: `${group}/${version}`, kind: r.listKind, metadata: { resourceVersion: String(this.resourceVersion) }, items });
  }

  private groups(): object[] {
    const byGroup = new Map<string, ServedResource[]>();
    for (const r of this.resources) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
    return [...byGroup.entries()].map(([name, rs]) => {
      const versions = rs[0].versions.map(v => ({ groupVersion: `${name}/${v}`, version: v }));
      return { name, versions, preferredVersion: versions[0] };
    });
  }
}

function toTime(t: string | Date): string {
  return (typeof t === 'string' ? new Date(t) : t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function storageHash(r: ServedResource): string {
  return Buffer.from(`${r.group}/${r.storage}/${r.kind}`).toString('base64').slice(0, 11);
}

function parseLabelSelector(selector: string | null): (labels: Record<string, string>) => boolean {
  if (!selector) return () => true;
  const terms = selector.split(',').map(t => t.trim()).filter(t => t);
  return labels => terms.every(term => {
    const eq = /^([^!=]+)(==|=|!=)(.*)$/.exec(term);
    if (eq) return eq[2] === '!=' ? labels[eq[1]] !== eq[3] : labels[eq[1]] === eq[3];
    if (term.startsWith('!')) return !(term.slice(1) in labels);
    return term in labels;
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendStatus(res: http.ServerResponse, code: number, reason: string, message: string, details?: object): void {
  sendJson(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
}

/** What the real API server answers for a path no resource serves. */
function notFoundPage(res: http.ServerResponse): void {
  const text = '404 page not found\n';
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** A key and self-signed certificate for 127.0.0.1 (openssl, as on every machine with git). */
function selfSignedCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nephoran-kube-api-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2',
      '-subj', '/CN=nephoran-test-apiserver', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A port on 127.0.0.1 with nothing listening (bound, read, released). */
function closedPort(): number {
  // Ports below 1024 are never handed out to unprivileged listeners by the ephemeral range;
  // port 9 (discard) is closed on these machines.
  return 9;
}
