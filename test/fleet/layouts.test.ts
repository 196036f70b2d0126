import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { objectAt, REPO_URL, TestWorkload, tokenAuth } from './support';
import { validateObject } from '../../src/apis/validation';
import { Cluster, DeliveryMode, Environment, Fleet, FleetLayout, GitAuth, Placement, PorchApprovalPolicy, SiteType } from '../../src/fleet';
import { IPackageBlueprint, KptPackage, VariantOptions } from '../../src/kpt';
import {
  declareRepository, GitOpsRepository, markRepoContributor, readRepoSetFromFolder, RepositoryDeclaration, REPOSITORY_SET_MANIFEST_PATH, RepoSet,
  RepoTree, SynthContext, SynthError, writeRepoSetToFolder,
} from '../../src/repo';

const MGMT_URL = 'https://git.example.com/nephio/mgmt.git';
const TEMPLATE = 'https://git.example.com/nephio/{cluster}.git';

const tmpDirs: string[] = [];
afterAll(() => { for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true }); });
function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nephoran-layouts-'));
  tmpDirs.push(dir);
  return dir;
}

interface Build {
  readonly repo: GitOpsRepository;
  readonly fleet: Fleet;
  readonly edge01: Cluster;
}

/** Three clusters in two environments, UPF on the edge, NRF in production. */
function build(layout: FleetLayout = FleetLayout.repositoryPerCluster({ repoUrlTemplate: TEMPLATE }), repoUrl = MGMT_URL, outdir?: string, clusters = ['edge-01', 'edge-02', 'lab-01']): Build {
  const repo = new GitOpsRepository({ outdir });
  const upf = new TestWorkload(repo, 'upf', { namespace: 'upf' });
  const nrf = new TestWorkload(repo, 'nrf', { namespace: 'core' });
  const fleet = new Fleet(repo, 'fleet', { repoUrl, auth: tokenAuth(), layout });
  const made = new Map<string, Cluster>();
  for (const name of clusters) {
    made.set(name, new Cluster(fleet, name, { environment: name.startsWith('lab') ? Environment.STAGING : Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE }));
  }
  const upfEdge = new Placement(fleet, 'upf-edge', { blueprint: upf, matchLabels: { 'nephio.org/site-type': 'edge' } });
  upfEdge.addEnvironmentOverrides(Environment.STAGING, { replicas: 2 });
  if (made.has('edge-01')) upfEdge.addClusterOverrides(made.get('edge-01')!, { configuration: { dnn: 'internet' } });
  new Placement(fleet, 'nrf-prod', { blueprint: nrf, environments: [Environment.PRODUCTION] });
  return { repo, fleet, edge01: made.get('edge-01')! };
}

function synthError(run: () => unknown): SynthError {
  try {
    run();
  } catch (err) {
    if (err instanceof SynthError) return err;
    throw err;
  }
  throw new Error('synth succeeded');
}

