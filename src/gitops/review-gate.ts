import { parse } from 'yaml';
import { GitOpsError } from './errors';
import { samePerson } from './identity';
import { RepositoryLayout } from './layout';
import type { TreeSnapshot } from './snapshot';
import type { Workspace } from './workspace';
import { OWNERSHIP_MANIFEST_PATH } from '../repo/ownership';
import { comparePaths } from '../repo/repo-tree';

/** The review one environment needs before a change reaches the target branch. */
export interface EnvironmentGate {
  /** Approvals needed; 0 lets changes go in directly. */
  readonly approvals: number;
  /** Approvals by an author of the change do not count. @default true */
  readonly excludeAuthor?: boolean;
}

/**
 * Review gates per environment, e.g. development 0, staging 1, production 2 approvals. A change
 * must meet the gate of every environment it touches.
 */
export interface ReviewPolicy {
  /**
   * Gates by environment name: `<env>` of `deployments/<env>/...`, the environment of the cluster
   * of `clusters/<cluster>/...`, or, in a workload cluster's own repository, the environment its
   * record `.nephoran/environment/<env>` names. @default {}
   */
  readonly environments?: Readonly<Record<string, EnvironmentGate>>;
  /**
   * Gate for files outside any environment (blueprints under packages/, files of clusters that
   * have no deployments, anything else) and for environments not listed.
   * @default { approvals: 0 }
   */
  readonly default?: EnvironmentGate;
}

/**
 * Where a repository keeps its own review policy (YAML). Read from the target branch, so the
 * policy in force is the one already merged, and changing it is itself a reviewed change. The name
 * has no .yaml extension: ConfigSync parses every .yaml, .yml and .json file under the folder it
 * syncs, hidden folders included, and stops on one that is not a Kubernetes object; a workload
 * cluster's repository is synced from its root.
 */
export const REVIEW_POLICY_PATH = '.nephoran/review-policy';

/**
 * Where earlier versions kept the policy. Still read when the repository has no
 * REVIEW_POLICY_PATH; rename it (`git mv`) in any repository a RootSync syncs from its root.
 */
export const LEGACY_REVIEW_POLICY_PATH = '.nephoran/review-policy.yaml';

/** File names ConfigSync parses as Kubernetes objects. */
const CONFIGSYNC_PARSED = /\.(ya?ml|json)$/i;

/** The gate of one environment (or `shared`) that a change touches. */
export interface GateRequirement {
  /** Environment name, or `shared` for files outside environments. */
  readonly scope: string;
  readonly approvals: number;
  readonly excludeAuthor: boolean;
}

/** One approval, bound to the commit it approved. */
export interface Approval {
  /** Who: an email on plain git, a login on a forge. */
  readonly reviewer: string;
  /** `Name <email>` or the login, for people. */
  readonly display: string;
  /** The commit approved. */
  readonly commit: string;
  /** When, ISO 8601. */
  readonly at?: string;
}

/** Whether a change may be merged, and what is missing. */
export interface GateStatus {
  readonly met: boolean;
  readonly requirements: readonly GateRequirement[];
  /**
   * Approvals of the current head commit that count under the gate: these, and only these, are
   * recorded as Approved-by trailers when the change merges.
   */
  readonly approvals: readonly Approval[];
  /** Approvals of the current head that do not count (an author's own, where the gate excludes authors). */
  readonly notCounted: readonly (Approval & { readonly reason: string })[];
  /** Approvals of earlier commits: a later push voided them. */
  readonly stale: readonly Approval[];
  /** One line per unmet requirement. */
  readonly missing: readonly string[];
}

/** Parses and checks a review policy (YAML or JSON text). */
export function parseReviewPolicy(text: string, source: string): ReviewPolicy {
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    throw new GitOpsError(`${source} is not valid YAML: ${(err as Error).message}`);
  }
  return checkReviewPolicy(value ?? {}, source);
}

/** Checks a policy value and returns it typed; the error names the bad field. */
export function checkReviewPolicy(value: unknown, source: string): ReviewPolicy {
  if (!isRecord(value)) throw new GitOpsError(`${source}: the review policy must be a mapping with "environments" and "default"`);
  for (const key of Object.keys(value)) {
    if (key !== 'environments' && key !== 'default') throw new GitOpsError(`${source}: unknown field "${key}" (allowed: environments, default)`);
  }
  const environments: Record<string, EnvironmentGate> = {};
  if (value.environments !== undefined) {
    if (!isRecord(value.environments)) throw new GitOpsError(`${source}: "environments" must map environment names to gates, e.g. production: { approvals: 2 }`);
    for (const [name, gate] of Object.entries(value.environments)) environments[name] = checkGate(gate, `${source}: environments.${name}`);
  }
  return { environments, default: value.default === undefined ? undefined : checkGate(value.default, `${source}: default`) };
}

