import { checkConfigMapKey, isIntegerIn } from './validation';
import {
  WorkloadAutoscaling,
  WorkloadDisruptionBudget,
  WorkloadEnvFrom,
  WorkloadEnvValue,
  WorkloadNodeRequirement,
  WorkloadOverrides,
  WorkloadProbe,
} from '../kpt/blueprint';
import { DNS1123_SUBDOMAIN as DNS_SUBDOMAIN } from '../repo/names';

/** The scheduling and container fields a workload shares with its per-environment and per-cluster overrides. */
export type WorkloadShape = Pick<WorkloadOverrides,
  'env' | 'envFrom' | 'command' | 'args' | 'livenessProbe' | 'readinessProbe' | 'startupProbe' | 'nodeSelector' | 'nodeAffinity'
  | 'podAntiAffinity' | 'spreadAcrossNodes' | 'tolerations' | 'topologySpread' | 'podDisruptionBudget' | 'autoscaling' | 'priorityClassName'>;

/** Fields merged key by key; every other shape field is replaced as a whole by a later layer. */
const KEYED_FIELDS = ['env', 'nodeSelector'] as const;
export const SHAPE_FIELDS: ReadonlyArray<keyof WorkloadShape> = [
  'env', 'envFrom', 'command', 'args', 'livenessProbe', 'readinessProbe', 'startupProbe', 'nodeSelector', 'nodeAffinity',
  'podAntiAffinity', 'spreadAcrossNodes', 'tolerations', 'topologySpread', 'podDisruptionBudget', 'autoscaling', 'priorityClassName',
];

/**
 * Merges shapes, lowest first: `env` and `nodeSelector` key by key, every other field as a whole
 * (a later `tolerations` list replaces an earlier one). Fields no layer sets are left out.
 */
export function mergeShape(...layers: Array<WorkloadShape | undefined>): WorkloadShape {
  const result: Record<string, unknown> = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const field of SHAPE_FIELDS) {
      const value = layer[field];
      if (value === undefined) continue;
      if ((KEYED_FIELDS as readonly string[]).includes(field) && isRecord(value)) {
        const merged: Record<string, unknown> = { ...(result[field] as Record<string, unknown> | undefined), ...(value as Record<string, unknown>) };
        result[field] = Object.fromEntries(Object.keys(merged).sort().map(k => [k, merged[k]]));
      } else {
        result[field] = value;
      }
    }
  }
  return result as WorkloadShape;
}

/**
 * The shape without the values `problems` name (an `env.<name>` problem drops that variable, any
 * other drops the whole field), so that nothing invalid is rendered and reported a second time.
 */
