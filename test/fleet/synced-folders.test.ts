import { ApiObject } from 'cdk8s';
import { REPO_URL, TestWorkload } from './support';
import { checkSyncedFolders, Cluster, Environment, Fleet, FleetLayout, GitAuth, Placement, SYNC_OBJECT_LIMIT, SYNC_OBJECT_WARNING } from '../../src/fleet';
import { KptPackage } from '../../src/kpt';
import { GitOpsRepository, SynthContext, SynthError, toYamlDocuments } from '../../src/repo';

const FOLDER = 'deployments/production/edge-01';
const owner = new GitOpsRepository();

function rootSync(dir: string, name = 'edge-01') {
  return {
    apiVersion: 'configsync.gke.io/v1beta1',
    kind: 'RootSync',
    metadata: { name, namespace: 'config-management-system' },
    spec: { sourceFormat: 'unstructured', git: { repo: REPO_URL, branch: 'main', dir, auth: 'none' } },
  };
}

function configMap(name: string, extra: Record<string, any> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'core', ...extra }, data: { a: 'b' } };
}

/** A context holding a RootSync for FOLDER and the given files; objects are recorded as a KptPackage would. */
function contextWith(files: Record<string, any[] | string>): SynthContext {
  const context = new SynthContext(new Map());
  const add = (path: string, objects: any[]) => {
    context.addFile(path, toYamlDocuments(objects), owner);
    for (const object of objects) context.recordObject({ object, filePath: path, packagePath: path.slice(0, path.lastIndexOf('/')), constructPath: `app/${path}` });
  };
  add('clusters/edge-01/rootsync_edge-01.yaml', [rootSync(FOLDER)]);
  for (const [path, content] of Object.entries(files)) {
    if (typeof content === 'string') context.addFile(path, content, owner);
    else add(path, content);
  }
  return context;
}

function check(context: SynthContext) {
  const folders = [{ folder: FOLDER, rootSyncName: 'edge-01', constructPath: 'app/clusters/edge-01/rootsync_edge-01.yaml' }];
  checkSyncedFolders(context, folders, REPO_URL);
  let errors: string[] = [];
  try {
    context.problems.throwIfAny();
  } catch (err) {
    errors = (err as SynthError).problems.map(p => `[${p.path}] ${p.message}`);
  }
  return { errors, warnings: context.problems.warnings.map(w => w.message) };
}

