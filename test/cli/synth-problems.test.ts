import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as fleet from '../../src/fleet';
import * as network from '../../src/network';
import { GitOpsRepository, SynthError } from '../../src/repo';
import { userLocation } from '../../src/repo/app-preload';
import { PROJECT_ROOT, tmpDir } from '../support/tmp';

// One program with eleven mistakes across Fleet, Cluster, Placement, overrides and a
// NetworkFunction: every one is reported in one run, by the CLI (text and --json) and by the
// library, with no stack trace and nothing written.

const BIN = path.join(PROJECT_ROOT, 'bin/nephoran');
const LIB = path.join(PROJECT_ROOT, 'lib/index.js');
const MISTAKES = path.join(__dirname, 'fixtures/many-mistakes.js');

/** [construct path, field] of each mistake in fixtures/many-mistakes.js, sorted as reported. */
const EXPECTED: Array<[string, string, RegExp]> = [
  ['fleet', 'props.syncPeriod', /must be a Go duration such as "15s" or "1m"; got "often"/],
  ['fleet/edge-01', 'props.name', /"Edge_01" is not a DNS-1123 label/],
  ['fleet/edge-02', 'networks[0] (n3).cni', /"ipvlan" is not one of the cluster's CNIs \(macvlan\)/],
  ['fleet/edge-02-again', 'props.name', /two clusters named "edge-02": fleet\/edge-02 and fleet\/edge-02-again/],
  ['fleet/lab-01', 'props.environment', /is required: Environment.PRODUCTION, STAGING, DEVELOPMENT or Environment.custom\(name\); got undefined/],
  ['fleet/upf-edge', 'clusterOverrides.edge-02.resources.limits.cpu', /Kubernetes quantity.*"two"|"two".*Kubernetes quantity/],
  ['fleet/upf-edge', 'overrides.production.replicas', /must be a whole number, 0 or more; got -1/],
  ['fleet/upf-edge', 'overrides.production.resources.requests.cpu', /Kubernetes quantity.*"two"|"two".*Kubernetes quantity/],
  ['fleet/upf-edge', 'overrides.staging', /places only into production; overrides for environment "staging" would never apply/],
  ['fleet/upf-edge', 'props.packageName', /"UPF" is not a DNS-1123 label/],
  ['upf', 'props.runAsUser', /-1 must be a UID from 0 \(root\) to 2147483647/],
];

function run(args: string[], cwd: string, env: Record<string, string> = {}) {
  return spawnSync(BIN, args, { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: '', NEPHORAN_VERBOSE: '', ...env } });
}

/** A project folder whose app runs `body` against the compiled library, and an output folder with a file in it. */
function project(body: string): { dir: string; out: string } {
  const dir = tmpDir();
  fs.writeFileSync(path.join(dir, 'app.js'), `const lib = require(${JSON.stringify(LIB)});\n${body}\n`);
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\napp: node app.js\n');
  const out = path.join(dir, 'out');
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, 'earlier.yaml'), 'kept: true\n');
  return { dir, out };
}

const MISTAKES_APP = `require(${JSON.stringify(MISTAKES)}).build(lib).synth();`;

/** Stack frames of this library (src/ or lib/) in a text. */
function libraryFrames(text: string): string[] {
  return text.split('\n').filter(l => /^\s+at /.test(l) || l.includes(path.join(PROJECT_ROOT, 'src') + path.sep) || l.includes(path.join(PROJECT_ROOT, 'lib') + path.sep));
}

beforeAll(() => {
  if (!fs.existsSync(LIB)) throw new Error(`${LIB} is missing: compile first (npm test does)`);
});

describe('all problems at once', () => {
  test('nephoran synth: every problem in one run, one per line with a count; exit 1; no stack; the output folder untouched', () => {
    const { dir, out } = project(MISTAKES_APP);
    const result = run(['synth', '--out', 'out'], dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`synth failed with ${EXPECTED.length} problems:`);
    const listed = lines.slice(1, 1 + EXPECTED.length);
    EXPECTED.forEach(([where, field, message], i) => {
      expect(listed[i].startsWith(`  [${where}] ${field}: `)).toBe(true);
      expect(listed[i]).toMatch(message);
    });
    expect(lines.slice(1 + EXPECTED.length)).toEqual(['nothing was written to out']);
    expect(libraryFrames(result.stderr)).toEqual([]);
    expect(fs.readdirSync(out)).toEqual(['earlier.yaml']);
  });

  test('nephoran synth --json: the same problems as one JSON document on stdout, exit 1', () => {
    const { dir, out } = project(MISTAKES_APP);
    const result = run(['synth', '--out', 'out', '--json'], dir);
    expect(result.status).toBe(1);
    const doc = JSON.parse(result.stdout);
    expect(doc.status).toBe('failed');
    expect(doc.problems).toHaveLength(EXPECTED.length);
    EXPECTED.forEach(([where, field, message], i) => {
      expect(doc.problems[i]).toEqual({ path: where, field, message: expect.stringMatching(message), severity: 'error' });
    });
    expect(result.stderr).toBe('');
    expect(fs.readdirSync(out)).toEqual(['earlier.yaml']);
  });

  test('the library: synthTrees() throws one SynthError holding every problem; nothing throws before', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the plain-JavaScript app the CLI tests run, loaded as a user's module
    const repo = require(MISTAKES).build({ ...fleet, ...network, GitOpsRepository }) as GitOpsRepository;
    let error: unknown;
    try {
      repo.synthTrees();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SynthError);
    const problems = (error as SynthError).problems;
    expect(problems.map(p => [p.path, p.field])).toEqual(EXPECTED.map(([where, field]) => [where, field]));
    EXPECTED.forEach(([, , message], i) => expect(problems[i].message).toMatch(message));
    expect((error as Error).stack).not.toMatch(/\n\s+at /);
  });
});

