import { checkDnsLabel, checkDnsSubdomain } from '../repo/names';

export { DNS1123_LABEL, DNS1123_SUBDOMAIN, checkDnsLabel, checkDnsSubdomain, toDnsFragment } from '../repo/names';

/** Kinds whose names must be DNS-1123 labels rather than subdomains. */
const LABEL_NAMED_KINDS = new Set(['Namespace', 'Service']);

/** Checks an object's metadata.name by the rule of its kind. */
export function checkObjectName(kind: string, name: string): string | undefined {
  return LABEL_NAMED_KINDS.has(kind) ? checkDnsLabel(name) : checkDnsSubdomain(name);
}