describe('synced folder checks', () => {
  test('a rendered folder passes; local-config objects and the Kptfile are not counted', () => {
    const result = check(contextWith({
      [`${FOLDER}/amf/Kptfile`]: [{ apiVersion: 'kpt.dev/v1', kind: 'Kptfile', metadata: { name: 'amf', annotations: { 'config.kubernetes.io/local-config': 'true' } } }],
      [`${FOLDER}/amf/configmap_a.yaml`]: [configMap('a')],
      [`${FOLDER}/amf/package-context.yaml`]: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kptfile.kpt.dev', annotations: { 'config.kubernetes.io/local-config': 'true' } }, data: { name: 'amf' } }],
      [`${FOLDER}/amf/README.md`]: '# notes with # kpt-set: ${x} are not parsed',
    }));
    expect(result).toEqual({ errors: [], warnings: [] });
  });

  test('reports everything ConfigSync would apply unrendered, all at once', () => {
    const { errors } = check(contextWith({
      [`${FOLDER}/amf/Kptfile`]: [{ apiVersion: 'kpt.dev/v1', kind: 'Kptfile', metadata: { name: 'amf' }, pipeline: { mutators: [{ image: 'gcr.io/kpt-fn/apply-replacements:v0.1.1', configPath: 'replacements.yaml' }] } }],
      [`${FOLDER}/amf/replacements.yaml`]: [{ apiVersion: 'fn.kpt.dev/v1alpha1', kind: 'ApplyReplacements', metadata: { name: 'r' } }],
      [`${FOLDER}/amf/fn-config.yaml`]: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fn-input' }, data: {} }],
      [`${FOLDER}/amf/setters.yaml`]: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: setters\n  namespace: core\ndata:\n  image: nginx # kpt-set: ${image}\n',
      [`${FOLDER}/amf/Kptfile.yaml`]: [{ apiVersion: 'kpt.dev/v1', kind: 'Kptfile', metadata: { name: 'copy' } }],
      [`${FOLDER}/amf/package-context.yaml`]: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kptfile.kpt.dev' }, data: { name: 'amf' } }],
      [`${FOLDER}/amf/capacity.yaml`]: [{ apiVersion: 'req.nephio.org/v1alpha1', kind: 'Capacity', metadata: { name: 'amf' } }],
      [`${FOLDER}/amf/inventory.yaml`]: [{ apiVersion: 'kpt.dev/v1alpha1', kind: 'ResourceGroup', metadata: { name: 'inventory' } }],
      [`${FOLDER}/amf/broken.yaml`]: 'apiVersion: v1\nkind: [unclosed\n',
    }));
    expect(errors).toEqual([
      expect.stringMatching(/\[app\/.*capacity.yaml\] Capacity amf .* is a Nephio requirement \(Capacity\) that functions consume; mark it/),
      expect.stringMatching(/\[app\/.*inventory.yaml\] ResourceGroup inventory .* is a kpt live inventory/),
      expect.stringMatching(/^\[app\/deployments\/production\/edge-01\/amf\/Kptfile.yaml\] Kptfile copy in .* is a Kptfile in a .yaml file; name the file Kptfile or mark it config.kubernetes.io\/local-config: "true"; ConfigSync runs no kpt functions/),
      expect.stringMatching(/\[app\/.*package-context.yaml\] ConfigMap kptfile.kpt.dev .* is the kpt package context/),
      expect.stringContaining(`ApplyReplacements r in ${FOLDER}/amf/replacements.yaml is kpt function configuration (ApplyReplacements.fn.kpt.dev)`),
      expect.stringMatching(/^\[deployments\/production\/edge-01\/amf\/broken.yaml\] ConfigSync parses every .yaml, .yml and .json file in "deployments\/production\/edge-01" and cannot parse this one/),
      expect.stringMatching(/^\[deployments\/production\/edge-01\/amf\/setters.yaml\] ConfigMap core\/setters .* still carries kpt setter markers \(# kpt-set:\)/),
    ]);
    expect(errors.join('\n')).not.toContain('fn-config.yaml');
  });

  test('a function config referenced by configPath must be local-config', () => {
    const { errors } = check(contextWith({
      [`${FOLDER}/amf/Kptfile`]: [{ apiVersion: 'kpt.dev/v1', kind: 'Kptfile', metadata: { name: 'amf' }, pipeline: { mutators: [{ image: 'gcr.io/kpt-fn/starlark:v0.4.3', configPath: 'fn/script.yaml' }] } }],
      [`${FOLDER}/amf/fn/script.yaml`]: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'script' }, data: {} }],
    }));
    expect(errors).toEqual([expect.stringContaining(`is the function config of a pipeline step in ${FOLDER}/amf/Kptfile (configPath)`)]);
  });

  test('reports a duplicate object naming both files', () => {
    const { errors } = check(contextWith({
      [`${FOLDER}/a/configmap_x.yaml`]: [configMap('x')],
      [`${FOLDER}/b/configmap_x.yaml`]: [configMap('x')],
      [`${FOLDER}/b/configmap_x-other-ns.yaml`]: [{ ...configMap('x'), metadata: { name: 'x', namespace: 'other' } }],
    }));
    expect(errors).toEqual([expect.stringContaining(`ConfigMap core/x appears twice in the folder "${FOLDER}" synced by RootSync "edge-01" (${FOLDER}/a/configmap_x.yaml and ${FOLDER}/b/configmap_x.yaml)`)]);
  });

  test(`above ${SYNC_OBJECT_LIMIT} objects is an error that says how to split; from ${SYNC_OBJECT_WARNING} a warning`, () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => configMap(`cm-${i}`));
    const over = check(contextWith({ [`${FOLDER}/big/all.yaml`]: many(SYNC_OBJECT_LIMIT + 1) }));
    expect(over.errors).toEqual([
      expect.stringMatching(/the folder "deployments\/production\/edge-01" synced by RootSync "edge-01" holds 5,001 objects; ConfigSync slows sharply above 5,000 objects per RootSync source: split it: place fewer packages on the cluster, sync some packages with a second RootSync or a RepoSync/),
    ]);
    const at = check(contextWith({ [`${FOLDER}/big/all.yaml`]: many(SYNC_OBJECT_LIMIT) }));
    expect(at.errors).toEqual([]);
    const near = check(contextWith({ [`${FOLDER}/big/all.yaml`]: many(SYNC_OBJECT_WARNING) }));
    expect(near).toEqual({ errors: [], warnings: [expect.stringMatching(/"deployments\/production\/edge-01" synced by RootSync "edge-01" holds 4,000 objects, close to the 5,000/)] });
    const below = check(contextWith({ [`${FOLDER}/big/all.yaml`]: many(SYNC_OBJECT_WARNING - 1) }));
    expect(below).toEqual({ errors: [], warnings: [] });
    // local-config objects are not applied, so they do not count.
    const local = many(SYNC_OBJECT_LIMIT + 1).map(o => ({ ...o, metadata: { ...o.metadata, annotations: { 'config.kubernetes.io/local-config': 'true' } } }));
    expect(check(contextWith({ [`${FOLDER}/big/all.yaml`]: local })).errors).toEqual([]);
  });

  test('an empty synced folder is a warning', () => {
    expect(check(contextWith({})).warnings).toEqual([expect.stringMatching(/syncs "deployments\/production\/edge-01", which holds no files/)]);
  });

  test('a RootSync that syncs the folder holding itself (KNV1069)', () => {
    const context = contextWith({ [`${FOLDER}/sync/rootsync.yaml`]: [rootSync('deployments/production', 'nested')], [`${FOLDER}/a/cm.yaml`]: [configMap('a')] });
    const folders = [
      { folder: FOLDER, rootSyncName: 'edge-01', constructPath: 'x' },
      { folder: 'deployments/production', rootSyncName: 'nested', constructPath: 'y' },
    ];
    checkSyncedFolders(context, folders, REPO_URL);
    expect(() => context.problems.throwIfAny()).toThrow(/RootSync "nested" syncs "deployments\/production", which holds the RootSync itself .*KNV1069/);
  });

  test('a RootSync of another repository is not this repository\'s concern', () => {
    const context = contextWith({ 'clusters/x/rootsync.yaml': [{ ...rootSync('clusters'), spec: { git: { repo: 'https://elsewhere.example.com/r.git', dir: 'clusters', auth: 'none' } } }], [`${FOLDER}/a/cm.yaml`]: [configMap('a')] });
    expect(check(context)).toEqual({ errors: [], warnings: [] });
  });
});

