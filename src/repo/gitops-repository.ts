import { App, AppProps } from 'cdk8s';
import { writeTreeToFolder } from './folder-writer';
import { formatProblem } from './synth-error';
import { RepoSynthesis, synthesizeRepo } from './synthesizer';

/** Props of a GitOpsRepository. */
export interface GitOpsRepositoryProps {
  /**
   * The folder synth writes the repository into.
   * @default - the CDK8S_OUTDIR environment variable (set by `cdk8s synth` and `nephoran synth`), else `dist`
   */
  readonly outdir?: string;
  /**
   * Extra cdk8s resolvers.
   * @default - none
   */
  readonly resolvers?: AppProps['resolvers'];
}

/**
 * The root of the construct tree: one GitOps repository. Its `synth()` builds the whole
 * repository in memory, validates it, and only then writes it atomically into `outdir`,
 * laid out by repository path (packages/, deployments/, clusters/) rather than by chart.
 */
export class GitOpsRepository extends App {
  constructor(props: GitOpsRepositoryProps = {}) {
    super({ outdir: props.outdir, resolvers: props.resolvers });
  }

  /** Synthesizes the repository in memory; throws a SynthError listing every problem. */
  public synthTree(): RepoSynthesis {
    const { tree, warnings } = synthesizeRepo(this);
    return { tree, warnings };
  }

  /** Synthesizes and writes the repository into `outdir`. Nothing is written when synth fails. */
  public synth(): void {
    const { tree, warnings } = this.synthTree();
    for (const warning of warnings) process.stderr.write(`warning: ${formatProblem(warning)}\n`);
    writeTreeToFolder(tree, this.outdir);
  }

  /** Not supported: a repository is many files at many paths, not one YAML stream. */
  public synthYaml(): string {
    throw new Error('GitOpsRepository writes a folder tree; call synthTree() for the files or synth() to write them');
  }
}
