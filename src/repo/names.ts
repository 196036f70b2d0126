// The Kubernetes name rules every layer checks names by (objects, packages, repositories, waves).

/** DNS-1123 label: lowercase alphanumerics and '-', starting and ending alphanumeric, at most 63. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain: labels joined by '.', at most 253. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Returns why `name` is not a DNS-1123 label, or undefined when it is one. */
export function checkDnsLabel(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'must be a non-empty DNS-1123 label (lowercase letters, digits and "-")';
  if (name.length > 63) return `"${name}" is ${name.length} characters; a DNS-1123 label has at most 63`;
  if (!DNS1123_LABEL.test(name)) return `"${name}" is not a DNS-1123 label: use lowercase letters, digits and "-", starting and ending with a letter or digit`;
  return undefined;
}

/** Returns why `name` is not a DNS-1123 subdomain, or undefined when it is one. */
export function checkDnsSubdomain(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'must be a non-empty DNS-1123 subdomain (lowercase letters, digits, "-" and ".")';
  if (name.length > 253) return `"${name}" is ${name.length} characters; a DNS-1123 subdomain has at most 253`;
  if (!DNS1123_SUBDOMAIN.test(name)) return `"${name}" is not a DNS-1123 subdomain: use lowercase letters, digits, "-" and ".", each part starting and ending with a letter or digit`;
  return undefined;
}

/** Turns a construct id into a DNS-1123 label fragment: `MyAmf_01` -> `myamf-01`. */
export function toDnsFragment(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
}