function checkGate(value: unknown, where: string): EnvironmentGate {
  if (!isRecord(value)) throw new GitOpsError(`${where} must be a mapping like { approvals: 1 }`);
  for (const key of Object.keys(value)) {
    if (key !== 'approvals' && key !== 'excludeAuthor') throw new GitOpsError(`${where}: unknown field "${key}" (allowed: approvals, excludeAuthor)`);
  }
  if (typeof value.approvals !== 'number' || !Number.isInteger(value.approvals) || value.approvals < 0) {
    throw new GitOpsError(`${where}.approvals must be a whole number, 0 or more`);
  }
  if (value.excludeAuthor !== undefined && typeof value.excludeAuthor !== 'boolean') throw new GitOpsError(`${where}.excludeAuthor must be true or false`);
  return { approvals: value.approvals, excludeAuthor: value.excludeAuthor as boolean | undefined };
}

/** The gates a change to these paths must meet, strictest first. */
export function gateRequirements(policy: ReviewPolicy, paths: readonly string[], layout: RepositoryLayout): GateRequirement[] {
  const scopes = new Set<string>();
  for (const path of paths) {
    if (path === OWNERSHIP_MANIFEST_PATH) continue;
    const location = layout.locate(path);
    let envs = location.environment ? [location.environment] : location.cluster ? layout.environmentsOf(location.cluster) : [];
    // A workload cluster's own repository: every file is in the environment the repository records.
    if (envs.length === 0) envs = layout.repositoryEnvironments();
    if (envs.length === 0) scopes.add('shared');
    for (const env of envs) scopes.add(env);
  }
  const fallback = policy.default ?? { approvals: 0 };
  return [...scopes].sort(comparePaths).map(scope => {
    const gate = (scope !== 'shared' ? policy.environments?.[scope] : undefined) ?? fallback;
    return { scope, approvals: gate.approvals, excludeAuthor: gate.excludeAuthor ?? true };
  }).sort((a, b) => b.approvals - a.approvals || comparePaths(a.scope, b.scope));
}

/** True when any requirement needs an approval. */
export function needsReview(requirements: readonly GateRequirement[]): boolean {
  return requirements.some(r => r.approvals > 0);
}

/**
 * Checks approvals against the requirements. Only approvals of `head` count (a new push voids
 * earlier ones); each reviewer counts once; with `excludeAuthor`, the authors' own do not count.
 */
export function evaluateGate(
  requirements: readonly GateRequirement[],
  approvals: readonly Approval[],
  authors: readonly string[],
  head: string,
): GateStatus {
  const current: Approval[] = [];
  for (const approval of approvals) {
    if (approval.commit === head && !current.some(a => samePerson(a.reviewer, approval.reviewer))) current.push(approval);
  }
  const stale = approvals.filter(a => a.commit !== head);
  const isAuthor = (a: Approval) => authors.some(author => samePerson(author, a.reviewer));
  // An approval counts when some gate the change must pass takes it; with no gate to pass, an
  // author's own approval still says nothing, as under the default gate.
  const gated = requirements.filter(r => r.approvals > 0);
  const counts = (a: Approval) => !isAuthor(a) || (gated.length > 0 ? gated : requirements).some(r => !r.excludeAuthor);
  const notCounted = current.filter(a => !counts(a)).map(a => ({ ...a, reason: 'an author of the change approved it; the gate counts approvals by others only' }));
  const missing: string[] = [];
  for (const requirement of requirements) {
    if (requirement.approvals === 0) continue;
    const counted = current.filter(a => !requirement.excludeAuthor || !authors.some(author => samePerson(author, a.reviewer)));
    if (counted.length >= requirement.approvals) continue;
    const by = requirement.excludeAuthor ? ` by people other than the author (${authors.join(', ') || 'unknown'})` : '';
    const has = counted.length === 0 ? 'none yet' : `only ${counted.map(a => a.display).join(', ')}`;
    missing.push(`${requirement.scope} needs ${requirement.approvals} approval${requirement.approvals === 1 ? '' : 's'} of commit ${head.slice(0, 12)}${by}; ${has}`);
  }
  return { met: missing.length === 0, requirements, approvals: current.filter(counts), notCounted, stale, missing };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The policy in force: the explicit one, else the repository's own `.nephoran/review-policy` at
 * the target branch (or, when it has none, the `.nephoran/review-policy.yaml` of earlier
 * versions), else no gate.
 */
export async function loadReviewPolicy(ws: Workspace, target: TreeSnapshot, explicit?: ReviewPolicy): Promise<ReviewPolicy> {
  if (explicit) return checkReviewPolicy(explicit, 'reviewPolicy');
  for (const path of [REVIEW_POLICY_PATH, LEGACY_REVIEW_POLICY_PATH]) {
    const text = await ws.readText(target, path);
    if (text !== undefined) return parseReviewPolicy(text, `${path} on the target branch`);
  }
  return {};
}

/**
 * Refuses files the pipeline itself adds to a repository (not the synthesized tree's) that
 * ConfigSync would parse: in a repository synced from its root, a .yaml/.yml/.json file that is
 * not a Kubernetes object stops the sync of the whole cluster.
 */
export function checkPipelineFiles(paths: readonly string[]): void {
  const parsed = paths.filter(p => CONFIGSYNC_PARSED.test(p));
  if (parsed.length > 0) {
    throw new GitOpsError(`the publisher would add ${parsed.join(', ')}, which ConfigSync parses as Kubernetes objects wherever it syncs the repository root; files the publisher keeps must not end in .yaml, .yml or .json`);
  }
}
