/**
 * Regenerates the JSON Schema of the NetworkIntent kinds from their TypeScript types
 * (src/intent/types.ts):
 *
 *   npx projen intent-schema
 *
 * writes src/intent/schema/intent.schema.json, which the loader validates documents against,
 * `nephoran intent schema` prints and the package ships. test/intent/schema.test.ts generates it
 * in memory and fails when the committed copy differs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { createGenerator } from 'ts-json-schema-generator';

const PROJECT_ROOT = path.resolve(__dirname, '..');
export const INTENT_TYPES_FILE = path.join(PROJECT_ROOT, 'src/intent/types.ts');
export const INTENT_SCHEMA_FILE = path.join(PROJECT_ROOT, 'src/intent/schema/intent.schema.json');
/** The schema's id: where its raw file is on the project's main branch (the package ships the same file). */
export const INTENT_SCHEMA_ID = 'https://raw.githubusercontent.com/nephoran/nephoran-gitops/main/src/intent/schema/intent.schema.json';

/** The schema as JSON text, one definition per document kind, unknown fields refused everywhere. */
export function generateIntentSchema(): string {
  const schema = createGenerator({
    path: INTENT_TYPES_FILE,
    tsconfig: path.join(PROJECT_ROOT, 'tsconfig.json'),
    type: 'IntentDocument',
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    // Every object refuses fields its type does not declare: a misspelt field is an error.
    additionalProperties: false,
    sortProps: true,
    strictTuples: true,
    skipTypeCheck: true,
  }).createSchema('IntentDocument');
  moveDescriptiveDefaults(schema);
  const withId = { $schema: schema.$schema, $id: INTENT_SCHEMA_ID, title: 'nephoran-gitops NetworkIntent document', ...schema };
  return JSON.stringify(withId, null, 2) + '\n';
}

/**
 * The library writes `@default - <what happens>` (or names a TypeScript constant) for a default
 * that is no literal value. Such a text is no value an editor could insert: it goes into the
 * description instead.
 */
function moveDescriptiveDefaults(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) moveDescriptiveDefaults(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  // `- <what happens>`, or a TypeScript constant such as `SecretStoreKind.CLUSTER_SECRET_STORE`.
  const descriptive = typeof record.default === 'string' && (record.default.startsWith('- ') || /^[A-Z]\w*\.[A-Z_]+$/.test(record.default));
  if (descriptive) {
    const text = `Default: ${(record.default as string).replace(/^- /, '')}.`;
    record.description = typeof record.description === 'string' ? `${record.description} ${text}` : text;
    delete record.default;
  }
  for (const value of Object.values(record)) moveDescriptiveDefaults(value);
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(INTENT_SCHEMA_FILE), { recursive: true });
  fs.writeFileSync(INTENT_SCHEMA_FILE, generateIntentSchema());
  process.stdout.write(`wrote ${path.relative(process.cwd(), INTENT_SCHEMA_FILE)}\n`);
}
