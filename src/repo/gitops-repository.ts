import { App, AppProps } from 'cdk8s';
import { writeTreeToFolder } from './folder-writer';
import { formatProblem, SynthError } from './synth-error';
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

  /**
   * Synthesizes and writes the repository into `outdir`. Nothing is written when synth fails:
   * it throws a SynthError listing every problem or, when a CLI runs the program (CDK8S_OUTDIR is
   * set by `cdk8s synth` and `nephoran synth`), prints that list and exits with code 1, so the
   * user sees their mistakes rather than a stack trace.
   */
  public synth(): void {
    let synthesis: RepoSynthesis;
    try {
      synthesis = this.synthTree();
    } catch (err) {
      if (err instanceof SynthError && process.env.CDK8S_OUTDIR) {
        process.stderr.write(err.message + '\n');
        process.exit(1);
      }
      throw err;
    }
    const { tree, warnings } = synthesis;
    for (const warning of warnings) process.stderr.write(`warning: ${formatProblem(warning)}\n`);
    writeTreeToFolder(tree, this.outdir);
  }

  /** Not supported: a repository is many files at many paths, not one YAML stream. */
  public synthYaml(): string {
    throw new Error('GitOpsRepository writes a folder tree; call synthTree() for the files or synth() to write them');
  }
}
