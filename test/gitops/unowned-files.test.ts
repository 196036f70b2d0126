import { ALICE, fleetTree } from './fixtures';
import { publish, syncedFolders, UnownedFileError } from '../../src/gitops';
import { RepoTree } from '../../src/repo/repo-tree';
import { commitAsPerson, createBareRemote, git, listFiles, removeTempDirs, tempDir } from '../support/git';

// Hand-written files in a folder a RootSync syncs, which nephoran does not own: publish refuses
// those ConfigSync would reject (a second declaration of an object, KNV1029; a file that is not
// a Kubernetes object) and Secrets with data, and deletes nothing. Real bare repositories.

afterAll(removeTempDirs);

async function setup(tree: RepoTree = fleetTree()) {
  const root = tempDir();
  const remote = createBareRemote(root);
  const options = { remote, cwd: root, author: ALICE };
  await publish(tree, options);
  return { root, remote, options };
}

async function refusal(promise: Promise<unknown>): Promise<UnownedFileError> {
  const err = await promise.then(() => undefined, e => e);
  expect(err).toBeInstanceOf(UnownedFileError);
  return err as UnownedFileError;
}

const DUPLICATE = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: amf\n  namespace: amf\nspec:\n  replicas: 9\n';

test('a second declaration of an object nephoran writes is refused in the folder the change touches, with the file named; nothing is deleted', async () => {
  const { remote, options } = await setup();
  const hand = commitAsPerson(remote, 'main', { 'deployments/production/edge01/hotfix.yaml': DUPLICATE }, 'Hotfix by hand');
  const err = await refusal(publish(fleetTree({ productionReplicas: 5 }), options));
  expect(err.problems).toEqual([expect.objectContaining({ path: 'deployments/production/edge01/hotfix.yaml', syncedFolder: 'deployments/production/edge01', problem: 'duplicate-object' })]);
  expect(err.message).toMatch(/^nothing was published: deployments\/production\/edge01, which ConfigSync syncs, holds a file nephoran did not write/);
  expect(err.message).toContain('deployments/production/edge01/hotfix.yaml: declares Deployment amf/amf, which nephoran writes in deployments/production/edge01/amf/deployment-amf.yaml; ConfigSync refuses two declarations of one object (KNV1029)');
  expect(git(remote, 'rev-parse', 'main')).toBe(hand);

  // A change elsewhere is not blocked by it: ConfigSync syncs each cluster's folder on its own.
  const elsewhere = await publish(fleetTree({ developmentReplicas: 3 }), options);
  expect(elsewhere.changed).toBe(true);
  expect(listFiles(remote, 'main')).toContain('deployments/production/edge01/hotfix.yaml');

  // Once the person removes it, the change goes through.
  commitAsPerson(remote, 'main', { 'deployments/production/edge01/hotfix.yaml': null }, 'Remove the hotfix');
  expect((await publish(fleetTree({ productionReplicas: 5, developmentReplicas: 3 }), options)).changed).toBe(true);
});

test('a Secret with data pushed by hand is refused without showing its values', async () => {
  const { remote, options } = await setup();
  commitAsPerson(remote, 'main', {
    'deployments/development/dev01/db-credentials.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: amf\nstringData:\n  password: hunter2-do-not-print\ndata:\n  token: c2VjcmV0LXRva2Vu\n',
  }, 'Credentials');
  const err = await refusal(publish(fleetTree({ developmentReplicas: 2 }), options));
  expect(err.problems.map(p => [p.path, p.problem])).toEqual([['deployments/development/dev01/db-credentials.yaml', 'secret-data']]);
  expect(err.message).toContain('the Secret amf/db carries data and stringData (values not shown)');
  expect(err.message).toContain('ExternalSecret');
  expect(err.message).not.toMatch(/hunter2|c2VjcmV0|password|token:/);
});

