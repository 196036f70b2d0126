import { App, AppProps } from 'cdk8s';
import { RepoSet, repoSetOf, writeRepoSetToFolder } from './repo-set';
import { formatProblem, SynthError, SynthProblem, writeSynthReport } from './synth-error';
import { RepoSynthesis, synthesizeRepo } from './synthesizer';

// The multi-repository API lives beside the single-tree one and is exported with it.
export * from './repo-set';

/** The outcome of a successful synth of one or several repositories. */
export interface RepoSetSynthesis {
  /** The repositories, the primary (management) one first. */
  readonly repositories: RepoSet;
  readonly warnings: SynthProblem[];
}

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
 * The root of the construct tree: one GitOps repository, or several when a construct declares
 * more (a Fleet with one repository per workload cluster). Its `synth()` builds everything in
 * memory, validates it, and only then writes it atomically into `outdir`, laid out by repository
 * path (packages/, deployments/, clusters/, management/) rather than by chart; several
 * repositories go each into `<outdir>/<repository>/`. Only kpt packages write files: a plain cdk8s
 * Chart under it fails synth rather than being left out.
 */
export class GitOpsRepository extends App {
  constructor(props: GitOpsRepositoryProps = {}) {
    super({ outdir: props.outdir, resolvers: props.resolvers });
  }

  /**
   * Synthesizes the repository in memory; throws a SynthError listing every problem. Throws too
   * when the app synthesizes several repositories: their files must not be published as one, so
   * call synthTrees() for them.
   */
  public synthTree(): RepoSynthesis {
    const { repositories, warnings } = this.synthTrees();
    if (!repositories.isSingle) {
      throw new Error(`this app synthesizes ${repositories.size} repositories (${repositories.names.join(', ')}); call synthTrees() for them`);
    }
    return { tree: repositories.tree(repositories.primary), warnings };
  }

  /**
   * Synthesizes every repository in memory: one for the single-repository layout, several when a
   * construct declares more. Throws a SynthError listing every problem.
   */
  public synthTrees(): RepoSetSynthesis {
    const { context, warnings } = synthesizeRepo(this);
    return { repositories: repoSetOf(context), warnings };
  }

  /**
   * Synthesizes and writes the repository into `outdir` (several repositories each into
   * `<outdir>/<repository>/`). Nothing is written when synth fails:
   * it throws a SynthError listing every problem or, when a CLI runs the program (CDK8S_OUTDIR is
   * set by `cdk8s synth` and `nephoran synth`), prints that list and exits with code 1, so the
   * user sees their mistakes rather than a stack trace.
   */
  public synth(): void {
    let synthesis: RepoSetSynthesis;
    try {
      synthesis = this.synthTrees();
    } catch (err) {
      if (err instanceof SynthError && process.env.CDK8S_OUTDIR) {
        // A nephoran command running the program takes the problems as data and prints them itself.
        if (!writeSynthReport({ status: 'failed', problems: err.problems })) process.stderr.write(err.message + '\n');
        process.exit(1);
      }
      throw err;
    }
    const { repositories, warnings } = synthesis;
    if (!(process.env.CDK8S_OUTDIR && writeSynthReport({ status: 'ok', warnings }))) {
      for (const warning of warnings) process.stderr.write(`warning: ${formatProblem(warning)}\n`);
    }
    writeRepoSetToFolder(repositories, this.outdir);
  }

  /** Not supported: a repository is many files at many paths, not one YAML stream. */
  public synthYaml(): string {
    throw new Error('GitOpsRepository writes a folder tree; call synthTree() (or synthTrees()) for the files or synth() to write them');
  }
}
