import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { declareExampleFleet } from '../../clusters/example-fleet';
import { GitOpsRepository, writeRepoSetToFolder } from '../../src';
import { PROJECT_ROOT, tmpDir } from '../support/tmp';

const BIN = path.join(PROJECT_ROOT, 'bin/nephoran');

function run(args: string[], cwd: string) {
  return spawnSync(BIN, args, { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: '' } });
}

function filesUnder(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(root, full), fs.readFileSync(full));
    }
  };
  walk(root);
  return files;
}

describe('nephoran synth --intent', () => {
  test('writes the same folder as the example program, file for file and byte for byte', () => {
    const dir = tmpDir();
    const result = run(['synth', '--intent', path.join(PROJECT_ROOT, 'clusters/intent'), '--out', 'out'], dir);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^out: wrote \d+ files\n$/);
    // The warnings the example's rules give (image tags in staging and production), at their documents.
    expect(result.stderr).toMatch(/^warning: \[[^\]]*clusters\/intent\/placements\.yaml:\d+:\d+\] .*image-digest/m);

    const program = new GitOpsRepository();
    declareExampleFleet(program);
    const expectedDir = path.join(dir, 'expected');
    writeRepoSetToFolder(program.synthTrees().repositories, expectedDir);
    const actual = filesUnder(path.join(dir, 'out'));
    const expected = filesUnder(expectedDir);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    expect([...expected.keys()].filter(file => !actual.get(file)!.equals(expected.get(file)!))).toEqual([]);
  }, 120_000); // two syntheses of the whole example fleet

  test('a single intent file is a whole fleet too; --app and --intent together are refused', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), [
      'apiVersion: nephoran.io/v1alpha1', 'kind: Fleet', 'metadata: { name: fleet }',
      'spec: { repoUrl: "https://git.example.com/lab/fleet.git", auth: { type: none } }', '---',
      'apiVersion: nephoran.io/v1alpha1', 'kind: Cluster', 'metadata: { name: lab-01 }', 'spec: { environment: development, region: eu-west }', '---',
      'apiVersion: nephoran.io/v1alpha1', 'kind: Policy', 'metadata: { name: baseline }', 'spec: { namespaces: [lab] }', '---',
      'apiVersion: nephoran.io/v1alpha1', 'kind: Placement', 'metadata: { name: baseline }', 'spec: { blueprint: { kind: Policy, name: baseline } }', '',
    ].join('\n'));
    const result = run(['synth', '--intent', 'fleet.yaml', '--out', 'out'], dir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'out/deployments/development/lab-01/baseline/Kptfile'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'out/clusters/lab-01/Kptfile'))).toBe(true);

    const both = run(['synth', '--intent', 'fleet.yaml', '--app', 'node app.js', '--out', 'other'], dir);
    expect(both.status).toBe(1);
    expect(both.stderr).toMatch(/give --app or --intent, not both/);
    expect(fs.existsSync(path.join(dir, 'other'))).toBe(false);
  });

  test('--json reports the problems of intent files with their file:line:column, and writes nothing', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), [
      'apiVersion: nephoran.io/v1alpha1', 'kind: Fleet', 'metadata: { name: fleet }',
      'spec: { repoUrl: "https://git.example.com/lab/fleet.git", auth: { type: none }, brnach: main }', '',
    ].join('\n'));
    const result = run(['synth', '--intent', '.', '--out', 'out', '--json'], dir);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      status: 'failed',
      problems: [{ path: 'fleet.yaml:4:81', field: 'spec.brnach', message: expect.stringMatching(/^unknown field "brnach"; known fields here: .*\bbranch\b/), severity: 'error' }],
    });
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  test('a path that names nothing is one clear line', () => {
    const dir = tmpDir();
    const result = run(['synth', '--intent', 'missing', '--out', 'out'], dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('nephoran: missing: no such file or folder of NetworkIntent files\n');
  });
});
