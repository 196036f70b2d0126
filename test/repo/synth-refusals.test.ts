import { ApiObject, Chart } from 'cdk8s';
import { synthError, TOKEN } from './support';
import { Fleet, FleetLayout, GitAuth } from '../../src/fleet';
import { KptPackage } from '../../src/kpt';
import { GitOpsRepository } from '../../src/repo';
import { credentialInUrl, credentialsInText, redactUrl } from '../../src/repo/git-url';
import { tokenAuth } from '../fleet/support';

describe('a credential in a URL the library writes', () => {
  test('git URLs: a password or an http(s) user is a credential; an SSH user is not', () => {
    expect(credentialInUrl(`https://oauth2:${TOKEN}@git.example.com/telco/fleet.git`)).toMatch(/password/);
    expect(credentialInUrl(`https://${TOKEN}@git.example.com/telco/fleet.git`)).toMatch(/user name or token/);
    expect(credentialInUrl(`ssh://git:${TOKEN}@git.example.com/telco/fleet.git`)).toMatch(/password/);
    expect(credentialInUrl('ssh://git@git.example.com/telco/fleet.git')).toBeUndefined();
    expect(credentialInUrl('git@git.example.com:telco/fleet.git')).toBeUndefined();
    expect(credentialInUrl('https://git.example.com/telco/fleet.git')).toBeUndefined();
    expect(redactUrl(`https://oauth2:${TOKEN}@git.example.com/x.git`)).toBe('https://***@git.example.com/x.git');
    expect(credentialsInText(`repo: https://oauth2:${TOKEN}@h/x.git\nother: ssh://git@h/y.git\n`)).toHaveLength(1);
  });

  test.each([
    ['user and token', `https://oauth2:${TOKEN}@git.example.com/telco/fleet.git`],
    ['bare token', `https://${TOKEN}@git.example.com/telco/fleet.git`],
  ])('Fleet.repoUrl with a %s is refused without echoing it', (_, repoUrl) => {
    const repo = new GitOpsRepository();
    new Fleet(repo, 'fleet', { repoUrl, auth: tokenAuth() });
    const err = synthError(repo);
    expect(err.problems).toEqual([expect.objectContaining({ path: 'fleet', field: 'props.repoUrl', message: expect.stringMatching(/^the URL https:\/\/\*\*\*@git.example.com\/telco\/fleet.git carries/) })]);
    expect(err.message).not.toContain(TOKEN);
  });

  test('an SSH user in Fleet.repoUrl is accepted', () => {
    expect(() => new Fleet(new GitOpsRepository(), 'fleet', { repoUrl: 'git@git.example.com:telco/fleet.git', auth: GitAuth.none() })).not.toThrow();
  });

  test('repoUrlTemplate with a token is refused without echoing it', () => {
    const message = FleetLayout.repositoryPerCluster({ repoUrlTemplate: `https://x-access-token:${TOKEN}@git.example.com/nephio/{cluster}.git` })._problems.join('\n');
    expect(message).toMatch(/repoUrlTemplate: the URL https:\/\/\*\*\*@git.example.com\/nephio\/edge-01.git carries a password/);
    expect(message).not.toContain(TOKEN);
  });

  test('a Kptfile upstream and a Porch Repository git URL with a token fail synth, naming the file, not the token', () => {
    const repo = new GitOpsRepository();
    new KptPackage(repo, 'variant', {
      path: 'deployments/production/edge-01/upf',
      upstream: { repo: `https://oauth2:${TOKEN}@git.example.com/telco/fleet.git`, directory: 'packages/upf', ref: 'main' },
    });
    const porch = new KptPackage(repo, 'porch', { path: 'clusters/mgmt/porch' });
    new ApiObject(porch, 'repo', {
      apiVersion: 'config.porch.kpt.dev/v1alpha1',
      kind: 'Repository',
      metadata: { name: 'edge-01', namespace: 'default' },
      spec: { type: 'git', content: 'Package', deployment: true, git: { repo: `https://${TOKEN}@git.example.com/nephio/edge-01.git`, branch: 'main', directory: '/' } },
    });
    const err = synthError(repo);
    expect(err.message).not.toContain(TOKEN);
    expect(err.problems.map(p => [p.path, p.field])).toEqual(([
      ['clusters/mgmt/porch/repository_edge-01.yaml', 'url'],
      ['deployments/production/edge-01/upf/Kptfile', 'url'],
    ]));
    expect(err.message).toMatch(/https:\/\/\*\*\*@\.\.\. carries a password/);
    expect(err.message).toMatch(/https:\/\/\*\*\*@\.\.\. carries a user name or token/);
  });
});

describe('objects outside any KptPackage', () => {
  test('a plain cdk8s Chart under GitOpsRepository fails synth, naming the chart and what to use', () => {
    const repo = new GitOpsRepository();
    new KptPackage(repo, 'ok', { path: 'packages/ok' });
    const chart = new Chart(repo, 'extras');
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default' } });
    const err = synthError(repo);
    const problem = err.problems.find(p => p.path === 'extras');
    expect(problem?.message).toMatch(/plain cdk8s Chart with 1 object \(ConfigMap\) writes nothing/);
    expect(problem?.message).toMatch(/declare them in a KptPackage/);
  });

  test('an empty plain Chart is not an error (it would write nothing anyway)', () => {
    const repo = new GitOpsRepository();
    new KptPackage(repo, 'ok', { path: 'packages/ok' });
    new Chart(repo, 'empty');
    expect(() => repo.synthTrees()).not.toThrow();
  });
});