describe('Fleet synced folders, end to end', () => {
  test('a package written by hand into a cluster folder is checked like placed ones, and nesting is reported', () => {
    const repo = new GitOpsRepository();
    const fleet = new Fleet(repo, 'fleet', { repoUrl: REPO_URL, auth: GitAuth.none() });
    new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west' });
    new Placement(fleet, 'amf', { blueprint: new TestWorkload(repo, 'amf', { namespace: 'core' }) });
    const manual = new KptPackage(repo, 'manual', { path: `${FOLDER}/amf/extra` });
    new ApiObject(manual, 'setters', { apiVersion: 'fn.kpt.dev/v1alpha1', kind: 'ApplySetters', metadata: { name: 'setters' } });
    let error: SynthError | undefined;
    try {
      repo.synthTree();
    } catch (err) {
      error = err as SynthError;
    }
    expect(error?.problems.map(p => p.message)).toEqual([
      expect.stringMatching(/"deployments\/production\/edge-01\/amf\/extra" is inside package "deployments\/production\/edge-01\/amf"/),
      expect.stringMatching(/ApplySetters setters in deployments\/production\/edge-01\/amf\/extra\/applysetters_setters.yaml is kpt function configuration/),
    ]);
  });
});

describe('every .yaml, .yml and .json file under a synced folder is a Kubernetes object', () => {
  test('a review policy, a list and an object without a name stop ConfigSync, hidden folders included; other extensions and local-config objects do not', () => {
    const { errors } = check(contextWith({
      [`${FOLDER}/.nephoran/review-policy.yaml`]: 'environments:\n  production: { approvals: 2 }\n',
      [`${FOLDER}/notes/list.json`]: '[1, 2, 3]\n',
      [`${FOLDER}/amf/nameless.yml`]: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: core\n',
      [`${FOLDER}/.nephoran/review-policy`]: 'environments:\n  production: { approvals: 2 }\n',
      [`${FOLDER}/.nephoran/environment/production`]: '# production\n',
      [`${FOLDER}/amf/Kptfile`]: 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: amf\n  annotations:\n    config.kubernetes.io/local-config: "true"\n',
      [`${FOLDER}/amf/fn-config.yaml`]: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    config.kubernetes.io/local-config: "true"\n',
    }));
    expect(errors).toEqual([
      expect.stringMatching(/^\[deployments\/production\/edge-01\/\.nephoran\/review-policy\.yaml\] deployments\/production\/edge-01\/\.nephoran\/review-policy\.yaml holds a document without apiVersion, kind, metadata\.name, which is not a Kubernetes object; ConfigSync parses every .yaml, .yml and .json file in "deployments\/production\/edge-01", hidden folders included/),
      expect.stringMatching(/^\[deployments\/production\/edge-01\/amf\/nameless\.yml\] .* holds a document without metadata\.name/),
      expect.stringMatching(/^\[deployments\/production\/edge-01\/notes\/list\.json\] .* holds a document that is not a Kubernetes object/),
    ]);
  });
});

