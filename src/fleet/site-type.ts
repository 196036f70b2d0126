import { checkLabelValue } from './labels';

/** The kind of site a cluster runs at, written as the `nephio.org/site-type` cluster label. */
export class SiteType {
  /** A far-edge or edge site: DUs, UPFs close to the radio. */
  public static readonly EDGE = new SiteType('edge');
  /** A regional data centre: CUs and the core control plane. */
  public static readonly REGIONAL = new SiteType('regional');

  /**
   * Any other site type; must be a valid label value. An invalid name is not thrown: the site
   * type carries the problem, and the cluster given it reports it at synth.
   */
  public static custom(name: string): SiteType {
    const error = typeof name === 'string' ? checkLabelValue(name) : `must be a label value such as "far-edge"; got ${JSON.stringify(name)}`;
    if (error || name === '') return new SiteType(typeof name === 'string' ? name : String(name), [`SiteType.custom: site type ${error ?? 'must not be empty, e.g. "far-edge"'}`]);
    return new SiteType(name);
  }

  private constructor(
    /** The label value, e.g. `edge`. */
    public readonly name: string,
    private readonly problems: readonly string[] = [],
  ) {}

  /** Problems in the arguments of SiteType.custom(), reported by the cluster given it. @internal */
  public get _problems(): string[] {
    return [...this.problems];
  }
}
