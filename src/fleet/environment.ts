import { checkDnsLabel, toDnsFragment } from '../kpt/naming';
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

  /**
   * A user-defined environment; its name must be a DNS-1123 label other than the built-in ones.
   * An invalid name or profile is not thrown: the environment carries the problem, and the
   * construct it is given to reports it at synth with every other problem.
   */
  public static custom(name: string, options: CustomEnvironmentOptions = {}): Environment {
    const problems: string[] = [];
    let folderName = name;
    let profile = options?.policyProfile ?? PolicyProfile.STANDARD;
    if (!Object.values(PolicyProfile).includes(profile)) {
      problems.push(`Environment.custom(${JSON.stringify(name)}): policyProfile must be one of ${Object.values(PolicyProfile).join(', ')}; got ${JSON.stringify(profile)}`);
      profile = PolicyProfile.STANDARD;
    }
    const error = checkDnsLabel(name);
    if (error) {
      problems.push(`Environment.custom: environment name ${error}`);
      // A placeholder folder name, so that synth goes on and reports the other problems too.
      folderName = (typeof name === 'string' ? toDnsFragment(name).slice(0, 50).replace(/-+$/, '') : '') || 'invalid-environment';
    } else if (BUILT_IN_NAMES.includes(name)) {
      problems.push(`"${name}" is a built-in environment: use Environment.${name.toUpperCase()} instead of Environment.custom("${name}")`);
      profile = BUILT_IN[name].policyProfile;
    }
    return new Environment(folderName, profile, problems);
  }

  /**
   * A stand-in for a missing or invalid environment, so that synth can go on and report every
   * problem; whoever uses it reports why.
   * @internal
   */
  public static _placeholder(): Environment {
    return new Environment('invalid-environment', PolicyProfile.STRICT, []);
  }

  private constructor(
    /** The environment name, e.g. `production`; a folder name under `deployments/`. */
    public readonly name: string,
    /** How strictly policy rules apply. */
    public readonly policyProfile: PolicyProfile,
    private readonly problems: readonly string[] = [],
  ) {}

  /** Problems in the arguments of Environment.custom(), reported by the construct given it. @internal */
  public get _problems(): string[] {
    return [...this.problems];
  }

  /** True when both are the same environment (same name and profile). */
  public equals(other: Environment): boolean {
    return this.name === other.name && this.policyProfile === other.policyProfile;
  }
}

const BUILT_IN: Record<string, Environment> = {
  production: Environment.PRODUCTION,
  staging: Environment.STAGING,
  development: Environment.DEVELOPMENT,
};

/** True for an Environment (works across copies of the library, which `instanceof` does not). */
export function isEnvironment(x: unknown): x is Environment {
  return x !== null && typeof x === 'object' && typeof (x as any).name === 'string' && typeof (x as any).policyProfile === 'string';
}
