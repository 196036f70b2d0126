import { Protocol } from 'cdk8s-plus-28';
import { NfPort } from './interfaces';
import { toDnsFragment } from '../kpt/naming';
import { DNS1123_LABEL } from '../repo/names';
import { SynthContext } from '../repo/synth-context';

/**
 * Problems found in a construct's props. Checked eagerly (in the constructor and in each addX()),
 * reported together at synth so that one SynthError lists every problem of the repository.
 */
export class PropProblems {
  private readonly list: Array<{ path?: string; field: string; message: string; warning: boolean }> = [];

  /** Records an error on `field`; `path` overrides the construct path it is reported under. */
  public add(field: string, message: string, path?: string): void {
    this.list.push({ field, message, path, warning: false });
  }

  /** Records a warning: reported, but synth still succeeds. */
  public warn(field: string, message: string, path?: string): void {
    this.list.push({ field, message, path, warning: true });
  }

  /** Records each message returned by a check, on `field`. */
  public addAll(field: string, messages: readonly string[], path?: string): void {
    for (const message of messages) this.add(field, message, path);
  }

  public get isEmpty(): boolean {
    return this.list.length === 0;
  }

  /** Hands every recorded problem to the synth, under `defaultPath` unless one was given. */
  public report(defaultPath: string, context: SynthContext): void {
    for (const p of this.list) {
      if (p.warning) context.problems.warn(p.path ?? defaultPath, p.field, p.message);
      else context.problems.add(p.path ?? defaultPath, p.field, p.message);
    }
  }
}

/** A parsed container image reference. */
export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

// The grammar of github.com/distribution/reference (what container runtimes accept).
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const IMAGE_REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);

/**
 * Parses an image reference (`registry/path:tag`, `registry/path@sha256:...` or both) and
 * requires a tag or a digest: an image without either runs whatever `latest` is that day.
 */
export function parseImageReference(image: string): ImageReference | { error: string } {
  if (typeof image !== 'string' || image.length === 0) {
    return { error: 'must be a non-empty image reference such as "docker.io/free5gc/amf:v3.4.3" or "registry.example.com/amf@sha256:<64 hex digits>"' };
  }
  if (image.length > 255 + 128 + 72) return { error: `"${image.slice(0, 40)}..." is too long for an image reference` };
  const match = IMAGE_REFERENCE.exec(image);
  if (!match) {
    return { error: `"${image}" is not a valid image reference: expected [registry[:port]/]path[:tag][@algorithm:hex], with a lowercase path` };
  }
  const [, repository, tag, digest] = match;
  if (repository.length > 255) return { error: `"${image}" has a repository name over 255 characters` };
  if (digest && digest.startsWith('sha256:') && digest.length !== 'sha256:'.length + 64) {
    return { error: `"${image}" has a sha256 digest that is not 64 hex digits` };
  }
  if (!tag && !digest) {
    return { error: `"${image}" has neither a tag nor a digest; pin one, e.g. "${image}:v1.2.3" or "${image}@sha256:<64 hex digits>"` };
  }
  return { repository, tag, digest };
}

/** A Kubernetes resource quantity (`500m`, `2`, `512Mi`, `1e3`). */
const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?(?:\d+(?:\.\d*)?|\.\d+))?$/;

const QUANTITY_SUFFIXES: Record<string, number> = {
  'n': 1e-9,
  'u': 1e-6,
  'm': 1e-3,
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/** Returns why `value` is not a non-negative Kubernetes quantity, or undefined when it is one. */
export function checkQuantity(value: unknown): string | undefined {
  if (typeof value !== 'string' || !QUANTITY.test(value)) {
    return `${JSON.stringify(value)} is not a Kubernetes quantity; use e.g. "500m", "2", "512Mi" or "10G"`;
  }
  if (value.startsWith('-')) return `"${value}" is negative; a quantity here must be zero or more`;
  return undefined;
}

/** The value of a valid quantity in base units (cores, bytes, bits/s). */
export function parseQuantity(value: string): number {
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))([a-zA-Z]*)$/.exec(value);
  if (match && match[2] in QUANTITY_SUFFIXES) return Number(match[1]) * QUANTITY_SUFFIXES[match[2]];
  return Number(value); // exponent form, e.g. 1e3
}

