import type Ajv from 'ajv';
import type { FormatDefinition } from 'ajv';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
// RFC 3339 date-time, the layout Kubernetes metav1.Time serializes to.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * The OpenAPI formats that validation checks. The schema converters drop every other format, so a
 * schema never names a format ajv does not know (Kubernetes also ignores formats it does not know).
 */
export const SUPPORTED_FORMATS: Readonly<Record<string, FormatDefinition<number> | FormatDefinition<string>>> = {
  'int32': { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX },
  'int64': { type: 'number', validate: (n: number) => Number.isInteger(n) },
  'date-time': { type: 'string', validate: (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))) },
};

export function isSupportedFormat(format: unknown): format is string {
  return typeof format === 'string' && Object.prototype.hasOwnProperty.call(SUPPORTED_FORMATS, format);
}

export function addSupportedFormats(ajv: Ajv): void {
  for (const [name, format] of Object.entries(SUPPORTED_FORMATS)) ajv.addFormat(name, format);
}