export function withoutInvalidShape(shape: WorkloadShape, problems: ReadonlyArray<readonly [string, string]>): WorkloadShape {
  const result: Record<string, any> = { ...shape };
  for (const [field] of problems) {
    const env = /^env\.(.+)$/.exec(field);
    if (env && isRecord(result.env)) {
      const { [env[1]]: _dropped, ...rest } = result.env;
      result.env = rest;
    } else {
      delete result[field.split(/[.[]/)[0]];
    }
  }
  return result as WorkloadShape;
}

/** The shape fields a value sets, in SHAPE_FIELDS order. */
export function shapeFieldsSet(shape: WorkloadShape): Array<keyof WorkloadShape> {
  return SHAPE_FIELDS.filter(f => shape[f] !== undefined);
}

const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const FIELD_PATHS = /^(metadata\.(name|namespace|uid)|metadata\.(labels|annotations)\['[^']+'\]|spec\.(nodeName|serviceAccountName)|status\.(hostIP|hostIPs|podIP|podIPs))$/;
/** Literal values under these names would put a credential into git. */
const SECRET_LIKE = /(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_?KEY|API_?KEY|CREDENTIAL)/i;

/** Every invalid value of a shape, as [field relative to the shape, message naming the value and what is valid]. */
export function shapeProblems(shape: WorkloadShape): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  const add = (field: string, message: string) => problems.push([field, message]);
  if (shape.env !== undefined) {
    if (!isRecord(shape.env)) add('env', `must map variable names to values; got ${json(shape.env)}`);
    else for (const [name, value] of Object.entries(shape.env)) for (const m of envValueProblems(name, value)) add(`env.${name}`, m);
  }
  if (shape.envFrom !== undefined) {
    if (!Array.isArray(shape.envFrom)) add('envFrom', `must be a list of { configMap } or { secret }; got ${json(shape.envFrom)}`);
    else shape.envFrom.forEach((e, i) => { for (const m of envFromProblems(e)) add(`envFrom[${i}]`, m); });
  }
  for (const field of ['command', 'args'] as const) {
    const value = shape[field];
    if (value !== undefined && (!Array.isArray(value) || value.some(v => typeof v !== 'string'))) add(field, `must be a list of strings; got ${json(value)}`);
  }
  if (Array.isArray(shape.command) && shape.command.length === 0) add('command', 'must not be empty; leave it out to run the image\'s entrypoint');
  for (const field of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const probe = shape[field];
    if (probe !== undefined) for (const m of probeProblems(probe, field !== 'readinessProbe')) add(field, m);
  }
  if (shape.nodeSelector !== undefined) {
    if (!isRecord(shape.nodeSelector)) add('nodeSelector', `must map node label keys to values; got ${json(shape.nodeSelector)}`);
    else for (const [k, v] of Object.entries(shape.nodeSelector)) for (const m of labelProblems(k, v)) add(`nodeSelector.${k}`, m);
  }
  if (shape.nodeAffinity !== undefined) {
    const a = shape.nodeAffinity;
    if (!isRecord(a)) {
      add('nodeAffinity', `must be { required?, preferred? }; got ${json(a)}`);
    } else {
      (Array.isArray(a.required) ? a.required : []).forEach((r, i) => { for (const m of requirementProblems(r)) add(`nodeAffinity.required[${i}]`, m); });
      if (a.required !== undefined && (!Array.isArray(a.required) || a.required.length === 0)) add('nodeAffinity.required', 'must be a non-empty list of node requirements');
      (Array.isArray(a.preferred) ? a.preferred : []).forEach((p, i) => {
        if (!isIntegerIn(p?.weight, 1, 100)) add(`nodeAffinity.preferred[${i}].weight`, `${json(p?.weight)} must be a whole number from 1 to 100`);
        if (!Array.isArray(p?.requirements) || p.requirements.length === 0) add(`nodeAffinity.preferred[${i}].requirements`, 'must be a non-empty list of node requirements');
        else p.requirements.forEach((r, j) => { for (const m of requirementProblems(r)) add(`nodeAffinity.preferred[${i}].requirements[${j}]`, m); });
      });
    }
  }
  if (shape.podAntiAffinity !== undefined) {
    if (!Array.isArray(shape.podAntiAffinity)) {
      add('podAntiAffinity', `must be a list of { labels, topologyKey?, weight? }; got ${json(shape.podAntiAffinity)}`);
    } else {
      shape.podAntiAffinity.forEach((a, i) => {
        if (!isRecord(a?.labels) || Object.keys(a.labels).length === 0) add(`podAntiAffinity[${i}].labels`, `must name the labels of the pods to avoid; got ${json(a?.labels)}`);
        else for (const [k, v] of Object.entries(a.labels)) for (const m of labelProblems(k, v)) add(`podAntiAffinity[${i}].labels.${k}`, m);
        if (a?.weight !== undefined && !isIntegerIn(a.weight, 1, 100)) add(`podAntiAffinity[${i}].weight`, `${json(a.weight)} must be a whole number from 1 to 100`);
        if (a?.topologyKey !== undefined && !QUALIFIED_NAME.test(String(a.topologyKey))) add(`podAntiAffinity[${i}].topologyKey`, `${json(a.topologyKey)} must be a node label key such as "kubernetes.io/hostname"`);
      });
    }
  }
  if (shape.spreadAcrossNodes !== undefined && !['required', 'preferred', false].includes(shape.spreadAcrossNodes as any)) {
    add('spreadAcrossNodes', `${json(shape.spreadAcrossNodes)} must be 'required', 'preferred' or false`);
  }
  if (shape.tolerations !== undefined) {
    if (!Array.isArray(shape.tolerations)) {
      add('tolerations', `must be a list of tolerations; got ${json(shape.tolerations)}`);
    } else {
      shape.tolerations.forEach((t, i) => {
        const operator = t?.operator ?? 'Equal';
        if (!['Equal', 'Exists'].includes(operator)) add(`tolerations[${i}].operator`, `${json(t?.operator)} must be 'Equal' or 'Exists'`);
        if (t?.key === undefined && operator !== 'Exists') add(`tolerations[${i}].key`, 'a toleration without a key tolerates every taint and needs operator \'Exists\'');
        if (t?.key !== undefined && !QUALIFIED_NAME.test(String(t.key))) add(`tolerations[${i}].key`, `${json(t.key)} is not a taint key such as "node-role.kubernetes.io/edge"`);
        if (operator === 'Exists' && t?.value !== undefined && t.value !== '') add(`tolerations[${i}].value`, `must be empty with operator 'Exists'; got ${json(t.value)}`);
        if (t?.effect !== undefined && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) add(`tolerations[${i}].effect`, `${json(t.effect)} must be 'NoSchedule', 'PreferNoSchedule' or 'NoExecute'`);
        if (t?.tolerationSeconds !== undefined && (t.effect !== 'NoExecute' || !isIntegerIn(t.tolerationSeconds, 0, 2 ** 53))) {
          add(`tolerations[${i}].tolerationSeconds`, `${json(t.tolerationSeconds)} needs effect 'NoExecute' and a whole number of seconds, 0 or more`);
        }
      });
    }
  }
  if (shape.topologySpread !== undefined) {
    if (!Array.isArray(shape.topologySpread)) {
      add('topologySpread', `must be a list of { topologyKey, maxSkew?, whenUnsatisfiable? }; got ${json(shape.topologySpread)}`);
    } else {
      shape.topologySpread.forEach((c, i) => {
        if (typeof c?.topologyKey !== 'string' || !QUALIFIED_NAME.test(c.topologyKey)) add(`topologySpread[${i}].topologyKey`, `${json(c?.topologyKey)} must be a node label key such as "topology.kubernetes.io/zone"`);
        if (c?.maxSkew !== undefined && !isIntegerIn(c.maxSkew, 1, 2 ** 31 - 1)) add(`topologySpread[${i}].maxSkew`, `${json(c.maxSkew)} must be a whole number, 1 or more`);
        if (c?.whenUnsatisfiable !== undefined && !['DoNotSchedule', 'ScheduleAnyway'].includes(c.whenUnsatisfiable)) add(`topologySpread[${i}].whenUnsatisfiable`, `${json(c.whenUnsatisfiable)} must be 'DoNotSchedule' or 'ScheduleAnyway'`);
      });
    }
  }
  if (shape.podDisruptionBudget !== undefined) for (const m of budgetProblems(shape.podDisruptionBudget)) add('podDisruptionBudget', m);
  if (shape.autoscaling !== undefined) for (const [f, m] of autoscalingProblems(shape.autoscaling)) add(`autoscaling${f}`, m);
  if (shape.priorityClassName !== undefined && (typeof shape.priorityClassName !== 'string' || shape.priorityClassName.length > 253 || !DNS_SUBDOMAIN.test(shape.priorityClassName))) {
    add('priorityClassName', `${json(shape.priorityClassName)} must be a PriorityClass name (a DNS-1123 subdomain)`);
  }
  return problems;
}

/** Problems of one environment variable. */
export function envValueProblems(name: string, value: WorkloadEnvValue): string[] {
  const problems: string[] = [];
  if (!ENV_NAME.test(name)) problems.push(`${json(name)} is not an environment variable name: letters, digits, "_", "-" and ".", not starting with a digit`);
  if (typeof value === 'string') {
    if (SECRET_LIKE.test(name) && value !== '') {
      problems.push('looks like a credential given as a literal value, which would be written to git; keep it in a Secret and reference it: { secret: \'<name>\', key: \'<key>\' }');
    }
  } else if (isRecord(value) && 'fieldPath' in value) {
    if (typeof value.fieldPath !== 'string' || !FIELD_PATHS.test(value.fieldPath)) problems.push(`fieldPath ${json(value.fieldPath)} is not a pod field Kubernetes exposes (metadata.name, metadata.namespace, spec.nodeName, status.podIP, ...)`);
  } else if (isRecord(value) && ('configMap' in value || 'secret' in value)) {
    const ref = (value as any).configMap ?? (value as any).secret;
    const what = 'configMap' in value ? 'ConfigMap' : 'Secret';
    if ('configMap' in value && 'secret' in value) problems.push('names both a ConfigMap and a Secret; reference one');
    if (typeof ref !== 'string' || ref.length > 253 || !DNS_SUBDOMAIN.test(ref)) problems.push(`${what} name ${json(ref)} must be a DNS-1123 subdomain`);
    const keyError = checkConfigMapKey((value as any).key);
    if (keyError) problems.push(`key: ${keyError}`);
  } else {
    problems.push(`${json(value)} must be a string, { configMap, key }, { secret, key } or { fieldPath }`);
  }
  return problems;
}

function envFromProblems(e: WorkloadEnvFrom): string[] {
  if (!isRecord(e)) return [`${json(e)} must be { configMap } or { secret }`];
  const problems: string[] = [];
  const sources = [e.configMap, e.secret].filter(s => s !== undefined);
  if (sources.length !== 1) problems.push('must name exactly one of configMap and secret');
  for (const s of sources) if (typeof s !== 'string' || !DNS_SUBDOMAIN.test(s)) problems.push(`${json(s)} must be a DNS-1123 subdomain`);
  if (e.prefix !== undefined && (typeof e.prefix !== 'string' || !ENV_NAME.test(e.prefix))) problems.push(`prefix ${json(e.prefix)} must start an environment variable name`);
  return problems;
}

/** Problems of a probe; liveness and startup probes must have successThreshold 1 (Kubernetes refuses more). */
export function probeProblems(probe: WorkloadProbe, singleSuccess: boolean): string[] {
  if (!isRecord(probe)) return [`${json(probe)} must be a probe such as { httpGet: { path: '/healthz', port: 8080 } }`];
  const problems: string[] = [];
  const handlers = (['httpGet', 'tcpSocket', 'exec', 'grpc'] as const).filter(h => probe[h] !== undefined);
  if (handlers.length !== 1) problems.push(`must have exactly one of httpGet, tcpSocket, exec and grpc; has ${handlers.length === 0 ? 'none' : handlers.join(', ')}`);
  const port = (p: unknown) => isIntegerIn(p, 1, 65535) || (typeof p === 'string' && p.length <= 15 && PORT_NAME.test(p));
  if (probe.httpGet) {
    if (typeof probe.httpGet.path !== 'string' || !probe.httpGet.path.startsWith('/')) problems.push(`httpGet.path ${json(probe.httpGet.path)} must start with "/"`);
    if (!port(probe.httpGet.port)) problems.push(`httpGet.port ${json(probe.httpGet.port)} must be a port number 1-65535 or a container port name`);
    if (probe.httpGet.scheme !== undefined && !['HTTP', 'HTTPS'].includes(probe.httpGet.scheme)) problems.push(`httpGet.scheme ${json(probe.httpGet.scheme)} must be 'HTTP' or 'HTTPS'`);
  }
  if (probe.tcpSocket && !port(probe.tcpSocket.port)) problems.push(`tcpSocket.port ${json(probe.tcpSocket.port)} must be a port number 1-65535 or a container port name`);
  if (probe.grpc && !isIntegerIn(probe.grpc.port, 1, 65535)) problems.push(`grpc.port ${json(probe.grpc.port)} must be a port number 1-65535`);
  if (probe.exec && (!Array.isArray(probe.exec.command) || probe.exec.command.length === 0 || probe.exec.command.some(c => typeof c !== 'string'))) {
    problems.push(`exec.command ${json(probe.exec.command)} must be a non-empty list of strings`);
  }
  const ints: Array<[keyof WorkloadProbe, number]> = [['initialDelaySeconds', 0], ['periodSeconds', 1], ['timeoutSeconds', 1], ['failureThreshold', 1], ['successThreshold', 1]];
  for (const [field, min] of ints) {
    const v = probe[field];
    if (v !== undefined && !isIntegerIn(v, min, 2 ** 31 - 1)) problems.push(`${field} ${json(v)} must be a whole number, ${min} or more`);
  }
  if (singleSuccess && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    problems.push(`successThreshold ${json(probe.successThreshold)} must be 1 for liveness and startup probes`);
  }
  return problems;
}

function requirementProblems(r: WorkloadNodeRequirement): string[] {
  if (!isRecord(r)) return [`${json(r)} must be { key, operator, values? }`];
  const problems: string[] = [];
  if (typeof r.key !== 'string' || !QUALIFIED_NAME.test(r.key)) problems.push(`key ${json(r.key)} must be a node label key`);
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In': case 'NotIn':
      if (values.length === 0) problems.push(`operator ${r.operator} needs values`);
      break;
    case 'Exists': case 'DoesNotExist':
      if (values.length > 0) problems.push(`operator ${r.operator} takes no values`);
      break;
    case 'Gt': case 'Lt':
      if (values.length !== 1 || !/^-?\d+$/.test(values[0])) problems.push(`operator ${r.operator} needs exactly one whole-number value`);
      break;
    default:
      problems.push(`operator ${json(r.operator)} must be In, NotIn, Exists, DoesNotExist, Gt or Lt`);
  }
  return problems;
}

