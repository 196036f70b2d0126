import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { onPath, PROJECT_ROOT, tmpDir } from '../support/tmp';

/**
 * The policy enforcer through the real kpt: `kpt fn eval --exec` with its config as `-- k=v`
 * arguments, and `kpt fn render --allow-exec` with the enforcer declared as a validator in the
 * Kptfile after a mutator. Runs bin/nephoran, which loads the compiled lib/.
 */
const BIN = path.join(PROJECT_ROOT, 'bin', 'nephoran');
const hasKpt = onPath('kpt');
if (!hasKpt) console.warn('policy-enforcer kpt tests skipped: `kpt` is not on PATH (install kpt 1.0 to run them)');

const DIGEST = 'sha256:' + '0123456789abcdef'.repeat(4);

function deployment(options: { compliant: boolean }): Record<string, any> {
  const container = options.compliant
    ? { name: 'amf', image: `registry.example.com/amf@${DIGEST}`, resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } } }
    : { name: 'amf', image: 'registry.example.com/amf:1.0', securityContext: { privileged: true } };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'amf', namespace: 'core' },
    spec: { selector: { matchLabels: { app: 'amf' } }, template: { metadata: { labels: { app: 'amf' } }, spec: { containers: [container] } } },
  };
}

function writePackage(files: Record<string, unknown>): string {
  const dir = path.join(tmpDir('policy-enforcer-kpt-'), 'pkg');
  fs.mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : stringify(content));
  return dir;
}

