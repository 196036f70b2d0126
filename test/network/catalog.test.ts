import { InterfaceType, NfDomain, NfKind, SliceServiceType } from '../../src/network';
import { checkQos, fiveQiResourceType } from '../../src/network/qos';
import { checkSd, checkSst } from '../../src/network/snssai';

describe('NfKind catalog', () => {
  test('each kind names its Nephio provider, domain and default image', () => {
    expect(NfKind.catalog.map(k => [k.displayName, k.name, k.provider, k.domain])).toEqual([
      ['AMF', 'amf', 'amf.free5gc.io', NfDomain.CORE],
      ['SMF', 'smf', 'smf.free5gc.io', NfDomain.CORE],
      ['UPF', 'upf', 'upf.free5gc.io', NfDomain.CORE],
      ['NRF', 'nrf', 'nrf.free5gc.io', NfDomain.CORE],
      ['AUSF', 'ausf', 'ausf.free5gc.io', NfDomain.CORE],
      ['UDM', 'udm', 'udm.free5gc.io', NfDomain.CORE],
      ['UDR', 'udr', 'udr.free5gc.io', NfDomain.CORE],
      ['PCF', 'pcf', 'pcf.free5gc.io', NfDomain.CORE],
      ['NSSF', 'nssf', 'nssf.free5gc.io', NfDomain.CORE],
      ['CU-CP', 'cu-cp', 'cucp.openairinterface.org', NfDomain.RAN],
      ['CU-UP', 'cu-up', 'cuup.openairinterface.org', NfDomain.RAN],
      ['DU', 'du', 'du.openairinterface.org', NfDomain.RAN],
      ['Near-RT RIC', 'near-rt-ric', 'ric.oransc.org', NfDomain.RIC],
    ]);
    // R5 catalog: the free5gc operator's own images for AMF/SMF/UPF, towards5gs images for the free5gc-cp NFs.
    expect(NfKind.AMF.defaultImage).toBe('docker.io/nephio/free5gc-amf:3.2.1');
    expect(NfKind.UPF.defaultImage).toBe('docker.io/nephio/free5gc-upf:3.2.1');
    expect(NfKind.NRF.defaultImage).toBe('docker.io/towards5gs/free5gc-nrf:v3.1.1');
    expect(NfKind.NSSF.defaultImage).toBe('docker.io/towards5gs/free5gc-nssf:v3.1.1');
    expect(NfKind.CU_UP.defaultImage).toBe('docker.io/oaisoftwarealliance/oai-nr-cuup:v2.3.0');
  });

  test('the interfaces each kind may have, and which kinds need a data plane', () => {
    const names = (k: NfKind) => k.interfaces.map(t => t.displayName);
    expect(names(NfKind.AMF)).toEqual(['N2']);
    expect(names(NfKind.SMF)).toEqual(['N4']);
    expect(names(NfKind.UPF)).toEqual(['N3', 'N4', 'N6', 'N9']);
    expect(names(NfKind.CU_CP)).toEqual(['N2', 'F1-C', 'E1', 'E2']);
    expect(names(NfKind.CU_UP)).toEqual(['N3', 'F1-U', 'E1', 'E2']);
    expect(names(NfKind.DU)).toEqual(['F1', 'F1-C', 'F1-U', 'E2']);
    expect(names(NfKind.NEAR_RT_RIC)).toEqual(['E2']);
    expect(names(NfKind.NRF)).toEqual([]);
    expect(NfKind.catalog.filter(k => k.dataPlane).map(k => k.name)).toEqual(['upf', 'cu-up', 'du']);
    expect(NfKind.UPF.mayHaveInterface(InterfaceType.N6)).toBe(true);
    expect(NfKind.SMF.mayHaveInterface(InterfaceType.N3)).toBe(false);
    expect(NfKind.SMF.mayHaveInterface(InterfaceType.custom('n16a'))).toBe(true);
    expect(InterfaceType.NG_U).toBe(InterfaceType.N3);
    expect(InterfaceType.F1.referencePoints).toEqual(['F1-C', 'F1-U']);
  });

  test('a custom kind inherits from its role what it does not set, and plays that role', () => {
    const vendorUpf = NfKind.custom({ name: 'vendor-upf', provider: 'upf.vendor.example.com', role: NfKind.UPF, capabilities: ['NET_ADMIN', 'NET_RAW'] });
    expect(vendorUpf.defaultImage).toBe(NfKind.UPF.defaultImage);
    expect(vendorUpf.defaultPorts).toEqual(NfKind.UPF.defaultPorts);
    expect(vendorUpf.capabilities).toEqual(['NET_ADMIN', 'NET_RAW']);
    expect(vendorUpf.domain).toBe(NfDomain.CORE);
    expect(vendorUpf.playsRole(NfKind.UPF)).toBe(true);
    expect(vendorUpf.playsRole(NfKind.SMF)).toBe(false);
    expect(vendorUpf.mayHaveInterface(InterfaceType.E1)).toBe(true);
    const probe = NfKind.custom({ name: 'probe', provider: 'probe.example.com' });
    expect(probe.role).toBeUndefined();
    expect(probe.playsRole(NfKind.UPF)).toBe(false);
    expect(probe.domain).toBe(NfDomain.OTHER);
    expect(probe.defaultImage).toBeUndefined();
    expect(NfKind.AMF.role).toBe(NfKind.AMF);
  });
});

describe('S-NSSAI and QoS', () => {
  test('SST is 0-255, SD exactly 6 hex digits and not the reserved ffffff', () => {
    expect(SliceServiceType.EMBB.sst).toBe(1);
    expect(SliceServiceType.URLLC.sst).toBe(2);
    expect(SliceServiceType.MMTC.sst).toBe(3);
    expect(checkSst(0)).toBeUndefined();
    expect(checkSst(255)).toBeUndefined();
    expect(checkSst(256)).toMatch(/from 0 to 255/);
    expect(checkSst(1.5)).toMatch(/whole number/);
    expect(checkSd('00000A')).toBeUndefined();
    expect(checkSd('0001')).toMatch(/exactly 6 hexadecimal digits/);
    expect(checkSd('00000g')).toMatch(/exactly 6 hexadecimal digits/);
    expect(checkSd('FFFFFF')).toMatch(/reserved/);
  });

  test('5QI resource types follow TS 23.501 table 5.7.4-1', () => {
    expect([1, 4, 65, 76].map(fiveQiResourceType)).toEqual(['GBR', 'GBR', 'GBR', 'GBR']);
    expect([5, 9, 69, 80].map(fiveQiResourceType)).toEqual(['Non-GBR', 'Non-GBR', 'Non-GBR', 'Non-GBR']);
    expect([82, 90].map(fiveQiResourceType)).toEqual(['Delay-critical GBR', 'Delay-critical GBR']);
    expect([11, 68, 75, 128].map(fiveQiResourceType)).toEqual([undefined, undefined, undefined, undefined]);
    expect(checkQos({ fiveQi: 200 })).toEqual([]);
    expect(checkQos({ fiveQi: 256 })).toEqual([expect.objectContaining({ field: 'qos.fiveQi', warning: false })]);
    expect(checkQos({ fiveQi: 82, guaranteedBitRateUplink: '1 Gbps', maximumBitRateUplink: '2Gbps', guaranteedBitRateDownlink: '500 Kbps' })).toEqual([]);
  });
});
