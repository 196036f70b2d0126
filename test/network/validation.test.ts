import { checkConfigMapKey, checkPortName, checkQuantity, isIpv4Cidr, isIpv6Cidr, parseBitRate, parseImageReference, parseQuantity } from '../../src/network/validation';

describe('image references', () => {
  const digest = 'sha256:' + '0123456789abcdef'.repeat(4);
  test.each([
    ['docker.io/free5gc/amf:v3.4.3', { repository: 'docker.io/free5gc/amf', tag: 'v3.4.3' }],
    ['nginx:1.25', { repository: 'nginx', tag: '1.25' }],
    [`localhost:5000/core/smf@${digest}`, { repository: 'localhost:5000/core/smf', digest }],
    [`nexus3.o-ran-sc.org:10002/o-ran-sc/ric-plt-e2:6.0.4@${digest}`, { repository: 'nexus3.o-ran-sc.org:10002/o-ran-sc/ric-plt-e2', tag: '6.0.4', digest }],
  ])('%s is valid', (image, parsed) => {
    expect(parseImageReference(image)).toEqual(parsed);
  });

  test.each([
    ['docker.io/free5gc/amf', /neither a tag nor a digest/],
    ['docker.io/Free5gc/amf:v1', /not a valid image reference/],
    ['amf@sha256:abc', /not a valid image reference/],
    [`amf@sha256:${'a'.repeat(65)}`, /not 64 hex digits/],
    ['amf:-bad', /not a valid image reference/],
    ['', /non-empty/],
  ])('%s is rejected', (image, message) => {
    const parsed = parseImageReference(image);
    expect('error' in parsed && parsed.error).toMatch(message);
  });
});

test('quantities', () => {
  expect(parseQuantity('500m')).toBeCloseTo(0.5);
  expect(parseQuantity('2')).toBe(2);
  expect(parseQuantity('1Gi')).toBe(2 ** 30);
  expect(parseQuantity('5G')).toBe(5e9);
  expect(parseQuantity('1e3')).toBe(1000);
  for (const valid of ['500m', '2', '1.5', '512Mi', '1e3', '.5']) expect(checkQuantity(valid)).toBeUndefined();
  expect(checkQuantity('1.2.3')).toMatch(/not a Kubernetes quantity/);
  expect(checkQuantity('2 Gi')).toMatch(/not a Kubernetes quantity/);
  expect(checkQuantity('-1')).toMatch(/negative/);
  expect(checkQuantity(2 as unknown as string)).toMatch(/not a Kubernetes quantity/);
});

test('bit rates are written as 3GPP and free5gc write them', () => {
  expect(parseBitRate('100 Mbps')).toBe(1e8);
  expect(parseBitRate('1Gbps')).toBe(1e9);
  expect(parseBitRate('2.5 Kbps')).toBe(2500);
  expect(parseBitRate('100 MB/s')).toBeUndefined();
  expect(parseBitRate('100')).toBeUndefined();
});

test('addresses, port names and ConfigMap keys', () => {
  expect(isIpv4Cidr('10.0.3.7/24')).toBe(true);
  expect(isIpv4Cidr('10.0.3.7')).toBe(false);
  expect(isIpv4Cidr('10.0.3.256/24')).toBe(false);
  expect(isIpv4Cidr('10.0.3.7/33')).toBe(false);
  expect(isIpv6Cidr('2001:db8:60::/48')).toBe(true);
  expect(isIpv6Cidr('2001:db8::1::/64')).toBe(false);
  expect(isIpv6Cidr('2001:db8::/129')).toBe(false);
  expect(checkPortName('gtpu')).toBeUndefined();
  expect(checkPortName('a--b')).toMatch(/not a valid port name/);
  expect(checkPortName('8080')).toMatch(/at least one letter/);
  expect(checkPortName('a-very-long-name')).toMatch(/at most 15/);
  expect(checkConfigMapKey('amfcfg.yaml')).toBeUndefined();
  expect(checkConfigMapKey('..')).toMatch(/cannot be a ConfigMap key/);
  expect(checkConfigMapKey('a/b')).toMatch(/cannot be a ConfigMap key/);
});
