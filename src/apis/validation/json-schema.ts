/** A JSON Schema (draft-07) or OpenAPI v3 schema node, as plain data. */
export type SchemaNode = { [keyword: string]: unknown };

export function isSchemaNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keywords whose meaning is the same in OpenAPI v3 (structural schemas) and JSON Schema draft-07. */
export const PASS_THROUGH_KEYWORDS = [
  'enum', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'multipleOf',
  'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'required',
] as const;
