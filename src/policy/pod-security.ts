/**
 * A Pod Security Standard level, enforced by the Pod Security admission controller through
 * namespace labels (`pod-security.kubernetes.io/enforce`, `audit`, `warn`).
 */
export class PodSecurityLevel {
  /** No restrictions: for namespaces of network functions that need host networking or devices. */
  public static readonly PRIVILEGED = new PodSecurityLevel('privileged', 0);
  /** Prevents known privilege escalations (no hostNetwork, no privileged containers). */
  public static readonly BASELINE = new PodSecurityLevel('baseline', 1);
  /** Hardened pods: non-root, no capabilities beyond NET_BIND_SERVICE, seccomp RuntimeDefault. */
  public static readonly RESTRICTED = new PodSecurityLevel('restricted', 2);

  private constructor(
    /** The label value. */
    public readonly level: string,
    /** Higher is stricter. */
    public readonly strictness: number,
  ) {}

  /** The namespace labels that enforce this level, and audit and warn on it. */
  public labels(): Record<string, string> {
    return {
      [`${POD_SECURITY_LABEL_PREFIX}enforce`]: this.level,
      [`${POD_SECURITY_LABEL_PREFIX}audit`]: this.level,
      [`${POD_SECURITY_LABEL_PREFIX}warn`]: this.level,
    };
  }
}

export const POD_SECURITY_LABEL_PREFIX = 'pod-security.kubernetes.io/';

/**
 * A placeable package that asks for labels on the namespaces it governs (a Policy asks for the
 * Pod Security admission labels). A Fleet puts these labels on the Namespace objects it writes
 * for each cluster the package is placed on.
 */
export interface INamespaceLabelProvider {
  /** The labels `namespace` must carry; empty when the package does not govern it. */
  namespaceLabels(namespace: string): Record<string, string>;
}

/** True when `x` asks for namespace labels. */
export function isNamespaceLabelProvider(x: unknown): x is INamespaceLabelProvider {
  return x !== null && typeof x === 'object' && typeof (x as any).namespaceLabels === 'function';
}
