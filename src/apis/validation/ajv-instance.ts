import Ajv, { _, KeywordCxt, KeywordDefinition } from 'ajv';
import { addSupportedFormats } from './formats';
import { firstDuplicateByListMapKeys } from './list-map-keys';
import { OBJECT_META_SCHEMA } from './object-meta';

/**
 * `x-kubernetes-list-type: map`: no two items may share the values of the list-map keys. Defined
 * by the code it generates (calling firstDuplicateByListMapKeys), so that standalone validators
 * generated from the same instance work without it.
 */
const LIST_MAP_KEYS: KeywordDefinition = {
  keyword: 'listMapKeys',
  type: 'array',
  schemaType: 'array',
  code(cxt: KeywordCxt) {
    const find = cxt.gen.scopeValue('func', { ref: firstDuplicateByListMapKeys, code: _`require("./list-map-keys").firstDuplicateByListMapKeys` });
    const duplicate = cxt.gen.const('duplicate', _`${find}(${cxt.schemaValue}, ${cxt.data})`);
    cxt.setParams({ duplicate });
    cxt.fail(_`${duplicate} !== undefined`);
  },
  error: {
    message: ({ params }) => _`${params.duplicate}.message`,
    params: ({ params }) => _`{keys: ${params.duplicate}.keys, first: ${params.duplicate}.first, duplicate: ${params.duplicate}.duplicate}`,
  },
};

let shared: Ajv | undefined;

/**
 * The one ajv instance every bundled schema compiles into (created on first use). `verbose` keeps
 * the failing schema on each error so messages can list the allowed fields and values.
 */
export function sharedAjv(): Ajv {
  if (!shared) shared = createAjv();
  return shared;
}

/**
 * A new instance with the options, formats, keywords and shared schemas every bundled schema is
 * compiled with; `source` keeps the generated code, for standalone validators (whose code requires
 * the formats and keyword functions from this folder).
 */
export function createAjv(source = false): Ajv {
  const ajv = new Ajv({
    ...(source ? { code: { source: true, formats: _`require("./formats").SUPPORTED_FORMATS` } } : {}),
    allErrors: true,
    verbose: true,
    allowUnionTypes: true,
    strictTypes: false,
    strictRequired: false,
    // CRD patterns are written for Go's RE2, which does not follow the JavaScript unicode-mode escaping rules.
    unicodeRegExp: false,
  });
  addSupportedFormats(ajv);
  // Human wording for a pattern or enum, shown instead of the raw regular expression.
  ajv.addKeyword({ keyword: 'errorHint', schemaType: 'string' });
  ajv.addKeyword(LIST_MAP_KEYS);
  ajv.addSchema(OBJECT_META_SCHEMA);
  return ajv;
}
