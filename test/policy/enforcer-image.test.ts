import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { DEFAULT_POLICY_ENFORCER_IMAGE, POLICY_ENFORCER_VERSION } from '../../src/policy';
import { onPath, PROJECT_ROOT, tmpDir } from '../support/tmp';

/**
 * The enforcer image's build description, checked without a container engine: the Dockerfile
 * builds from the tarball `npm pack` makes, and that tarball's `nephoran` runs the function the
 * ENTRYPOINT names (its dependencies, which the image installs from the registry, come from this
 * repository's node_modules here).
 */
const DOCKERFILE = path.join(PROJECT_ROOT, 'images', 'policy-enforcer', 'Dockerfile');
const MANIFEST = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));

interface Instruction { readonly keyword: string; readonly args: string }

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  return text.replace(/\\\n/g, ' ').split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#')).map(l => {
    const space = l.indexOf(' ');
    return { keyword: l.slice(0, space).toUpperCase(), args: l.slice(space + 1).trim() };
  });
}

const dockerfile = instructions(fs.readFileSync(DOCKERFILE, 'utf8'));
const args = new Map(dockerfile.filter(i => i.keyword === 'ARG').map(i => i.args.split('=') as [string, string]));
const expand = (value: string) => value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args.get(a ?? b) ?? '');
const entrypoint: string[] = JSON.parse(dockerfile.find(i => i.keyword === 'ENTRYPOINT')!.args);

let work: string;
let packageDir: string;

beforeAll(() => {
  if (!fs.existsSync(path.join(PROJECT_ROOT, 'lib', 'cli', 'main.js'))) throw new Error('lib/ is missing: compile first (npx projen compile)');
  work = tmpDir('policy-enforcer-image-');
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 120_000 });
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stdout}\n${pack.stderr}`);
  packageDir = path.join(work, 'node_modules', MANIFEST.name);
  fs.mkdirSync(packageDir, { recursive: true });
  const tarball = JSON.parse(pack.stdout)[0].filename;
  const untar = spawnSync('tar', ['xzf', path.join(work, tarball), '--strip-components=1', '-C', packageDir], { encoding: 'utf8' });
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
});
afterAll(() => { if (work) fs.rmSync(work, { recursive: true, force: true }); });

describe('images/policy-enforcer/Dockerfile', () => {
  test('builds on node:20-slim from the tarball npm pack makes of this version', () => {
    expect(dockerfile[0]).toEqual({ keyword: 'FROM', args: 'node:20-slim' });
    const copies = dockerfile.filter(i => i.keyword === 'COPY').map(i => expand(i.args).split(/\s+/));
    expect(copies).toEqual([[`${MANIFEST.name}-${MANIFEST.version}.tgz`, '/tmp/nephoran-gitops.tgz']]);
    // The build context holds what npm pack wrote.
    expect(fs.existsSync(path.join(work, copies[0][0]))).toBe(true);
    expect(dockerfile.find(i => i.keyword === 'RUN')!.args).toMatch(/^npm install --global --omit=dev .*\/tmp\/nephoran-gitops\.tgz/);
  });

  test('the default image Kptfiles declare is this version\'s', () => {
    expect(POLICY_ENFORCER_VERSION).toBe(MANIFEST.version);
    expect(DEFAULT_POLICY_ENFORCER_IMAGE).toBe(`ghcr.io/nephoran/policy-enforcer:v${MANIFEST.version}`);
  });

  test('the ENTRYPOINT is the package\'s nephoran command running the policy enforcer', () => {
    expect(entrypoint).toEqual(['nephoran', 'fn', 'policy-enforcer']);
    const shipped = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
    expect(shipped.bin).toEqual({ nephoran: 'bin/nephoran' });
    for (const file of ['bin/nephoran', 'lib/cli/main.js', 'lib/policy/enforcer/policy-enforcer-function.js']) expect([file, fs.existsSync(path.join(packageDir, file))]).toEqual([file, true]);
  });

  /** The entrypoint, with the command resolved to the unpacked package's bin. */
  const command = () => [path.join(packageDir, shipped().bin[entrypoint[0]]), ...entrypoint.slice(1)];
  const shipped = () => JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const env = () => ({ ...process.env, NODE_PATH: path.join(PROJECT_ROOT, 'node_modules') });

  test('the packed entrypoint reads a ResourceList and reports the findings, exiting 1 on an error', () => {
    const list = {
      apiVersion: 'config.kubernetes.io/v1',
      kind: 'ResourceList',
      items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: 'core' }, stringData: { token: 'x' } }],
      functionConfig: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' }, data: { profile: 'relaxed' } },
    };
    const [bin, ...rest] = command();
    const run = spawnSync(bin, rest, { input: stringify(list), encoding: 'utf8', env: env(), timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(parse(run.stdout).results[0]).toMatchObject({ severity: 'error', field: { path: 'stringData' }, resourceRef: { kind: 'Secret', name: 'token' } });
  });

  const kptTest = onPath('kpt') ? test : test.skip;
  if (!onPath('kpt')) console.warn('kpt is not on PATH: skipping kpt fn eval of the packed entrypoint');

  kptTest('kpt fn eval --exec runs the packed entrypoint as kpt would run the image', () => {
    const dir = path.join(work, 'pkg');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'pod.yaml'), stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'core' }, spec: { containers: [{ name: 'c', image: 'registry.example.com/c:1' }] } }));
    const wrapper = path.join(work, 'entrypoint');
    fs.writeFileSync(wrapper, `#!/bin/sh\nNODE_PATH=${JSON.stringify(env().NODE_PATH)} exec ${command().map(a => JSON.stringify(a)).join(' ')}\n`, { mode: 0o755 });
    const run = spawnSync('kpt', ['fn', 'eval', dir, '--exec', wrapper, '--truncate-output=false', '--', 'profile=strict'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain('[error] v1/Pod/core/p spec.containers[0].image: image-digest:');
  });
});
