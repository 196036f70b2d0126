import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { Cluster, Environment, Fleet, GitAuth, Placement, SiteType } from '../../src/fleet';
import { IPackageBlueprint, KptPackage, VariantOptions } from '../../src/kpt';
import { runResourceList } from '../../src/kpt/resource-list';
import { DEFAULT_POLICY_ENFORCER_IMAGE, PodSecurityLevel, Policy, policyEnforcer, RuleSet, RuleSeverity } from '../../src/policy';
import { GitOpsRepository, SynthError, SynthProblem } from '../../src/repo';
import { SynthContext } from '../../src/repo/synth-context';
import { IRepoValidator, markRepoValidator } from '../../src/repo/synthesizer';
import { onPath, PROJECT_ROOT, tmpDir } from '../support/tmp';

/**
 * Synth and the policy-enforcer function share one rule implementation: the same variant
 * package, as synth writes it, gives the same findings at the same severities in synth and in
 * the enforcer run with the config its Kptfile declares (in-process, and through kpt).
 */

/** A package whose objects break every rule, with its own Namespace (labelled by the fleet's pipeline). */
class Offender extends Construct implements IPackageBlueprint {
  public readonly blueprint: KptPackage;
  public readonly namespaces = ['core'];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.blueprint = new KptPackage(this, 'Package', { path: `packages/network-functions/${id}` });
    this.populate(this.blueprint);
  }

  public renderVariant(scope: Construct, id: string, options: VariantOptions): KptPackage {
    const pkg = new KptPackage(scope, id, {
      path: options.path,
      upstream: { repo: options.upstreamRepo, directory: this.blueprint.packagePath, ref: options.upstreamRef },
      mutators: options.mutators,
    });
    this.populate(pkg);
    return pkg;
  }

  private populate(pkg: KptPackage): void {
    new ApiObject(pkg, 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'core' } });
    new ApiObject(pkg, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'upf', namespace: 'core' },
      spec: {
        selector: { matchLabels: { app: 'upf' } },
        template: {
          metadata: { labels: { app: 'upf' } },
          spec: {
            hostNetwork: true,
            volumes: [{ name: 'dev', hostPath: { path: '/dev/vfio' } }],
            initContainers: [{ name: 'init', image: 'registry.example.com/init:1' }],
            containers: [{
              name: 'upf',
              image: 'registry.example.com/upf:1.2',
              securityContext: { privileged: true },
              resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
            }],
          },
        },
      },
    });
  }
}

/** Keeps the synth context, to read what synth wrote and reported even when it fails. */
class ContextCapture extends Construct implements IRepoValidator {
  public context?: SynthContext;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    markRepoValidator(this);
  }

  /** @internal */
  public _validateRepo(context: SynthContext): void {
    this.context = context;
  }
}

const VARIANT = 'deployments/production/edge-01/upf';

function synthesize(): { files: Map<string, string>; problems: SynthProblem[] } {
  const repo = new GitOpsRepository();
  const rules = RuleSet.defaults();
  rules.setSeverity('image-digest', RuleSeverity.WARNING, { environment: 'production' });
  rules.setSeverity('host-network', RuleSeverity.WARNING);
  const fleet = new Fleet(repo, 'fleet', { repoUrl: 'https://git.example.com/telco/fleet.git', auth: GitAuth.none(), rules });
  new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
  const upf = new Offender(repo, 'upf');
  new Placement(fleet, 'upf', { blueprint: upf });
  new Placement(fleet, 'policy', { blueprint: new Policy(repo, 'core-policy', { namespaces: ['core'], podSecurity: PodSecurityLevel.BASELINE }) });
  const capture = new ContextCapture(repo, 'capture');
  expect(() => repo.synthTree()).toThrow(SynthError);
  const context = capture.context!;
  const files = new Map<string, string>();
  for (const file of context.tree.pathsUnder(VARIANT)) files.set(file.slice(VARIANT.length + 1), context.tree.getText(file)!);
  return { files, problems: [...context.problems.errors, ...context.problems.warnings] };
}

const { files, problems } = synthesize();
const kptfile = parse(files.get('Kptfile')!);
const enforcerStep = kptfile.pipeline.validators.find((fn: any) => fn.name === 'policy-enforcer');

