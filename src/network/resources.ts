import { Size, SizeRoundingBehavior } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { checkQuantity, parseQuantity } from './validation';
import { ResourceRequirements } from '../kpt/blueprint';

/** Requests and limits as canonical quantity strings, by resource name, sorted. */
export interface NormalizedResources {
  readonly requests?: Record<string, string>;
  readonly limits?: Record<string, string>;
}

/** Hugepage resources and the emptyDir medium that mounts each (hugetlbfs of that page size). */
export const HUGEPAGE_MEDIUMS: Record<string, string> = { 'hugepages-2Mi': 'HugePages-2Mi', 'hugepages-1Gi': 'HugePages-1Gi' };

const DECIMAL_SUFFIXES: Array<[number, string]> = [[18, 'E'], [15, 'P'], [12, 'T'], [9, 'G'], [6, 'M'], [3, 'k'], [0, ''], [-3, 'm'], [-6, 'u'], [-9, 'n']];
const BINARY_SUFFIXES: Array<[bigint, string]> = [[1n << 60n, 'Ei'], [1n << 50n, 'Pi'], [1n << 40n, 'Ti'], [1n << 30n, 'Gi'], [1n << 20n, 'Mi'], [1n << 10n, 'Ki']];

/**
 * A valid quantity in the canonical form the Kubernetes API server returns it in
 * (k8s.io/apimachinery pkg/api/resource Quantity.CanonicalizeBytes): binary-suffixed values keep the
 * largest binary suffix that leaves a whole number (`1024Mi` -> `1Gi`), falling back to decimal below
 * 1Ki or for fractions; decimal values take the largest power-of-1000 suffix that leaves a whole
 * number (`1000m` -> `1`, `0.5` -> `500m`, `2000` -> `2k`). Anything else is returned unchanged.
 */
