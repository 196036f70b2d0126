import { objectAt, objectsIn, REPO_URL, synthErrors, TestWorkload, tokenAuth } from './support';
import { validateObject } from '../../src/apis/validation';
import {
  Cluster, Environment, Fleet, GitAuth, GitCredentials, Placement, SealedSecretScope, SecretStoreKind, SiteType,
} from '../../src/fleet';
import { PolicyProfile } from '../../src/policy';
import { GitOpsRepository } from '../../src/repo';

const SEALED = 'AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq' + 'A'.repeat(40);

function newFleet(auth: GitAuth = tokenAuth(), extra: Record<string, any> = {}) {
  const repo = new GitOpsRepository();
  const fleet = new Fleet(repo, 'fleet', { repoUrl: REPO_URL, auth, ...extra });
  return { repo, fleet };
}

/** Synthesizes with one package placed everywhere, so no synced folder is empty. */
function synth(repo: GitOpsRepository, fleet: Fleet) {
  new Placement(fleet, 'everywhere', { blueprint: new TestWorkload(repo, 'probe', { namespace: 'probe' }) });
  return repo.synthTree();
}

describe('Cluster', () => {
  test('writes a RootSync that validates against the ConfigSync CRD and syncs its deployments folder', () => {
    const { repo, fleet } = newFleet(tokenAuth(), { branch: 'release', syncPeriod: '30s' });
    new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });
    const { tree } = synth(repo, fleet);
    const rootSync = objectAt(tree, 'clusters/edge-01/rootsync_edge-01.yaml');
    expect(validateObject(rootSync)).toEqual([]);
    // Nephio's bootstrap controller applies a staged package to the cluster this annotation names.
    expect(rootSync.metadata).toMatchObject({ name: 'edge-01', namespace: 'config-management-system', annotations: { 'nephio.org/cluster-name': 'edge-01' } });
    expect(rootSync.spec).toEqual({
      sourceType: 'git',
      sourceFormat: 'unstructured',
      git: {
        repo: REPO_URL,
        branch: 'release',
        dir: 'deployments/production/edge-01',
        auth: 'token',
        secretRef: { name: 'edge-01-git-credentials' },
        period: '30s',
      },
    });
    expect(rootSync.spec.sync).toBeUndefined();
    // The RootSync never syncs the folder it is in (KNV1069).
    expect(rootSync.spec.git.dir.startsWith('clusters/')).toBe(false);
  });

  test('token credentials come from an ExternalSecret producing username and token, never a Secret with data', () => {
    const { repo, fleet } = newFleet(GitAuth.token(GitCredentials.externalSecret({
      secretStoreName: 'vault', secretStoreKind: SecretStoreKind.SECRET_STORE, remoteKey: 'gitops/edge', remoteProperties: { token: 'pat' }, refreshInterval: '15m',
    })));
    new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west' });
    const { tree } = synth(repo, fleet);
    expect(objectsIn(tree, 'clusters/edge-01', 'Secret')).toEqual([]);
    expect(objectAt(tree, 'clusters/edge-01/externalsecret_edge-01-git-credentials.yaml')).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'edge-01-git-credentials', namespace: 'config-management-system', annotations: { 'nephio.org/cluster-name': 'edge-01' } },
      spec: {
        refreshInterval: '15m',
        secretStoreRef: { name: 'vault', kind: 'SecretStore' },
        target: { name: 'edge-01-git-credentials', creationPolicy: 'Owner' },
        data: [
          { secretKey: 'username', remoteRef: { key: 'gitops/edge', property: 'username' } },
          { secretKey: 'token', remoteRef: { key: 'gitops/edge', property: 'pat' } },
        ],
      },
    });
  });

  test('a cluster can bring its own sealed credentials and secret name', () => {
    const { repo, fleet } = newFleet();
    const sealed = GitCredentials.sealedSecret({ encryptedData: { ssh: SEALED }, scope: SealedSecretScope.NAMESPACE_WIDE });
    new Cluster(fleet, 'edge-02', { environment: Environment.STAGING, region: 'eu-west', auth: GitAuth.ssh(sealed), credentialsSecretName: 'git-ssh' });
    const { tree } = synth(repo, fleet);
    const rootSync = objectAt(tree, 'clusters/edge-02/rootsync_edge-02.yaml');
    expect(rootSync.spec.git).toMatchObject({ auth: 'ssh', secretRef: { name: 'git-ssh' } });
    const sealedSecret = objectAt(tree, 'clusters/edge-02/sealedsecret_git-ssh.yaml');
    expect(sealedSecret).toMatchObject({
      apiVersion: 'bitnami.com/v1alpha1',
      metadata: { name: 'git-ssh', namespace: 'config-management-system', annotations: { 'nephio.org/cluster-name': 'edge-02', 'sealedsecrets.bitnami.com/namespace-wide': 'true' } },
      spec: { encryptedData: { ssh: SEALED }, template: { type: 'Opaque', metadata: { name: 'git-ssh' } } },
    });
  });

  test.each([
    ['none', GitAuth.none(), {}],
    ['gcenode', GitAuth.gceNode(), {}],
    ['gcpserviceaccount', GitAuth.gcpServiceAccount('configsync@telco.iam.gserviceaccount.com'), { gcpServiceAccountEmail: 'configsync@telco.iam.gserviceaccount.com' }],
  ])('auth %s sets no secretRef and writes no credentials', (type, auth, extra) => {
    const { repo, fleet } = newFleet(auth);
    new Cluster(fleet, 'lab-01', { environment: Environment.DEVELOPMENT, region: 'eu-west' });
    const { tree } = synth(repo, fleet);
    const rootSync = objectAt(tree, 'clusters/lab-01/rootsync_lab-01.yaml');
    expect(validateObject(rootSync)).toEqual([]);
    expect(rootSync.spec.git.auth).toBe(type);
    expect(rootSync.spec.git.secretRef).toBeUndefined();
    expect(rootSync.spec.git).toMatchObject(extra);
    expect(tree.pathsUnder('clusters/lab-01').filter(p => /externalsecret|sealedsecret/.test(p))).toEqual([]);
  });

  test('writes a Nephio WorkloadCluster with the cluster labels, valid against its CRD', () => {
    const { repo, fleet } = newFleet();
    const cluster = new Cluster(fleet, 'edge-01', {
      environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE, labels: { 'nephoran.io/ran': 'oai' }, cnis: ['macvlan', 'sriov'], masterInterface: 'ens3f0',
    });
    cluster.addLabel('nephoran.io/rack', 'r12');
    const { tree } = synth(repo, fleet);
    // The WorkloadCluster is for the management cluster: never in the workload cluster's bootstrap package.
    expect(tree.pathsUnder('clusters/edge-01').filter(p => p.includes('workloadcluster'))).toEqual([]);
    expect(cluster.managementPackage.packagePath).toBe('management/workload-clusters/edge-01');
    const wc = objectAt(tree, 'management/workload-clusters/edge-01/workloadcluster_edge-01.yaml');
    expect(validateObject(wc)).toEqual([]);
    expect(wc).toEqual({
      apiVersion: 'infra.nephio.org/v1alpha1',
      kind: 'WorkloadCluster',
      metadata: {
        name: 'edge-01',
        namespace: 'default',
        labels: {
          'nephio.org/cluster-name': 'edge-01',
          'nephoran.io/environment': 'production',
          'nephio.org/region': 'eu-west',
          'nephio.org/site-type': 'edge',
          'nephoran.io/ran': 'oai',
          'nephoran.io/rack': 'r12',
        },
      },
      spec: { clusterName: 'edge-01', cnis: ['macvlan', 'sriov'], masterInterface: 'ens3f0' },
    });
    expect(cluster.labels['nephoran.io/rack']).toBe('r12');
    expect(cluster.deploymentsPath).toBe('deployments/production/edge-01');
  });

  test('custom environments name their folder', () => {
    const { repo, fleet } = newFleet();
    new Cluster(fleet, 'lab-01', { environment: Environment.custom('lab', { policyProfile: PolicyProfile.RELAXED }), region: 'eu-west' });
    const { tree } = synth(repo, fleet);
    expect(objectAt(tree, 'clusters/lab-01/rootsync_lab-01.yaml').spec.git.dir).toBe('deployments/lab/lab-01');
    expect(tree.has('deployments/lab/lab-01/probe/Kptfile')).toBe(true);
  });

  describe('reports at synth', () => {
    test.each([
      ['a name that is not DNS-1123', { name: 'Edge_01' }, 'props.name', /^"Edge_01" is not a DNS-1123 label/],
      ['a missing region', { region: '' }, 'props.region', /^is required, e.g. "eu-west"; got ""/],
      ['a bad label value', { labels: { 'nephoran.io/ran': 'oai ran' } }, 'props.labels["nephoran.io/ran"]', /label value "oai ran"/],
      ['a bad label key', { labels: { 'bad key': 'x' } }, 'props.labels["bad key"]', /label key "bad key"/],
      ['a label that comes from a prop', { labels: { 'nephio.org/region': 'us-east' } }, 'props.labels["nephio.org/region"]', /comes from props.region/],
      ['a bad master interface', { masterInterface: 'this-name-is-far-too-long' }, 'props.masterInterface', /at most 15 characters, e.g. "eth1"; got "this-name-is-far-too-long"/],
      ['a bad CNI', { cnis: ['Mac VLAN'] }, 'props.cnis[0]', /must be a CNI name such as "macvlan".*; got "Mac VLAN"/],
      ['a missing environment', { environment: undefined }, 'props.environment', /^is required: Environment.PRODUCTION, STAGING, DEVELOPMENT or Environment.custom\(name\); got undefined/],
      ['an invalid custom environment', { environment: Environment.custom('Lab') }, 'props.environment', /^Environment.custom: environment name "Lab" is not a DNS-1123 label/],
      ['a custom environment named like a built-in one', { environment: Environment.custom('production') }, 'props.environment', /use Environment.PRODUCTION instead/],
      ['an invalid site type', { siteType: SiteType.custom('far edge') }, 'props.siteType', /^SiteType.custom: site type label value "far edge"/],
      ['an invalid credentials secret name', { credentialsSecretName: 'Git Creds' }, 'props.credentialsSecretName', /"Git Creds" is not a DNS-1123 label/],
      ['labels that are not an object', { labels: 'edge' }, 'props.labels', /^must be an object of label keys to values.*; got "edge"/],
      ['networks that are not a list', { networks: { name: 'n3' } }, 'props.networks', /^must be a list of network definitions; got \{"name":"n3"\}/],
    ])('%s, with its field, and nothing thrown before', (_, props, field, message) => {
      const { repo, fleet } = newFleet();
      const cluster = new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', ...props } as any);
      new Placement(fleet, 'everywhere', { blueprint: new TestWorkload(repo, 'probe', { namespace: 'probe' }) });
      const errors = synthErrors(repo);
      expect(errors).toEqual([{ path: cluster.node.path, field, message: expect.stringMatching(message), severity: 'error' }]);
    });

    test('every problem of a cluster at once, in one SynthError', () => {
      const { repo, fleet } = newFleet();
      const cluster = new Cluster(fleet, 'Edge_01', { environment: undefined as any, region: '', cnis: ['Mac VLAN'], labels: { 'bad key': 'x' } });
      cluster.addLabel('nephoran.io/rack', 'r 12');
      expect(synthErrors(repo).map(p => p.field)).toEqual(['addLabel("nephoran.io/rack")', 'props.cnis[0]', 'props.environment', 'props.labels["bad key"]', 'props.name', 'props.region']);
    });

    test('a cluster outside a fleet throws, saying what to do', () => {
      const repo = new GitOpsRepository();
      expect(() => new Cluster(repo, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west' })).toThrow(/Cluster edge-01 is not inside a Fleet: .*new Cluster\(fleet, 'edge-01'/);
    });

    test('two clusters with one name: the second is reported, under its own path', () => {
      const { repo, fleet } = newFleet();
      new Cluster(fleet, 'a', { name: 'edge-01', environment: Environment.PRODUCTION, region: 'eu-west' });
      new Cluster(fleet, 'b', { name: 'edge-01', environment: Environment.STAGING, region: 'eu-west' });
      new Placement(fleet, 'everywhere', { blueprint: new TestWorkload(repo, 'probe', { namespace: 'probe' }) });
      expect(synthErrors(repo)).toEqual([{ path: 'fleet/b', field: 'props.name', message: 'two clusters named "edge-01": fleet/a and fleet/b; cluster names are unique in a fleet', severity: 'error' }]);
    });

    test('one environment name with two profiles', () => {
      const { repo, fleet } = newFleet();
      new Cluster(fleet, 'a', { environment: Environment.custom('lab', { policyProfile: PolicyProfile.RELAXED }), region: 'eu-west' });
      new Cluster(fleet, 'b', { environment: Environment.custom('lab', { policyProfile: PolicyProfile.STRICT }), region: 'eu-west' });
      new Placement(fleet, 'everywhere', { blueprint: new TestWorkload(repo, 'probe', { namespace: 'probe' }) });
      expect(synthErrors(repo)).toEqual([expect.objectContaining({
        path: 'fleet/b',
        field: 'props.environment',
        message: expect.stringMatching(/environment "lab" with policy profile strict, but cluster "a" is in an environment of that name with profile relaxed/),
      })]);
    });

    test('custom environments carry their problems instead of throwing', () => {
      expect(Environment.custom('production')._problems).toEqual(['"production" is a built-in environment: use Environment.PRODUCTION instead of Environment.custom("production")']);
      expect(Environment.custom('Lab')._problems).toEqual([expect.stringMatching(/DNS-1123/)]);
      expect(Environment.custom('Lab').name).toBe('lab');
      expect(Environment.custom('lab')._problems).toEqual([]);
    });

    test('two fleets in one repository: the second is reported', () => {
      const { repo } = newFleet();
      new Fleet(repo, 'other', { repoUrl: REPO_URL, auth: GitAuth.none() });
      expect(synthErrors(repo)).toEqual([{ path: 'other', field: '', message: expect.stringMatching(/^a repository holds one Fleet, and fleet is already there; add the clusters to it/), severity: 'error' }]);
    });

    test.each([
      [{ repoUrl: 'not a url' }, 'props.repoUrl', /^must be a git URL such as .*; got "not a url"/],
      [{ branch: 'bad branch' }, 'props.branch', /^must be a git branch or tag name such as "main"; got "bad branch"/],
      [{ syncPeriod: 'often' }, 'props.syncPeriod', /^must be a Go duration such as "15s" or "1m"; got "often"/],
      [{ auth: undefined }, 'props.auth', /^is required, e.g. GitAuth.token/],
      [{ auth: GitAuth.gcpServiceAccount('configsync') }, 'props.auth', /^GitAuth.gcpServiceAccount: email must be a service account address/],
      [{ layout: 'one repo' }, 'props.layout', /^must be FleetLayout.SINGLE_REPOSITORY or FleetLayout.repositoryPerCluster\(\{...\}\); got "one repo"/],
    ])('fleet settings %p', (props, field, message) => {
      const repo = new GitOpsRepository();
      const fleet = new Fleet(repo, 'fleet', { repoUrl: REPO_URL, auth: GitAuth.none(), ...props } as any);
      new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west' });
      new Placement(fleet, 'everywhere', { blueprint: new TestWorkload(repo, 'probe', { namespace: 'probe' }) });
      expect(synthErrors(repo)).toEqual([{ path: 'fleet', field, message: expect.stringMatching(message), severity: 'error' }]);
    });
  });
});

