import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkDnsSubdomain } from '../kpt/naming';
import { compareStrings } from '../repo/compare';
import { GO_DURATION } from '../repo/git-url';

/** Which kind of external-secrets store holds the git credentials. */
export enum SecretStoreKind {
  /** A store every namespace can use. */
  CLUSTER_SECRET_STORE = 'ClusterSecretStore',
  /** A store in the RootSync's namespace, config-management-system. */
  SECRET_STORE = 'SecretStore',
}

/** Options of credentials fetched by the External Secrets Operator. */
export interface ExternalSecretCredentialsOptions {
  /** The name of the (Cluster)SecretStore to read from. */
  readonly secretStoreName: string;
  /**
   * The kind of store.
   * @default SecretStoreKind.CLUSTER_SECRET_STORE
   */
  readonly secretStoreKind?: SecretStoreKind;
  /** The key of the entry in the external store, e.g. `gitops/fleet-read-token`. */
  readonly remoteKey: string;
  /**
   * For each Secret key the auth needs (`username`, `token`, `ssh`, `cookie_file`), the property
   * of the remote entry holding it.
   * @default - each key reads the property of the same name
   */
  readonly remoteProperties?: Record<string, string>;
  /**
   * How often the operator refreshes the Secret (a Go duration).
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/** Who may unseal a SealedSecret (sealed-secrets' scopes). */
export enum SealedSecretScope {
  /** Only under its own name and namespace (kubeseal's default). */
  STRICT = 'strict',
  /** Under any name in its namespace. */
  NAMESPACE_WIDE = 'namespace-wide',
  /** Under any name in any namespace. */
  CLUSTER_WIDE = 'cluster-wide',
}

/** Options of credentials committed encrypted as a SealedSecret. */
export interface SealedSecretCredentialsOptions {
  /**
   * For each Secret key the auth needs (`username` and `token` for token auth, `ssh`,
   * `cookie_file`), the ciphertext `kubeseal` printed for that cluster's controller (base64).
   */
  readonly encryptedData: Record<string, string>;
  /**
   * The scope the values were sealed with (`kubeseal --scope`).
   * @default SealedSecretScope.STRICT
   */
  readonly scope?: SealedSecretScope;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Where the git credentials of a RootSync come from. The repository never holds a Secret with
 * data: either the External Secrets Operator creates the Secret from a secret store, or the
 * sealed-secrets controller decrypts a SealedSecret sealed for the cluster.
 *
 * @example
 * const fromVault = GitCredentials.externalSecret({ secretStoreName: 'vault', remoteKey: 'gitops/fleet-read-token' });
 * const sealed = GitCredentials.sealedSecret({
 *   encryptedData: { username: 'AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq', token: 'AgCt9xQ0b3RrZW4tc2VhbGVkLWZvci1lZGdlMDE=' },
 * });
 */
export class GitCredentials {
  /** Credentials the External Secrets Operator fetches (external-secrets.io/v1: the only version served since the 0.17 line). */
  public static externalSecret(options: ExternalSecretCredentialsOptions): GitCredentials {
    // Problems are carried, not thrown: the construct given these credentials reports them at synth.
    const problems: string[] = [];
    const where = 'GitCredentials.externalSecret';
    // Stand-ins for invalid values, so that what renders fails no second check.
    let storeName = options?.secretStoreName;
    const storeError = checkDnsSubdomain(storeName);
    if (storeError) {
      problems.push(`${where}: secretStoreName ${storeError}`);
      storeName = 'invalid-secret-store';
    }
    let remoteKey = options?.remoteKey;
    if (typeof remoteKey !== 'string' || remoteKey.trim() === '') {
      problems.push(`${where}: remoteKey must name the entry in the secret store, e.g. "gitops/fleet-read-token"; got ${JSON.stringify(remoteKey)}`);
      remoteKey = 'invalid';
    }
    let kind = options?.secretStoreKind ?? SecretStoreKind.CLUSTER_SECRET_STORE;
    if (!Object.values(SecretStoreKind).includes(kind)) {
      problems.push(`${where}: secretStoreKind must be one of ${Object.values(SecretStoreKind).join(', ')}; got ${JSON.stringify(kind)}`);
      kind = SecretStoreKind.CLUSTER_SECRET_STORE;
    }
    let refresh = options?.refreshInterval ?? '1h';
    if (typeof refresh !== 'string' || !GO_DURATION.test(refresh)) {
      problems.push(`${where}: refreshInterval must be a Go duration such as "1h" or "15m"; got ${JSON.stringify(refresh)}`);
      refresh = '1h';
    }
    for (const [key, property] of Object.entries(options?.remoteProperties ?? {})) {
      if (typeof property !== 'string' || property === '') problems.push(`${where}: remoteProperties.${key} must name a property of the remote entry; got ${JSON.stringify(property)}`);
    }
    const property = (key: string) => {
      const given = options?.remoteProperties?.[key];
      return typeof given === 'string' && given !== '' ? given : key;
    };
    return new GitCredentials('ExternalSecret', (scope, id, meta, keys, extra) => new ApiObject(scope, id, {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { ...meta, ...(Object.keys(extra).length > 0 ? { annotations: sortedRecord(extra) } : {}) },
      spec: {
        refreshInterval: refresh,
        secretStoreRef: { name: storeName, kind },
        target: { name: meta.name, creationPolicy: 'Owner' },
        data: keys.map(key => ({ secretKey: key, remoteRef: { key: remoteKey, property: property(key) } })),
      },
    }), () => [], problems);
  }