function readPackage(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map(f => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

/** An exec function for a Kptfile: kpt runs `exec:` as one program, so the arguments go into a script. */
function wrapper(dir: string, name: string): string {
  const file = path.join(path.dirname(dir), `fn-${name}`);
  fs.writeFileSync(file, `#!/bin/sh\nexec ${JSON.stringify(BIN)} fn ${name}\n`, { mode: 0o755 });
  return file;
}

function kpt(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('kpt', args, { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function resultsOf(resultsDir: string): any[] {
  const list = parse(fs.readFileSync(path.join(resultsDir, 'results.yaml'), 'utf8'));
  return list.items.flatMap((item: any) => item.results ?? []);
}

(hasKpt ? describe : describe.skip)('policy-enforcer through kpt', () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(PROJECT_ROOT, 'lib', 'cli', 'main.js'))) throw new Error('lib/ is missing: compile first (npx projen compile)');
  });

  test('kpt fn eval --exec: the profile from the arguments; errors fail the run and kpt prints and records the results', () => {
    const dir = writePackage({ 'deployment_amf.yaml': deployment({ compliant: false }) });
    const before = readPackage(dir);
    const resultsDir = path.join(path.dirname(dir), 'results');
    const run = kpt(['fn', 'eval', dir, '--exec', `${BIN} fn policy-enforcer`, '--results-dir', resultsDir, '--truncate-output=false', '--', 'profile=strict']);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('[error] apps/v1/Deployment/core/amf spec.template.spec.containers[0].image: image-digest: image "registry.example.com/amf:1.0"');
    expect(run.output).toContain('[error] apps/v1/Deployment/core/amf spec.template.spec.containers[0].securityContext.privileged: no-privileged:');
    expect(readPackage(dir)).toEqual(before);
    const results = resultsOf(resultsDir);
    expect(results.filter(r => r.severity === 'error').map(r => [r.message.split(':')[0], r.field.path, r.file.path])).toEqual([
      ['image-digest', 'spec.template.spec.containers[0].image', 'deployment_amf.yaml'],
      ['resource-requirements', 'spec.template.spec.containers[0].resources.requests', 'deployment_amf.yaml'],
      ['resource-requirements', 'spec.template.spec.containers[0].resources.limits', 'deployment_amf.yaml'],
      ['no-privileged', 'spec.template.spec.containers[0].securityContext.privileged', 'deployment_amf.yaml'],
    ]);
    expect(results[0].resourceRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'amf', namespace: 'core' });
  });

  test('kpt fn eval --exec: severities from the arguments turn the same findings into warnings, and the run passes', () => {
    const dir = writePackage({ 'deployment_amf.yaml': deployment({ compliant: false }) });
    const run = kpt(['fn', 'eval', dir, '--exec', `${BIN} fn policy-enforcer`, '--truncate-output=false', '--',
      'profile=strict', 'image-digest=warning', 'resource-requirements=warning', 'no-privileged=off']);
    expect({ status: run.status, output: run.output }).toEqual({ status: 0, output: expect.stringContaining('[warning] apps/v1/Deployment/core/amf spec.template.spec.containers[0].image: image-digest:') });
    expect(run.output).not.toContain('no-privileged');
  });

  test('kpt fn eval --exec --fn-config: a PolicyEnforcer config file', () => {
    const dir = writePackage({ 'deployment_amf.yaml': deployment({ compliant: false }) });
    const config = path.join(path.dirname(dir), 'policy-enforcer.yaml');
    fs.writeFileSync(config, stringify({
      apiVersion: 'fn.nephoran.io/v1alpha1',
      kind: 'PolicyEnforcer',
      metadata: { name: 'policy-enforcer' },
      profile: 'relaxed',
      rules: { 'no-privileged': 'error' },
    }));
    const run = kpt(['fn', 'eval', dir, '--exec', `${BIN} fn policy-enforcer`, '--fn-config', config, '--truncate-output=false']);
    expect(run.status).not.toBe(0);
    expect(run.output.split('\n').filter(l => /^\s*\[(error|warning)\]/.test(l)).map(l => l.trim().split(' ')[0] + ' ' + l.split(': ')[1])).toEqual([
      '[warning] resource-requirements', '[warning] resource-requirements', '[error] no-privileged',
    ]);
  });

  const kptfile = (validatorConfig: Record<string, string>, dir: string) => ({
    apiVersion: 'kpt.dev/v1',
    kind: 'Kptfile',
    metadata: { name: 'pkg', annotations: { 'config.kubernetes.io/local-config': 'true' } },
    pipeline: {
      mutators: [{ exec: wrapper(dir, 'set-namespace'), configMap: { namespace: 'core' } }],
      validators: [{ exec: wrapper(dir, 'policy-enforcer'), name: 'policy-enforcer', configMap: validatorConfig }],
    },
  });

  test('kpt fn render --allow-exec: the validator after the mutators sees the Kptfile and the hydrated items; an error stops the render and writes nothing', () => {
    const dir = writePackage({ 'deployment_amf.yaml': { ...deployment({ compliant: false }), metadata: { name: 'amf', namespace: 'lab' } } });
    fs.writeFileSync(path.join(dir, 'Kptfile'), stringify(kptfile({ profile: 'standard' }, dir)));
    const before = readPackage(dir);
    const resultsDir = path.join(path.dirname(dir), 'results');
    const run = kpt(['fn', 'render', dir, '--allow-exec', '--results-dir', resultsDir, '--truncate-output=false']);
    expect(run.status).not.toBe(0);
    // The namespace the mutator set is the one the validator saw.
    expect(run.output).toContain('[error] apps/v1/Deployment/core/amf spec.template.spec.containers[0].securityContext.privileged: no-privileged:');
    expect(run.output).toContain('[warning] apps/v1/Deployment/core/amf spec.template.spec.containers[0].image: image-digest:');
    expect(readPackage(dir)).toEqual(before);
    const info = resultsOf(resultsDir).find(r => r.severity === 'info' && r.message.startsWith('policy-enforcer:'));
    // Two items: the Kptfile and the Deployment.
    expect(info.message).toBe('policy-enforcer: 2 objects checked, 3 errors, 1 warning');
  });

  test('kpt fn render --allow-exec: a compliant package renders, with the mutator\'s changes written', () => {
    const dir = writePackage({ 'deployment_amf.yaml': { ...deployment({ compliant: true }), metadata: { name: 'amf', namespace: 'lab' } } });
    fs.writeFileSync(path.join(dir, 'Kptfile'), stringify(kptfile({ profile: 'strict' }, dir)));
    const run = kpt(['fn', 'render', dir, '--allow-exec', '--truncate-output=false']);
    expect({ status: run.status, output: run.output }).toEqual({ status: 0, output: expect.stringContaining('policy-enforcer: 2 objects checked, 0 errors, 0 warnings') });
    expect(parse(fs.readFileSync(path.join(dir, 'deployment_amf.yaml'), 'utf8')).metadata.namespace).toBe('core');
  });

  test('kpt fn render --allow-exec: a bad config fails the render with every problem named', () => {
    const dir = writePackage({ 'deployment_amf.yaml': deployment({ compliant: true }) });
    fs.writeFileSync(path.join(dir, 'Kptfile'), stringify(kptfile({ profile: 'production', digest: 'error' }, dir)));
    const run = kpt(['fn', 'render', dir, '--allow-exec', '--truncate-output=false']);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('[error]: unknown key "digest" in the ConfigMap data');
    expect(run.output).toContain('[error]: profile must be one of strict, standard, relaxed; found "production"');
  });
});