describe('an exception in the user\'s program', () => {
  const THROWS = `
    const repo = new lib.GitOpsRepository();
    function addPlacement() {
      return new lib.Placement(repo, 'upf', { blueprint: undefined });
    }
    addPlacement();
    repo.synth();
  `;

  test('prints its message and the line of the program it came from, not the stack; --verbose and NEPHORAN_VERBOSE show the stack', () => {
    const { dir, out } = project(THROWS);
    const app = path.join(dir, 'app.js');
    const result = run(['synth', '--out', 'out'], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe([
      'nephoran: the app "node app.js" stopped on an exception: Placement upf is not inside a Fleet: create it with the Fleet (or a construct below it) as scope, e.g. new Placement(fleet, \'upf\', {...})',
      `  at ${app}:5:14 (your program)`,
      'nothing was written; set NEPHORAN_VERBOSE=1 (or pass --verbose to nephoran synth) to see the whole stack',
      '',
    ].join('\n'));
    expect(fs.readdirSync(out)).toEqual(['earlier.yaml']);

    for (const verbose of [run(['synth', '--out', 'out', '--verbose'], dir), run(['synth', '--out', 'out'], dir, { NEPHORAN_VERBOSE: '1' })]) {
      expect(verbose.status).toBe(1);
      expect(verbose.stderr).toContain('the whole stack:\nError: Placement upf is not inside a Fleet');
      expect(verbose.stderr).toMatch(/\n\s+at .*lib[/\\]fleet[/\\]fleet-membership\.js/);
    }
  });

  test('--json gives the message and the location', () => {
    const { dir } = project(THROWS);
    const result = run(['synth', '--out', 'out', '--json'], dir);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      status: 'error',
      error: { message: expect.stringMatching(/^Placement upf is not inside a Fleet/), location: `${path.join(dir, 'app.js')}:5:14` },
    });
  });

  test('a rejected promise of an async program, and a thrown non-Error, are reported the same way', () => {
    const rejected = project('(async () => { await null; throw new TypeError(\'no clusters configured\'); })();');
    const result = run(['synth'], rejected.dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^nephoran: the app "node app.js" stopped on an exception: TypeError: no clusters configured\n {2}at .*app\.js:2:\d+ \(your program\)\n/);

    const thrown = project('throw \'plain string\';');
    expect(run(['synth'], thrown.dir).stderr).toMatch(/stopped on an exception: the program threw "plain string", which is not an Error/);
  });
});

describe('nephoran synth --json on success', () => {
  test('the files written per repository folder and the warnings', () => {
    const { dir } = project(`
      const { ApiObject } = require(${JSON.stringify(require.resolve('cdk8s'))});
      const app = new lib.GitOpsRepository();
      const pkg = new lib.KptPackage(app, 'cm', { path: 'packages/config' });
      new ApiObject(pkg, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'core' }, data: { a: '1' } });
      app.synth();
    `);
    const first = run(['synth', '--out', 'dist', '--json'], dir);
    expect(first.status).toBe(0);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toEqual({
      status: 'ok',
      outputs: [{ repository: expect.any(String), folder: 'dist', files: 3, written: 3, removed: 0, unchanged: false }],
      removedRepositories: [],
      warnings: [],
    });
    expect(JSON.parse(run(['synth', '--out', 'dist', '--json'], dir).stdout).outputs[0]).toMatchObject({ written: 0, unchanged: true });
  });

  test('no app to run: status error with what to do, exit 1', () => {
    const result = run(['synth', '--json'], tmpDir());
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ status: 'error', error: { message: expect.stringMatching(/^no app to run: pass --app "<command>" or create .*cdk8s.yaml/) } });
  });
});

describe('userLocation', () => {
  test('skips frames of the library, node_modules and Node itself', () => {
    const stack = [
      'Error: x',
      '    at fleetOf (/lib-root/lib/fleet/fleet-membership.js:41:9)',
      '    at new Placement (/lib-root/src/fleet/placement.ts:85:19)',
      '    at Object.<anonymous> (/project/node_modules/some-helper/index.js:3:1)',
      '    at node:internal/main/run_main_module:28:49',
      '    at build (file:///project/src/fleet%20plan.mjs:12:5)',
      '    at /project/main.ts:3:1',
    ].join('\n');
    expect(userLocation(stack, ['/lib-root/lib/', '/lib-root/src/'])).toBe('/project/src/fleet plan.mjs:12:5');
    expect(userLocation('Error: x\n    at f (/lib-root/lib/a.js:1:1)', ['/lib-root/lib/'])).toBeUndefined();
  });
});
