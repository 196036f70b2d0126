import { IConstruct } from 'constructs';
import type { Cluster } from './cluster';
import { GitAuth } from './git-auth';
import type { Placement } from './placement';

/** What clusters and placements need from the Fleet they belong to. */
export interface IFleetMembership extends IConstruct {
  /** The repository URL the RootSyncs sync and variants record as upstream. */
  readonly repoUrl: string;
  /** The branch the RootSyncs sync. */
  readonly branch: string;
  /** How ConfigSync authenticates, unless a cluster says otherwise. */
  readonly auth: GitAuth;
  /** How often ConfigSync polls the repository. */
  readonly syncPeriod: string;
  /** The cluster already registered under `name`, if any (absent in older copies of the library). @internal */
  _clusterNamed?(name: string): IConstruct | undefined;
  /** @internal */
  _registerCluster(cluster: Cluster): void;
  /** @internal */
  _registerPlacement(placement: Placement): void;
}

const FLEET = Symbol.for('nephoran-gitops.Fleet');

/** Marks a construct as the fleet its descendants belong to. */
export function markFleet(fleet: IFleetMembership): void {
  Object.defineProperty(fleet, FLEET, { value: true });
}

/** True when `x` is a Fleet (works across copies of the library). */
export function isFleet(x: unknown): x is IFleetMembership {
  return x !== null && typeof x === 'object' && (x as any)[FLEET] === true;
}

/** The closest Fleet above `construct`; throws naming what was created outside one. */
export function fleetOf(construct: IConstruct, what: string): IFleetMembership {
  for (let scope = construct.node.scope; scope; scope = scope.node.scope) {
    if (isFleet(scope)) return scope;
  }
  throw new Error(`${what} ${construct.node.path} is not inside a Fleet: create it with the Fleet (or a construct below it) as scope, e.g. new ${what}(fleet, '${construct.node.id}', {...})`);
}
