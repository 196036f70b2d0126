import { parseAllDocuments } from 'yaml';

/** One Kubernetes-style object in a file. */
export interface ParsedObject {
  /** `apiVersion|kind|namespace|name`: stable identity across versions of the file. */
  readonly key: string;
  /** `Kind namespace/name`, for people. */
  readonly label: string;
  readonly value: unknown;
}

/** One field that differs between two versions of an object. */
export interface FieldChange {
  /** Dotted path, e.g. `spec.template.spec.containers[0].image`. */
  readonly field: string;
  /** Compact JSON of the old value; absent when the field is new. */
  readonly before?: string;
  /** Compact JSON of the new value; absent when the field was removed. */
  readonly after?: string;
}

const MAX_FIELDS = 20;
const MAX_VALUE = 80;

/**
 * The objects a file holds: every YAML (or JSON) document with a `kind`. Undefined for files
 * that are not manifests or do not parse, which are then compared as whole files.
 */
export function parseObjects(path: string, content: Buffer): ParsedObject[] | undefined {
  const name = path.split('/').pop() ?? path;
  if (!/\.(ya?ml|json)$/.test(name) && name !== 'Kptfile') return undefined;
  try {
    const docs = parseAllDocuments(content.toString('utf8'));
    if (!Array.isArray(docs)) return undefined;
    const objects: ParsedObject[] = [];
    for (const doc of docs) {
      if (doc.errors.length > 0) return undefined;
      const value = doc.toJS() as Record<string, unknown> | null;
      if (!value || typeof value !== 'object' || typeof value.kind !== 'string') continue;
      const meta = (value.metadata ?? {}) as Record<string, unknown>;
      const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
      const objName = typeof meta.name === 'string' ? meta.name : '';
      objects.push({
        key: [String(value.apiVersion ?? ''), value.kind, ns, objName].join('|'),
        label: `${value.kind} ${ns ? ns + '/' : ''}${objName || '(unnamed)'}`,
        value,
      });
    }
    return objects.length > 0 ? objects : undefined;
  } catch {
    return undefined;
  }
}

/** Fields that differ between two values, at most 20 (the rest is summed up in the last). */
export function diffFields(before: unknown, after: unknown): FieldChange[] {
  const changes: FieldChange[] = [];
  walk(before, after, '', changes);
  if (changes.length > MAX_FIELDS) {
    const rest = changes.length - (MAX_FIELDS - 1);
    return [...changes.slice(0, MAX_FIELDS - 1), { field: `(and ${rest} more fields)` }];
  }
  return changes;
}

function walk(a: unknown, b: unknown, at: string, out: FieldChange[]): void {
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) walk(a[key], b[key], at ? `${at}.${fieldName(key)}` : fieldName(key), out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${at}[${i}]`, out);
    return;
  }
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  out.push({ field: at || '(document)', before: render(a), after: render(b) });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fieldName(key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key);
}

function render(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const text = JSON.stringify(v);
  return text.length > MAX_VALUE ? text.slice(0, MAX_VALUE - 1) + '…' : text;
}