/** A finding as both sides can state it: rule, severity, field, and the rule's own message. */
type Finding = [rule: string, severity: string, field: string, message: string];

/** Synth's findings in the variant: its problems name the package file of the object. */
function synthFindings(): Finding[] {
  return problems
    .filter(p => p.message.includes(`${VARIANT}/`) || p.message.includes('on cluster edge-01:'))
    .map(p => {
      const rule = p.message.slice(0, p.message.indexOf(':'));
      // "<rule>: <object> on cluster ..., <file>: <message>"; pod-security: "<rule>: <object> on cluster edge-01: <message>".
      const rest = rule === 'pod-security' ? p.message.slice(p.message.indexOf('on cluster edge-01: ') + 'on cluster edge-01: '.length) : p.message.slice(p.message.indexOf('.yaml: ') + '.yaml: '.length);
      return [rule, p.severity ?? 'error', p.field, rest] as Finding;
    })
    .sort();
}

function enforcerFindings(results: any[]): Finding[] {
  return results
    .filter(r => r.severity !== 'info')
    .map(r => [r.message.slice(0, r.message.indexOf(':')), r.severity, r.field.path, r.message.slice(r.message.indexOf(': ') + 2)] as Finding)
    .sort();
}

/** The package as kpt passes it to a function: every file's objects, with kpt's path annotations. */
function resourceList(): string {
  const items = [...files].sort(([a], [b]) => a < b ? -1 : 1).flatMap(([file, text]) => parseAllDocuments(text).map((doc, index) => {
    const object = doc.toJS();
    object.metadata.annotations = { ...object.metadata.annotations, 'internal.config.kubernetes.io/path': file, 'internal.config.kubernetes.io/index': String(index) };
    return object;
  }));
  const functionConfig = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' }, data: enforcerStep.configMap };
  return stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items, functionConfig });
}

describe('synth and the policy-enforcer function', () => {
  test('the variant declares the enforcer with the severities synth applied in its environment', () => {
    expect(enforcerStep).toEqual({
      image: DEFAULT_POLICY_ENFORCER_IMAGE,
      name: 'policy-enforcer',
      configMap: { 'profile': 'strict', 'image-digest': 'warning', 'host-network': 'warning' },
    });
  });

  test('give the same findings over the same objects', () => {
    const expected = synthFindings();
    // Every rule fired: the comparison is not over an empty list.
    expect(new Set(expected.map(f => f[0]))).toEqual(new Set(['image-digest', 'resource-requirements', 'no-privileged', 'host-network', 'pod-security']));
    expect(new Set(expected.map(f => f[1]))).toEqual(new Set(['error', 'warning']));
    const { stdout, exitCode } = runResourceList(policyEnforcer, resourceList());
    expect(exitCode).toBe(1);
    expect(enforcerFindings(parse(stdout).results)).toEqual(expected);
  });

  const kptTest = onPath('kpt') ? test : test.skip;
  if (!onPath('kpt')) console.warn('kpt is not on PATH: skipping the shared-findings run through kpt fn render');

  kptTest('give the same findings through kpt fn render, with the validator as the Kptfile declares it', () => {
    const root = tmpDir('shared-findings-');
    const dir = path.join(root, 'upf');
    fs.mkdirSync(dir);
    for (const [file, text] of files) fs.writeFileSync(path.join(dir, file), text);
    const wrapper = path.join(root, 'fn-policy-enforcer');
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(path.join(PROJECT_ROOT, 'bin', 'nephoran'))} fn policy-enforcer\n`, { mode: 0o755 });
    // The files are hydrated already, and kpt cannot run images here: only the enforcer runs, as an exec.
    const { image: _image, ...step } = enforcerStep;
    fs.writeFileSync(path.join(dir, 'Kptfile'), stringify({ ...kptfile, pipeline: { validators: [{ ...step, exec: wrapper }] } }));
    const resultsDir = path.join(root, 'results');
    const run = spawnSync('kpt', ['fn', 'render', dir, '--allow-exec', '--results-dir', resultsDir], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).not.toBe(0);
    const results = parse(fs.readFileSync(path.join(resultsDir, 'results.yaml'), 'utf8')).items.flatMap((item: any) => item.results ?? []);
    expect(enforcerFindings(results)).toEqual(synthFindings());
  });
});
