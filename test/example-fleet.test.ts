import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { declareExampleFleet } from '../clusters/example-fleet';
import { checksUnknownCoreFields, hasSchemaFor, validateKptfile, validateObject } from '../src/apis';
import { GitOpsRepository, RepoTree, writeTreeToFolder } from '../src';
import { onPath, tmpDir } from './support/tmp';

/**
 * Properties that must hold over the whole example fleet (clusters/), the program the README's
 * main command synthesizes and publishes.
 */
function synthExample(): RepoTree {
  const repo = new GitOpsRepository({ outdir: tmpDir() });
  declareExampleFleet(repo);
  return repo.synthTree().tree;
}

const tree = synthExample();
const yamlFiles = tree.paths().filter(p => p.endsWith('.yaml'));
const objects = yamlFiles.flatMap(file => parseAllDocuments(tree.getText(file)!).map(doc => ({ file, object: doc.toJS() })));
const packages = tree.paths().filter(p => p.endsWith('/Kptfile')).map(p => p.slice(0, -'/Kptfile'.length));

describe('the example fleet', () => {
  test('is a realistic fleet: 3 environments, at least 6 clusters in 2 regions, edge and regional sites', () => {
    const clusters = objects.filter(o => o.object.kind === 'WorkloadCluster').map(o => o.object.metadata.labels);
    expect(clusters.length).toBeGreaterThanOrEqual(6);
    expect(new Set(clusters.map(l => l['nephio.org/region'])).size).toBeGreaterThanOrEqual(2);
    expect(new Set(clusters.map(l => l['nephio.org/site-type']))).toEqual(new Set(['edge', 'regional']));
    expect(new Set(clusters.map(l => l['nephoran.io/environment']))).toEqual(new Set(['development', 'staging', 'production']));
    const providers = new Set(objects.filter(o => o.object.kind === 'NFDeployment').map(o => o.object.spec.provider));
    for (const p of ['amf.free5gc.io', 'smf.free5gc.io', 'upf.free5gc.io', 'nrf.free5gc.io', 'ausf.free5gc.io', 'udm.free5gc.io',
      'cucp.openairinterface.org', 'cuup.openairinterface.org', 'du.openairinterface.org']) expect(providers).toContain(p);
    expect(tree.paths().filter(p => /^packages\/slices\/[^/]+\/Kptfile$/.test(p))).toEqual(['packages/slices/embb/Kptfile', 'packages/slices/urllc/Kptfile']);
  });

  test('is byte-identical when synthesized twice', () => {
    expect(synthExample().equals(tree)).toBe(true);
  });

  test('every object validates against the Kubernetes or CRD schemas, unknown fields included', () => {
    const unvalidated = new Set<string>();
    const violations: string[] = [];
    for (const { file, object } of objects) {
      const key = `${object.apiVersion}/${object.kind}`;
      if (!hasSchemaFor(object.apiVersion, object.kind)) {
        unvalidated.add(key);
        continue;
      }
      const isCustom = object.apiVersion.includes('.') && !object.apiVersion.startsWith('networking.k8s.io') && !object.apiVersion.startsWith('rbac.authorization.k8s.io');
      if (!isCustom && object.kind !== 'Kptfile') expect([key, checksUnknownCoreFields(object.apiVersion, object.kind)]).toEqual([key, true]);
      for (const v of validateObject(object)) violations.push(`${file}: ${v.field}: ${v.message}`);
    }
    expect(violations).toEqual([]);
    // Every kind has a schema, the ExternalSecret's CRD included.
    expect([...unvalidated]).toEqual([]);
  });

  test('every Kptfile validates against the kpt schema', () => {
    for (const pkg of packages) {
      const [kptfile] = parseAllDocuments(tree.getText(`${pkg}/Kptfile`)!).map(d => d.toJS());
      expect([pkg, validateKptfile(kptfile)]).toEqual([pkg, []]);
    }
  });

  test('every folder a RootSync syncs is fully rendered: nothing but rendered objects and local-config', () => {
    const rootSyncs = objects.filter(o => o.object.kind === 'RootSync').map(o => o.object);
    expect(rootSyncs.length).toBeGreaterThanOrEqual(6);
    for (const rs of rootSyncs) {
      expect(rs.spec.sourceFormat).toBe('unstructured');
      expect(rs.metadata.namespace).toBe('config-management-system');
      expect(rs.spec.git.branch).toBe('main');
      const dir: string = rs.spec.git.dir;
      const synced = objects.filter(o => o.file.startsWith(dir + '/'));
      expect(synced.length).toBeGreaterThan(0);
      expect(synced.length).toBeLessThan(5000);
      const ids = new Set<string>();
      for (const { file, object } of synced) {
        const local = (object.metadata?.annotations ?? {})['config.kubernetes.io/local-config'];
        if (local !== undefined && local !== 'false') continue;
        expect([file, tree.getText(file)!.includes('kpt-set:')]).toEqual([file, false]);
        expect([file, object.kind]).not.toEqual([file, 'RootSync']);
        const id = `${object.apiVersion.split('/').slice(0, -1).join('/')}|${object.kind}|${object.metadata.namespace ?? ''}|${object.metadata.name}`;
        expect([dir, id, ids.has(id)]).toEqual([dir, id, false]);
        ids.add(id);
      }
    }
  });

  test('no Secret carries data: git credentials are ExternalSecret references', () => {
    for (const { file, object } of objects) {
      if (object.kind === 'Secret') expect([file, object.data, object.stringData]).toEqual([file, undefined, undefined]);
    }
  });

  const kpt = onPath('kpt') ? test : test.skip;
  if (!onPath('kpt')) console.warn('kpt is not on PATH: skipping `kpt pkg tree` over the example fleet');

  kpt('kpt pkg tree succeeds on every package and every deployment instance', () => {
    const out = path.join(tmpDir(), 'fleet');
    writeTreeToFolder(tree, out);
    expect(packages.length).toBeGreaterThan(50);
    for (const pkg of packages) {
      const listing = execFileSync('kpt', ['pkg', 'tree', path.join(out, pkg)], { encoding: 'utf8' });
      expect(listing).toMatch(/Kptfile/);
    }
    expect(fs.existsSync(path.join(out, '.nephoran/owned-paths'))).toBe(true);
  });
});

