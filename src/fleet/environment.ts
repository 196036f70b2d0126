import { checkDnsLabel } from '../kpt/naming';
import { PolicyProfile } from '../policy/severity';

/** Options of a user-defined environment. */
export interface CustomEnvironmentOptions {
  /**
   * How strictly policy rules apply to clusters in this environment.
   * @default PolicyProfile.STANDARD
   */
  readonly policyProfile?: PolicyProfile;
}

const BUILT_IN_NAMES = ['production', 'staging', 'development'];

/**
 * An environment clusters belong to. It names the folder its clusters' deployments live in
 * (`deployments/<environment>/<cluster>/`) and picks how strictly policy rules apply there.
 *
 * @example
 * const lab = Environment.custom('lab', { policyProfile: PolicyProfile.RELAXED });
 * new Cluster(fleet, 'lab-01', { environment: lab, region: 'eu-central' });
 */
export class Environment {
  /** Production: every policy rule fails synth. */
  public static readonly PRODUCTION = new Environment('production', PolicyProfile.STRICT);
  /** Staging: safety rules fail synth, hygiene rules such as digest pinning warn. */
  public static readonly STAGING = new Environment('staging', PolicyProfile.STANDARD);
  /** Development: only secret rules fail synth. */
  public static readonly DEVELOPMENT = new Environment('development', PolicyProfile.RELAXED);

  /** A user-defined environment; its name must be a DNS-1123 label other than the built-in ones. */
  public static custom(name: string, options: CustomEnvironmentOptions = {}): Environment {
    const error = checkDnsLabel(name);
    if (error) throw new Error(`environment name ${error}`);
    if (BUILT_IN_NAMES.includes(name)) {
      throw new Error(`"${name}" is a built-in environment: use Environment.${name.toUpperCase()} instead of Environment.custom("${name}")`);
    }
    const profile = options.policyProfile ?? PolicyProfile.STANDARD;
    if (!Object.values(PolicyProfile).includes(profile)) {
      throw new Error(`environment "${name}": policyProfile must be one of ${Object.values(PolicyProfile).join(', ')}; got ${JSON.stringify(profile)}`);
    }
    return new Environment(name, profile);
  }

  private constructor(
    /** The environment name, e.g. `production`; a folder name under `deployments/`. */
    public readonly name: string,
    /** How strictly policy rules apply. */
    public readonly policyProfile: PolicyProfile,
  ) {}

  /** True when both are the same environment (same name and profile). */
  public equals(other: Environment): boolean {
    return this.name === other.name && this.policyProfile === other.policyProfile;
  }
}
