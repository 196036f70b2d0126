import { checkQuantity, isIntegerIn } from './validation';

/**
 * What a network function is dimensioned for, written into its NFDeployment `spec.capacity`
 * (Nephio's free5gc operator sizes the UPF from the throughputs).
 *
 * @example
 * const repo = new GitOpsRepository();
 * new NetworkFunction(repo, 'upf', { kind: NfKind.UPF, capacity: {
 *   maxUplinkThroughput: '1G', maxDownlinkThroughput: '5G', maxSessions: 100 } });
 */
export interface NfCapacity {
  /**
   * Maximum PDU sessions, in thousands as the Nephio API counts them.
   * @default - not set
   */
  readonly maxSessions?: number;
  /**
   * Maximum subscribers, in thousands as the Nephio API counts them.
   * @default - not set
   */
  readonly maxSubscribers?: number;
  /**
   * Maximum NFs (or devices) that may connect to this NF.
   * @default - not set
   */
  readonly maxNfConnections?: number;
  /**
   * Maximum uplink throughput as a Kubernetes quantity in bits per second, e.g. `1G`.
   * @default - not set
   */
  readonly maxUplinkThroughput?: string;
  /**
   * Maximum downlink throughput as a Kubernetes quantity in bits per second, e.g. `5G`.
   * @default - not set
   */
  readonly maxDownlinkThroughput?: string;
}

/** Problems of a capacity, each as [field, message]. */
export function checkCapacity(capacity: NfCapacity): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  const counts: Array<[keyof NfCapacity, unknown]> = [
    ['maxSessions', capacity.maxSessions],
    ['maxSubscribers', capacity.maxSubscribers],
    ['maxNfConnections', capacity.maxNfConnections],
  ];
  for (const [field, value] of counts) {
    // int32 in the NFDeployment schema's Go type
    if (value !== undefined && !isIntegerIn(value, 0, 2 ** 31 - 1)) {
      problems.push([`capacity.${field}`, `${JSON.stringify(value)} must be a whole number from 0 to 2147483647`]);
    }
  }
  for (const field of ['maxUplinkThroughput', 'maxDownlinkThroughput'] as const) {
    const value = capacity[field];
    if (value === undefined) continue;
    const error = checkQuantity(value);
    if (error) problems.push([`capacity.${field}`, `${error} (bits per second, e.g. "1G" or "500M")`]);
  }
  return problems;
}
