import { isIntegerIn } from './validation';

/** A PLMN identity. */
export interface Plmn {
  /** Mobile country code: 3 digits, e.g. `001`. */
  readonly mcc: string;
  /** Mobile network code: 2 or 3 digits, e.g. `01`. */
  readonly mnc: string;
}

/**
 * The radio settings of an OAI RAN NF (CU-CP, CU-UP, DU) in the operator model, written into the
 * NFConfig its operator reads: the `PLMN` (PLMN id, TAC and the S-NSSAIs of the slices the NF serves)
 * and the `RANConfig` (cell and carrier), as nephio-project/oai api/v1alpha1 plmn_types.go and
 * ranconfig_types.go define them. The carrier defaults are those of the R5 catalog's
 * `pkg-example-*-bp` packages (band n78, 30 kHz sub-carrier spacing, 51 PRBs); set them for a real cell.
 *
 * @example
 * const repo = new GitOpsRepository();
 * // The DU's operator reads its CU-CP's F1-C address from the CU-CP's NFDeployment (a peer).
 * const cucp = new NetworkFunction(repo, 'cu-cp', { kind: NfKind.CU_CP, deploymentModel: NfDeploymentModel.WORKLOAD });
 * cucp.addInterface({ type: InterfaceType.F1C, networkInstance: 'vpc-cudu-f1', ipv4Address: '10.0.5.2/24', ipv4Gateway: '10.0.5.1' });
 * const du = new NetworkFunction(repo, 'du', { kind: NfKind.DU,
 *   ran: { plmn: { mcc: '001', mnc: '01' }, tac: 1, downlinkCarrierBandwidth: 106, uplinkCarrierBandwidth: 106 } });
 * du.addInterface({ type: InterfaceType.F1, networkInstance: 'vpc-cudu-f1' });
 * du.addPeer(cucp);
 */
export interface RanSettings {
  readonly plmn: Plmn;
  /** Tracking area code, 0-16777215. */
  readonly tac: number;
  /** NR cell identity as the OAI configuration writes it. @default '12345678L' (the R5 catalog example's) */
  readonly cellIdentity?: string;
  /** Physical cell id, 0-1007. @default 0 */
  readonly physicalCellId?: number;
  /** NR operating band of the downlink. @default 78 */
  readonly downlinkFrequencyBand?: number;
  /** Sub-carrier spacing index of the downlink (0: 15 kHz, 1: 30 kHz, ...). @default 1 */
  readonly downlinkSubCarrierSpacing?: number;
  /** Downlink carrier bandwidth in PRBs. @default 51 */
  readonly downlinkCarrierBandwidth?: number;
  /** @default 78 */
  readonly uplinkFrequencyBand?: number;
  /** @default 1 */
  readonly uplinkSubCarrierSpacing?: number;
  /** @default 51 */
  readonly uplinkCarrierBandwidth?: number;
}

/** Problems of RAN settings, each as [field, message]. @internal */
export function checkRanSettings(ran: RanSettings): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  if (!/^\d{3}$/.test(String(ran?.plmn?.mcc))) problems.push(['ran.plmn.mcc', `${JSON.stringify(ran?.plmn?.mcc)} must be 3 digits, e.g. "001"`]);
  if (!/^\d{2,3}$/.test(String(ran?.plmn?.mnc))) problems.push(['ran.plmn.mnc', `${JSON.stringify(ran?.plmn?.mnc)} must be 2 or 3 digits, e.g. "01"`]);
  if (!isIntegerIn(ran?.tac, 0, 0xffffff)) problems.push(['ran.tac', `${JSON.stringify(ran?.tac)} must be a whole number from 0 to 16777215 (24 bits)`]);
  if (ran?.cellIdentity !== undefined && (typeof ran.cellIdentity !== 'string' || !/^(0x[0-9a-fA-F]{1,9}|\d{1,11})L?$/.test(ran.cellIdentity))) {
    problems.push(['ran.cellIdentity', `${JSON.stringify(ran.cellIdentity)} must be a 36-bit cell identity as OAI writes it, e.g. "12345678L" or "0xe00"`]);
  }
  const ranges: Array<[keyof RanSettings, number, number]> = [
    ['physicalCellId', 0, 1007],
    ['downlinkFrequencyBand', 1, 1024], ['uplinkFrequencyBand', 1, 1024],
    ['downlinkSubCarrierSpacing', 0, 4], ['uplinkSubCarrierSpacing', 0, 4],
    ['downlinkCarrierBandwidth', 1, 275], ['uplinkCarrierBandwidth', 1, 275],
  ];
  for (const [field, min, max] of ranges) {
    const value = ran?.[field];
    if (value !== undefined && !isIntegerIn(value, min, max)) problems.push([`ran.${field}`, `${JSON.stringify(value)} must be a whole number from ${min} to ${max}`]);
  }
  return problems;
}

/** An S-NSSAI as the PLMN config writes it. */
export interface PlmnNssai {
  readonly sst: number;
  readonly sd?: string;
}

/**
 * The `spec.configRefs` of the NFConfig the OAI RAN operator reads (GetConfigs and CheckMandatoryKinds in
 * nephio-project/oai internal/controller/randeployment_controller.go and helper.go): PLMN, RANConfig and
 * OAIConfig, each an embedded object of `workload.nephio.org/v1alpha1` as the R5 catalog writes them.
 * @internal
 */
export function oaiConfigRefs(ran: RanSettings, nssai: PlmnNssai[], image: string): Array<Record<string, any>> {
  return [
    {
      apiVersion: 'workload.nephio.org/v1alpha1',
      kind: 'PLMN',
      metadata: { name: 'plmn' },
      spec: {
        PLMNInfo: [{
          plmnID: { mcc: ran.plmn.mcc, mnc: ran.plmn.mnc },
          tac: ran.tac,
          nssai: nssai.map(n => ({ sst: n.sst, ...(n.sd !== undefined ? { sd: n.sd.toLowerCase() } : {}) })),
        }],
      },
    },
    {
      apiVersion: 'workload.nephio.org/v1alpha1',
      kind: 'RANConfig',
      metadata: { name: 'ranconfig' },
      spec: {
        cellIdentity: ran.cellIdentity ?? '12345678L',
        physicalCellID: ran.physicalCellId ?? 0,
        tac: ran.tac,
        downlinkFrequencyBand: ran.downlinkFrequencyBand ?? 78,
        downlinkSubCarrierSpacing: ran.downlinkSubCarrierSpacing ?? 1,
        downlinkCarrierBandwidth: ran.downlinkCarrierBandwidth ?? 51,
        uplinkFrequencyBand: ran.uplinkFrequencyBand ?? 78,
        uplinkSubCarrierSpacing: ran.uplinkSubCarrierSpacing ?? 1,
        uplinkCarrierBandwidth: ran.uplinkCarrierBandwidth ?? 51,
      },
    },
    {
      apiVersion: 'workload.nephio.org/v1alpha1',
      kind: 'OAIConfig',
      metadata: { name: 'oai-nf-config' },
      spec: { image },
    },
  ];
}