function labelProblems(key: string, value: unknown): string[] {
  const problems: string[] = [];
  if (!QUALIFIED_NAME.test(key) || key.split('/').pop()!.length > 63) problems.push(`${json(key)} is not a label key`);
  if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) problems.push(`${json(value)} is not a label value (at most 63 letters, digits, "-", "_", ".")`);
  return problems;
}

function budgetProblems(b: WorkloadDisruptionBudget): string[] {
  if (!isRecord(b)) return [`${json(b)} must be { minAvailable } or { maxUnavailable }`];
  const set = (['minAvailable', 'maxUnavailable'] as const).filter(f => b[f] !== undefined);
  if (set.length !== 1) return [`must set exactly one of minAvailable and maxUnavailable; sets ${set.length === 0 ? 'none' : 'both'}`];
  const value = b[set[0]];
  if (!(isIntegerIn(value, 0, 2 ** 31 - 1) || (typeof value === 'string' && /^(100|[1-9]?\d)%$/.test(value)))) {
    return [`${set[0]} ${json(value)} must be a whole number of pods or a percentage such as "50%"`];
  }
  return [];
}

function autoscalingProblems(a: WorkloadAutoscaling): Array<[string, string]> {
  if (!isRecord(a)) return [['', `${json(a)} must be { minReplicas?, maxReplicas, cpuUtilization? }`]];
  const problems: Array<[string, string]> = [];
  const min = a.minReplicas ?? 1;
  if (!isIntegerIn(min, 1, 10000)) problems.push(['.minReplicas', `${json(a.minReplicas)} must be a whole number from 1 to 10000`]);
  if (!isIntegerIn(a.maxReplicas, 1, 10000)) problems.push(['.maxReplicas', `${json(a.maxReplicas)} must be a whole number from 1 to 10000`]);
  else if (isIntegerIn(min, 1, 10000) && a.maxReplicas < min) problems.push(['.maxReplicas', `${a.maxReplicas} is below minReplicas ${min}`]);
  if (a.cpuUtilization !== undefined && !isIntegerIn(a.cpuUtilization, 1, 1000)) problems.push(['.cpuUtilization', `${json(a.cpuUtilization)} must be a whole percentage of the CPU request, 1 or more`]);
  return problems;
}

function isRecord(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function json(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
