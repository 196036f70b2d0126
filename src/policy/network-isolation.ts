/** How a Policy isolates the pods of each namespace it governs, with a NetworkPolicy. */
export class NetworkIsolation {
  /** No NetworkPolicy. */
  public static readonly NONE = new NetworkIsolation('none');
  /** Ingress only from pods in the same namespace (and the namespaces allowed by name); egress open. */
  public static readonly SAME_NAMESPACE = new NetworkIsolation('same-namespace');
  /**
   * Default deny: no ingress except from the namespaces allowed by name, no egress except DNS.
   * Network functions then need their own NetworkPolicies (a NetworkSlice writes them).
   */
  public static readonly DENY_ALL = new NetworkIsolation('deny-all');

  private constructor(
    /** A short name, e.g. `same-namespace`. */
    public readonly mode: string,
  ) {}
}