  /** Credentials committed encrypted (bitnami.com/v1alpha1 SealedSecret), sealed for one cluster. */
  public static sealedSecret(options: SealedSecretCredentialsOptions): GitCredentials {
    const problems: string[] = [];
    const given = options?.encryptedData ?? {};
    const data: Record<string, string> = {};
    for (const [key, value] of Object.entries(given)) {
      // Never echo the value: it may be a token in clear.
      if (typeof value !== 'string' || value.length < 16 || !BASE64.test(value)) {
        problems.push(`GitCredentials.sealedSecret: encryptedData.${key} is not kubeseal output (base64 ciphertext); seal the value with \`kubeseal --raw\` for the cluster, never commit it in clear`);
      } else {
        data[key] = value;
      }
    }
    let scope = options?.scope ?? SealedSecretScope.STRICT;
    if (!Object.values(SealedSecretScope).includes(scope)) {
      problems.push(`GitCredentials.sealedSecret: scope must be one of ${Object.values(SealedSecretScope).join(', ')}; got ${JSON.stringify(scope)}`);
      scope = SealedSecretScope.STRICT;
    }
    const annotations: Record<string, string> = scope === SealedSecretScope.STRICT ? {} : { [`sealedsecrets.bitnami.com/${scope}`]: 'true' };
    return new GitCredentials('SealedSecret', (parent, id, meta, _keys, extra) => new ApiObject(parent, id, {
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: {
        ...meta,
        ...(Object.keys({ ...annotations, ...extra }).length > 0 ? { annotations: sortedRecord({ ...extra, ...annotations }) } : {}),
      },
      spec: {
        encryptedData: Object.fromEntries(Object.keys(data).sort().map(k => [k, data[k]])),
        template: { metadata: { ...meta, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) }, type: 'Opaque' },
      },
      // A key whose value was refused is reported above, not again as missing.
    }), keys => keys.filter(k => !(k in given)), problems);
  }

  private constructor(
    /** The kind of object that produces the Secret: `ExternalSecret` or `SealedSecret`. */
    public readonly kind: string,
    private readonly render: (
      scope: Construct,
      id: string,
      meta: { name: string; namespace: string },
      keys: string[],
      annotations: Record<string, string>,
    ) => ApiObject,
    private readonly missing: (keys: string[]) => string[],
    private readonly problems: readonly string[] = [],
  ) {}

  /** Problems in the options these credentials were made with, reported by the construct given them. @internal */
  public get _problems(): string[] {
    return [...this.problems];
  }

  /** The Secret keys among `keys` these credentials cannot provide. */
  public missingKeys(keys: string[]): string[] {
    return this.missing(keys);
  }

  /**
   * Writes the object that produces the Secret `secretName` in `namespace` with `keys`, with
   * `annotations` on it (not on the Secret it produces).
   * @internal
   */
  public _render(
    scope: Construct,
    id: string,
    secretName: string,
    namespace: string,
    keys: string[],
    annotations: Record<string, string> = {},
  ): ApiObject {
    return this.render(scope, id, { name: secretName, namespace }, keys, annotations);
  }
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareStrings(a, b)));
}
