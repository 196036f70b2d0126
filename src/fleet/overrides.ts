import { isValidImageReference } from '../apis/validation';
import { WorkloadOverrides } from '../kpt/blueprint';
import { normalizeResources } from '../network/resources';
import { checkQuantity } from '../network/validation';
import { mergeShape, shapeProblems } from '../network/workload-shape';

const RESOURCE_NAME = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Merges override layers, lowest first: a later layer wins key by key. `replicas`, `image`,
 * `command`, `args`, each probe, `tolerations`, `nodeAffinity`, `podAntiAffinity`, `spreadAcrossNodes`,
 * `topologySpread`, `podDisruptionBudget`, `autoscaling` and `priorityClassName` are replaced as a
 * whole; each resource request and limit, configuration key, `env` variable and `nodeSelector` label
 * on its own. Resources in the cdk8s-plus form (`cpu: { request: Cpu.millis(500) }`) are merged as the
 * `requests`/`limits` they stand for, as canonical quantity strings. Fields no layer sets are left
 * out, so the blueprint keeps its own values for them.
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
    const resources = normalizeResources(layer.resources);
    if (resources?.requests) requests = { ...requests, ...resources.requests };
    if (resources?.limits) limits = { ...limits, ...resources.limits };
    if (layer.configuration) configuration = { ...configuration, ...layer.configuration };
  }
  const resources = requests || limits
    ? { ...(requests ? { requests: sorted(requests) } : {}), ...(limits ? { limits: sorted(limits) } : {}) }
    : undefined;
  return {
    ...(replicas !== undefined ? { replicas } : {}),
    ...(image !== undefined ? { image } : {}),
    ...(resources ? { resources } : {}),
    ...(configuration ? { configuration: sorted(configuration) } : {}),
    ...mergeShape(...layers),
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
  const shapeErrors: Array<[string, string]> = [];
  const resources = normalizeResources(overrides.resources, shapeErrors);
  for (const [field, message] of shapeErrors) add(`resources.${field}`, message);
  for (const kind of ['requests', 'limits'] as const) {
    for (const [resource, value] of Object.entries(resources?.[kind] ?? {})) {
      const error = checkQuantity(value);
      if (error) add(`resources.${kind}.${resource}`, `must be a Kubernetes quantity, zero or more, such as "500m", "2" or "4Gi" (a string, or a cdk8s-plus Cpu or Size); got ${typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value))}`);
      else if (!RESOURCE_NAME.test(resource)) add(`resources.${kind}.${resource}`, `"${resource}" is not a resource name such as "cpu", "memory" or "hugepages-1Gi"`);
    }
  }
  for (const [key, value] of Object.entries(overrides.configuration ?? {})) {
    if (key === '') add('configuration', 'keys must not be empty');
    else if (typeof value !== 'string') add(`configuration.${key}`, `must be a string; got ${JSON.stringify(value)}`);
  }
  for (const [field, message] of shapeProblems(overrides)) add(field, message);
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
