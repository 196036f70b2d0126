import { enforcedLevel, PodSecurityLevel, podSecurityViolations } from '../../src/policy';

function pod(spec: Record<string, any>) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, spec };
}

const hardened = {
  name: 'c',
  securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } },
};

describe('podSecurityViolations', () => {
  test('privileged admits everything', () => {
    expect(podSecurityViolations(pod({ hostNetwork: true, containers: [{ name: 'c', securityContext: { privileged: true } }] }), PodSecurityLevel.PRIVILEGED)).toEqual([]);
  });

  test('baseline rejects host namespaces, privileged, extra capabilities, hostPath and host ports', () => {
    const violations = podSecurityViolations(pod({
      hostNetwork: true,
      hostPID: true,
      volumes: [{ name: 'dev', hostPath: { path: '/dev/vfio' } }, { name: 'cfg', configMap: { name: 'x' } }],
      containers: [{
        name: 'upf',
        securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN', 'CAP_CHOWN', 'IPC_LOCK'] } },
        ports: [{ containerPort: 2152, hostPort: 2152 }],
      }],
    }), PodSecurityLevel.BASELINE);
    expect(violations.map(v => v.field)).toEqual([
      'spec.hostNetwork',
      'spec.hostPID',
      'spec.volumes[0].hostPath',
      'spec.containers[0].securityContext.privileged',
      'spec.containers[0].securityContext.capabilities.add',
      'spec.containers[0].ports[0].hostPort',
    ]);
    expect(violations[4].message).toBe('container "upf" adds capabilities NET_ADMIN, IPC_LOCK, which Pod Security "baseline" forbids');
  });

  test('restricted also demands no escalation, non-root, seccomp, dropped capabilities and plain volumes', () => {
    expect(podSecurityViolations(pod({ containers: [hardened], volumes: [{ name: 'v', emptyDir: {} }] }), PodSecurityLevel.RESTRICTED)).toEqual([]);
    const violations = podSecurityViolations(pod({
      volumes: [{ name: 'nfs', nfs: { server: 's', path: '/' } }],
      containers: [{ name: 'c', securityContext: { capabilities: { add: ['CHOWN'] } } }],
    }), PodSecurityLevel.RESTRICTED);
    expect(violations.map(v => v.field)).toEqual([
      'spec.volumes[0]',
      'spec.containers[0].securityContext.capabilities.add',
      'spec.containers[0].securityContext.allowPrivilegeEscalation',
      'spec.containers[0].securityContext.runAsNonRoot',
      'spec.containers[0].securityContext.seccompProfile',
      'spec.containers[0].securityContext.capabilities.drop',
    ]);
  });

  test('pod-level runAsNonRoot and seccomp count for every container', () => {
    const container = { name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } };
    expect(podSecurityViolations(pod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Localhost' } }, containers: [container] }), PodSecurityLevel.RESTRICTED)).toEqual([]);
  });

  test('reads the enforce label of a namespace', () => {
    expect(enforcedLevel({ metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } })).toBe(PodSecurityLevel.RESTRICTED);
    expect(enforcedLevel({ metadata: { labels: { 'pod-security.kubernetes.io/warn': 'restricted' } } })).toBeUndefined();
  });
});
