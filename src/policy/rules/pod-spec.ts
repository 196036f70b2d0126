import { apiGroupOf } from './rule';

/** Where a workload keeps its pod spec, by kind; only core Kubernetes groups are workloads here. */
const POD_SPEC_PATHS: Record<string, { groups: string[]; path: string[] }> = {
  Pod: { groups: [''], path: ['spec'] },
  Deployment: { groups: ['apps', 'extensions'], path: ['spec', 'template', 'spec'] },
  StatefulSet: { groups: ['apps'], path: ['spec', 'template', 'spec'] },
  DaemonSet: { groups: ['apps', 'extensions'], path: ['spec', 'template', 'spec'] },
  ReplicaSet: { groups: ['apps', 'extensions'], path: ['spec', 'template', 'spec'] },
  ReplicationController: { groups: [''], path: ['spec', 'template', 'spec'] },
  Job: { groups: ['batch'], path: ['spec', 'template', 'spec'] },
  CronJob: { groups: ['batch'], path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
};

/** A pod spec inside a rendered object, with the field path that leads to it. */
export interface PodSpecLocation {
  readonly spec: Record<string, any>;
  /** e.g. `spec.template.spec` */
  readonly path: string;
  /** The metadata of the pod (template), which carries pod annotations. */
  readonly podMetadata: Record<string, any>;
}

/** A container inside a pod spec, with its field path. */
export interface ContainerLocation {
  readonly container: Record<string, any>;
  /** e.g. `spec.template.spec.containers[0]` */
  readonly path: string;
  /** `containers`, `initContainers` or `ephemeralContainers`. */
  readonly list: string;
}

/** The pod spec of a Pod or workload object; undefined for any other object. */
export function podSpecOf(object: Record<string, any>): PodSpecLocation | undefined {
  const where = POD_SPEC_PATHS[String(object?.kind)];
  if (!where || !where.groups.includes(apiGroupOf(object.apiVersion))) return undefined;
  let spec: any = object;
  for (const key of where.path) {
    spec = spec?.[key];
    if (spec === undefined || spec === null || typeof spec !== 'object') return undefined;
  }
  const podPath = where.path.slice(0, -1);
  let holder: any = object;
  for (const key of podPath) holder = holder?.[key];
  const podMetadata = podPath.length === 0 ? object.metadata : holder?.metadata;
  return { spec, path: where.path.join('.'), podMetadata: podMetadata ?? {} };
}

/** Every container of an object's pod spec (init and ephemeral containers included). */
export function containersOf(object: Record<string, any>, lists: string[] = ['initContainers', 'containers', 'ephemeralContainers']): ContainerLocation[] {
  const pod = podSpecOf(object);
  if (!pod) return [];
  const found: ContainerLocation[] = [];
  for (const list of lists) {
    const containers = pod.spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, index) => {
      if (container && typeof container === 'object') found.push({ container, path: `${pod.path}.${list}[${index}]`, list });
    });
  }
  return found;
}
