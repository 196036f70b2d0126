/**
 * Writes src/apis/validation/precompiled-validators.ts: the bundled CRD schemas and the Kptfile
 * schema compiled ahead of time into ajv standalone code, so that a synth loads its validators
 * instead of compiling them. Run after changing a schema or the validation options
 * (test/apis/precompiled-validators.test.ts fails while the file is out of date):
 *
 *   npx projen validators
 */
import * as fs from 'fs';
import * as path from 'path';
import { precompiledSchemas } from '../src/apis/validation/precompiled-schemas';
import { STANDALONE_VALIDATORS_FILE, standaloneValidatorsSource } from '../src/apis/validation/standalone-validators';

const file = path.join(__dirname, '..', STANDALONE_VALIDATORS_FILE);
fs.writeFileSync(file, standaloneValidatorsSource(precompiledSchemas()));
process.stdout.write(`wrote ${STANDALONE_VALIDATORS_FILE} (${fs.statSync(file).size.toLocaleString('en-US')} bytes)\n`);
