import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { credentialsInText, URL_CREDENTIAL_ADVICE } from './git-url';
import { RepoTree } from './repo-tree';
import { SynthContext } from './synth-context';
import { ProblemCollector, SynthProblem } from './synth-error';

const CONTRIBUTOR = Symbol.for('nephoran-gitops.RepoContributor');
const VALIDATOR = Symbol.for('nephoran-gitops.RepoValidator');
const PREPARER = Symbol.for('nephoran-gitops.RepoPreparer');

/** A construct that writes files into the repository (a kpt package, a plain file). */
export interface IRepoContributor extends IConstruct {
  /** @internal */
  _renderRepoFiles(context: SynthContext): void;
}

/** A construct that checks the whole rendered repository (policy rules, sync limits). */
export interface IRepoValidator extends IConstruct {
  /** @internal */
  _validateRepo(context: SynthContext): void;
}

/**
 * A construct that adds constructs derived from the whole app before synth renders anything
 * (a fleet creating the per-cluster variants of its placements). It runs again on every synth, so
 * it must first remove what it created the previous time.
 */
export interface IRepoPreparer extends IConstruct {
  /** @internal */
  _prepareRepo(problems: ProblemCollector): void;
}

/** Marks a construct as a repository preparer; call from its constructor. */
export function markRepoPreparer(construct: IRepoPreparer): void {
  Object.defineProperty(construct, PREPARER, { value: true });
}

function isPreparer(c: IConstruct): c is IRepoPreparer {
  return (c as any)[PREPARER] === true;
}

/** Marks a construct as a repository contributor; call from its constructor. */
export function markRepoContributor(construct: IRepoContributor): void {
  Object.defineProperty(construct, CONTRIBUTOR, { value: true });
}

/** Marks a construct as a repository validator; call from its constructor. */
export function markRepoValidator(construct: IRepoValidator): void {
  Object.defineProperty(construct, VALIDATOR, { value: true });
}

function isContributor(c: IConstruct): c is IRepoContributor {
  return (c as any)[CONTRIBUTOR] === true;
}

function isValidator(c: IConstruct): c is IRepoValidator {
  return (c as any)[VALIDATOR] === true;
}

/** The outcome of a successful synth. */
export interface RepoSynthesis {
  readonly tree: RepoTree;
  readonly warnings: SynthProblem[];
}

/**
 * Synthesizes the repository under `root` in one pass over the construct tree: preparers add
 * the constructs they derive from the app, construct validations run once for the whole app, each contributor renders its files once, then
 * repository validators see every rendered object. Cost grows linearly with the number of
 * constructs (cdk8s's per-chart `toJson()` re-validates the whole app for each chart).
 *
 * Throws a SynthError listing every problem; nothing is returned (or written) in that case.
 */
export function synthesizeRepo(root: IConstruct): RepoSynthesis & { context: SynthContext } {
  const prepareProblems = new ProblemCollector();
  for (const preparer of root.node.findAll().filter(isPreparer)) preparer._prepareRepo(prepareProblems);

  const contributors: IRepoContributor[] = [];
  const validators: IRepoValidator[] = [];
  const apiObjectsByChart = new Map<Chart, ApiObject[]>();
  const constructErrors: Array<[string, string]> = [];

  for (const construct of root.node.findAll()) {
    for (const message of construct.node.validate()) constructErrors.push([construct.node.path, message]);
    if (isContributor(construct)) contributors.push(construct);
    if (isValidator(construct)) validators.push(construct);
    if (construct instanceof ApiObject) {
      const chart = closestChart(construct);
      if (chart) {
        let list = apiObjectsByChart.get(chart);
        if (!list) apiObjectsByChart.set(chart, list = []);
        list.push(construct);
      }
    }
  }

  const context = new SynthContext(apiObjectsByChart);
  context.problems.addAll([...prepareProblems.errors, ...prepareProblems.warnings]);
  for (const [path, message] of constructErrors) context.problems.add(path, '', message);
  checkChartsAreWritten(context, apiObjectsByChart, new Set(contributors));
  for (const contributor of contributors) contributor._renderRepoFiles(context);
  for (const conflict of context.tree.findPathConflicts()) context.problems.add(root.node.path || '/', 'path', conflict);
  checkNoUrlCredentials(context);
  for (const validator of validators) validator._validateRepo(context);
  checkNoSecretData(context);

  context.problems.throwIfAny();
  return { tree: context.tree, warnings: context.problems.warnings, context };
}

/**
 * A chart that writes no files (a plain cdk8s Chart rather than a KptPackage) would have its
 * objects silently left out of the repository: refuse it, once per chart.
 */