test('a file ConfigSync cannot read as Kubernetes objects is refused; files it does not read are left alone', async () => {
  const { remote, options } = await setup();
  commitAsPerson(remote, 'main', {
    'deployments/development/dev01/notes.yaml': 'owner: team-5g\nescalation: pager\n',
    'deployments/development/dev01/broken.json': '{ "kind": ',
    'deployments/development/dev01/README.md': '# notes\n',
    'deployments/development/dev01/values.YAML': 'not: read\n',
    'deployments/development/dev01/.github/workflows/ci.yml': 'on: push\n',
    'deployments/development/dev01/kustomization-local.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: amf\n  namespace: amf\n  annotations:\n    config.kubernetes.io/local-config: "true"\n',
    'deployments/development/dev01/extra-configmap.yaml': '# a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: amf\n',
  }, 'Notes');
  const err = await refusal(publish(fleetTree({ developmentReplicas: 2 }), options));
  expect(err.problems.map(p => [p.path, p.problem])).toEqual([
    ['deployments/development/dev01/broken.json', 'not-an-object'],
    ['deployments/development/dev01/notes.yaml', 'not-an-object'],
  ]);
  expect(err.message).toContain('deployments/development/dev01/notes.yaml: not a Kubernetes object (a document has no apiVersion, kind, metadata.name)');
  expect(err.message).toMatch(/broken\.json: not a Kubernetes object \(invalid JSON: /);
  expect(err.message).toContain('Nothing was deleted');
});

test('a program that moves an object to another file of the folder is not a second declaration: the old file goes', async () => {
  const amf = 'deployments/production/edge01/amf/deployment-amf.yaml';
  const moved = fleetTree();
  const content = moved.get(amf)!;
  moved.removeFile(amf);
  moved.setFile('deployments/production/edge01/amf/amf.yaml', content);
  const { remote, options } = await setup();
  // A hand-written object in the folder makes the check read the folder.
  commitAsPerson(remote, 'main', { 'deployments/production/edge01/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: amf\n' }, 'Extra');
  expect((await publish(moved, options)).changed).toBe(true);
  expect(listFiles(remote, 'main')).not.toContain(amf);
});

test('an object by hand that nothing else declares is fine: ConfigSync applies it', async () => {
  const { remote, options } = await setup();
  commitAsPerson(remote, 'main', { 'deployments/production/edge01/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: amf\n' }, 'Extra');
  expect((await publish(fleetTree({ productionReplicas: 3 }), options)).changed).toBe(true);
});

test('a workload cluster\'s own repository is synced from its root; a RootSync\'s spec.git.dir is a synced folder too', async () => {
  const files = {
    '.nephoran/environment/production': '# production\n',
    'upf/Kptfile': 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: upf\n',
    'upf/deployment-upf.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: upf\n  namespace: upf\n',
  };
  const own = RepoTree.fromRecord(files);
  const { remote, options } = await setup(own);
  commitAsPerson(remote, 'main', { 'ci/pipeline.yml': 'stages: [build]\n' }, 'CI');
  const changed = RepoTree.fromRecord({ ...files, 'upf/deployment-upf.yaml': files['upf/deployment-upf.yaml'] + 'spec:\n  replicas: 2\n' });
  const err = await refusal(publish(changed, options));
  expect(err.problems).toEqual([expect.objectContaining({ path: 'ci/pipeline.yml', syncedFolder: '', problem: 'not-an-object' })]);
  expect(err.message).toMatch(/^nothing was published: the repository root, which ConfigSync syncs/);

  expect(syncedFolders(['clusters/c1/rootsync.yaml'], ['sites/c1/', './other', '.', '/'])).toEqual(['other', 'sites/c1']);

  // A RootSync of the tree that syncs a subfolder: that folder is checked.
  const sites = (replicas: number) => RepoTree.fromRecord({
    'clusters/c1/rootsync.yaml': 'apiVersion: configsync.gke.io/v1beta1\nkind: RootSync\nmetadata:\n  name: root-sync\n  namespace: config-management-system\nspec:\n  sourceFormat: unstructured\n  git:\n    repo: https://git.example.com/fleet.git\n    branch: main\n    dir: sites/c1\n',
    'sites/c1/app.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: app\ndata:\n  replicas: "${replicas}"\n`,
  });
  const site = await setup(sites(1));
  commitAsPerson(site.remote, 'main', { 'sites/c1/app-copy.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: app\n' }, 'Copy');
  const siteErr = await refusal(publish(sites(2), site.options));
  expect(siteErr.problems).toEqual([expect.objectContaining({ path: 'sites/c1/app-copy.yaml', syncedFolder: 'sites/c1', problem: 'duplicate-object' })]);
  expect(syncedFolders(['deployments/prod/c1/amf/x.yaml', 'deployments/prod/c2/y.yaml', 'packages/a/b/Kptfile'])).toEqual(['deployments/prod/c1', 'deployments/prod/c2']);
});
