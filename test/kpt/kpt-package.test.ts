import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { parse, parseAllDocuments } from 'yaml';
import { validateKptfile } from '../../src/apis';
import { KptFunction, KptPackage } from '../../src/kpt';
import { GitOpsRepository, SynthError } from '../../src/repo';
import { onPath, tmpDir } from '../support/tmp';

function amfPackage(app: GitOpsRepository, id = 'amf', path_ = 'packages/network-functions/amf'): KptPackage {
  const pkg = new KptPackage(app, id, {
    path: path_,
    info: { description: 'AMF blueprint' },
    mutators: [KptFunction.setNamespace('core'), KptFunction.setLabels({ 'app.kubernetes.io/part-of': 'free5gc' })],
  });
  const deployment = new kplus.Deployment(pkg, 'amf', {
    metadata: { name: 'amf' },
    containers: [{ image: 'docker.io/free5gc/amf:v3.4.2', portNumber: 8080, securityContext: { user: 1000, group: 1000 } }],
  });
  deployment.exposeViaService({ name: 'amf', ports: [{ port: 8080 }] });
  new ApiObject(pkg, 'cluster-role', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'amf-reader' }, rules: [] });
  return pkg;
}

function synthErrors(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SynthError);
    return (err as SynthError).problems.map(p => `[${p.path}] ${p.field}: ${p.message}`);
  }
  throw new Error('expected synth to fail');
}

