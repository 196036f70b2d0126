import { isIntegerIn, parseBitRate } from './validation';

/**
 * The QoS a slice's default flow gets: its 5QI and bit rates, written into the slice profile of
 * every NF serving the slice. Bit rates are written as 3GPP and free5gc configuration write them:
 * a number and a unit (`bps`, `Kbps`, `Mbps`, `Gbps`, `Tbps`), e.g. `100 Mbps`.
 *
 * @example
 * const repo = new GitOpsRepository();
 * const urllc = new NetworkSlice(repo, 'urllc', { serviceType: SliceServiceType.URLLC, sd: '000002', qos: {
 *   fiveQi: 82, guaranteedBitRateUplink: '10 Mbps', guaranteedBitRateDownlink: '10 Mbps',
 *   maximumBitRateUplink: '20 Mbps', maximumBitRateDownlink: '20 Mbps' } });
 * urllc.addNetworkFunction(new NetworkFunction(repo, 'smf-urllc', { kind: NfKind.SMF, namespace: urllc.namespace }));
 * urllc.addNetworkFunction(new NetworkFunction(repo, 'upf-urllc', { kind: NfKind.UPF, namespace: urllc.namespace }));
 */
export interface SliceQos {
  /** The 5QI (TS 23.501 table 5.7.4-1, or 128-254 operator-specific). */
  readonly fiveQi: number;
  /** Guaranteed uplink bit rate (GBR 5QIs only). @default - none */
  readonly guaranteedBitRateUplink?: string;
  /** Guaranteed downlink bit rate (GBR 5QIs only). @default - none */
  readonly guaranteedBitRateDownlink?: string;
  /** Maximum uplink bit rate. @default - none */
  readonly maximumBitRateUplink?: string;
  /** Maximum downlink bit rate. @default - none */
  readonly maximumBitRateDownlink?: string;
}

// TS 23.501 table 5.7.4-1 (Rel-17), by resource type.
const GBR_5QI = [1, 2, 3, 4, 65, 66, 67, 71, 72, 73, 74, 76];
const NON_GBR_5QI = [5, 6, 7, 8, 9, 10, 69, 70, 79, 80];
const DELAY_CRITICAL_GBR_5QI = [82, 83, 84, 85, 86, 87, 88, 89, 90];

/** The resource type of a standardized 5QI, or undefined for other values. */
export function fiveQiResourceType(fiveQi: number): 'GBR' | 'Non-GBR' | 'Delay-critical GBR' | undefined {
  if (GBR_5QI.includes(fiveQi)) return 'GBR';
  if (NON_GBR_5QI.includes(fiveQi)) return 'Non-GBR';
  if (DELAY_CRITICAL_GBR_5QI.includes(fiveQi)) return 'Delay-critical GBR';
  return undefined;
}

/** A problem of a QoS: field, message and whether it is only a warning. */
export interface QosProblem {
  readonly field: string;
  readonly message: string;
  readonly warning: boolean;
}

/** Checks a slice QoS against TS 23.501: the 5QI, the bit rate format and GBR <= MBR. */
export function checkQos(qos: SliceQos): QosProblem[] {
  const problems: QosProblem[] = [];
  const error = (field: string, message: string) => problems.push({ field: `qos.${field}`, message, warning: false });
  const warn = (field: string, message: string) => problems.push({ field: `qos.${field}`, message, warning: true });
  const standardized = 'standardized 5QIs are 1-10, 65-67, 69-74, 76, 79, 80 and 82-90 (TS 23.501 table 5.7.4-1); 128-254 are operator-specific';

  const fiveQi = qos.fiveQi;
  const resourceType = isIntegerIn(fiveQi, 1, 255) ? fiveQiResourceType(fiveQi) : undefined;
  if (!isIntegerIn(fiveQi, 1, 255)) {
    error('fiveQi', `5QI ${JSON.stringify(fiveQi)} must be a whole number from 1 to 255; ${standardized}`);
  } else if (!resourceType && !(fiveQi >= 128 && fiveQi <= 254)) {
    warn('fiveQi', `5QI ${fiveQi} is neither standardized nor operator-specific; ${standardized}`);
  }

  const rates: Record<string, number | undefined> = {};
  for (const field of ['guaranteedBitRateUplink', 'guaranteedBitRateDownlink', 'maximumBitRateUplink', 'maximumBitRateDownlink'] as const) {
    const value = qos[field];
    if (value === undefined) continue;
    const bps = parseBitRate(value);
    if (bps === undefined) error(field, `${JSON.stringify(value)} is not a bit rate; write a number and a unit, e.g. "100 Mbps" (bps, Kbps, Mbps, Gbps, Tbps)`);
    rates[field] = bps;
  }

  const hasGuaranteed = qos.guaranteedBitRateUplink !== undefined || qos.guaranteedBitRateDownlink !== undefined;
  if (resourceType === 'Non-GBR' && hasGuaranteed) {
    error('fiveQi', `5QI ${fiveQi} is a Non-GBR 5QI, so the slice cannot guarantee a bit rate; use a GBR 5QI (1-4, 65-67, 71-74, 76, 82-90) or drop the guaranteed bit rates`);
  }
  if ((resourceType === 'GBR' || resourceType === 'Delay-critical GBR') && !hasGuaranteed) {
    warn('fiveQi', `5QI ${fiveQi} is a ${resourceType} 5QI but no guaranteed bit rate is set; set guaranteedBitRateUplink and guaranteedBitRateDownlink`);
  }
  for (const direction of ['Uplink', 'Downlink'] as const) {
    const gbr = rates[`guaranteedBitRate${direction}`];
    const mbr = rates[`maximumBitRate${direction}`];
    if (gbr !== undefined && mbr !== undefined && gbr > mbr) {
      error(`guaranteedBitRate${direction}`, `${qos[`guaranteedBitRate${direction}`]} exceeds the maximum bit rate ${qos[`maximumBitRate${direction}`]}; the guaranteed ${direction.toLowerCase()} rate must not be above the maximum`);
    }
  }
  return problems;
}
