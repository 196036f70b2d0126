import { ApiObject } from 'cdk8s';
import { synthError, TOKEN } from './support';
import { Fleet, FleetLayout } from '../../src/fleet';
import { KptPackage } from '../../src/kpt';
import { GitOpsRepository, RepoTree } from '../../src/repo';
import { credentialInUrl, credentialsInText, redactUrl } from '../../src/repo/git-url';
import { findSecretData } from '../../src/repo/synthesizer';
import { tokenAuth } from '../fleet/support';

// Secret data is refused for every repository, with or without a Fleet (whose policy runs the
// no-secret-data rule); a credential in a URL's query is refused wherever a URL enters.

describe('Secret data without a Fleet', () => {
  test('a Secret with stringData in a bare KptPackage fails synth, naming the package object and the keys, not the values', () => {
    const repo = new GitOpsRepository();
    const pkg = new KptPackage(repo, 'app', { path: 'packages/app' });
    new ApiObject(pkg, 'creds', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'app' }, stringData: { password: 'hunter2-plaintext' } });
    new ApiObject(pkg, 'bin', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'app' }, data: { 'tls.key': Buffer.from('k').toString('base64') } });
    const err = synthError(repo);
    expect(err.problems.map(p => [p.path, p.field])).toEqual([['app/bin', 'data'], ['app/creds', 'stringData']]);
    expect(err.message).toMatch(/the Secret "db" in packages\/app\/secret_db.yaml carries stringData \(password\)/);
    expect(err.message).toMatch(/ExternalSecret/);
    expect(err.message).not.toContain('hunter2-plaintext');
  });

  test('a Secret without data, and other kinds with data, pass', () => {
    const repo = new GitOpsRepository();
    const pkg = new KptPackage(repo, 'app', { path: 'packages/app' });
    new ApiObject(pkg, 'ref', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sa-token', namespace: 'app', annotations: { 'kubernetes.io/service-account.name': 'app' } }, type: 'kubernetes.io/service-account-token' });
    new ApiObject(pkg, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'app' }, data: { a: 'b' } });
    expect(() => repo.synthTrees()).not.toThrow();
  });

  test('with a Fleet, the Secret is reported once (the policy rule), not twice', () => {
    const repo = new GitOpsRepository();
    new Fleet(repo, 'fleet', { repoUrl: 'https://git.example.com/telco/fleet.git', auth: tokenAuth() });
    const pkg = new KptPackage(repo, 'app', { path: 'packages/app' });
    new ApiObject(pkg, 'creds', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'app' }, stringData: { password: 'x' } });
    const err = synthError(repo);
    expect(err.problems.filter(p => p.path === 'app/creds' && p.field === 'stringData')).toHaveLength(1);
  });

  test('findSecretData finds Secret data in any YAML file of a tree (an app output folder), multi-document files included', () => {
    const tree = RepoTree.fromRecord({
      'packages/a/all.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {token: abc}\n',
      'packages/a/notes.md': 'kind: Secret\nstringData: {x: y}\n',
      'packages/a/broken.yaml': 'kind: Secret\n  : : [\n',
    });
    const found = findSecretData(tree);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^packages\/a\/all.yaml: the Secret "s" .* carries stringData \(token\)/);
    expect(found[0]).not.toContain('abc');
  });
});

describe('a credential in the query of a URL', () => {
  test.each([
    ['access_token'], ['private_token'], ['token'], ['password'], ['PRIVATE_TOKEN'], ['X-Amz-Signature'],
  ])('?%s= is refused, and the message shows the URL without the value', key => {
    const url = `https://git.example.com/telco/fleet.git?ref=main&${key}=${TOKEN}`;
    const reason = credentialInUrl(url);
    expect(reason).toMatch(new RegExp(`carries a credential in its query \\(${key}\\)`));
    expect(reason).not.toContain(TOKEN);
    expect(redactUrl(url)).toBe(`https://git.example.com/telco/fleet.git?ref=***&${key}=***`);
  });

  test('ordinary query parameters and empty values are not credentials', () => {
    expect(credentialInUrl('https://git.example.com/telco/fleet.git?ref=main&depth=1')).toBeUndefined();
    expect(credentialInUrl('https://git.example.com/telco/fleet.git?token=')).toBeUndefined();
    expect(credentialInUrl('https://git.example.com/x?tokens=1')).toBeUndefined();
  });

  test('Fleet.repoUrl and repoUrlTemplate with a token in the query are refused without echoing it', () => {
    const repo = new GitOpsRepository();
    new Fleet(repo, 'fleet', { repoUrl: `https://git.example.com/telco/fleet.git?access_token=${TOKEN}`, auth: tokenAuth() });
    const err = synthError(repo);
    expect(err.problems).toEqual([expect.objectContaining({ path: 'fleet', field: 'props.repoUrl', message: expect.stringMatching(/^the URL https:\/\/git.example.com\/telco\/fleet.git\?access_token=\*\*\* carries a credential in its query/) })]);
    expect(err.message).not.toContain(TOKEN);
    const message = FleetLayout.repositoryPerCluster({ repoUrlTemplate: `https://git.example.com/nephio/{cluster}.git?private_token=${TOKEN}` })._problems.join('\n');
    expect(message).toMatch(/carries a credential in its query \(private_token\)/);
    expect(message).not.toContain(TOKEN);
  });

  test('a URL with a token in its query anywhere in a written file fails synth, naming the file, not the token', () => {
    expect(credentialsInText(`url: "https://h/x.git?access_token=${TOKEN}"\nother: https://h/y?page=2\n`)).toHaveLength(1);
    const repo = new GitOpsRepository();
    const pkg = new KptPackage(repo, 'app', { path: 'packages/app' });
    new ApiObject(pkg, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hooks', namespace: 'app' }, data: { hook: `https://ci.example.com/hook?token=${TOKEN}` } });
    const err = synthError(repo);
    expect(err.problems.map(p => [p.path, p.field])).toEqual([['packages/app/configmap_hooks.yaml', 'url']]);
    expect(err.message).not.toContain(TOKEN);
  });
});
