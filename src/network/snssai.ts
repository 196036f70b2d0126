import { isIntegerIn } from './validation';

/**
 * The slice/service type (SST) of an S-NSSAI. The standardized values of 3GPP TS 23.501
 * §5.15.2.2 are static members; `SliceServiceType.custom()` takes any other SST (128-255 are
 * operator-specific).
 *
 * @example
 * const repo = new GitOpsRepository();
 * // An operator-specific SST (128-255); the standardized ones are EMBB, URLLC, MMTC and V2X.
 * const factory = new NetworkSlice(repo, 'factory', { serviceType: SliceServiceType.custom(128, 'factory-automation') });
 * factory.addNetworkFunction(new NetworkFunction(repo, 'smf-factory', { kind: NfKind.SMF, namespace: factory.namespace }));
 * factory.addNetworkFunction(new NetworkFunction(repo, 'upf-factory', { kind: NfKind.UPF, namespace: factory.namespace }));
 */
export class SliceServiceType {
  /** Enhanced mobile broadband, SST 1. */
  public static readonly EMBB = new SliceServiceType(1, 'eMBB', false);
  /** Ultra-reliable low-latency communications, SST 2. */
  public static readonly URLLC = new SliceServiceType(2, 'URLLC', false);
  /** Massive machine-type communications (3GPP's MIoT), SST 3. */
  public static readonly MMTC = new SliceServiceType(3, 'mMTC', false);
  /** Vehicle-to-everything, SST 4. */
  public static readonly V2X = new SliceServiceType(4, 'V2X', false);

  /** Any SST from 0 to 255; `name` describes it in the slice profile. */
  public static custom(sst: number, name?: string): SliceServiceType {
    return new SliceServiceType(sst, name ?? `sst-${sst}`, true);
  }

  private constructor(
    /** The SST value (0-255). */
    public readonly sst: number,
    /** Its name in the slice profile, e.g. `eMBB`. */
    public readonly name: string,
    /** True for a type made with `custom()`. */
    public readonly isCustom: boolean,
  ) {}
}

/** Returns why `sst` is not a valid SST, or undefined. */
export function checkSst(sst: unknown): string | undefined {
  if (!isIntegerIn(sst, 0, 255)) return `SST ${JSON.stringify(sst)} must be a whole number from 0 to 255 (1 eMBB, 2 URLLC, 3 mMTC, 4 V2X, 128-255 operator-specific)`;
  return undefined;
}

/** Returns why `sd` is not a valid slice differentiator, or undefined. */
export function checkSd(sd: unknown): string | undefined {
  if (typeof sd !== 'string' || !/^[0-9a-fA-F]{6}$/.test(sd)) {
    return `SD ${JSON.stringify(sd)} must be exactly 6 hexadecimal digits, e.g. "000001" (or omitted)`;
  }
  if (sd.toLowerCase() === 'ffffff') return 'SD "ffffff" is reserved by 3GPP to mean "no SD"; omit sd instead';
  return undefined;
}

/** The S-NSSAI as written into NF configuration: `{ sst, sd }` with sd in lower case, omitted when absent. */
export interface SnssaiValue {
  readonly sst: number;
  readonly sd?: string;
}

/** `1` or `1-00000a`: one string per S-NSSAI, for comparison and messages. */
export function formatSnssai(value: SnssaiValue): string {
  return value.sd === undefined ? `sst ${value.sst}` : `sst ${value.sst} sd ${value.sd}`;
}
