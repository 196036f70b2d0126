import type { ErrorObject } from 'ajv';
import { appendKey, describeValue, isPlainObject, jsonTypeOf, resolvePointer } from './field-path';
import { SchemaViolation } from './schema-violation';

/**
 * Turns ajv errors into violations with a field path and a message that says what would be valid.
 * `root` is the validated object, used to name the offending values.
 */
export function toViolations(errors: readonly ErrorObject[] | null | undefined, root: unknown): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    // Branch errors of anyOf/oneOf are noise next to the summary error of the branch point.
    if (/\/(anyOf|oneOf)\/\d+\//.test(error.schemaPath) || error.keyword === 'propertyNames') continue;
    const violation = toViolation(error, root);
    const key = `${violation.field}\u0000${violation.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      violations.push(violation);
    }
  }
  return violations;
}

function toViolation(error: ErrorObject, root: unknown): SchemaViolation {
  const { path, value } = resolvePointer(root, error.instancePath);
  const params = error.params as Record<string, unknown>;
  const hint = isPlainObject(error.parentSchema) && typeof error.parentSchema.errorHint === 'string' ? error.parentSchema.errorHint : undefined;
  const propertyName = (error as { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    return { field: appendKey(path, propertyName), message: `invalid key ${JSON.stringify(propertyName)}: ${hint ?? error.message}` };
  }
  const got = `; got ${describeValue(value)}`;
  switch (error.keyword) {
    case 'required':
      return { field: appendKey(path, String(params.missingProperty)), message: 'required field is missing' };
    case 'additionalProperties':
      const unknown = String(params.additionalProperty);
      return { field: appendKey(path, unknown), message: unknownFieldMessage(unknown, error.parentSchema) };
    case 'enum':
      return { field: path, message: `${hint ?? `must be one of ${formatList(params.allowedValues)}`}${got}` };
    case 'const':
      return { field: path, message: `must be ${describeValue(params.allowedValue)}${got}` };
    case 'type':
      return { field: path, message: `must be ${String(params.type).split(',').join(' or ')}; got ${jsonTypeOf(value)}` };
    case 'pattern':
      return { field: path, message: `${hint ?? `must match the pattern ${String(params.pattern)}`}${got}` };
    case 'format':
      return { field: path, message: `must be a valid ${String(params.format)}${got}` };
    case 'maxLength':
    case 'minLength':
      return { field: path, message: `${hint ?? `must be ${boundWord(error.keyword)} ${String(params.limit)} characters long`}; got ${String((value as string).length)}` };
    case 'maxItems':
    case 'minItems':
      return { field: path, message: `${hint ?? `must have ${boundWord(error.keyword)} ${String(params.limit)} items`}; got ${String((value as unknown[]).length)}` };
    case 'maxProperties':
    case 'minProperties':
      return { field: path, message: `${hint ?? `must have ${boundWord(error.keyword)} ${String(params.limit)} entries`}; got ${String(Object.keys(value as object).length)}` };
    case 'maximum':
    case 'minimum':
    case 'exclusiveMaximum':
    case 'exclusiveMinimum':
      return { field: path, message: `must be ${String(params.comparison)} ${String(params.limit)}${got}` };
    case 'uniqueItems':
      return { field: path, message: `items ${Math.min(Number(params.i), Number(params.j))} and ${Math.max(Number(params.i), Number(params.j))} are equal; items must be unique` };
    case 'anyOf':
    case 'oneOf':
      return { field: path, message: `${hint ?? `must match ${error.keyword === 'oneOf' ? 'exactly one' : 'at least one'} of the allowed forms`}${got}` };
    default:
      return { field: path, message: hint ?? error.message ?? `fails the ${error.keyword} rule` };
  }
}

function unknownFieldMessage(field: string, parentSchema: unknown): string {
  const known = isPlainObject(parentSchema) && isPlainObject(parentSchema.properties) ? Object.keys(parentSchema.properties).sort() : [];
  if (known.length === 0) return `unknown field "${field}"; this object takes no fields`;
  return `unknown field "${field}"; known fields here: ${known.join(', ')}`;
}

function boundWord(keyword: string): string {
  return keyword.startsWith('max') ? 'at most' : 'at least';
}

function formatList(values: unknown): string {
  return Array.isArray(values) ? values.map(v => describeValue(v)).join(', ') : describeValue(values);
}
