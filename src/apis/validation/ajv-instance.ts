import Ajv, { SchemaValidateFunction } from 'ajv';
import { addSupportedFormats } from './formats';
import { isPlainObject } from './field-path';
import { OBJECT_META_SCHEMA } from './object-meta';

/** `x-kubernetes-list-type: map`: no two items may share the values of the list-map keys. */
const uniqueByListMapKeys: SchemaValidateFunction = (keys: string[], items: unknown[]) => {
  const seen = new Map<string, number>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isPlainObject(item)) continue;
    const identity = JSON.stringify(keys.map(k => item[k]));
    const first = seen.get(identity);
    if (first !== undefined) {
      uniqueByListMapKeys.errors = [{
        keyword: 'listMapKeys',
        params: { keys, first, duplicate: i },
        message: `items ${first} and ${i} have the same ${keys.join(', ')}; each item must be unique by ${keys.join(', ')}`,
      }];
      return false;
    }
    seen.set(identity, i);
  }
  return true;
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

function createAjv(): Ajv {
  const ajv = new Ajv({
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
  ajv.addKeyword({ keyword: 'listMapKeys', type: 'array', schemaType: 'array', errors: true, validate: uniqueByListMapKeys });
  ajv.addSchema(OBJECT_META_SCHEMA);
  return ajv;
}
