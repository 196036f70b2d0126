import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { RenderedObject, SynthContext } from '../repo/synth-context';
import { SynthError } from '../repo/synth-error';

/**
 * Renders constructs created during synth (the placed package variants) into the running synth.
 * The synthesizer gathers its contributors and their objects before any contributor renders, so
 * packages a Fleet creates while rendering are rendered here instead, with the same steps: run
 * their construct validations, render each package into a context of their own, then move the
 * files, objects and problems into the repository's context. Returns the objects rendered.
 */
export function renderDetached(roots: IConstruct[], context: SynthContext, fallbackOwner: IConstruct): RenderedObject[] {
  const apiObjectsByChart = new Map<Chart, ApiObject[]>();
  const contributors: Array<IConstruct & { _renderRepoFiles(c: SynthContext): void; packagePath?: string }> = [];
  for (const root of roots) {
    for (const construct of root.node.findAll()) {
      for (const message of construct.node.validate()) context.problems.add(construct.node.path, '', message);
      if (typeof (construct as any)._renderRepoFiles === 'function') contributors.push(construct as any);
      if (construct instanceof ApiObject) {
        const chart = closestChart(construct);
        if (chart) {
          let list = apiObjectsByChart.get(chart);
          if (!list) apiObjectsByChart.set(chart, list = []);
          list.push(construct);
        }
      }
    }
  }

  const detached = new SynthContext(apiObjectsByChart);
  for (const contributor of contributors) contributor._renderRepoFiles(detached);

  const ownerByFolder = new Map<string, IConstruct>();
  for (const c of contributors) if (typeof c.packagePath === 'string') ownerByFolder.set(c.packagePath, c);
  for (const [path, content] of detached.tree.entries()) {
    context.addFile(path, content, ownerOf(path, ownerByFolder) ?? fallbackOwner);
  }
  for (const rendered of detached.objects) context.recordObject(rendered);
  context.problems.addAll(detached.problems.warnings);
  try {
    detached.problems.throwIfAny();
  } catch (err) {
    if (!(err instanceof SynthError)) throw err;
    context.problems.addAll(err.problems);
  }
  return [...detached.objects];
}

function ownerOf(path: string, owners: Map<string, IConstruct>): IConstruct | undefined {
  for (let end = path.lastIndexOf('/'); end > 0; end = path.lastIndexOf('/', end - 1)) {
    const owner = owners.get(path.slice(0, end));
    if (owner) return owner;
  }
  return undefined;
}

function closestChart(construct: IConstruct): Chart | undefined {
  for (let scope = construct.node.scope; scope; scope = scope.node.scope) {
    if (Chart.isChart(scope)) return scope;
  }
  return undefined;
}