/**
 * What synth writes is what kpt itself renders: a sample of packages is copied, its Kptfile
 * pipeline pointed at the same functions as exec functions (kpt cannot run images here), and
 * `kpt fn render --allow-exec` must leave every resource as synth wrote it.
 */
describe('hydration agrees with kpt fn render', () => {
  const kptRender = onPath('kpt') ? test : test.skip;
  const samples = [
    'packages/network-functions/amf',
    'deployments/production/prod-edge-eu-01/upf-embb',
    'deployments/staging/stg-regional-eu/namespaces',
    'packages/slices/urllc',
  ];
  kptRender.each(samples)('%s', pkg => {
    const root = tmpDir();
    const bin = path.resolve(__dirname, '../bin/nephoran');
    const dir = path.join(root, 'pkg');
    fs.mkdirSync(dir);
    for (const file of tree.pathsUnder(pkg)) fs.writeFileSync(path.join(dir, file.slice(pkg.length + 1)), tree.get(file)!);
    const kptfile = parseAllDocuments(tree.getText(`${pkg}/Kptfile`)!)[0].toJS();
    expect(kptfile.pipeline?.mutators?.length).toBeGreaterThan(0);
    for (const fn of kptfile.pipeline.mutators) {
      const name = String(fn.image).split('/').pop()!.split(':')[0];
      const wrapper = path.join(root, `fn-${name}`);
      fs.writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(bin)} fn ${name}\n`, { mode: 0o755 });
      delete fn.image;
      fn.exec = wrapper;
    }
    fs.writeFileSync(path.join(dir, 'Kptfile'), require('yaml').stringify(kptfile));
    execFileSync('kpt', ['fn', 'render', dir, '--allow-exec'], { encoding: 'utf8', stdio: 'pipe' });
    for (const file of tree.pathsUnder(pkg).filter(f => f.endsWith('.yaml'))) {
      const rendered = parseAllDocuments(fs.readFileSync(path.join(dir, file.slice(pkg.length + 1)), 'utf8')).map(d => d.toJS());
      const synthesized = parseAllDocuments(tree.getText(file)!).map(d => d.toJS());
      expect([file, rendered]).toEqual([file, synthesized]);
    }
  });
});
