import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { RepoTree } from './repo-tree';
import { ProblemCollector } from './synth-error';

/** One Kubernetes object as written into the repository, with where it came from. */
export interface RenderedObject {
  /** The object, fully rendered (what ConfigSync or Porch will read). */
  readonly object: Record<string, any>;
  /** The repository path of the file holding it. */
  readonly filePath: string;
  /** The repository path of the kpt package holding it. */
  readonly packagePath: string;
  /** The construct path of the construct that declared it. */
  readonly constructPath: string;
}

/** Where checks made outside rendering (preparers) report their problems. */
export interface ProblemSink {
  readonly problems: ProblemCollector;
}

/**
 * Shared state of one synth: the tree being built, every problem found, and every rendered object
 * so that repository-wide rules (policies, sync limits) can look at all of them at once.
 */
export class SynthContext {
  public readonly tree = new RepoTree();
  public readonly problems = new ProblemCollector();
  private readonly objectList: RenderedObject[] = [];
  private readonly fileOwners = new Map<string, string>();
  private readonly apiObjectsByChart: Map<Chart, ApiObject[]>;

  constructor(apiObjectsByChart: Map<Chart, ApiObject[]>) {
    this.apiObjectsByChart = apiObjectsByChart;
  }

  /** Adds a file; two constructs writing one path is reported as a problem naming both. */
  public addFile(path: string, content: string | Uint8Array, owner: IConstruct): void {
    const previous = this.fileOwners.get(path);
    if (previous !== undefined) {
      this.problems.add(owner.node.path, 'path', `writes "${path}", which ${previous} already writes; give one of them another path`);
      return;
    }
    try {
      this.tree.addFile(path, content);
      this.fileOwners.set(path, owner.node.path);
    } catch (err) {
      this.problems.add(owner.node.path, 'path', (err as Error).message);
    }
  }

  public recordObject(rendered: RenderedObject): void {
    this.objectList.push(rendered);
  }

  /** Every object rendered so far, in synth order. */
  public get objects(): readonly RenderedObject[] {
    return this.objectList;
  }

  /** The ApiObjects whose closest chart is `chart`, in construct order. */
  public apiObjectsOf(chart: Chart): ApiObject[] {
    return this.apiObjectsByChart.get(chart) ?? [];
  }
}
