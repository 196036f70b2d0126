import type { PropProblems } from '../network/validation';
import { describeValue } from '../repo/describe-value';

/**
 * The problems a value made by a factory carries (`Environment.custom`, `GitAuth.*`,
 * `GitCredentials.*`, `FleetLayout.*`, `DeliveryMode.porch`, `SiteType.custom`). A factory has no
 * construct path, so it does not throw: the construct given the value reports them at synth,
 * under its own path and the prop's name. Values from another copy of the library carry none.
 */
export function carriedProblems(value: unknown): string[] {
  if (value === null || typeof value !== 'object') return [];
  const problems = (value as { _problems?: unknown })._problems;
  return Array.isArray(problems) ? problems.filter((p): p is string => typeof p === 'string') : [];
}

export { describeValue };

/** A list prop as an array: empty when unset, or (recorded as a problem) when not a list. */
export function listProp<T>(problems: PropProblems, field: string, value: readonly T[] | undefined, what: string): readonly T[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  problems.add(field, `must be a list of ${what}; got ${describeValue(value)}`);
  return [];
}

/** A map prop (labels) as an object: empty when unset, or (recorded as a problem) when not a plain object. */
export function recordProp(problems: PropProblems, field: string, value: Record<string, string> | undefined): Record<string, string> {
  if (value === undefined) return {};
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
  problems.add(field, `must be an object of label keys to values, e.g. { 'nephio.org/site-type': 'edge' }; got ${describeValue(value)}`);
  return {};
}
