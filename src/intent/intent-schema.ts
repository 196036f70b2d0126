import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { FieldSegment } from './intent-source';
import SCHEMA from './schema/intent.schema.json';
import { INTENT_KINDS, IntentKind } from './types';
import { toViolations } from '../apis/validation/ajv-errors';

/** The apiVersion every intent document carries. */
export const INTENT_API_VERSION = 'nephoran.io/v1alpha1';

/**
 * The JSON Schema of the intent documents (generated from src/intent/types.ts), for editors:
 * `# yaml-language-server: $schema=<path or URL of intent.schema.json>`.
 */
export function intentSchema(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(SCHEMA));
}

/** One schema violation of a document: where, which field, what would be valid. */
export interface IntentViolation {
  /** The path to the field, from the document's root. */
  readonly segments: FieldSegment[];
  /** True when the problem is the field's key itself (an unknown field). */
  readonly atKey: boolean;
  readonly message: string;
}

let validators: Map<IntentKind, ValidateFunction> | undefined;

function validatorOf(kind: IntentKind): ValidateFunction {
  if (!validators) {
    // An instance of its own: the intent schema is draft-07 with its own $id, apart from the CRDs.
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, allowUnionTypes: true });
    ajv.addSchema(SCHEMA as object);
    validators = new Map(INTENT_KINDS.map(k => [k, ajv.getSchema(`${(SCHEMA as { $id: string }).$id}#/definitions/${k}Document`)!] as const));
  }
  return validators.get(kind)!;
}

/** True for a kind of intent document. */
export function isIntentKind(kind: unknown): kind is IntentKind {
  return typeof kind === 'string' && (INTENT_KINDS as readonly string[]).includes(kind);
}

/** Every violation of the kind's schema in `document`, unknown fields included. */
export function validateIntentDocument(kind: IntentKind, document: unknown): IntentViolation[] {
  const validate = validatorOf(kind);
  if (validate(document)) return [];
  const violations: IntentViolation[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    // The branches of anyOf are noise beside the error of the anyOf itself.
    if (/\/(anyOf|oneOf)\/\d+\//.test(error.schemaPath)) continue;
    const [violation] = toViolations([error], document);
    if (!violation) continue;
    const { segments, atKey } = segmentsOf(error);
    const key = `${segments.join('\u0000')}\u0001${violation.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // YAML reads 000001, 1.0 or yes as a number or a boolean; the fix is quoting it.
    const quote = error.keyword === 'type' && (error.params as { type?: string }).type === 'string' && ['number', 'boolean'].includes(typeof error.data)
      ? ` (YAML reads ${JSON.stringify(error.data)} unquoted as a ${typeof error.data}: quote the value to keep it a string)` : '';
    violations.push({ segments, atKey, message: violation.message + quote });
  }
  return violations;
}

function segmentsOf(error: ErrorObject): { segments: FieldSegment[]; atKey: boolean } {
  const segments: FieldSegment[] = error.instancePath === ''
    ? []
    : error.instancePath.split('/').slice(1).map(raw => {
      const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(segment) ? Number(segment) : segment;
    });
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return { segments: [...segments, String(params.additionalProperty)], atKey: true };
  if (error.keyword === 'required') return { segments: [...segments, String(params.missingProperty)], atKey: false };
  return { segments, atKey: false };
}
