import { applySetters } from './apply-setters';
import { KrmFunction, PlainKrmFunction } from './krm-function';
import { setAnnotations } from './set-annotations';
import { setLabels } from './set-labels';
import { setNamespace } from './set-namespace';

/** The catalog functions implemented in-process, in the order kpt's docs list them. */
export const KRM_FUNCTIONS: readonly PlainKrmFunction[] = [setNamespace, setLabels, setAnnotations, applySetters];

/** Repositories the catalog images are published under (old and new home). */
const CATALOG_REPOSITORIES = ['gcr.io/kpt-fn/', 'ghcr.io/kptdev/krm-functions-catalog/'];

/**
 * The function for a short name (`set-labels`) or a catalog image reference with or without a
 * tag or digest: `gcr.io/kpt-fn/set-labels:v0.2.0`,
 * `ghcr.io/kptdev/krm-functions-catalog/set-labels:v0.2`, `set-labels:v0.2.0`,
 * `set-labels@sha256:…`. Images from other repositories are other functions: undefined.
 */
export function findKrmFunction(nameOrImage: string): KrmFunction | undefined {
  const repository = stripTagAndDigest(nameOrImage.trim());
  const catalogRepository = CATALOG_REPOSITORIES.find(prefix => repository.startsWith(prefix));
  const name = catalogRepository ? repository.slice(catalogRepository.length) : repository;
  return KRM_FUNCTIONS.find(fn => fn.name === name);
}

function stripTagAndDigest(image: string): string {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon < 0 ? withoutDigest : withoutDigest.slice(0, colon);
}

/** The pinned image Kptfiles reference for a function, e.g. `gcr.io/kpt-fn/set-labels:v0.2.0`. */
export function catalogImage(name: string): string {
  const fn = KRM_FUNCTIONS.find(f => f.name === name);
  if (!fn) throw new Error(`unknown kpt function "${name}": expected one of ${functionNames().join(', ')}`);
  return fn.image;
}

export function functionNames(): string[] {
  return KRM_FUNCTIONS.map(fn => fn.name);
}
