import { PodSecurityLevel } from './pod-security';
import { containersOf, podSpecOf } from './rules/pod-spec';
import { RuleViolation } from './rules/rule';

/** Capabilities the baseline standard lets containers add. */
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const RESTRICTED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SECCOMP_ALLOWED = new Set(['RuntimeDefault', 'Localhost']);

/**
 * What the Pod Security admission controller would reject in a workload's pods at a level,
 * following the Pod Security Standards (the checks that decide most network-function pods: host
 * namespaces, privileged, capabilities, hostPath and host ports for baseline; privilege escalation,
 * non-root, seccomp, dropped capabilities and volume types for restricted). The Deployment itself
 * is admitted, but its pods never start, so synth reports it instead.
 */
export function podSecurityViolations(object: Record<string, any>, level: PodSecurityLevel): RuleViolation[] {
  if (level.strictness === PodSecurityLevel.PRIVILEGED.strictness) return [];
  const pod = podSpecOf(object);
  if (!pod) return [];
  const violations: RuleViolation[] = [];
  const spec = pod.spec;
  const add = (field: string, what: string) => violations.push({ field, message: `${what}, which Pod Security "${level.level}" forbids` });

  for (const hostField of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[hostField] === true) add(`${pod.path}.${hostField}`, `uses ${hostField}`);
  }
  (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((volume: any, i: number) => {
    if (volume?.hostPath) {
      add(`${pod.path}.volumes[${i}].hostPath`, `mounts the host path ${volume.hostPath.path}`);
    } else if (level === PodSecurityLevel.RESTRICTED && volume && typeof volume === 'object') {
      const type = Object.keys(volume).find(k => k !== 'name');
      if (type && !RESTRICTED_VOLUME_TYPES.has(type)) add(`${pod.path}.volumes[${i}]`, `uses a ${type} volume`);
    }
  });
  const podContext = spec.securityContext ?? {};
  for (const { container, path } of containersOf(object)) {
    const sc = container.securityContext ?? {};
    const name = `container "${container.name}"`;
    if (sc.privileged === true) add(`${path}.securityContext.privileged`, `${name} runs privileged`);
    const added: string[] = Array.isArray(sc.capabilities?.add) ? sc.capabilities.add : [];
    const allowed = level === PodSecurityLevel.RESTRICTED ? new Set(['NET_BIND_SERVICE']) : BASELINE_CAPABILITIES;
    const extra = added.filter(c => !allowed.has(String(c).replace(/^CAP_/, '')));
    if (extra.length > 0) add(`${path}.securityContext.capabilities.add`, `${name} adds capabilities ${extra.join(', ')}`);
    (Array.isArray(container.ports) ? container.ports : []).forEach((port: any, i: number) => {
      if (port?.hostPort) add(`${path}.ports[${i}].hostPort`, `${name} binds host port ${port.hostPort}`);
    });
    if (level !== PodSecurityLevel.RESTRICTED) continue;
    if (sc.allowPrivilegeEscalation !== false) add(`${path}.securityContext.allowPrivilegeEscalation`, `${name} does not set allowPrivilegeEscalation: false`);
    if ((sc.runAsNonRoot ?? podContext.runAsNonRoot) !== true) add(`${path}.securityContext.runAsNonRoot`, `${name} does not set runAsNonRoot: true`);
    if ((sc.runAsUser ?? podContext.runAsUser) === 0) add(`${path}.securityContext.runAsUser`, `${name} runs as user 0`);
    const seccomp = sc.seccompProfile?.type ?? podContext.seccompProfile?.type;
    if (!SECCOMP_ALLOWED.has(seccomp)) add(`${path}.securityContext.seccompProfile`, `${name} sets no seccompProfile RuntimeDefault or Localhost`);
    const dropped: string[] = Array.isArray(sc.capabilities?.drop) ? sc.capabilities.drop : [];
    if (!dropped.includes('ALL')) add(`${path}.securityContext.capabilities.drop`, `${name} does not drop ALL capabilities`);
  }
  return violations;
}

/** The level a namespace's `pod-security.kubernetes.io/enforce` label asks for, if any. */
export function enforcedLevel(namespace: Record<string, any>): PodSecurityLevel | undefined {
  const value = namespace?.metadata?.labels?.['pod-security.kubernetes.io/enforce'];
  return [PodSecurityLevel.PRIVILEGED, PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED].find(l => l.level === value);
}
