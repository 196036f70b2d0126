import { checkDnsSubdomain } from '../kpt/naming';

/** Cluster label keys this library writes. */
export const REGION_LABEL = 'nephio.org/region';
export const SITE_TYPE_LABEL = 'nephio.org/site-type';
export const CLUSTER_NAME_LABEL = 'nephio.org/cluster-name';
export const ENVIRONMENT_LABEL = 'nephoran.io/environment';
/**
 * The annotation on every object of a cluster's bootstrap package naming the workload cluster it
 * is for: Nephio's bootstrap-packages controller reads it to pick the cluster to apply to.
 */
export const BOOTSTRAP_CLUSTER_ANNOTATION = 'nephio.org/cluster-name';

const NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Why `key` is not a valid Kubernetes label key, or undefined. */
export function checkLabelKey(key: string): string | undefined {
  if (typeof key !== 'string' || key === '') return 'label key must not be empty';
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    const error = checkDnsSubdomain(prefix);
    if (error) return `label key "${key}": prefix ${error}`;
  }
  if (name.length === 0 || name.length > 63 || !NAME_PART.test(name)) {
    return `label key "${key}": the name part must be 1-63 characters of letters, digits, "-", "_" and ".", starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Why `value` is not a valid Kubernetes label value, or undefined. */
export function checkLabelValue(value: string): string | undefined {
  if (typeof value !== 'string') return 'label value must be a string';
  if (value === '') return undefined;
  if (value.length > 63 || !NAME_PART.test(value)) {
    return `label value "${value}" must be at most 63 characters of letters, digits, "-", "_" and ".", starting and ending with a letter or digit`;
  }
  return undefined;
}