function checkChartsAreWritten(context: SynthContext, apiObjectsByChart: Map<Chart, ApiObject[]>, contributors: Set<IConstruct>): void {
  for (const [chart, objects] of apiObjectsByChart) {
    if (contributors.has(chart)) continue;
    const kinds = [...new Set(objects.map(o => o.kind))].sort().join(', ');
    context.problems.add(chart.node.path, '', `a plain cdk8s Chart with ${objects.length} object${objects.length === 1 ? '' : 's'} (${kinds}) writes nothing into a GitOpsRepository: the repository holds kpt packages only, each at a path of its own, so its objects would be left out; declare them in a KptPackage (new KptPackage(scope, id, { path: 'packages/<name>' })) or place a blueprint on clusters instead`);
  }
}

/** A credential in any URL of any written file (RootSync, Kptfile upstream, Porch Repository...). */
function checkNoUrlCredentials(context: SynthContext): void {
  for (const [path, content] of context.tree.entries()) {
    // Most files hold no URL with user info or a query: skip them without decoding.
    if (content.indexOf('://') < 0 || (content.indexOf('@') < 0 && content.indexOf('?') < 0)) continue;
    for (const reason of new Set(credentialsInText(content.toString('utf8')))) {
      context.problems.add(path, 'url', `${reason}; ${URL_CREDENTIAL_ADVICE}`);
    }
  }
}

/**
 * No Secret in any repository carries `data` or `stringData`, whatever constructs wrote it and
 * whether or not a policy runs: git keeps every value readable by all who can clone it, in all of
 * its history. Every rendered object is checked, and every YAML file no package recorded objects
 * for. A Secret a policy rule already refused is not reported twice.
 */
function checkNoSecretData(context: SynthContext): void {
  const reported = new Set(context.problems.errors.filter(p => /Secret/.test(p.message)).map(p => `${p.path}\0${p.field}`));
  const recordedFiles = new Set<string>();
  for (const rendered of context.objects) {
    recordedFiles.add(rendered.filePath);
    for (const field of secretDataFields(rendered.object)) {
      if (reported.has(`${rendered.constructPath}\0${field}`)) continue;
      context.problems.add(rendered.constructPath, field, secretDataMessage(rendered.object, field, rendered.filePath));
    }
  }
  for (const [path, content] of context.tree.entries()) {
    if (recordedFiles.has(path)) continue;
    for (const { object, field } of secretsInFile(path, content)) context.problems.add(path, field, secretDataMessage(object, field, path));
  }
}

/**
 * Every Secret with `data` or `stringData` in the YAML files of a tree, one message per Secret and
 * field (for a tree that did not come from synth here: an app's output folder, before publish).
 */
export function findSecretData(tree: RepoTree): string[] {
  const found: string[] = [];
  for (const [path, content] of tree.entries()) {
    for (const { object, field } of secretsInFile(path, content)) found.push(`${path}: ${secretDataMessage(object, field, path)}`);
  }
  return found;
}

/** The Secrets with data in one YAML file (none when it is not YAML or names no Secret). */
function secretsInFile(path: string, content: Buffer): Array<{ object: Record<string, any>; field: string }> {
  if (!/\.ya?ml$/i.test(path) || content.indexOf('Secret') < 0) return [];
  let documents;
  try {
    documents = parseAllDocuments(content.toString('utf8'));
  } catch {
    return []; // Not YAML this check can read; other checks report invalid files.
  }
  const found: Array<{ object: Record<string, any>; field: string }> = [];
  for (const document of Array.isArray(documents) ? documents : [documents]) {
    let object: Record<string, any>;
    try {
      object = document.toJS({ maxAliasCount: 100 });
    } catch {
      continue;
    }
    for (const field of secretDataFields(object)) found.push({ object, field });
  }
  return found;
}

function secretDataFields(object: unknown): string[] {
  const o = object as Record<string, any> | undefined;
  if (!o || typeof o !== 'object' || o.kind !== 'Secret' || (o.apiVersion !== 'v1' && o.apiVersion !== undefined)) return [];
  return ['data', 'stringData'].filter(f => o[f] && typeof o[f] === 'object' && Object.keys(o[f]).length > 0);
}

function secretDataMessage(object: Record<string, any>, field: string, filePath: string): string {
  const name = object.metadata?.name ? ` "${object.metadata.name}"` : '';
  return `the Secret${name} in ${filePath} carries ${field} (${Object.keys(object[field]).sort().join(', ')}), which would put its values into git for everyone who can clone the repository; reference it through an ExternalSecret (external-secrets.io/v1) or commit it encrypted as a SealedSecret (bitnami.com/v1alpha1)`;
}

function closestChart(construct: IConstruct): Chart | undefined {
  for (let scope = construct.node.scope; scope; scope = scope.node.scope) {
    if (Chart.isChart(scope)) return scope;
  }
  return undefined;
}
