import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { generateIntentSchema, INTENT_SCHEMA_FILE } from '../../scripts/intent-schema';
import { intentSchema } from '../../src';
import { PROJECT_ROOT } from '../support/tmp';

const BIN = path.join(PROJECT_ROOT, 'bin/nephoran');

test('the checked-in schema is the one the TypeScript types generate (run scripts/intent-schema.ts after changing them)', () => {
  expect(fs.readFileSync(INTENT_SCHEMA_FILE, 'utf8')).toBe(generateIntentSchema());
});

test('the package ships the schema: it is compiled into lib/ and listed in package.json files', () => {
  const lib = path.join(PROJECT_ROOT, 'lib/intent/schema/intent.schema.json');
  // tsc writes imported JSON in its own layout: the same value.
  expect(JSON.parse(fs.readFileSync(lib, 'utf8'))).toEqual(JSON.parse(fs.readFileSync(INTENT_SCHEMA_FILE, 'utf8')));
  const files: string[] = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).files;
  expect(files).toContain('lib/**/*.json');
});

test('nephoran intent schema prints it', () => {
  const result = spawnSync(BIN, ['intent', 'schema'], { encoding: 'utf8' });
  expect(result.status).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual(JSON.parse(fs.readFileSync(INTENT_SCHEMA_FILE, 'utf8')));
  expect(intentSchema()).toEqual(JSON.parse(result.stdout));
});

/** Editors validate a whole file against the root schema, as yaml-language-server does. */
describe('as an editor reads it', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(intentSchema());
  const documents = fs.readdirSync(path.join(PROJECT_ROOT, 'clusters/intent')).sort().flatMap(file => {
    const text = fs.readFileSync(path.join(PROJECT_ROOT, 'clusters/intent', file), 'utf8');
    expect(text.startsWith('# yaml-language-server: $schema=../../src/intent/schema/intent.schema.json\n')).toBe(true);
    return parseAllDocuments(text).map(d => d.toJS()).filter(d => d !== null).map(d => [file, d] as const);
  });

  test('every document of the example fleet is valid', () => {
    expect(documents.length).toBeGreaterThan(30);
    for (const [file, document] of documents) {
      expect([file, document.metadata.name, validate(document), validate.errors]).toEqual([file, document.metadata.name, true, null]);
    }
  });

  test('an unknown field, a misspelt kind and a wrong type are refused', () => {
    const nf = documents.find(([, d]) => d.kind === 'NetworkFunction')![1];
    expect(validate({ ...nf, spec: { ...nf.spec, replica: 2 } })).toBe(false);
    expect(validate({ ...nf, kind: 'NetworkFunctions' })).toBe(false);
    expect(validate({ ...nf, spec: { ...nf.spec, replicas: 'two' } })).toBe(false);
    expect(validate({ ...nf, metadata: { ...nf.metadata, owner: 'me' } })).toBe(false);
    expect(validate(nf)).toBe(true);
  });
});
