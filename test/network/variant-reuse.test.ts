import { ApiObject } from 'cdk8s';
import { declareExampleFleet, ExampleFleet } from '../../clusters/example-fleet';
import { Environment, GitOpsRepository, NetworkFunction, NfDeploymentModel, RepoTree, SynthProblem } from '../../src';
import { tmpDir } from '../support/tmp';

/**
 * Variants reuse renderings: a variant with the settings of one already rendered takes its
 * objects, and one that differs only in configuration values takes them with its own values set.
 * NEPHORAN_RENDER_EVERY_VARIANT=1 renders every variant from its own construct tree instead; both
 * must write the same bytes to the same paths and report the same problems.
 */
interface Synthesis {
  readonly tree: RepoTree;
  readonly warnings: SynthProblem[];
  /** ApiObject constructs in the app after synth: fewer when renderings are reused. */
  readonly apiObjects: number;
}

function synth(declare: (repo: GitOpsRepository) => void, renderEveryVariant: boolean): Synthesis {
  const saved = process.env.NEPHORAN_RENDER_EVERY_VARIANT;
  if (renderEveryVariant) process.env.NEPHORAN_RENDER_EVERY_VARIANT = '1';
  else delete process.env.NEPHORAN_RENDER_EVERY_VARIANT;
  try {
    const repo = new GitOpsRepository({ outdir: tmpDir() });
    declare(repo);
    const { tree, warnings } = repo.synthTree();
    return { tree, warnings, apiObjects: repo.node.findAll().filter(c => ApiObject.isApiObject(c)).length };
  } finally {
    if (saved === undefined) delete process.env.NEPHORAN_RENDER_EVERY_VARIANT;
    else process.env.NEPHORAN_RENDER_EVERY_VARIANT = saved;
  }
}

/** Every path of both trees, with the files that differ (or exist in one only). */
function differences(a: RepoTree, b: RepoTree): string[] {
  const paths = [...new Set([...a.paths(), ...b.paths()])].sort();
  return paths.filter(p => a.getText(p) !== b.getText(p));
}

function expectSameOutput(declare: (repo: GitOpsRepository) => void): { reused: Synthesis; plain: Synthesis } {
  const reused = synth(declare, false);
  const plain = synth(declare, true);
  expect(reused.tree.size).toBe(plain.tree.size);
  expect(differences(reused.tree, plain.tree)).toEqual([]);
  expect(reused.tree.equals(plain.tree)).toBe(true);
  expect(reused.warnings).toEqual(plain.warnings);
  return { reused, plain };
}

/**
 * The example fleet with a per-site value on every workload-model NF of every cluster, and a
 * per-environment value on top: no two variants of such an NF are alike.
 */
function declareHeterogeneousFleet(repo: GitOpsRepository): ExampleFleet {
  const example = declareExampleFleet(repo);
  const { fleet, clusters } = example;
  for (const placement of fleet.placements) {
    const nf = placement.blueprint;
    if (!NetworkFunction.isNetworkFunction(nf) || nf.deploymentModel !== NfDeploymentModel.WORKLOAD) continue;
    placement.addEnvironmentOverrides(Environment.PRODUCTION, { configuration: { 'tier.yaml': 'tier: production\n' } });
    for (const cluster of clusters.filter(c => placement.selects(c))) {
      placement.addClusterOverrides(cluster, { configuration: { 'site.yaml': `site: ${cluster.clusterName}\nnf: ${nf.name}\n`, 'quoted.conf': `"${cluster.clusterName}"` } });
    }
  }
  return example;
}

describe('variants reusing renderings', () => {
  test('the example fleet is written byte for byte as when every variant is rendered from its own constructs', () => {
    const { reused, plain } = expectSameOutput(repo => { declareExampleFleet(repo); });
    // Variants with equal settings share one rendering: fewer constructs were built.
    expect(reused.apiObjects).toBeLessThan(plain.apiObjects);
  });

  test('a fleet whose variants all differ in configuration is written byte for byte as when each is rendered from its own constructs', () => {
    const { reused, plain } = expectSameOutput(declareHeterogeneousFleet);
    expect(reused.apiObjects).toBeLessThan(plain.apiObjects);
    // The per-site values reached each variant: its ConfigMap and the pod template's digest of it.
    const configMaps = reused.tree.paths().filter(p => /^deployments\/[^/]+\/[^/]+\/[^/]+\/configmap_/.test(p));
    const withSite = configMaps.filter(p => reused.tree.getText(p)!.includes('site.yaml'));
    expect(withSite.length).toBeGreaterThan(4);
    for (const p of withSite) expect(reused.tree.getText(p)).toContain(`site: ${p.split('/')[2]}`);
    const digests = new Set(reused.tree.paths()
      .filter(p => withSite.some(c => c.startsWith(p.slice(0, p.lastIndexOf('/') + 1))) && p.includes('/deployment_'))
      .map(p => /configMapVersion: (\S+)/.exec(reused.tree.getText(p)!)?.[1]));
    expect(digests.size).toBe(withSite.length);
  });

  test('variants that add different configuration keys each get only their own, in the order a rendering gives', () => {
    let first = '';
    let second = '';
    const { reused } = expectSameOutput(repo => {
      const { fleet, clusters } = declareExampleFleet(repo);
      const placement = fleet.placements
        .find(p => NetworkFunction.isNetworkFunction(p.blueprint) && p.blueprint.deploymentModel === NfDeploymentModel.WORKLOAD)!;
      const [a, b, c] = clusters.filter(cluster => placement.selects(cluster));
      first = a.clusterName;
      second = b.clusterName;
      // Keys before and after the NF's own in sorted order, a different key on each, and a value change only.
      placement.addClusterOverrides(a, { configuration: { 'zz-site.yaml': 'a\n', '00-first.yaml': 'a\n' } });
      placement.addClusterOverrides(b, { configuration: { 'mm-other.yaml': 'b\n' } });
      if (c) placement.addClusterOverrides(c, { configuration: { 'zz-site.yaml': 'c\n' } });
    });
    const configMapOf = (cluster: string) => reused.tree.paths().filter(p => p.split('/')[2] === cluster && /\/configmap_/.test(p))
      .map(p => reused.tree.getText(p)!).find(text => text.includes('.yaml'))!;
    expect(configMapOf(first)).toMatch(/00-first\.yaml[\s\S]*zz-site\.yaml/);
    expect(configMapOf(first)).not.toContain('mm-other.yaml');
    expect(configMapOf(second)).toContain('mm-other.yaml');
    expect(configMapOf(second)).not.toMatch(/zz-site|00-first/);
  });

  test('a fleet with invalid per-site values reports the same problems either way', () => {
    const problems = (renderEveryVariant: boolean) => {
      try {
        synth(repo => {
          const { fleet, clusters } = declareHeterogeneousFleet(repo);
          const placement = fleet.placements
            .find(p => NetworkFunction.isNetworkFunction(p.blueprint) && p.blueprint.deploymentModel === NfDeploymentModel.WORKLOAD)!;
          for (const cluster of clusters.filter(c => placement.selects(c)).slice(0, 2)) {
            placement.addClusterOverrides(cluster, { configuration: { 'bad key!': 'x' }, resources: { limits: { memory: '1Gi' }, requests: { memory: '2Gi' } } });
          }
        }, renderEveryVariant);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('expected synth to fail');
    };
    const reused = problems(false);
    expect(reused).toMatch(/bad key!/);
    expect(reused).toMatch(/overrides\.resources/);
    expect(reused).toEqual(problems(true));
  });
});
