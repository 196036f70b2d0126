import { BUNDLES, schemaKey } from './custom-resources';
import { KPTFILE_SCHEMA_KEY } from './kptfile';
import kptfileSchema from './schemas/kptfile.json';

/** Every schema the validators are generated for ahead of time, by the key they are looked up by. */
export function precompiledSchemas(): Array<[string, object]> {
  const schemas: Array<[string, object]> = [[KPTFILE_SCHEMA_KEY, kptfileSchema]];
  for (const bundle of BUNDLES) {
    bundle.schemas.forEach((schema, index) => schemas.push([schemaKey(bundle, index), schema as object]));
  }
  return schemas;
}
