import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { parse, stringify } from 'yaml';
import { registerFnCommand } from '../../../src/cli/commands/fn';
import { PROJECT_ROOT } from '../../support/tmp';

function program(): { program: Command; output: () => string } {
  let out = '';
  const p = new Command('nephoran').exitOverride().configureOutput({ writeOut: s => { out += s; }, writeErr: s => { out += s; } });
  registerFnCommand(p, () => undefined);
  return { program: p, output: () => out };
}

describe('nephoran fn', () => {
  test('--help lists the four functions and the policy enforcer with its config', async () => {
    const { program: p, output } = program();
    await expect(p.parseAsync(['fn', '--help'], { from: 'user' })).rejects.toMatchObject({ code: 'commander.helpDisplayed' });
    for (const name of ['set-namespace', 'set-labels', 'set-annotations', 'apply-setters']) expect(output()).toContain(name);
    expect(output()).toContain('policy-enforcer  (ghcr.io/nephoran/policy-enforcer:v0.1.0)');
    expect(output()).toContain('profile=strict|standard|relaxed');
  });

  test('an unknown function is an error naming the valid ones', async () => {
    const { program: p } = program();
    await expect(p.parseAsync(['fn', 'set-replicas'], { from: 'user' }))
      .rejects.toThrow(/^unknown function "set-replicas": expected one of set-namespace, set-labels, set-annotations, apply-setters, policy-enforcer$/);
  });
});

describe('nephoran fn through the bin', () => {
  const BIN = path.join(PROJECT_ROOT, 'bin/nephoran');
  const CONFIG = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' }, data: { tier: 'core' } };

  beforeAll(() => {
    if (!fs.existsSync(path.join(PROJECT_ROOT, 'lib/cli/main.js'))) throw new Error('lib/ is missing: compile first (npm test does)');
  });

  function items(count: number): object[] {
    return Array.from({ length: count }, (_, i) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `nf-${i}`, annotations: { 'config.kubernetes.io/path': `nf-${i}.yaml` } },
      spec: { selector: { matchLabels: { app: `nf-${i}` } }, template: { metadata: { labels: { app: `nf-${i}` } }, spec: { containers: [{ name: 'nf', image: 'nf:1' }] } } },
    }));
  }

  test('the policy enforcer over 5,000 objects: the items back byte for byte, comments included, and the one finding', () => {
    const list = { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: items(5000), functionConfig: { ...CONFIG, data: { 'profile': 'relaxed', 'resource-requirements': 'off' } } };
    const input = stringify(list).replace(/image: nf:1/g, 'image: nf:1 # kpt-set: ${image}')
      .replace(/image: nf:1 # kpt-set/, 'image: nf:1\n              securityContext: { privileged: true } # kpt-set');
    const result = spawnSync(BIN, ['fn', 'policy-enforcer'], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const itemsText = (text: string, end: string) => text.slice(text.indexOf('\nitems:\n'), text.indexOf(`\n${end}:`));
    expect(itemsText(input, 'functionConfig').length).toBeGreaterThan(1_000_000);
    expect(itemsText(result.stdout, 'results') === itemsText(input, 'functionConfig')).toBe(true);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const output = parse(result.stdout);
    expect(output.items).toHaveLength(5000);
    expect(result.stdout.match(/image: nf:1 # kpt-set: \$\{image\}/g)).toHaveLength(4999);
    expect(output.results).toEqual([
      expect.objectContaining({ severity: 'warning', resourceRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nf-0' }, file: { path: 'nf-0.yaml' } }),
      { message: 'policy-enforcer: 5000 objects checked, 0 errors, 1 warning', severity: 'info' },
    ]);
  });

  test('a list of 5,000 objects piped in, as YAML (with a setter comment) and as JSON', () => {
    const list = { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: items(5000), functionConfig: CONFIG };
    const yaml = stringify(list).replace(/image: nf:1/g, 'image: nf:1 # kpt-set: ${image}');
    for (const input of [yaml, JSON.stringify(list)]) {
      const result = spawnSync(BIN, ['fn', 'set-labels'], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const output = parse(result.stdout);
      expect(output.items).toHaveLength(5000);
      expect(output.items[4999].spec.template.metadata.labels).toEqual({ app: 'nf-4999', tier: 'core' });
      expect(output.results).toEqual([{ message: 'set 15000 labels in total', severity: 'info' }]);
      if (input === yaml) expect(result.stdout.match(/image: nf:1 # kpt-set: \$\{image\}/g)).toHaveLength(5000);
    }
  });

  test('deeply nested input: exit 1 and a result that says what is wrong and where', () => {
    const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n  data: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    const result = spawnSync(BIN, ['fn', 'set-labels'], { input, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).not.toMatch(/call stack/);
    expect(parse(result.stdout).results[0].message).toMatch(/^cannot read the ResourceList: the input nests deeper than 100 levels at line 7: /);
  });
});