describe('environment records of the repository-per-cluster layout', () => {
  test('each cluster repository records its environment and the management repository each cluster\'s, in files ConfigSync never reads', () => {
    const repo = new GitOpsRepository();
    const fleet = new Fleet(repo, 'fleet', {
      repoUrl: 'https://git.example.com/nephio/fleet-mgmt.git',
      auth: GitAuth.none(),
      layout: FleetLayout.repositoryPerCluster({ repoUrlTemplate: 'https://git.example.com/nephio/{cluster}.git' }),
    });
    new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west' });
    new Cluster(fleet, 'lab-01', { environment: Environment.STAGING, region: 'eu-west' });
    new Placement(fleet, 'amf', { blueprint: new TestWorkload(repo, 'amf', { namespace: 'core' }) });
    const { repositories } = repo.synthTrees();
    expect(repositories.tree('edge-01').paths().filter(p => p.startsWith('.nephoran/'))).toEqual(['.nephoran/environment/production']);
    expect(repositories.tree('lab-01').paths().filter(p => p.startsWith('.nephoran/'))).toEqual(['.nephoran/environment/staging']);
    expect(repositories.tree('fleet-mgmt').paths().filter(p => p.startsWith('.nephoran/'))).toEqual([
      '.nephoran/cluster-environments/edge-01/production', '.nephoran/cluster-environments/lab-01/staging',
    ]);
    for (const name of repositories.names) {
      for (const path of repositories.tree(name).paths()) expect([name, path, /^\.nephoran\/.*\.(ya?ml|json)$/.test(path)]).toEqual([name, path, false]);
    }
  });

  test('the single-repository layout writes none: its paths name the environments', () => {
    const repo = new GitOpsRepository();
    const fleet = new Fleet(repo, 'fleet', { repoUrl: REPO_URL, auth: GitAuth.none() });
    new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west' });
    new Placement(fleet, 'amf', { blueprint: new TestWorkload(repo, 'amf', { namespace: 'core' }) });
    expect(repo.synthTree().tree.paths().filter(p => p.startsWith('.nephoran/'))).toEqual([]);
  });
});
