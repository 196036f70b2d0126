import { Size } from 'cdk8s';
import * as plus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { GitAuth, GitCredentials } from '../../src/fleet';
import { IPackageBlueprint, KptPackage, VariantOptions, WorkloadOverrides } from '../../src/kpt';
import { HOST_NETWORK_REASON_ANNOTATION } from '../../src/policy';
import { GitOpsRepository, RepoTree, SynthError, SynthProblem } from '../../src/repo';

export const DIGEST = 'sha256:' + '0123456789abcdef'.repeat(4);
export const REPO_URL = 'https://git.example.com/telco/fleet.git';

export function tokenAuth(): GitAuth {
  return GitAuth.token(GitCredentials.externalSecret({ secretStoreName: 'vault', remoteKey: 'gitops/fleet-read-token' }));
}

export interface TestWorkloadProps {
  readonly namespace: string;
  readonly image?: string;
  readonly replicas?: number;
  readonly configuration?: Record<string, string>;
  readonly hostNetwork?: boolean;
  /** Sets the host-network reason annotation on the Deployment. */
  readonly hostNetworkReason?: string;
  readonly privileged?: boolean;
  /** Extra namespaces the workload says it needs. */
  readonly extraNamespaces?: string[];
  /** Writes a Namespace object into the package itself. */
  readonly declaresNamespace?: boolean;
}

/** A small placeable package for tests: a cdk8s-plus Deployment and a ConfigMap. */
export class TestWorkload extends Construct implements IPackageBlueprint {
  public readonly blueprint: KptPackage;

  constructor(scope: Construct, id: string, private readonly props: TestWorkloadProps) {
    super(scope, id);
    this.blueprint = new KptPackage(this, 'Package', { path: `packages/network-functions/${id}` });
    this.populate(this.blueprint, {});
  }

  public get namespaces(): string[] {
    return [this.props.namespace, ...(this.props.extraNamespaces ?? [])];
  }

  public renderVariant(scope: Construct, id: string, options: VariantOptions): KptPackage {
    const pkg = new KptPackage(scope, id, {
      path: options.path,
      upstream: { repo: options.upstreamRepo, directory: this.blueprint.packagePath, ref: options.upstreamRef },
      mutators: options.mutators,
    });
    this.populate(pkg, options.overrides);
    return pkg;
  }

  private populate(pkg: KptPackage, overrides: WorkloadOverrides): void {
    const name = this.node.id;
    const ns = this.props.namespace;
    if (this.props.declaresNamespace) new plus.Namespace(pkg, 'Namespace', { metadata: { name: ns } });
    const deployment = new plus.Deployment(pkg, 'Deployment', {
      metadata: {
        name,
        namespace: ns,
        ...(this.props.hostNetworkReason ? { annotations: { [HOST_NETWORK_REASON_ANNOTATION]: this.props.hostNetworkReason } } : {}),
      },
      replicas: overrides.replicas ?? this.props.replicas ?? 1,
      hostNetwork: this.props.hostNetwork,
      containers: [{
        name,
        image: overrides.image ?? this.props.image ?? `registry.example.com/${name}@${DIGEST}`,
        portNumber: 8080,
        securityContext: this.props.privileged ? { privileged: true, ensureNonRoot: false } : undefined,
        resources: {
          cpu: { request: cpu(overrides.resources?.requests?.cpu ?? '100m'), limit: cpu(overrides.resources?.limits?.cpu ?? '1') },
          memory: { request: memory(overrides.resources?.requests?.memory ?? '128Mi'), limit: memory(overrides.resources?.limits?.memory ?? '512Mi') },
        },
      }],
    });
    void deployment;
    new plus.ConfigMap(pkg, 'Config', {
      metadata: { name: `${name}-config`, namespace: ns },
      data: { ...this.props.configuration, ...overrides.configuration },
    });
  }
}

function cpu(value: string): plus.Cpu {
  return value.endsWith('m') ? plus.Cpu.millis(Number(value.slice(0, -1))) : plus.Cpu.units(Number(value));
}

function memory(value: string): Size {
  if (value.endsWith('Gi')) return Size.gibibytes(Number(value.slice(0, -2)));
  if (value.endsWith('Mi')) return Size.mebibytes(Number(value.slice(0, -2)));
  throw new Error(`test memory quantity ${value}`);
}

/** The single object in a synthesized file. */
export function objectAt(tree: RepoTree, path: string): any {
  const text = tree.getText(path);
  if (text === undefined) throw new Error(`no file ${path}; files:\n${tree.paths().join('\n')}`);
  return parse(text, { version: '1.1' });
}

/** The objects of one kind in a folder of the tree. */
export function objectsIn(tree: RepoTree, folder: string, kind?: string): any[] {
  return tree.pathsUnder(folder)
    .filter(p => p.endsWith('.yaml'))
    .map(p => parse(tree.getText(p)!, { version: '1.1' }))
    .filter(o => kind === undefined || o.kind === kind);
}

/** Every problem a synth of `repo` reports, as `[path] field: message`; fails when synth succeeds. */
export function problemsOf(repo: GitOpsRepository): string[] {
  try {
    repo.synthTree();
  } catch (err) {
    if (!(err instanceof SynthError)) throw err;
    return err.problems.map(p => `[${p.path}] ${p.field}: ${p.message}`);
  }
  throw new Error('expected synth to fail');
}

/** The errors a synth of every repository of `repo` reports; fails when synth succeeds. */
export function synthErrors(repo: GitOpsRepository): SynthProblem[] {
  try {
    repo.synthTrees();
  } catch (err) {
    if (!(err instanceof SynthError)) throw err;
    return err.problems.filter(p => p.severity !== 'warning');
  }
  throw new Error('expected synth to fail');
}
