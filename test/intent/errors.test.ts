import * as fs from 'fs';
import * as path from 'path';
import { Environment, Fleet, GitAuth, GitOpsRepository, loadIntent, NetworkFunction, NfKind, Placement, SynthError, SynthProblem, synthesizeIntent } from '../../src';
import { inDocumentTerms } from '../../src/intent/problem-locations';
import { tmpDir } from '../support/tmp';

/** Writes intent files into a fresh folder; returns the folder. */
function intentFolder(files: Record<string, string>): string {
  const dir = tmpDir('nephoran-intent-');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function problemsOf(run: () => unknown): SynthProblem[] {
  try {
    run();
  } catch (err) {
    if (err instanceof SynthError) return err.problems;
    throw err;
  }
  throw new Error('expected a SynthError');
}

const FLEET = `apiVersion: nephoran.io/v1alpha1
kind: Fleet
metadata:
  name: fleet
spec:
  repoUrl: https://git.example.com/lab/fleet.git
  auth: { type: none }
`;

describe('problems of intent files', () => {
  test('YAML, schema and unknown fields of every file, each at its file:line:column and field, all at once', () => {
    const dir = intentFolder({
      'a.yaml': `${FLEET}---
apiVersion: nephoran.io/v1alpha1
kind: Cluster
metadata:
  name: lab-01
spec:
  environment: development
  region: eu-west
  sitetype: edge
---
apiVersion: nephoran.io/v1alpha1
kind: NetworkFunction
metadata:
  name: upf
spec:
  type: upf
  replicas: two
---
apiVersion: nephoran.io/v1alpha1
kind: NetworkSlice
metadata:
  name: embb
spec:
  serviceType: eMBB
  sd: 000001
---
apiVersion: nephoran.io/v1alpha1
kind: Placment
metadata: { name: x }
---
apiVersion: nephoran.io/v1
kind: Policy
metadata: { name: y }
`,
      'b.yml': `apiVersion: nephoran.io/v1alpha1
kind: Policy
metadata:
  name: p
spec:
  namespaces: [a
`,
    });
    const a = path.join(dir, 'a.yaml');
    const b = path.join(dir, 'b.yml');
    const problems = problemsOf(() => synthesizeIntent(dir)).map(p => [p.path, p.field, p.message]);
    expect(problems).toEqual([
      [`${a}:16:3`, 'spec.sitetype', 'unknown field "sitetype"; known fields here: auth, cnis, credentialsSecretName, environment, masterInterface, networks, podCidrs, region, siteType'],
      [`${a}:24:13`, 'spec.replicas', 'must be number; got string'],
      [`${a}:32:7`, 'spec.sd', 'must be string; got integer (YAML reads 1 unquoted as a number: quote the value to keep it a string)'],
      [`${a}:35:7`, 'kind', 'must be one of Fleet, Cluster, NetworkFunction, NetworkSlice, Policy, Placement; got "Placment"'],
      [`${a}:38:13`, 'apiVersion', 'must be nephoran.io/v1alpha1; got "nephoran.io/v1"'],
      [`${b}:7:1`, '', expect.stringMatching(/^invalid YAML: /)],
    ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))));
  });

  test('names that resolve to nothing: blueprints, slice members, environments, cluster overrides, a second declaration', () => {
    const dir = intentFolder({
      'fleet.yaml': `${FLEET}---
apiVersion: nephoran.io/v1alpha1
kind: Cluster
metadata: { name: lab-01 }
spec: { environment: lab, region: eu-west }
---
apiVersion: nephoran.io/v1alpha1
kind: NetworkSlice
metadata: { name: embb }
spec: { serviceType: eMBB, networkFunctions: [smf] }
---
apiVersion: nephoran.io/v1alpha1
kind: Placement
metadata: { name: nrf }
spec:
  blueprint: { kind: NetworkFunction, name: nrf }
---
apiVersion: nephoran.io/v1alpha1
kind: Policy
metadata: { name: base }
spec: { namespaces: [lab] }
---
apiVersion: nephoran.io/v1alpha1
kind: Policy
metadata: { name: base }
spec: { namespaces: [lab] }
---
apiVersion: nephoran.io/v1alpha1
kind: Placement
metadata: { name: base }
spec:
  blueprint: { kind: Policy, name: base }
  clusterOverrides:
    lab-02: { replicas: 1 }
`,
    });
    const file = path.join(dir, 'fleet.yaml');
    const problems = problemsOf(() => loadIntent(new GitOpsRepository(), dir)).map(p => [p.path, p.field, p.message]);
    expect(problems).toEqual([
      [`${file}:12:22`, 'spec.environment', 'unknown environment "lab": production, staging, development, or one more the Fleet declares in spec.environments'],
      [`${file}:17:47`, 'spec.networkFunctions[0]', 'no NetworkFunction "smf"; declared: none'],
      [`${file}:23:45`, 'spec.blueprint.name', 'no NetworkFunction "nrf"; declared: none'],
      [`${file}:32:19`, 'metadata.name', `Policy "base" is declared twice; the first is at ${file}:27:19`],
      [`${file}:41:5`, 'spec.clusterOverrides.lab-02', 'no Cluster "lab-02" in the fleet; clusters: lab-01'],
    ]);
  });

  test('the problems synth finds in the constructs point at the documents that declared them', () => {
    const dir = intentFolder({
      'fleet.yaml': FLEET,
      'nf.yaml': `apiVersion: nephoran.io/v1alpha1
kind: NetworkFunction
metadata:
  name: upf
spec:
  type: upf
  replicas: 1
  interfaces:
    - { type: n3, networkInstance: vpc-ran }
---
apiVersion: nephoran.io/v1alpha1
kind: NetworkFunction
metadata:
  name: nrf
spec:
  type: nrf
  namespace: Core_NS
---
apiVersion: nephoran.io/v1alpha1
kind: Cluster
metadata:
  name: lab-01
  labels: { nephio.org/site-type: edge }
spec: { environment: development, region: eu-west }
---
apiVersion: nephoran.io/v1alpha1
kind: Placement
metadata: { name: nrf-core }
spec:
  blueprint: { kind: NetworkFunction, name: nrf }
  matchLabels: { nephio.org/site-type: regional }
  environmentOverrides:
    development: { replicas: -1 }
`,
    });
    const file = path.join(dir, 'nf.yaml');
    const problems = problemsOf(() => synthesizeIntent(dir));
    const at = (location: string) => problems.filter(p => p.path === `${file}:${location}`).map(p => [p.field, p.message]);
    expect(at('7:13')).toEqual([['spec.replicas', expect.stringMatching(/^has no effect in the operator model: .* set deploymentModel: workload to run the NF's own workload \(NetworkFunction "upf", construct upf\)$/)]]);
    expect(at('17:14')).toEqual([['spec.namespace', expect.stringMatching(/^"Core_NS" is not a DNS-1123 label.* \(NetworkFunction "nrf", construct nrf\)$/)]]);
    expect(at('31:16')).toEqual([['spec.matchLabels', expect.stringMatching(/^placement of "nrf" selects no cluster: .*\(Placement "nrf-core", construct fleet\/nrf-core\)$/)]]);
    expect(at('33:30')).toEqual([['spec.environmentOverrides.development.replicas', 'must be a whole number, 0 or more; got -1 (Placement "nrf-core", construct fleet/nrf-core)']]);
    // Every problem a document's construct reported is placed in a file.
    expect(problems.filter(p => !p.path.startsWith(dir))).toEqual([]);
  });

  test('names that collide in one construct scope, with each other or with the program\'s constructs, and invalid names', () => {
    const dir = intentFolder({
      'x.yaml': `${FLEET}---
apiVersion: nephoran.io/v1alpha1
kind: Policy
metadata: { name: core }
spec: { namespaces: [core] }
---
apiVersion: nephoran.io/v1alpha1
kind: NetworkSlice
metadata: { name: core }
spec: { serviceType: eMBB }
---
apiVersion: nephoran.io/v1alpha1
kind: Policy
metadata: { name: Core/Policy }
spec: { namespaces: [core] }
---
apiVersion: nephoran.io/v1alpha1
kind: Policy
metadata: { name: nrf }
spec: { namespaces: [core] }
`,
    });
    const file = path.join(dir, 'x.yaml');
    const repo = new GitOpsRepository();
    new NetworkFunction(repo, 'nrf', { kind: NfKind.NRF });
    const problems = problemsOf(() => loadIntent(repo, dir)).map(p => [p.path, p.field, p.message]);
    expect(problems).toEqual([
      [`${file}:16:19`, 'metadata.name', `NetworkSlice "core" has the name of Policy "core" (${file}:11:19): the Fleet, NetworkFunctions, NetworkSlices and Policies share one set of names`],
      [`${file}:21:19`, 'metadata.name', 'must match the pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$; got "Core/Policy"'],
      [`${file}:26:19`, 'metadata.name', 'cannot declare Policy "nrf": There is already a Construct with name \'nrf\' in GitOpsRepository'],
    ]);
  });

  test('a folder without a Fleet, a file that is no intent document', () => {
    const dir = intentFolder({ 'kustomization.yaml': 'resources: [a.yaml]\n' });
    expect(problemsOf(() => loadIntent(new GitOpsRepository(), dir)).map(p => [p.path, p.field, p.message])).toEqual([
      ['(intent)', '', "the intent files declare no Fleet: add one document of kind Fleet (its repoUrl and auth), or pass the program's fleet to loadIntent()"],
      [`${path.join(dir, 'kustomization.yaml')}:1:1`, 'apiVersion', 'must be nephoran.io/v1alpha1; got null'],
    ]);
  });
});

test('construct messages are worded as the documents write the values', () => {
  expect(inDocumentTerms('must be NfDeploymentModel.OPERATOR or NfDeploymentModel.WORKLOAD', 'NetworkFunction')).toBe('must be operator or workload');
  expect(inDocumentTerms('add an SMF with addNetworkFunction() (NfKind.SMF, InterfaceType.N4)', 'NetworkSlice')).toBe('add an SMF with spec.networkFunctions (smf, n4)');
  expect(inDocumentTerms('set props.name; props.kind is NfKind.CU_CP in Environment.PRODUCTION', 'NetworkFunction')).toBe('set metadata.name; spec.type is cu-cp in production');
  expect(inDocumentTerms('PodSecurityLevel.RESTRICTED forbids it; NetworkIsolation.SAME_NAMESPACE', 'Policy')).toBe('restricted forbids it; same-namespace');
});

describe('a program mixing code and intent files', () => {
  test('intent files join the fleet the program declares; the program places an NF the files declare', () => {
    const dir = intentFolder({
      'lab.yaml': `apiVersion: nephoran.io/v1alpha1
kind: Cluster
metadata: { name: lab-01 }
spec: { environment: development, region: eu-west }
---
apiVersion: nephoran.io/v1alpha1
kind: NetworkFunction
metadata: { name: nrf }
spec: { type: nrf, namespace: core, resources: { requests: { cpu: 250m, memory: 256Mi }, limits: { cpu: "1", memory: 512Mi } } }
---
apiVersion: nephoran.io/v1alpha1
kind: Placement
metadata: { name: ausf-lab }
spec:
  blueprint: { kind: NetworkFunction, name: ausf }
`,
    });
    const repo = new GitOpsRepository();
    const fleet = new Fleet(repo, 'fleet', { repoUrl: 'https://git.example.com/lab/fleet.git', auth: GitAuth.none() });
    // Declared in code before the files are loaded: the files' placement finds it by name.
    new NetworkFunction(repo, 'ausf', { kind: NfKind.AUSF, namespace: 'core', resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } });
    const loaded = loadIntent(repo, dir, { fleet });
    new Placement(fleet, 'nrf-lab', { blueprint: loaded.networkFunctions.get('nrf')!, environments: [Environment.DEVELOPMENT] });
    const tree = repo.synthTree().tree;
    expect(tree.has('deployments/development/lab-01/nrf/deployment_nrf.yaml')).toBe(true);
    expect(tree.has('deployments/development/lab-01/ausf/deployment_ausf.yaml')).toBe(true);
    expect(loaded.fleet).toBe(fleet);
    expect([...loaded.clusters.keys()]).toEqual(['lab-01']);
  });
});
