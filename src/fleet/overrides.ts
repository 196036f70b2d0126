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

/** One invalid override value: `field` is relative to the overrides (`replicas`, `resources.requests.cpu`). */
export interface OverrideProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * Every value in `overrides` that could never be valid, each with the value and what would be
 * valid, so a caller can report all of them at once.
 */
export function overrideProblems(overrides: WorkloadOverrides): OverrideProblem[] {
  const problems: OverrideProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  if (overrides.replicas !== undefined && (typeof overrides.replicas !== 'number' || !Number.isInteger(overrides.replicas) || overrides.replicas < 0)) {
    add('replicas', `must be a whole number, 0 or more; got ${JSON.stringify(overrides.replicas)}`);
  }
  if (overrides.image !== undefined && (typeof overrides.image !== 'string' || !isValidImageReference(overrides.image))) {
    add('image', `${JSON.stringify(overrides.image)} is not an image reference ([registry/]path[:tag][@sha256:digest], lowercase path)`);
  }
  for (const kind of ['requests', 'limits'] as const) {
    for (const [resource, value] of Object.entries(overrides.resources?.[kind] ?? {})) {
      if (typeof value !== 'string' || !QUANTITY.test(value) || value.startsWith('-')) {
        add(`resources.${kind}.${resource}`, `must be a Kubernetes quantity, zero or more, such as "500m", "2" or "4Gi"; got ${JSON.stringify(value)}`);
      }
    }
  }
  for (const [key, value] of Object.entries(overrides.configuration ?? {})) {
    if (key === '') add('configuration', 'keys must not be empty');
    else if (typeof value !== 'string') add(`configuration.${key}`, `must be a string; got ${JSON.stringify(value)}`);
  }
  return problems;
}

/** Throws the first problem `overrideProblems()` finds; `where` names the overrides in the message. */
export function checkOverrides(overrides: WorkloadOverrides, where: string): void {
  const [first] = overrideProblems(overrides);
  if (first) throw new Error(`${where}: ${first.field} ${first.message}`);
}

function sorted(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(values).sort().map(k => [k, values[k]]));
}
