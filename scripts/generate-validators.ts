/**
 * Writes src/apis/validation/precompiled/: the bundled CRD schemas and the Kptfile schema compiled
 * ahead of time into ajv standalone code, one module per schema, so that a synth loads the
 * validators it needs instead of compiling them. Run after changing a schema or the validation
 * options (test/apis/precompiled-validators.test.ts fails while the folder is out of date):
 *
 *   npx projen validators
 */
import * as fs from 'fs';
import * as path from 'path';
import { precompiledSchemas } from '../src/apis/validation/precompiled-schemas';
import { STANDALONE_VALIDATORS_DIR, standaloneValidatorsSource } from '../src/apis/validation/standalone-validators';

const dir = path.join(__dirname, '..', STANDALONE_VALIDATORS_DIR);
const files = standaloneValidatorsSource(precompiledSchemas());
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
let bytes = 0;
for (const [name, content] of files) {
  fs.writeFileSync(path.join(dir, name), content);
  bytes += Buffer.byteLength(content);
}
process.stdout.write(`wrote ${files.size} files in ${STANDALONE_VALIDATORS_DIR} (${bytes.toLocaleString('en-US')} bytes)\n`);
