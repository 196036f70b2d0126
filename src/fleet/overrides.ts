import { isValidImageReference } from '../apis/validation';
import { WorkloadOverrides } from '../kpt/blueprint';

const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/**
 * Merges override layers, lowest first: a later layer wins key by key (replicas and image as a
 * whole; each resource request, limit and configuration key on its own). Fields no layer sets are
 * left out, so the blueprint keeps its own values for them.
 */
export function mergeOverrides(...layers: Array<WorkloadOverrides | undefined>): WorkloadOverrides {
  let replicas: number | undefined;
  let image: string | undefined;
  let requests: Record<string, string> | undefined;
  let limits: Record<string, string> | undefined;
  let configuration: Record<string, string> | undefined;
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.replicas !== undefined) replicas = layer.replicas;
    if (layer.image !== undefined) image = layer.image;
    if (layer.resources?.requests) requests = { ...requests, ...layer.resources.requests };
    if (layer.resources?.limits) limits = { ...limits, ...layer.resources.limits };
    if (layer.configuration) configuration = { ...configuration, ...layer.configuration };
  }
  const resources = requests || limits ? { ...(requests ? { requests: sorted(requests) } : {}), ...(limits ? { limits: sorted(limits) } : {}) } : undefined;
  return {
    ...(replicas !== undefined ? { replicas } : {}),
    ...(image !== undefined ? { image } : {}),
    ...(resources ? { resources } : {}),
    ...(configuration ? { configuration: sorted(configuration) } : {}),
  };
}

/** Throws when an override value could never be valid; `where` names it in the message. */
export function checkOverrides(overrides: WorkloadOverrides, where: string): void {
  if (overrides.replicas !== undefined && (!Number.isInteger(overrides.replicas) || overrides.replicas < 0)) {
    throw new Error(`${where}: replicas must be a whole number, 0 or more; got ${overrides.replicas}`);
  }
  if (overrides.image !== undefined && (typeof overrides.image !== 'string' || !isValidImageReference(overrides.image))) {
    throw new Error(`${where}: image ${JSON.stringify(overrides.image)} is not an image reference ([registry/]path[:tag][@sha256:digest], lowercase path)`);
  }
  for (const kind of ['requests', 'limits'] as const) {
    for (const [resource, value] of Object.entries(overrides.resources?.[kind] ?? {})) {
      if (typeof value !== 'string' || !QUANTITY.test(value)) {
        throw new Error(`${where}: resources.${kind}.${resource} must be a Kubernetes quantity such as "500m", "2" or "4Gi"; got ${JSON.stringify(value)}`);
      }
    }
  }
  for (const [key, value] of Object.entries(overrides.configuration ?? {})) {
    if (key === '') throw new Error(`${where}: configuration keys must not be empty`);
    if (typeof value !== 'string') throw new Error(`${where}: configuration.${key} must be a string; got ${JSON.stringify(value)}`);
  }
}

function sorted(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(values).sort().map(k => [k, values[k]]));
}
