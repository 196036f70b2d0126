import { checkLabelValue } from './labels';

/** The kind of site a cluster runs at, written as the `nephio.org/site-type` cluster label. */
export class SiteType {
  /** A far-edge or edge site: DUs, UPFs close to the radio. */
  public static readonly EDGE = new SiteType('edge');
  /** A regional data centre: CUs and the core control plane. */
  public static readonly REGIONAL = new SiteType('regional');

  /** Any other site type; must be a valid label value. */
  public static custom(name: string): SiteType {
    const error = checkLabelValue(name);
    if (error || name === '') throw new Error(`site type ${error ?? 'must not be empty'}`);
    return new SiteType(name);
  }

  private constructor(
    /** The label value, e.g. `edge`. */
    public readonly name: string,
  ) {}
}