const BIT_RATE = /^(\d+(?:\.\d+)?) ?(bps|Kbps|Mbps|Gbps|Tbps)$/;
const BIT_RATE_UNITS: Record<string, number> = { bps: 1, Kbps: 1e3, Mbps: 1e6, Gbps: 1e9, Tbps: 1e12 };

/** Parses a bit rate as free5gc and 3GPP configuration write it (`100 Mbps`); undefined when invalid. */
export function parseBitRate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = BIT_RATE.exec(value);
  return match ? Number(match[1]) * BIT_RATE_UNITS[match[2]] : undefined;
}

/** True for an integer within [min, max]. */
export function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** Returns why `key` cannot be a ConfigMap data key, or undefined. */
export function checkConfigMapKey(key: string): string | undefined {
  if (typeof key !== 'string' || !CONFIG_MAP_KEY.test(key) || key.length > 253 || key === '.' || key === '..') {
    return `${JSON.stringify(key)} cannot be a ConfigMap key: use letters, digits, "-", "_" and "." (at most 253, not "." or "..")`;
  }
  return undefined;
}

const IPV4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${IPV4_OCTET}(?:\\.${IPV4_OCTET}){3}$`);

export function isIpv4Address(value: unknown): boolean {
  return typeof value === 'string' && IPV4.test(value);
}

/** An IPv4 address or network with its prefix length, e.g. `10.0.3.7/24`. */
export function isIpv4Cidr(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const [address, prefix, ...rest] = value.split('/');
  return rest.length === 0 && isIpv4Address(address) && prefix !== undefined && /^(?:[0-9]|[12][0-9]|3[0-2])$/.test(prefix);
}

/** An IPv6 network with its prefix length, e.g. `2001:db8::/64`. */
export function isIpv6Cidr(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || prefix === undefined || !/^(?:\d|[1-9]\d|1[01]\d|12[0-8])$/.test(prefix)) return false;
  if (!/^[0-9a-fA-F:]+$/.test(address) || (address.match(/::/g) ?? []).length > 1) return false;
  const groups = address.split(':').filter(g => g !== '');
  return groups.every(g => g.length <= 4) && (address.includes('::') ? groups.length < 8 : groups.length === 8);
}

/** A port name as Kubernetes requires it (IANA_SVC_NAME). */
export function checkPortName(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > 15 || !DNS1123_LABEL.test(name) || name.includes('--') || !/[a-z]/.test(name)) {
    return `${JSON.stringify(name)} is not a valid port name: at most 15 lowercase letters, digits and single "-", with at least one letter`;
  }
  return undefined;
}

/** Problems of one port: name, number and protocol. */
export function checkPort(port: NfPort): string[] {
  const problems: string[] = [];
  const nameError = checkPortName(port?.name);
  if (nameError) problems.push(nameError);
  if (!isIntegerIn(port?.port, 1, 65535)) problems.push(`port ${JSON.stringify(port?.port)} of "${port?.name}" must be an integer from 1 to 65535`);
  if (port?.protocol !== undefined && !Object.values(Protocol).includes(port.protocol)) {
    problems.push(`protocol ${JSON.stringify(port.protocol)} of "${port.name}" must be TCP, UDP or SCTP`);
  }
  return problems;
}

/** A DNS-1123 label resembling an invalid one, so that one bad name is reported once, on the prop. */
export function fallbackLabel(invalid: string): string {
  return toDnsFragment(String(invalid ?? '')).slice(0, 63).replace(/-+$/, '') || 'invalid';
}