describe('repository-per-cluster layout', () => {
  test('the management repository keeps packages/, clusters/ and management/; each cluster gets a repository named after it with each package at /<package>/', () => {
    const { repo } = build();
    const { repositories, warnings } = repo.synthTrees();
    expect(warnings).toEqual([]);
    expect(repositories.names).toEqual(['mgmt', 'edge-01', 'edge-02', 'lab-01']);
    expect(repositories.primary).toBe('mgmt');

    const mgmt = repositories.tree('mgmt');
    expect([...new Set(mgmt.paths().map(p => p.split('/').slice(0, 2).join('/')))]).toEqual([
      '.nephoran/cluster-environments', 'clusters/edge-01', 'clusters/edge-02', 'clusters/lab-01', 'management/workload-clusters', 'packages/network-functions',
    ]);
    expect(repositories.tree('edge-01').paths()).toEqual([
      // What environment the review gate applies to this repository's files.
      '.nephoran/environment/production',
      'namespaces/Kptfile', 'namespaces/namespace_core.yaml', 'namespaces/namespace_upf.yaml', 'namespaces/package-context.yaml',
      'nrf/Kptfile', 'nrf/configmap_nrf-config.yaml', 'nrf/deployment_nrf.yaml', 'nrf/package-context.yaml',
      'upf/Kptfile', 'upf/configmap_upf-config.yaml', 'upf/deployment_upf.yaml', 'upf/package-context.yaml',
    ]);
    expect(repositories.tree('lab-01').paths().filter(p => p.endsWith('/Kptfile'))).toEqual(['namespaces/Kptfile', 'upf/Kptfile']);
    // The split-off folder appears in no repository.
    for (const [, tree] of repositories.entries()) expect(tree.paths().some(p => p.startsWith('repositories/') || p.startsWith('deployments/'))).toBe(false);
  });

  test('each RootSync syncs the root of its cluster repository and lives in the management repository, never in a repository it syncs', () => {
    const { repo, edge01 } = build();
    const { repositories } = repo.synthTrees();
    const rootSync = objectAt(repositories.tree('mgmt'), 'clusters/edge-01/rootsync_edge-01.yaml');
    expect(validateObject(rootSync)).toEqual([]);
    expect(rootSync.spec).toEqual({
      sourceType: 'git',
      sourceFormat: 'unstructured',
      git: { repo: 'https://git.example.com/nephio/edge-01.git', branch: 'main', auth: 'token', secretRef: { name: 'edge-01-git-credentials' }, period: '15s' },
    });
    expect(edge01.repoUrl).toBe('https://git.example.com/nephio/edge-01.git');
    expect(edge01.deploymentsPath).toBe('repositories/edge-01');
    for (const name of ['edge-01', 'edge-02', 'lab-01']) {
      const files = repositories.tree(name).entries();
      expect(files.filter(([, content]) => /kind: RootSync/.test(content.toString()))).toEqual([]);
    }
  });

  test('a cluster repository holds exactly what the single layout writes for that cluster, and the record of its environment', () => {
    const single = build(FleetLayout.SINGLE_REPOSITORY).repo.synthTree().tree;
    const split = build().repo.synthTrees().repositories;
    for (const [cluster, env] of [['edge-01', 'production'], ['edge-02', 'production'], ['lab-01', 'staging']]) {
      const folder = `deployments/${env}/${cluster}/`;
      const expected = single.pathsUnder(folder).map(p => [p.slice(folder.length), single.getText(p)]);
      expect(split.tree(cluster).entries().filter(([p]) => p !== `.nephoran/environment/${env}`).map(([p, c]) => [p, c.toString('utf8')])).toEqual(expected);
      expect(split.tree(cluster).has(`.nephoran/environment/${env}`)).toBe(true);
    }
    // The variants record the management repository's blueprint as their upstream.
    expect(objectAt(split.tree('edge-01'), 'upf/Kptfile').upstream.git).toEqual({ repo: MGMT_URL, directory: 'packages/network-functions/upf', ref: 'main' });
    // Overrides apply as in the single layout: staging replicas, edge-01's own configuration.
    expect(objectAt(split.tree('lab-01'), 'upf/deployment_upf.yaml').spec.replicas).toBe(2);
    expect(objectAt(split.tree('edge-01'), 'upf/configmap_upf-config.yaml').data).toEqual({ dnn: 'internet' });
  });

  test('the single layout is unchanged: one repository, and synthTrees() agrees with synthTree()', () => {
    const { repo } = build(FleetLayout.SINGLE_REPOSITORY);
    const { repositories } = repo.synthTrees();
    expect(repositories.isSingle).toBe(true);
    expect(repositories.tree(repositories.primary).equals(repo.synthTree().tree)).toBe(true);
    expect(objectAt(repositories.tree(repositories.primary), 'clusters/edge-01/rootsync_edge-01.yaml').spec.git.dir).toBe('deployments/production/edge-01');
  });

  test('synthTree() refuses to give several repositories as one tree', () => {
    const { repo } = build();
    expect(() => repo.synthTree()).toThrow('this app synthesizes 4 repositories (mgmt, edge-01, edge-02, lab-01); call synthTrees() for them');
  });

  test('synth is deterministic: two builds give the same repositories, byte for byte', () => {
    const a = build().repo.synthTrees().repositories;
    const b = build().repo.synthTrees().repositories;
    expect(a.equals(b)).toBe(true);
    expect(a.names).toEqual(b.names);
    for (const [name, tree] of a.entries()) expect(tree.entries()).toEqual(b.tree(name).entries());
  });

  test('synth() writes each repository into <outdir>/<repository>/; a cluster that goes takes its repository folder with it, but not files a person added', () => {
    const outdir = tmp();
    const first = build(undefined, MGMT_URL, outdir);
    first.repo.synth();
    expect(fs.readFileSync(path.join(outdir, REPOSITORY_SET_MANIFEST_PATH), 'utf8').split('\n').filter(l => l && !l.startsWith('#'))).toEqual(['mgmt', 'edge-01', 'edge-02', 'lab-01']);
    expect(fs.existsSync(path.join(outdir, 'edge-01', 'upf', 'deployment_upf.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(outdir, 'mgmt', 'clusters', 'edge-01', 'rootsync_edge-01.yaml'))).toBe(true);
    expect(readRepoSetFromFolder(outdir).equals(first.repo.synthTrees().repositories)).toBe(true);

    fs.writeFileSync(path.join(outdir, 'edge-01', 'README.md'), 'notes of the edge-01 team\n');
    const second = build(undefined, MGMT_URL, outdir, ['edge-01', 'lab-01']);
    second.repo.synth();
    expect(fs.existsSync(path.join(outdir, 'edge-02'))).toBe(false);
    expect(fs.readFileSync(path.join(outdir, 'edge-01', 'README.md'), 'utf8')).toBe('notes of the edge-01 team\n');
    const back = readRepoSetFromFolder(outdir);
    expect(back.names).toEqual(['mgmt', 'edge-01', 'lab-01']);
    expect(back.equals(second.repo.synthTrees().repositories)).toBe(true);

    // A removed repository keeps what a person added there.
    fs.writeFileSync(path.join(outdir, 'lab-01', 'NOTES.md'), 'keep\n');
    const result = writeRepoSetToFolder(RepoSet.fromTrees('mgmt', { 'mgmt': back.tree('mgmt'), 'edge-01': back.tree('edge-01') }), outdir);
    expect(result.removedRepositories).toEqual(['lab-01']);
    expect(fs.readdirSync(path.join(outdir, 'lab-01')).sort()).toEqual(['.nephoran', 'NOTES.md']);
    expect(fs.existsSync(path.join(outdir, 'lab-01', 'upf'))).toBe(false);
  });

  test('several repositories are not written over a single one written earlier, nor the other way round', () => {
    const outdir = tmp();
    build(FleetLayout.SINGLE_REPOSITORY, MGMT_URL, outdir).repo.synth();
    const { repo } = build(undefined, MGMT_URL, outdir);
    expect(() => repo.synth()).toThrow(/refusing to write 4 repositories into .*: it holds a single repository written earlier/);
    expect(fs.existsSync(path.join(outdir, 'deployments', 'production', 'edge-01', 'upf'))).toBe(true);

    const other = tmp();
    build(undefined, MGMT_URL, other).repo.synth();
    expect(() => build(FleetLayout.SINGLE_REPOSITORY, MGMT_URL, other).repo.synth())
      .toThrow(/refusing to write one repository into .*: it holds 4 repositories written earlier \(mgmt, edge-01, edge-02, lab-01\)/);
    expect(readRepoSetFromFolder(other).names).toEqual(['mgmt', 'edge-01', 'edge-02', 'lab-01']);
  });

  test('the management repository is named after its URL unless named', () => {
    expect(build(undefined, 'git@git.example.com:telco/fleet-mgmt.git').repo.synthTrees().repositories.primary).toBe('fleet-mgmt');
    const named = build(FleetLayout.repositoryPerCluster({ repoUrlTemplate: TEMPLATE, managementRepositoryName: 'management' }));
    expect(named.repo.synthTrees().repositories.names).toEqual(['management', 'edge-01', 'edge-02', 'lab-01']);
  });

  test('a cluster repository nears the 5,000 objects of one RootSync source: synth warns and says how to split', () => {
    const repo = new GitOpsRepository();
    const fleet = new Fleet(repo, 'fleet', { repoUrl: MGMT_URL, auth: GitAuth.none(), layout: FleetLayout.repositoryPerCluster({ repoUrlTemplate: TEMPLATE }) });
    new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west' });
    new Placement(fleet, 'many', { blueprint: new ManyConfigMaps(repo, 'many', 4000) });
    const { warnings } = repo.synthTrees();
    expect(warnings.map(w => w.message)).toEqual([
      expect.stringMatching(/^the folder "repositories\/edge-01" synced by RootSync "edge-01" holds 4,000 objects, close to the 5,000 at which ConfigSync slows sharply; plan to split it/),
    ]);
    expect(warnings[0].path).toBe('fleet/edge-01/Package/RootSync');
  });

  test('every problem of the layout at once, in one SynthError', () => {
    const { repo, fleet } = build();
    // A package in the repositories/ folder of no cluster.
    new KptPackage(repo, 'Stray', { path: 'repositories/ghost/extra' });
    // A RootSync written into the repository it syncs.
    const inside = new KptPackage(repo, 'Inside', { path: 'repositories/edge-02/bootstrap' });
    new ApiObject(inside, 'RootSync', {
      apiVersion: 'configsync.gke.io/v1beta1',
      kind: 'RootSync',
      metadata: { name: 'edge-02-self', namespace: 'config-management-system' },
      spec: { sourceFormat: 'unstructured', git: { repo: 'https://git.example.com/nephio/edge-02.git', branch: 'main', auth: 'none' } },
    });
    // The same object twice in one cluster repository.
    for (const nf of ['amf', 'smf']) {
      new Placement(fleet, `${nf}-edge-02`, { blueprint: new TestWorkload(repo, nf, { namespace: 'shared', declaresNamespace: true }), matchLabels: { 'nephio.org/cluster-name': 'edge-02' } });
    }
    const error = synthError(() => repo.synthTrees());
    expect(error.problems.map(p => [p.path, p.field])).toEqual([
      ['fleet', 'layout'],
      ['fleet/smf-edge-02/edge-02/Namespace/Resource', 'metadata.name'],
      ['Inside/RootSync', 'spec.git.dir'],
    ]);
    const messages = error.problems.map(p => p.message);
    expect(messages[2]).toBe('RootSync "edge-02-self" is in the repository of cluster edge-02 (bootstrap/rootsync_edge-02-self.yaml) and syncs its root, which holds the RootSync itself; ConfigSync refuses that (KNV1069): keep RootSyncs in the management repository\'s clusters/<cluster>/');
    expect(messages[0]).toBe('"repositories/ghost/" holds 2 files (repositories/ghost/extra/Kptfile, ...), but repositories/ holds only the repositories of the fleet\'s clusters (edge-01, edge-02, lab-01); write the files elsewhere or add the cluster');
    expect(messages[1]).toMatch(/^Namespace shared appears twice in the folder "repositories\/edge-02" synced by RootSync "edge-02" \(repositories\/edge-02\/amf\/namespace_shared.yaml and repositories\/edge-02\/smf\/namespace_shared.yaml\)/);
  });

  test('layout mistakes are carried by the layout, and reported by the Fleet at synth with every other problem', () => {
    expect(FleetLayout.repositoryPerCluster({ repoUrlTemplate: 'https://git.example.com/nephio/fleet.git' })._problems)
      .toEqual(['FleetLayout.repositoryPerCluster: repoUrlTemplate must hold "{cluster}" where the cluster name goes, e.g. "https://git.example.com/nephio/{cluster}.git"; got "https://git.example.com/nephio/fleet.git"']);
    expect(FleetLayout.repositoryPerCluster({ repoUrlTemplate: 'nephio/{cluster}' })._problems)
      .toEqual(['FleetLayout.repositoryPerCluster: repoUrlTemplate must give a git URL such as "https://git.example.com/nephio/{cluster}.git"; "nephio/{cluster}" gives "nephio/edge-01"']);
    expect(FleetLayout.repositoryPerCluster({ repoUrlTemplate: TEMPLATE, managementRepositoryName: 'Mgmt_Repo' })._problems)
      .toEqual([expect.stringMatching(/^FleetLayout.repositoryPerCluster: managementRepositoryName "Mgmt_Repo" is not a DNS-1123 label/)]);

    const fields = (repo: GitOpsRepository) => synthError(() => repo.synthTrees()).problems.map(p => `${p.path} ${p.field}: ${p.message}`);
    expect(fields(build(FleetLayout.repositoryPerCluster({ repoUrlTemplate: 'nephio/{cluster}', managementRepositoryName: 'Mgmt_Repo' })).repo)).toEqual([
      'fleet props.layout: FleetLayout.repositoryPerCluster: managementRepositoryName "Mgmt_Repo" is not a DNS-1123 label: use lowercase letters, digits and "-", starting and ending with a letter or digit',
      'fleet props.layout: FleetLayout.repositoryPerCluster: repoUrlTemplate must give a git URL such as "https://git.example.com/nephio/{cluster}.git"; "nephio/{cluster}" gives "nephio/edge-01"',
    ]);
    expect(fields(build(undefined, 'https://git.example.com/nephio/Fleet_Repo.git').repo)).toEqual([
      'fleet props.repoUrl: the management repository takes its name from repoUrl, and "Fleet_Repo" "Fleet_Repo" is not a DNS-1123 label: use lowercase letters, digits and "-", starting and ending with a letter or digit; set FleetLayout.repositoryPerCluster({ managementRepositoryName })',
    ]);
    expect(fields(build(undefined, MGMT_URL, undefined, ['edge-01', 'mgmt']).repo)).toContain(
      'fleet/mgmt props.name: cluster "mgmt" (fleet/mgmt) would get a repository named like the management repository "mgmt"; rename the cluster or set FleetLayout.repositoryPerCluster({ managementRepositoryName })');
    const repo = new GitOpsRepository();
    const fleet = new Fleet(repo, 'fleet', { repoUrl: REPO_URL, auth: GitAuth.none(), deliveryMode: DeliveryMode.porch({ approvalPolicy: 'sometimes' as PorchApprovalPolicy }) });
    new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west' });
    new Placement(fleet, 'upf', { blueprint: new TestWorkload(repo, 'upf', { namespace: 'upf' }) });
    expect(fields(repo)).toEqual([
      'fleet props.deliveryMode: DeliveryMode.porch: approvalPolicy must be one of initial, always; got "sometimes"',
      'fleet props.deliveryMode: DeliveryMode.porch() delivers into one Porch deployment repository per cluster: set layout: FleetLayout.repositoryPerCluster({ repoUrlTemplate: "https://git.example.com/nephio/{cluster}.git" })',
    ]);
  });
});

describe('RepoSet', () => {
  test('splits a tree along declared folders; the primary repository takes the rest; iteration is primary first, then by name', () => {
    const tree = RepoTree.fromRecord({ 'a/x.yaml': 'a', 'repos/z/y.yaml': 'z', 'repos/b/y.yaml': 'b', 'top.yaml': 't' });
    const set = RepoSet.partition(tree, [{ name: 'z', folder: 'repos/z' }, { name: 'main', folder: '' }, { name: 'b', folder: 'repos/b' }]);
    expect(set.names).toEqual(['main', 'b', 'z']);
    expect(set.tree('main').paths()).toEqual(['a/x.yaml', 'top.yaml']);
    expect(set.tree('z').paths()).toEqual(['y.yaml']);
    expect(set.fileCount).toBe(4);
    expect(() => set.tree('nope')).toThrow('no repository named "nope" in this set; it holds main, b, z');
  });

  test('without a primary repository, files outside every declared folder are a SynthError naming each', () => {
    const tree = RepoTree.fromRecord({ 'repos/z/y.yaml': 'z', 'loose.yaml': 'l' });
    const error = synthError(() => RepoSet.partition(tree, [{ name: 'z', folder: 'repos/z' }]));
    expect(error.problems).toEqual([{ path: 'loose.yaml', field: 'path', message: 'the file is in none of the repositories (z at "repos/z") and no primary repository takes the rest' }]);
  });

  test('declarations that clash are synth problems of the construct that made them', () => {
    const repo = new GitOpsRepository();
    new Declaring(repo, 'a', [{ name: 'one', folder: '' }, { name: 'one', folder: 'x' }, { name: 'Bad_Name', folder: 'y' }, { name: 'two', folder: 'r/a' }, { name: 'three', folder: 'r/a/b' }]);
    const error = synthError(() => repo.synthTrees());
    expect(error.problems.map(p => p.message)).toEqual([
      'repository "three" at "r/a/b" overlaps repository "two" at "r/a" (declared by a); each file belongs to one repository',
      'repository name "Bad_Name" must be a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters): it names a folder and a remote',
      'two repositories named "one" (also declared by a); repository names are unique',
    ]);
  });
});

/** A construct that declares repositories while rendering, as a Fleet does. */
class Declaring extends Construct {
  constructor(scope: Construct, id: string, private readonly declarations: RepositoryDeclaration[]) {
    super(scope, id);
    markRepoContributor(this);
  }

  public _renderRepoFiles(context: SynthContext): void {
    for (const d of this.declarations) declareRepository(context, d, this);
  }
}

/** A package of `count` ConfigMaps in one multi-document file, cheap to build. */
class ManyConfigMaps extends Construct implements IPackageBlueprint {
  public readonly blueprint: KptPackage;

  constructor(scope: Construct, id: string, private readonly count: number) {
    super(scope, id);
    this.blueprint = new KptPackage(this, 'Package', { path: `packages/network-functions/${id}` });
  }

  public get namespaces(): string[] {
    return ['many'];
  }

  public renderVariant(scope: Construct, id: string, options: VariantOptions): KptPackage {
    const pkg = new KptPackage(scope, id, {
      path: options.path,
      upstream: { repo: options.upstreamRepo, directory: this.blueprint.packagePath, ref: options.upstreamRef },
    });
    const docs = Array.from({ length: this.count - 1 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-${i}\n  namespace: many\ndata:\n  index: "${i}"\n`);
    pkg.addFile('configmaps.yaml', docs.join('---\n'));
    return pkg;
  }
}
