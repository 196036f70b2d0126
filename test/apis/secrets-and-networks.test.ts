import { ApiObject } from 'cdk8s';
import { validateObject } from '../../src/apis';
import { GitCredentials, SealedSecretScope } from '../../src/fleet';
import { KptPackage } from '../../src/kpt';
import { GitOpsRepository, SynthError } from '../../src/repo';

/** The object GitCredentials writes for a Secret with `keys`, as plain JSON. */
function rendered(credentials: GitCredentials, keys = ['username', 'token']): Record<string, any> {
  const repo = new GitOpsRepository();
  const pkg = new KptPackage(repo, 'pkg', { path: 'clusters/edge-01' });
  return credentials._render(pkg, 'creds', 'edge-01-git-credentials', 'config-management-system', keys).toJson();
}

function synthProblems(build: (pkg: KptPackage) => void): string[] {
  const repo = new GitOpsRepository();
  build(new KptPackage(repo, 'pkg', { path: 'clusters/edge-01' }));
  try {
    repo.synthTrees();
  } catch (err) {
    if (err instanceof SynthError) return err.problems.map(p => `${p.path} ${p.field}: ${p.message}`);
    throw err;
  }
  return [];
}

const SEALED = 'AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq';

describe('ExternalSecret (External Secrets Operator)', () => {
  test('is written as external-secrets.io/v1, the only version served since 0.17, and validates against the CRD', () => {
    const object = rendered(GitCredentials.externalSecret({ secretStoreName: 'vault', remoteKey: 'gitops/fleet-read-token' }));
    expect(object.apiVersion).toBe('external-secrets.io/v1');
    expect(validateObject(object)).toEqual([]);
  });

  test('v1beta1 is refused: the CRD lists it with served: false', () => {
    const object = { ...rendered(GitCredentials.externalSecret({ secretStoreName: 'vault', remoteKey: 'k' })), apiVersion: 'external-secrets.io/v1beta1' };
    expect(validateObject(object)).toEqual([{ field: 'apiVersion', message: 'ExternalSecret is not served as external-secrets.io/v1beta1; use external-secrets.io/v1' }]);
  });

  test('a wrong field fails synth', () => {
    const problems = synthProblems(pkg => new ApiObject(pkg, 'es', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'creds', namespace: 'config-management-system' },
      spec: { secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' }, target: { name: 'creds' }, data: [{ secretKey: 'token', remoteRef: { key: 'k', propertee: 'token' } }] },
    }));
    expect(problems.join('\n')).toMatch(/spec\.data\[0\]\.remoteRef\.propertee: ExternalSecret "creds": unknown field "propertee"/);
  });
});

describe('SealedSecret (sealed-secrets)', () => {
  test.each([SealedSecretScope.STRICT, SealedSecretScope.NAMESPACE_WIDE, SealedSecretScope.CLUSTER_WIDE])('scope %s validates against the CRD', scope => {
    const object = rendered(GitCredentials.sealedSecret({ encryptedData: { username: SEALED, token: SEALED }, scope }));
    expect(object.apiVersion).toBe('bitnami.com/v1alpha1');
    expect(validateObject(object)).toEqual([]);
  });

  test('a wrong field fails synth', () => {
    const problems = synthProblems(pkg => new ApiObject(pkg, 'ss', {
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'creds', namespace: 'config-management-system' },
      spec: { encryptedData: { token: SEALED }, template: { metadata: { name: 'creds' }, typ: 'Opaque' } },
    }));
    expect(problems.join('\n')).toMatch(/spec\.template\.typ: SealedSecret "creds": unknown field "typ"/);
  });
});

describe('NetworkAttachmentDefinition (Multus)', () => {
  const nad = (spec: Record<string, unknown>) => ({
    apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'n3', namespace: 'upf' }, spec,
  });

  test('a CNI config string validates', () => {
    expect(validateObject(nad({ config: JSON.stringify({ cniVersion: '0.3.1', type: 'macvlan', master: 'eth1' }) }))).toEqual([]);
  });

  test('a config that is not a string, or a wrong field, fails synth', () => {
    const problems = synthProblems(pkg => {
      new ApiObject(pkg, 'a', nad({ config: { type: 'macvlan' } }));
      new ApiObject(pkg, 'b', { ...nad({ confg: '{}' }), metadata: { name: 'n4', namespace: 'upf' } });
    });
    const text = problems.join('\n');
    expect(text).toMatch(/spec\.config: .*string/);
    expect(text).toMatch(/spec\.confg: NetworkAttachmentDefinition "n4": unknown field "confg"/);
  });
});
