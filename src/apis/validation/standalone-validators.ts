import type { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { createAjv } from './ajv-instance';

/** Where the generated validators live (their code requires the formats and keyword functions of this folder). */
export const STANDALONE_VALIDATORS_FILE = 'src/apis/validation/precompiled-validators.json';

/**
 * The generated file: per schema key, ajv standalone code (CommonJS) for that schema alone, kept as
 * JSON so that it loads without a transpiler.
 */
export interface StandaloneValidators {
  readonly comment: string;
  readonly validators: Readonly<Record<string, string>>;
}

let generated: StandaloneValidators | null | undefined;
const evaluated = new Map<string, ValidateFunction | undefined>();

/**
 * The validator generated ahead of time (ajv standalone code) for the schema known by `key`, or
 * undefined when none was generated for it (or NEPHORAN_COMPILE_SCHEMAS is set): evaluating the
 * generated code takes a few tens of milliseconds where compiling the schemas took hundreds.
 */
export function precompiledValidator(key: string): ValidateFunction | undefined {
  if (generated === undefined) {
    // Required on first use, not imported, so that a program that never validates does not load its megabytes.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    generated = process.env.NEPHORAN_COMPILE_SCHEMAS ? null : (require('./precompiled-code') as typeof import('./precompiled-code')).PRECOMPILED_VALIDATORS;
  }
  if (!generated) return undefined;
  if (!evaluated.has(key)) evaluated.set(key, evaluate(generated.validators[key]));
  return evaluated.get(key);
}

/**
 * What ajv does with the code it generates, without generating it: evaluate it as a function body.
 * Its require() calls name this folder's modules and ajv's runtime. Each schema's code is evaluated
 * when first needed: a synth that meets only Kptfiles and core kinds parses only the Kptfile's.
 */
function evaluate(code: string | undefined): ValidateFunction | undefined {
  if (code === undefined) return undefined;
  const module: { exports: ValidateFunction | Record<string, never> } = { exports: {} };
  new Function('module', 'exports', 'require', code)(module, module.exports, require);
  return module.exports as ValidateFunction;
}

/**
 * The content of precompiled-validators.json: every schema, by its key, compiled alone with the
 * options of the shared instance into standalone code.
 */
export function standaloneValidatorsSource(schemas: ReadonlyArray<readonly [string, object]>): string {
  const validators: Record<string, string> = {};
  for (const [key, schema] of schemas) {
    const ajv = createAjv(true);
    // An id without a path, so that the schema's references resolve as they do when compiled alone.
    ajv.addSchema(schema, 'precompiled');
    validators[key] = standaloneCode(ajv, ajv.getSchema('precompiled')!);
  }
  const file: StandaloneValidators = {
    comment: 'Generated from the bundled schemas by `npx projen validators` (scripts/generate-validators.ts): do not edit.',
    validators,
  };
  return JSON.stringify(file, null, 1) + '\n';
}
