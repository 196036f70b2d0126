import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { PROJECT_ROOT, tmpDir } from '../support/tmp';

/**
 * The npm package as a user gets it: `npm pack`, then a fresh project that installs the tarball
 * beside its peer dependencies, type-checks a fleet program against the installed declarations
 * with `skipLibCheck: false`, and synthesizes it with `npx nephoran synth` and `cdk8s synth`.
 * Runs on the compiled lib/ (npm test compiles first). Installs prefer the npm cache that
 * `npm ci` filled; an install that needs the registry and cannot reach it fails with npm's message.
 */

const MANIFEST = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));

/**
 * Measured 2026-12-07: 1,736,014 bytes packed, 7,924,614 unpacked (the inline source maps are most
 * of lib/; the precompiled schema validators, which spare every synth compiling them, 2.5 MB).
 */
const MAX_PACKED_BYTES = 2_000_000;
const MAX_UNPACKED_BYTES = 9_000_000;

interface PackedFile { readonly path: string; readonly size: number; readonly mode: number }
interface PackResult { readonly filename: string; readonly size: number; readonly unpackedSize: number; readonly files: PackedFile[] }

/** The environment npm and the tools get: none of the npm run-script variables of the parent run
 *  (npm_config_local_prefix would install into this repository, npm_config_call would hijack npx). */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_userconfig', 'npm_config_globalconfig', 'npm_config_cafile', 'npm_config_registry']);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && !keep.has(key.toLowerCase())) continue;
    if (/^(INIT_CWD|CDK8S_OUTDIR|TS_NODE_.*)$/.test(key)) continue;
    env[key] = value;
  }
  return env;
}