describe('KptPackage', () => {
  test('writes a Kptfile, a package context and one resource per file, hydrated by its pipeline', () => {
    const app = new GitOpsRepository({ outdir: tmpDir() });
    amfPackage(app);
    const { tree } = app.synthTree();

    expect(tree.pathsUnder('packages/network-functions/amf')).toEqual([
      'packages/network-functions/amf/Kptfile',
      'packages/network-functions/amf/clusterrole_amf-reader.yaml',
      'packages/network-functions/amf/deployment_amf.yaml',
      'packages/network-functions/amf/package-context.yaml',
      'packages/network-functions/amf/service_amf.yaml',
    ]);
    const kptfile = parse(tree.getText('packages/network-functions/amf/Kptfile')!);
    expect(kptfile).toMatchObject({
      apiVersion: 'kpt.dev/v1',
      kind: 'Kptfile',
      metadata: { name: 'amf', annotations: { 'config.kubernetes.io/local-config': 'true' } },
      info: { description: 'AMF blueprint' },
      pipeline: {
        mutators: [
          { image: 'gcr.io/kpt-fn/set-namespace:v0.4.1', configMap: { namespace: 'core' } },
          { image: 'gcr.io/kpt-fn/set-labels:v0.2.0', configMap: { 'app.kubernetes.io/part-of': 'free5gc' } },
        ],
      },
    });
    const deployment = parse(tree.getText('packages/network-functions/amf/deployment_amf.yaml')!);
    expect(deployment.metadata.namespace).toBe('core');
    expect(deployment.metadata.labels['app.kubernetes.io/part-of']).toBe('free5gc');
    expect(deployment.spec.template.metadata.labels['app.kubernetes.io/part-of']).toBe('free5gc');
    // cluster-scoped objects get no namespace (cdk8s chart namespaces would stamp one)
    const role = parse(tree.getText('packages/network-functions/amf/clusterrole_amf-reader.yaml')!);
    expect(role.metadata.namespace).toBeUndefined();
    expect(parse(tree.getText('packages/network-functions/amf/package-context.yaml')!)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kptfile.kpt.dev', annotations: { 'config.kubernetes.io/local-config': 'true' } },
      data: { name: 'amf' },
    });
    // the Kptfile is valid against the kpt schema (bundled from test/fixtures/schemas/kpt and checked for drift)
    expect(validateKptfile(kptfile)).toEqual([]);
    // every file holds exactly one document
    for (const [file, content] of tree.entries()) expect([file, parseAllDocuments(content.toString()).length]).toEqual([file, 1]);
  });

  test('a function config can live in a package file referenced by configPath', () => {
    const app = new GitOpsRepository({ outdir: tmpDir() });
    const pkg = new KptPackage(app, 'p', {
      path: 'packages/p',
      mutators: [
        KptFunction.setLabels({ tier: 'core' }, { configFile: 'labels-config.yaml' }),
        KptFunction.fromImage('gcr.io/kpt-fn/set-annotations:v0.1.4', {
          configFile: 'annotations.yaml',
          configObject: { apiVersion: 'fn.kpt.dev/v1alpha1', kind: 'SetAnnotations', metadata: { name: 'annotations' }, annotations: { team: 'ran' } },
        }),
      ],
    });
    new ApiObject(pkg, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
    const { tree } = app.synthTree();

    const kptfile = parse(tree.getText('packages/p/Kptfile')!);
    expect(kptfile.pipeline.mutators).toEqual([
      { image: 'gcr.io/kpt-fn/set-labels:v0.2.0', configPath: 'labels-config.yaml' },
      { image: 'gcr.io/kpt-fn/set-annotations:v0.1.4', configPath: 'annotations.yaml' },
    ]);
    expect(validateKptfile(kptfile)).toEqual([]);
    expect(parse(tree.getText('packages/p/labels-config.yaml')!)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'labels-config', annotations: { 'config.kubernetes.io/local-config': 'true' } },
      data: { tier: 'core' },
    });
    expect(parse(tree.getText('packages/p/annotations.yaml')!).kind).toBe('SetAnnotations');
    const cm = parse(tree.getText('packages/p/configmap_cm.yaml')!);
    expect(cm.metadata.labels).toEqual({ tier: 'core' });
    expect(cm.metadata.annotations).toEqual({ team: 'ran' });
    // the config files are not pipeline input: set-annotations did not annotate the labels config
    expect(parse(tree.getText('packages/p/labels-config.yaml')!).metadata.annotations.team).toBeUndefined();
  });

  test('a config object without a file, or with an inline configMap too, is refused', () => {
    expect(() => KptFunction.fromImage('gcr.io/kpt-fn/set-labels:v0.2.0', { configObject: { kind: 'SetLabels' } })).toThrow(/set configFile/);
    expect(() => KptFunction.fromImage('x', { configFile: 'a.yaml', configMap: { a: '1' }, configObject: { kind: 'X' } })).toThrow(/not both/);
    expect(() => KptFunction.setLabels({ a: 'b' }, { configFile: '../escape.yaml' })).toThrow(/configFile must be a .yaml file name/);
  });

  test('replaceValidator swaps a named validator in its place, and adds nothing when none has the name', () => {
    const repo = new GitOpsRepository();
    const pkg = new KptPackage(repo, 'pkg', {
      path: 'packages/pkg',
      validators: [KptFunction.fromImage('example.com/first:v1', { name: 'first' }), KptFunction.fromImage('example.com/check:v1', { name: 'check' })],
    });
    expect(pkg.replaceValidator('first', KptFunction.fromImage('example.com/first:v2', { name: 'first', configMap: { level: 'high' } }))).toBe(true);
    expect(pkg.replaceValidator('absent', KptFunction.fromImage('example.com/absent:v1'))).toBe(false);
    expect(parse(repo.synthTree().tree.getText('packages/pkg/Kptfile')!).pipeline).toEqual({
      validators: [{ image: 'example.com/first:v2', name: 'first', configMap: { level: 'high' } }, { image: 'example.com/check:v1', name: 'check' }],
    });
  });

  test('a variant records its upstream and upstreamLock', () => {
    const app = new GitOpsRepository({ outdir: tmpDir() });
    new KptPackage(app, 'v', { path: 'deployments/production/edge-01/amf', name: 'amf', upstream: { repo: 'https://git.example.com/fleet.git', directory: 'packages/network-functions/amf', ref: 'main' } });
    const kptfile = parse(app.synthTree().tree.getText('deployments/production/edge-01/amf/Kptfile')!);
    expect(kptfile.upstream).toEqual({ type: 'git', git: { repo: 'https://git.example.com/fleet.git', directory: 'packages/network-functions/amf', ref: 'main' }, updateStrategy: 'resource-merge' });
    expect(kptfile.upstreamLock).toEqual({ type: 'git', git: { repo: 'https://git.example.com/fleet.git', directory: 'packages/network-functions/amf', ref: 'main' } });
  });

  test('a variant without a lock commit is bound to its upstream\'s published revision; resolving it writes what kpt pkg get of the tag records', () => {
    const app = new GitOpsRepository({ outdir: tmpDir() });
    amfPackage(app);
    const upstream = { repo: 'https://git.example.com/fleet.git', directory: 'packages/network-functions/amf', ref: 'main' };
    new KptPackage(app, 'v', { path: 'deployments/production/edge-01/amf', name: 'amf', upstream, mutators: [KptFunction.setLabels({ 'nephio.org/cluster-name': 'edge-01' })] });
    // An author's own lock is kept as given.
    new KptPackage(app, 'pinned', { path: 'deployments/production/edge-02/amf', name: 'amf', upstream: { ...upstream, ref: 'v1.2', commit: 'a'.repeat(40) } });
    const { tree } = app.synthTree();
    expect(tree.revisionBindings().map(b => [b.path, b.upstream, b.fields.map(f => `${f.field.join('.')}=${f.value}`)])).toEqual([
      ['deployments/production/edge-01/amf/Kptfile', 'packages/network-functions/amf', ['upstream.git.ref=tag', 'upstreamLock.git.ref=tag', 'upstreamLock.git.commit=commit']],
    ]);
    const commit = 'b'.repeat(40);
    const resolved = tree.withRevisions(b => ({ packagePath: b.upstream, revision: 3, tag: `${b.upstream}/v3`, commit, workspaceName: 'v3' }));
    const kptfile = parse(resolved.getText('deployments/production/edge-01/amf/Kptfile')!);
    expect(kptfile.upstream.git).toEqual({ ...upstream, ref: 'packages/network-functions/amf/v3' });
    expect(kptfile.upstreamLock.git).toEqual({ ...upstream, ref: 'packages/network-functions/amf/v3', commit });
    expect(validateKptfile(kptfile)).toEqual([]);
    // Everything but the bound file is as synthesized, and the resolved copy has no binding left.
    expect(resolved.paths()).toEqual(tree.paths());
    expect(resolved.paths().filter(p => !resolved.get(p)!.equals(tree.get(p)!))).toEqual(['deployments/production/edge-01/amf/Kptfile']);
    expect(resolved.revisionBindings()).toEqual([]);
    // A revision it does not know leaves the file and its binding.
    expect(tree.withRevisions(() => undefined).revisionBindings()).toEqual(tree.revisionBindings());
  });

  test('pinToRevision binds one of the package\'s own objects; another package\'s object is refused', () => {
    const app = new GitOpsRepository({ outdir: tmpDir() });
    const blueprint = amfPackage(app);
    const porch = new KptPackage(app, 'porch', { path: 'porch' });
    const set = new ApiObject(porch, 'set', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pin', namespace: 'default' }, data: { revision: '1' } });
    porch.pinToRevision(set, blueprint.packagePath, [{ field: ['data', 'revision'], value: 'workspaceName' }]);
    const other = new ApiObject(blueprint, 'other', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } });
    expect(() => porch.pinToRevision(other, blueprint.packagePath, [])).toThrow('amf/other is not a resource of package "porch"');
    const { tree } = app.synthTree();
    const resolved = tree.withRevisions(b => ({ packagePath: b.upstream, revision: 2, tag: `${b.upstream}/v2`, commit: 'c'.repeat(40), workspaceName: 'v2' }));
    expect(parse(resolved.getText('porch/configmap_pin.yaml')!).data).toEqual({ revision: 'v2' });
  });

  test('the same program gives byte-identical output', () => {
    const synth = () => {
      const app = new GitOpsRepository({ outdir: tmpDir() });
      amfPackage(app);
      amfPackage(app, 'smf', 'packages/network-functions/smf');
      return app.synthTree().tree;
    };
    const a = synth();
    const b = synth();
    expect(a.paths()).toEqual(b.paths());
    expect(a.equals(b)).toBe(true);
  });

  test('reports every problem of a synth at once and writes nothing', () => {
    const outdir = path.join(tmpDir(), 'out');
    const app = new GitOpsRepository({ outdir });
    amfPackage(app, 'a', 'packages/network-functions/amf');
    amfPackage(app, 'b', 'packages/network-functions/amf');
    new KptPackage(app, 'escape', { path: '../outside' });
    new KptPackage(app, 'absolute', { path: '/etc/kpt' });
    new KptPackage(app, 'upper', { path: 'packages/Bad_Name' });
    new KptPackage(app, 'nested', { path: 'packages/network-functions/amf/sub' });
    const unknown = new KptPackage(app, 'unknown-fn', { path: 'packages/x', mutators: [KptFunction.fromImage('gcr.io/kpt-fn/starlark:v0.4.3')] });
    new ApiObject(unknown, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_Valid' } });

    const errors = synthErrors(() => app.synth());

    expect(errors).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\[b\] path: two packages at "packages\/network-functions\/amf": a is there already/),
      expect.stringMatching(/^\[escape\] path: .*must stay inside the repository/),
      expect.stringMatching(/^\[absolute\] path: .*must be relative to the repository root/),
      expect.stringMatching(/^\[upper\] path: path segment "Bad_Name" is not a DNS-1123 label/),
      expect.stringMatching(/^\[nested\] path: "packages\/network-functions\/amf\/sub" is inside package "packages\/network-functions\/amf"/),
      expect.stringMatching(/^\[unknown-fn\] pipeline.mutators\[0\]: unknown function "gcr.io\/kpt-fn\/starlark:v0.4.3"/),
      expect.stringMatching(/^\[unknown-fn\/bad\] metadata.name: ConfigMap name "Not_Valid" is not a DNS-1123 subdomain/),
    ]));
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('a package path longer than Porch allows is an error', () => {
    const app = new GitOpsRepository({ outdir: tmpDir() });
    new KptPackage(app, 'long', { path: 'deployments/production/a-very-long-cluster-name-here/a-very-long-package-name-too' });
    expect(synthErrors(() => app.synthTree())).toEqual([expect.stringMatching(/Porch requires a package path of at most 63/)]);
  });

  test('unknown Kptfile-level fields in objects are schema errors naming the field', () => {
    const app = new GitOpsRepository({ outdir: tmpDir() });
    const pkg = new KptPackage(app, 'cs', { path: 'clusters/edge-01' });
    new ApiObject(pkg, 'rs', {
      apiVersion: 'configsync.gke.io/v1beta1',
      kind: 'RootSync',
      metadata: { name: 'root-sync', namespace: 'config-management-system' },
      spec: { sync: { sourceFormat: 'unstructured' }, git: { repo: 'https://git.example.com/fleet.git', auth: 'none' } },
    });
    expect(synthErrors(() => app.synthTree())).toEqual([expect.stringMatching(/^\[cs\/rs\] spec(\.sync)?: RootSync "root-sync": .*sync/)]);
  });

  const kpt = onPath('kpt') ? test : test.skip;
  if (!onPath('kpt')) console.warn('kpt is not on PATH: skipping the kpt pkg tree / kpt fn source checks');

  kpt('kpt pkg tree and kpt fn source read every synthesized package', () => {
    const outdir = path.join(tmpDir(), 'out');
    const app = new GitOpsRepository({ outdir });
    amfPackage(app);
    new KptPackage(app, 'v', { path: 'deployments/production/edge-01/amf', name: 'amf', upstream: { repo: 'https://git.example.com/fleet.git', directory: 'packages/network-functions/amf', ref: 'main' } });
    app.synth();
    for (const pkg of ['packages/network-functions/amf', 'deployments/production/edge-01/amf']) {
      const dir = path.join(outdir, pkg);
      const treeOut = execFileSync('kpt', ['pkg', 'tree', dir], { encoding: 'utf8' });
      expect(treeOut).toContain('Kptfile');
      const source = execFileSync('kpt', ['fn', 'source', dir], { encoding: 'utf8' });
      expect(parse(source).kind).toBe('ResourceList');
    }
    const tree = execFileSync('kpt', ['pkg', 'tree', path.join(outdir, 'packages/network-functions/amf')], { encoding: 'utf8' });
    expect(tree).toMatch(/\[deployment_amf.yaml\]  Deployment core\/amf/);
    expect(tree).toMatch(/\[service_amf.yaml\]  Service core\/amf/);
  });
});
