import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { declareExampleFleet } from '../clusters/example-fleet';
import { DEFAULT_POLICY_ENFORCER_IMAGE, GitOpsRepository, RepoTree, writeTreeToFolder } from '../src';
import { checksUnknownCoreFields, hasSchemaFor, validateKptfile, validateObject } from '../src/apis';
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
 * `kpt fn render --allow-exec` must leave every resource as synth wrote it. The policy enforcer
 * runs as declared (its config from the Kptfile) and must pass what synth passed; kubeconform is
 * an image only, so it is left out here (synth validates the same schemas in-process).
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
    expect(kptfile.pipeline.validators.map((fn: any) => fn.name)).toEqual(['policy-enforcer', 'kubeconform']);
    const [enforcer] = kptfile.pipeline.validators;
    expect(enforcer.image).toBe(DEFAULT_POLICY_ENFORCER_IMAGE);
    expect(enforcer.configMap.profile).toBe(pkg.startsWith('deployments/production/') ? 'strict' : pkg.startsWith('deployments/staging/') ? 'standard' : 'relaxed');
    const wrapper = path.join(root, 'fn-policy-enforcer');
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(bin)} fn policy-enforcer\n`, { mode: 0o755 });
    kptfile.pipeline.validators = [{ ...enforcer, image: undefined, exec: wrapper }];
    fs.writeFileSync(path.join(dir, 'Kptfile'), stringify(kptfile));
    const render = spawnSync('kpt', ['fn', 'render', dir, '--allow-exec'], { encoding: 'utf8' });
    const output = `${render.stdout}${render.stderr}`;
    if (render.status !== 0) throw new Error(`kpt fn render failed:\n${output}`);
    expect(output).toContain(`[PASS] "${wrapper}"`);
    expect(output).not.toMatch(/\[error\]/);
    for (const file of tree.pathsUnder(pkg).filter(f => f.endsWith('.yaml'))) {
      const rendered = parseAllDocuments(fs.readFileSync(path.join(dir, file.slice(pkg.length + 1)), 'utf8')).map(d => d.toJS());
      const synthesized = parseAllDocuments(tree.getText(file)!).map(d => d.toJS());
      expect([file, rendered]).toEqual([file, synthesized]);
    }
  });
});

/**
 * What the quota admission controller would see in each synced folder: the Deployments rendered
 * there, read the way Kubernetes reads them (replicas default 1, maxSurge default 25% rounded up,
 * none for Recreate; a missing request defaults to the limit), against every ResourceQuota.
 */
describe('the example fleet on its clusters', () => {
  const UNITS: Record<string, number> = { '': 1, 'm': 1e-3, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40 };
  const toNumber = (q: unknown): number => {
    const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(q));
    if (!m || !(m[2] in UNITS)) throw new Error(`quantity ${q}`);
    return Number(m[1]) * UNITS[m[2]];
  };
  const folders = objects.filter(o => o.object.kind === 'RootSync').map(o => o.object.spec.git.dir as string);

  test('every ResourceQuota admits its namespace\'s Deployments at steady state and during the rollout of any one of them', () => {
    let checkedDeployments = 0;
    let checkedQuotas = 0;
    for (const dir of folders) {
      const inFolder = objects.filter(o => o.file.startsWith(dir + '/')).map(o => o.object);
      for (const quota of inFolder.filter(o => o.kind === 'ResourceQuota')) {
        checkedQuotas++;
        const namespace = quota.metadata.namespace;
        const deployments = inFolder.filter(o => o.kind === 'Deployment' && o.metadata.namespace === namespace);
        checkedDeployments += deployments.length;
        for (const [resource, hard] of Object.entries<string>(quota.spec.hard)) {
          const [list, name] = resource === 'pods' ? [undefined, undefined] : resource.split('.');
          const perPod = (d: any) => list === undefined ? 1 : d.spec.template.spec.containers.reduce((sum: number, c: any) => {
            const value = c.resources?.[list]?.[name!] ?? (list === 'requests' ? c.resources?.limits?.[name!] : undefined);
            expect([dir, d.metadata.name, resource, value === undefined]).toEqual([dir, d.metadata.name, resource, false]);
            return sum + toNumber(value);
          }, 0);
          const surge = (d: any) => {
            const replicas = d.spec.replicas ?? 1;
            if (d.spec.strategy?.type === 'Recreate') return 0;
            const maxSurge = d.spec.strategy?.rollingUpdate?.maxSurge ?? '25%';
            return typeof maxSurge === 'number' ? maxSurge : Math.ceil(replicas * parseInt(maxSurge, 10) / 100);
          };
          const steady = deployments.reduce((sum, d) => sum + (d.spec.replicas ?? 1) * perPod(d), 0);
          const rollout = steady + Math.max(0, ...deployments.map(d => surge(d) * perPod(d)));
          expect([dir, quota.metadata.name, resource, toNumber(hard) >= rollout - 1e-9]).toEqual([dir, quota.metadata.name, resource, true]);
        }
      }
    }
    expect(checkedQuotas).toBeGreaterThan(10);
    expect(checkedDeployments).toBeGreaterThan(0);
  });

  test('production runs 2 replicas of each RAN workload, all within its namespace\'s quota', () => {
    const prodRan = objects.filter(o => o.object.kind === 'Deployment' && o.object.metadata.namespace === 'oai-ran' && o.file.startsWith('deployments/production/'));
    expect(prodRan.length).toBe(6);
    for (const { file, object } of prodRan) expect([file, object.spec.replicas]).toEqual([file, 2]);
    const quotas = objects.filter(o => o.object.kind === 'ResourceQuota' && o.object.metadata.namespace === 'oai-ran' && o.file.startsWith('deployments/production/'));
    expect(quotas.length).toBe(2);
  });

  test('every slice variant has a quota in its namespace, derived from what is placed on its cluster', () => {
    const sliceQuotas = objects.filter(o => o.object.kind === 'ResourceQuota' && /^deployments\/[^/]+\/[^/]+\/(embb|urllc)\//.test(o.file));
    expect(sliceQuotas.length).toBe(16);
    // One operator-created SMF (regional) or UPF (edge) per slice and site, plus its surge pod.
    for (const { file, object } of sliceQuotas) expect([file, object.spec.hard.pods]).toEqual([file, '2']);
  });

  test('every interface on a cluster has its own address in its gateway\'s subnet, the same in the NFDeployment and its attachment', () => {
    const toInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    let interfaces = 0;
    for (const dir of folders) {
      const inFolder = objects.filter(o => o.file.startsWith(dir + '/')).map(o => o.object);
      const seen = new Map<string, string>();
      for (const nfd of inFolder.filter(o => o.kind === 'NFDeployment')) {
        for (const iface of nfd.spec.interfaces ?? []) {
          interfaces++;
          const where = `${dir} ${nfd.metadata.name}/${iface.name}`;
          const [ip, prefix] = String(iface.ipv4?.address).split('/');
          const gateway = String(iface.ipv4?.gateway);
          const mask = 2 ** (32 - Number(prefix));
          expect([where, Math.floor(toInt(ip) / mask), ip === gateway]).toEqual([where, Math.floor(toInt(gateway) / mask), false]);
          expect([where, seen.get(ip)]).toEqual([where, undefined]);
          seen.set(ip, where);
          const nad = inFolder.find(o => o.kind === 'NetworkAttachmentDefinition' && o.metadata.namespace === nfd.metadata.namespace && o.metadata.name === `${nfd.metadata.name}-${iface.name}`);
          const ipam = JSON.parse(nad.spec.config).plugins[0].ipam;
          expect([where, ipam.addresses]).toEqual([where, [{ address: iface.ipv4.address, gateway }]]);
        }
      }
    }
    expect(interfaces).toBeGreaterThan(30);
  });

  test('each slice variant allows only the members placed on its cluster', () => {
    for (const dir of folders) {
      const inFolder = objects.filter(o => o.file.startsWith(dir + '/'));
      const placedNfs = new Set(inFolder.filter(o => o.object.kind === 'NFDeployment').map(o => o.object.metadata.name));
      const allowances = inFolder.filter(o => o.object.kind === 'NetworkPolicy' && /-allow-/.test(o.object.metadata.name) && !/-allow-dns$/.test(o.object.metadata.name));
      for (const { object } of allowances.filter(a => /^(embb|urllc)-allow-/.test(a.object.metadata.name))) {
        const nf = object.spec.podSelector.matchLabels['app.kubernetes.io/instance'] ?? object.metadata.name.replace(/^(embb|urllc)-allow-/, '');
        expect([dir, nf, placedNfs.has(nf)]).toEqual([dir, nf, true]);
      }
    }
  });
});