/** Runs a command; a non-zero exit fails the test with the command's own output. */
function run(command: string, args: string[], cwd: string, timeoutMs = 120_000): { stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${command} ${args.join(' ')} (in ${cwd}): ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${result.status ?? result.signal}:\n${result.stdout}\n${result.stderr}`);
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/** The version of a package installed in this repository, which the consumer project pins. */
function installedVersion(name: string): string {
  return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}

function walk(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  }).sort();
}

let work: string;
let packed: PackResult;
let shipped: string[];

beforeAll(() => {
  const lib = path.join(PROJECT_ROOT, 'lib/index.js');
  if (!fs.existsSync(lib)) throw new Error(`${lib} is missing: compile first (npx projen compile; npm test does)`);
  work = tmpDir('nephoran-npm-package-');
  const { stdout } = run('npm', ['pack', '--json', '--pack-destination', work], PROJECT_ROOT);
  packed = JSON.parse(stdout)[0];
  shipped = packed.files.map(f => f.path).sort();
});
afterAll(() => { if (work) fs.rmSync(work, { recursive: true, force: true }); });

describe('the tarball', () => {
  test('ships exactly lib/ (JavaScript, declarations, bundled schemas), bin/, docs/, README, LICENSE and CHANGELOG', () => {
    // Nothing of the repository's own tooling, examples or tests.
    expect(shipped.filter(p => /^(bench|clusters|scripts|\.ci|test|src|projenrc|\.projen|node_modules|dist|\.nephoran)\//.test(p)
      || /^(cdk8s\.yaml|tsconfig.*\.json|\.projenrc\.ts|package-lock\.json)$/.test(p))).toEqual([]);

    // lib/: the output of every source and nothing else (no output of a deleted source).
    const sources = walk(path.join(PROJECT_ROOT, 'src'));
    const expectedLib = sources.flatMap(s => s.endsWith('.ts') && !s.endsWith('.d.ts')
      ? [`lib/${s.replace(/\.ts$/, '.js')}`, `lib/${s.replace(/\.ts$/, '.d.ts')}`]
      : s.endsWith('.json') ? [`lib/${s}`] : []);
    const docs = walk(path.join(PROJECT_ROOT, 'docs')).map(d => `docs/${d}`);
    const expected = [...expectedLib, ...docs, 'bin/nephoran', 'CHANGELOG.md', 'LICENSE', 'README.md', 'package.json'].sort();
    // missing: lib/ is older than src/ (compile first); extra: a file that should not ship.
    expect({ missing: expected.filter(p => !shipped.includes(p)), extra: shipped.filter(p => !expected.includes(p)) })
      .toEqual({ missing: [], extra: [] });

    // The schemas the validators import at run time, and the guides the README links to.
    expect(shipped).toEqual(expect.arrayContaining([
      'lib/apis/validation/schemas/configsync.json', 'lib/apis/validation/schemas/core-fields.json',
      'lib/apis/validation/schemas/kptfile.json', 'lib/apis/validation/schemas/porch.json',
      'docs/LAYOUTS.md', 'docs/PUBLISHING.md', 'lib/index.js', 'lib/index.d.ts', 'lib/cli/main.js',
    ]));
    // bin/nephoran keeps its executable bits.
    expect(packed.files.find(f => f.path === 'bin/nephoran')!.mode & 0o111).toBe(0o111);
  });

  test(`stays under ${MAX_PACKED_BYTES} bytes packed and ${MAX_UNPACKED_BYTES} unpacked`, () => {
    expect(packed.size).toBeLessThan(MAX_PACKED_BYTES);
    expect(packed.unpackedSize).toBeLessThan(MAX_UNPACKED_BYTES);
  });

  test('package.json: a semver version with a CHANGELOG entry, one export, the command, Node 20, the peers', () => {
    expect(MANIFEST.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    expect(fs.readFileSync(path.join(PROJECT_ROOT, 'CHANGELOG.md'), 'utf8')).toContain(`## [${MANIFEST.version}] - `);
    expect(MANIFEST.exports['.']).toEqual({ types: './lib/index.d.ts', default: './lib/index.js' });
    expect(MANIFEST.bin).toEqual({ nephoran: 'bin/nephoran' });
    expect(MANIFEST.engines.node).toBe('>= 20.0.0');
    expect(Object.keys(MANIFEST.peerDependencies).sort()).toEqual(['cdk8s', 'cdk8s-plus-28', 'constructs']);
    expect(MANIFEST.repository.url).toMatch(/^https:\/\//);
    expect(MANIFEST.keywords).toEqual(expect.arrayContaining(['cdk8s', 'nephio', 'kpt', 'gitops']));
  });

  test('every relative link of the shipped Markdown resolves inside the package', () => {
    const broken: string[] = [];
    for (const doc of shipped.filter(p => p.endsWith('.md'))) {
      const text = fs.readFileSync(path.join(PROJECT_ROOT, doc), 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1].split('#')[0];
        if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(doc), target)).replace(/\/$/, '');
        // The example fleet and the benchmarks live in the repository only; npm's site resolves
        // these links against `repository`.
        if (/^(clusters|bench)(\/|$)/.test(resolved)) continue;
        if (!shipped.some(p => p === resolved || p.startsWith(`${resolved}/`))) broken.push(`${doc}: ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('installed into a fresh project', () => {
  const program = `import {
  Cluster, Environment, Fleet, GitAuth, GitOpsRepository, InterfaceType, NetworkFunction, NetworkFunctionProps, NfKind, Placement, SiteType,
} from 'nephoran-gitops';

const repo = new GitOpsRepository();
const fleet = new Fleet(repo, 'core', { repoUrl: 'https://git.example.org/telco/core-fleet.git', auth: GitAuth.none() });
const lab = new Cluster(fleet, 'lab-core-1', {
  environment: Environment.DEVELOPMENT, region: 'us-east', siteType: SiteType.REGIONAL,
  networks: [{ name: 'ran-access', cni: 'macvlan', subnet: '192.168.50.0/24' }],
});
new Cluster(fleet, 'stage-core-1', {
  environment: Environment.STAGING, region: 'us-east', siteType: SiteType.REGIONAL,
  networks: [{ name: 'ran-access', cni: 'macvlan', subnet: '192.168.60.0/24' }],
});
const amf = new NetworkFunction(repo, 'amf', {
  kind: NfKind.AMF,
  namespace: 'core-cp',
  capacity: { maxSubscribers: 1000 },
  interfaces: [{ type: InterfaceType.N2, networkInstance: 'ran-access' }],
});
const nrfProps: NetworkFunctionProps = {
  kind: NfKind.NRF,
  namespace: 'core-cp',
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
};
const nrf = new NetworkFunction(repo, 'nrf', nrfProps);
new Placement(fleet, 'amf-regional', { blueprint: amf, matchLabels: { 'nephio.org/site-type': 'regional' } });
const nrfPlacement = new Placement(fleet, 'nrf-regional', { blueprint: nrf, matchLabels: { 'nephio.org/site-type': 'regional' } });
nrfPlacement.addEnvironmentOverrides(Environment.STAGING, { replicas: 2 });
nrfPlacement.addClusterOverrides(lab, { resources: { limits: { memory: '512Mi' } } });
repo.synth();
`;

  test('type-checks a fleet against the installed declarations, and nephoran synth and cdk8s synth write it', () => {
    const started = Date.now();
    const project = path.join(work, 'consumer');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: 'fleet-consumer', version: '0.0.0', private: true }, null, 2)}\n`);
    const pins = ['cdk8s', 'constructs', 'cdk8s-plus-28', 'typescript', 'ts-node', '@types/node'].map(p => `${p}@${installedVersion(p)}`);
    expect(pins.find(p => p.startsWith('typescript@'))).toMatch(/^typescript@5\.9\./);
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(work, packed.filename), ...pins], project, 300_000);

    const installed = path.join(project, 'node_modules/nephoran-gitops');
    expect(walk(installed).filter(p => !p.startsWith('node_modules/'))).toEqual(shipped);

    // The program, checked the way a strict user project checks it: every declaration file it
    // reaches (ours and our dependencies') type-checks, under the classic and the Node 16
    // module resolution (the latter reads `exports`).
    fs.writeFileSync(path.join(project, 'main.ts'), program);
    // The README's tsconfig.json (ts-node needs one to run main.ts).
    fs.writeFileSync(path.join(project, 'tsconfig.json'), `${JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, skipLibCheck: false },
      include: ['main.ts'],
    }, null, 2)}\n`);
    fs.writeFileSync(path.join(project, 'tsconfig.node16.json'), `${JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: { module: 'node16', moduleResolution: 'node16' },
    }, null, 2)}\n`);
    run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json'], project);
    const traced = run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.node16.json', '--traceResolution'], project).stdout;
    expect(traced).toContain("Using 'exports' subpath '.' with target './lib/index.d.ts'.");
    // skipLibCheck: false does reach our declarations: a wrong use of them is reported.
    fs.writeFileSync(path.join(project, 'wrong.ts'), "import { Placement } from 'nephoran-gitops';\nconst n: number = Placement;\n");
    const wrong = spawnSync('npx', ['tsc', '--noEmit', '--skipLibCheck', 'false', '--strict', '--types', 'node', 'wrong.ts'], { cwd: project, env: cleanEnv(), encoding: 'utf8' });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toContain("wrong.ts(2,7): error TS2322: Type 'typeof Placement' is not assignable to type 'number'.");

    // CommonJS require of the one entry point and the manifest; deep imports are not exported.
    const required = run('node', ['-e', [
      "const lib = require('nephoran-gitops');",
      "console.log(typeof lib.GitOpsRepository, typeof lib.Fleet, require('nephoran-gitops/package.json').version);",
      "try { require('nephoran-gitops/lib/index.js'); } catch (e) { console.log(e.code); }",
    ].join('\n')], project).stdout;
    expect(required.trim().split('\n')).toEqual([`function function ${MANIFEST.version}`, 'ERR_PACKAGE_PATH_NOT_EXPORTED']);

    // The installed command.
    expect(run('npx', ['nephoran', '--version'], project).stdout).toBe(`${MANIFEST.version}\n`);
    expect(run('npx', ['nephoran', '-V'], project).stdout).toBe(`${MANIFEST.version}\n`);

    // A minimal cdk8s.yaml, as the README's install section gives it.
    fs.writeFileSync(path.join(project, 'cdk8s.yaml'), 'language: typescript\napp: npx ts-node main.ts\n');
    const synth = run('npx', ['nephoran', 'synth'], project);
    expect(synth.stdout).toMatch(/^dist: wrote \d+ files$/m);
    const dist = path.join(project, 'dist');
    const files = walk(dist);
    expect(files).toEqual(expect.arrayContaining([
      '.nephoran/owned-paths',
      'clusters/lab-core-1/Kptfile', 'clusters/lab-core-1/rootsync_lab-core-1.yaml',
      'clusters/stage-core-1/rootsync_stage-core-1.yaml',
      'management/workload-clusters/lab-core-1/workloadcluster_lab-core-1.yaml',
      'management/workload-clusters/stage-core-1/workloadcluster_stage-core-1.yaml',
      'packages/network-functions/amf/Kptfile', 'packages/network-functions/amf/nfdeployment_amf.yaml',
      'packages/network-functions/nrf/Kptfile', 'packages/network-functions/nrf/deployment_nrf.yaml',
      'deployments/development/lab-core-1/amf/nfdeployment_amf.yaml',
      'deployments/development/lab-core-1/amf/networkattachmentdefinition_amf-n2.yaml',
      'deployments/development/lab-core-1/nrf/deployment_nrf.yaml',
      'deployments/development/lab-core-1/namespaces/namespace_core-cp.yaml',
      'deployments/staging/stage-core-1/amf/nfdeployment_amf.yaml',
      'deployments/staging/stage-core-1/nrf/deployment_nrf.yaml',
    ]));
    const rootSync = parse(fs.readFileSync(path.join(dist, 'clusters/stage-core-1/rootsync_stage-core-1.yaml'), 'utf8'));
    expect(rootSync).toMatchObject({
      apiVersion: 'configsync.gke.io/v1beta1', kind: 'RootSync',
      spec: { git: { repo: 'https://git.example.org/telco/core-fleet.git', dir: 'deployments/staging/stage-core-1' } },
    });
    // The overrides reached their variants.
    const read = (f: string) => parse(fs.readFileSync(path.join(dist, f), 'utf8'));
    expect(read('deployments/staging/stage-core-1/nrf/deployment_nrf.yaml').spec.replicas).toBe(2);
    expect(read('deployments/development/lab-core-1/nrf/deployment_nrf.yaml').spec.template.spec.containers[0].resources.limits.memory).toBe('512Mi');

    // cdk8s synth, with this repository's cdk8s-cli (a devDependency here), writes the same files.
    const cdk8sCli = path.join(PROJECT_ROOT, 'node_modules/.bin/cdk8s');
    run(cdk8sCli, ['synth', '--output', 'cdk8s.out'], project);
    const viaCdk8s = path.join(project, 'cdk8s.out');
    expect(walk(viaCdk8s)).toEqual(files);
    for (const f of files) expect([f, fs.readFileSync(path.join(viaCdk8s, f), 'utf8')]).toEqual([f, fs.readFileSync(path.join(dist, f), 'utf8')]);
    process.stdout.write(`npm package: packed, installed, type-checked and synthesized twice in ${Date.now() - started} ms\n`);
  }, 300_000);
});
