import { parse } from 'yaml';
import { OWNERSHIP_MANIFEST_PATH } from '../repo/ownership';
import { comparePaths } from '../repo/repo-tree';
import { GitOpsError } from './errors';
import { samePerson } from './identity';
import { RepositoryLayout } from './layout';
import type { TreeSnapshot } from './snapshot';
import type { Workspace } from './workspace';

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
  /** Gates by environment name (`<env>` of `deployments/<env>/...`). @default {} */
  readonly environments?: Readonly<Record<string, EnvironmentGate>>;
  /**
   * Gate for files outside any environment (blueprints under packages/, files of clusters that
   * have no deployments, anything else) and for environments not listed.
   * @default { approvals: 0 }
   */
  readonly default?: EnvironmentGate;
}

/**
 * Where a repository keeps its own review policy. Read from the target branch, so the policy in
 * force is the one already merged, and changing it is itself a reviewed change.
 */
export const REVIEW_POLICY_PATH = '.nephoran/review-policy.yaml';

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
  /** Approvals of the current head commit that count. */
  readonly approvals: readonly Approval[];
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
    const envs = location.environment ? [location.environment] : location.cluster ? layout.environmentsOf(location.cluster) : [];
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
export function evaluateGate(requirements: readonly GateRequirement[], approvals: readonly Approval[], authors: readonly string[], head: string): GateStatus {
  const current: Approval[] = [];
  for (const approval of approvals) {
    if (approval.commit === head && !current.some(a => samePerson(a.reviewer, approval.reviewer))) current.push(approval);
  }
  const stale = approvals.filter(a => a.commit !== head);
  const missing: string[] = [];
  for (const requirement of requirements) {
    if (requirement.approvals === 0) continue;
    const counted = current.filter(a => !requirement.excludeAuthor || !authors.some(author => samePerson(author, a.reviewer)));
    if (counted.length >= requirement.approvals) continue;
    const by = requirement.excludeAuthor ? ` by people other than the author (${authors.join(', ') || 'unknown'})` : '';
    const has = counted.length === 0 ? 'none yet' : `only ${counted.map(a => a.display).join(', ')}`;
    missing.push(`${requirement.scope} needs ${requirement.approvals} approval${requirement.approvals === 1 ? '' : 's'} of commit ${head.slice(0, 12)}${by}; ${has}`);
  }
  return { met: missing.length === 0, requirements, approvals: current, stale, missing };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The policy in force: the explicit one, else the repository's own `.nephoran/review-policy.yaml`
 * at the target branch, else no gate.
 */
export async function loadReviewPolicy(ws: Workspace, target: TreeSnapshot, explicit?: ReviewPolicy): Promise<ReviewPolicy> {
  if (explicit) return checkReviewPolicy(explicit, 'reviewPolicy');
  const text = await ws.readText(target, REVIEW_POLICY_PATH);
  return text === undefined ? {} : parseReviewPolicy(text, `${REVIEW_POLICY_PATH} on the target branch`);
}