export function canonicalQuantity(value: string): string {
  if (checkQuantity(value) !== undefined) return value;
  const match = /^\+?(\d*)(?:\.(\d*))?([a-zA-Z]*)$/.exec(value);
  if (!match || /^[eE]/.test(match[3]) || /[eE]/.test(value)) return value; // exponent form: left as written
  const [, whole, fraction = '', suffix] = match;
  const binary = suffix.endsWith('i');
  // The exact value as a decimal mantissa (bigint) x 10^exponent.
  let mantissa = BigInt((whole || '0') + fraction);
  let exponent = -fraction.length;
  if (binary) {
    mantissa *= BigInt(2 ** (10 * ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'].indexOf(suffix) + 10));
  } else {
    exponent += DECIMAL_SUFFIXES.find(([, s]) => s === suffix)![0];
  }
  while (mantissa !== 0n && mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent += 1;
  }
  if (mantissa === 0n) return '0';
  if (binary && exponent >= 0) {
    const bytes = mantissa * 10n ** BigInt(exponent);
    if (bytes >= 1024n) {
      for (const [unit, s] of BINARY_SUFFIXES) if (bytes % unit === 0n) return `${bytes / unit}${s}`;
      return String(bytes);
    }
  }
  // Decimal: the largest suffix exponent (a multiple of 3, at most the value's own) with a whole mantissa;
  // below nano, Kubernetes rounds up to 1n.
  if (exponent < -9) {
    const scaled = mantissa * 10n ** BigInt(exponent + 18);
    return `${(scaled + 10n ** 9n - 1n) / 10n ** 9n}n`;
  }
  const [suffixExponent, s] = DECIMAL_SUFFIXES.find(([e]) => e <= exponent)!;
  return `${mantissa * 10n ** BigInt(exponent - suffixExponent)}${s}`;
}

/** The canonical quantity string of a cdk8s-plus `Cpu`, a cdk8s `Size`, or a quantity string. */
export function quantityString(value: unknown): unknown {
  if (value instanceof Cpu || (isObject(value) && typeof (value as any).amount === 'string' && Object.keys(value as object).length === 1)) {
    return canonicalQuantity((value as Cpu).amount);
  }
  if (value instanceof Size || (isObject(value) && typeof (value as any).toKibibytes === 'function')) {
    const kib = (value as Size).toKibibytes({ rounding: SizeRoundingBehavior.NONE });
    return canonicalQuantity(Number.isInteger(kib) ? `${kib}Ki` : String(Math.round(kib * 1024)));
  }
  return typeof value === 'string' ? canonicalQuantity(value) : value;
}

/**
 * Requests and limits from either form of `ResourceRequirements`, as canonical strings. Values
 * that are not quantities are kept as given (so their check reports them); `problems` gets a
 * resource given in both forms.
 */
export function normalizeResources(resources: ResourceRequirements | undefined, problems?: Array<[string, string]>): NormalizedResources | undefined {
  if (resources === undefined || resources === null || typeof resources !== 'object') return undefined;
  const requests: Record<string, unknown> = {};
  const limits: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(resources.requests ?? {})) requests[name] = quantityString(value);
  for (const [name, value] of Object.entries(resources.limits ?? {})) limits[name] = quantityString(value);
  const shaped: Array<[string, string, { request?: unknown; limit?: unknown } | undefined]> = [
    ['cpu', 'cpu', resources.cpu], ['memory', 'memory', resources.memory], ['ephemeral-storage', 'ephemeralStorage', resources.ephemeralStorage],
  ];
  for (const [name, field, pair] of shaped) {
    if (pair === undefined) continue;
    for (const [side, list, listName] of [['request', requests, 'requests'], ['limit', limits, 'limits']] as const) {
      const value = (pair as Record<string, unknown>)[side];
      if (value === undefined) continue;
      if (list[name] !== undefined) problems?.push([`${field}.${side}`, `sets ${name} again, which ${listName}.${name} already sets; use one form`]);
      else list[name] = quantityString(value);
    }
  }
  const sortedList = (list: Record<string, unknown>) => Object.keys(list).length > 0
    ? Object.fromEntries(Object.keys(list).sort().map(k => [k, list[k] as string])) : undefined;
  const r = sortedList(requests);
  const l = sortedList(limits);
  return { ...(r ? { requests: r } : {}), ...(l ? { limits: l } : {}) };
}

/** True for an extended resource such as `intel.com/intel_sriov_netdevice` (not overcommitted). */
export function isExtendedResource(name: string): boolean {
  return name.includes('/') && !name.startsWith('kubernetes.io/') && !name.startsWith('requests.');
}

/**
 * What the API server refuses in a container's resources (k8s.io/kubernetes
 * pkg/apis/core/validation ValidateResourceRequirements): a request above its limit; a hugepage or
 * extended-resource request that differs from its limit, or has no limit (they are never
 * overcommitted); hugepages without a CPU or memory request or limit. Returns [field, message].
 */
export function resourceRuleProblems(resources: NormalizedResources | undefined): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  if (!resources) return problems;
  const requests = resources.requests ?? {};
  const limits = resources.limits ?? {};
  const valid = (q: unknown): q is string => typeof q === 'string' && checkQuantity(q) === undefined;
  for (const [name, request] of Object.entries(requests)) {
    const limit = limits[name];
    const exact = name in HUGEPAGE_MEDIUMS || name.startsWith('hugepages-') || isExtendedResource(name);
    if (exact && limit === undefined) {
      problems.push([`requests.${name}`, `${name} is never overcommitted: set limits.${name} equal to the request ${request}`]);
      continue;
    }
    if (!valid(request) || !valid(limit)) continue;
    if (exact && parseQuantity(request) !== parseQuantity(limit)) {
      problems.push([`requests.${name}`, `${name} request ${request} must equal its limit ${limit}: Kubernetes does not overcommit ${name.startsWith('hugepages-') ? 'hugepages' : 'extended resources'}`]);
    } else if (parseQuantity(request) > parseQuantity(limit)) {
      problems.push([`requests.${name}`, `request ${request} is above the limit ${limit}; a request must not exceed its limit`]);
    }
  }
  for (const [list, values] of [['requests', requests], ['limits', limits]] as const) {
    for (const [name, q] of Object.entries(values)) {
      if (!valid(q)) continue;
      if (isExtendedResource(name) && !Number.isInteger(parseQuantity(q))) {
        problems.push([`${list}.${name}`, `${q} is not a whole number: device-plugin resources such as ${name} come in whole devices`]);
      }
      const page = name === 'hugepages-2Mi' ? 2 ** 21 : name === 'hugepages-1Gi' ? 2 ** 30 : undefined;
      if (page !== undefined && parseQuantity(q) % page !== 0) {
        problems.push([`${list}.${name}`, `${q} is not a whole number of ${name.slice('hugepages-'.length)} pages`]);
      }
    }
  }
  const hugepages = [...new Set([...Object.keys(requests), ...Object.keys(limits)])].filter(n => n.startsWith('hugepages-'));
  if (hugepages.length > 0 && !['cpu', 'memory'].some(r => requests[r] !== undefined || limits[r] !== undefined)) {
    problems.push([`limits.${hugepages[0]}`, `${hugepages.join(', ')} needs a cpu or memory request or limit beside it: Kubernetes refuses hugepages alone ("HugePages require cpu or memory")`]);
  }
  for (const name of hugepages) {
    if (!(name in HUGEPAGE_MEDIUMS)) problems.push([`limits.${name}`, `${name} is not a page size this library mounts; use hugepages-2Mi or hugepages-1Gi`]);
  }
  return problems;
}

/** The hugepage sizes a container asks for (request or limit), sorted. */
export function hugepageResources(resources: NormalizedResources | undefined): string[] {
  const names = new Set([...Object.keys(resources?.requests ?? {}), ...Object.keys(resources?.limits ?? {})]);
  return [...names].filter(n => n in HUGEPAGE_MEDIUMS).sort();
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}
