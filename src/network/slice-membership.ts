import type { NetworkFunction } from './network-function';
import { SnssaiValue } from './snssai';

/** What an NF knows of a slice it serves. */
export interface SliceMembership {
  /** The slice's S-NSSAI. */
  readonly snssai: SnssaiValue;
  /** The slice profile written into the NF's configuration. */
  profile(): Record<string, any>;
  /** Every NF serving the slice. */
  members(): NetworkFunction[];
}