describe('GitCredentials and GitAuth', () => {
  test('sealed credentials must hold the keys the auth needs', () => {
    const sealed = GitCredentials.sealedSecret({ encryptedData: { token: SEALED } });
    expect(GitAuth.token(sealed)._problems).toEqual(['token auth needs a Secret with keys username and token, but the SealedSecret has no username; add encryptedData.username']);
    const complete = GitAuth.token(GitCredentials.sealedSecret({ encryptedData: { username: SEALED, token: SEALED } }));
    expect(complete.secretKeys).toEqual(['username', 'token']);
    expect(complete._problems).toEqual([]);
  });

  test('sealed values must be ciphertext, not a token in clear; the value is never echoed', () => {
    const problems = GitCredentials.sealedSecret({ encryptedData: { token: 'ghp_plaintextTokenValue123' } })._problems;
    expect(problems).toEqual([expect.stringMatching(/encryptedData.token is not kubeseal output/)]);
    expect(problems.join('\n')).not.toContain('ghp_plaintext');
  });

  test.each([
    [{ secretStoreName: 'Vault!', remoteKey: 'k' }, /secretStoreName/],
    [{ secretStoreName: 'vault', remoteKey: ' ' }, /remoteKey must name the entry/],
    [{ secretStoreName: 'vault', remoteKey: 'k', refreshInterval: 'hourly' }, /refreshInterval must be a Go duration/],
  ])('external secret options %p', (options, message) => {
    expect(GitCredentials.externalSecret(options as any)._problems).toEqual([expect.stringMatching(message)]);
  });

  test('gcp service account needs an email', () => {
    expect(GitAuth.gcpServiceAccount('configsync')._problems).toEqual([expect.stringMatching(/service account address/)]);
  });

  test('the cluster given credentials with problems reports each of them, at its path, as props.auth', () => {
    const { repo, fleet } = newFleet();
    const auth = GitAuth.token(GitCredentials.externalSecret({ secretStoreName: 'Vault!', remoteKey: ' ' }));
    new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west', auth });
    new Placement(fleet, 'everywhere', { blueprint: new TestWorkload(repo, 'probe', { namespace: 'probe' }) });
    expect(synthErrors(repo).map(p => `${p.path} ${p.field}: ${p.message.split(':')[0]}: ${p.message.split(':')[1].trim().split(' ')[0]}`)).toEqual([
      'fleet/edge-01 props.auth: GitCredentials.externalSecret: remoteKey',
      'fleet/edge-01 props.auth: GitCredentials.externalSecret: secretStoreName',
    ]);
  });

  test('the bootstrap package holds only what the workload cluster applies, every object naming the cluster; the management package only the WorkloadCluster', () => {
    const { repo, fleet } = newFleet();
    new Cluster(fleet, 'edge-01', { environment: Environment.PRODUCTION, region: 'eu-west' });
    const { tree } = synth(repo, fleet);
    // No package context: `kubectl apply -f clusters/edge-01/` applies exactly these (kubectl skips the Kptfile).
    expect(tree.pathsUnder('clusters/edge-01')).toEqual([
      'clusters/edge-01/Kptfile', 'clusters/edge-01/externalsecret_edge-01-git-credentials.yaml', 'clusters/edge-01/rootsync_edge-01.yaml',
    ]);
    for (const path of tree.pathsUnder('clusters/edge-01').filter(p => p.endsWith('.yaml'))) {
      expect([path, objectAt(tree, path).metadata.annotations?.['nephio.org/cluster-name']]).toEqual([path, 'edge-01']);
    }
    expect(tree.pathsUnder('management/workload-clusters/edge-01')).toEqual([
      'management/workload-clusters/edge-01/Kptfile', 'management/workload-clusters/edge-01/workloadcluster_edge-01.yaml',
    ]);
  });
});
