import type { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { createAjv } from './ajv-instance';

/** Where the generated validators live (their code requires the formats and keyword functions of this folder). */
export const STANDALONE_VALIDATORS_FILE = 'src/apis/validation/precompiled-validators.json';

/** The generated file: ajv standalone code (CommonJS), kept as JSON so that it loads without a transpiler. */
export interface StandaloneValidators {
  readonly comment: string;
  readonly code: string;
}

let loaded: Record<string, ValidateFunction> | null | undefined;

/**
 * The validator generated ahead of time (ajv standalone code) for the schema known by `key`, or
 * undefined when none was generated for it (or NEPHORAN_COMPILE_SCHEMAS is set): evaluating the
 * generated code takes a few tens of milliseconds where compiling the schemas took hundreds.
 */
export function precompiledValidator(key: string): ValidateFunction | undefined {
  if (loaded === undefined) loaded = process.env.NEPHORAN_COMPILE_SCHEMAS ? null : loadStandalone();
  return loaded ? loaded[key] : undefined;
}

function loadStandalone(): Record<string, ValidateFunction> {
  // Required on first use, not imported, so that a program that never validates does not load its 2.5 MB.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { code } = (require('./precompiled-code') as typeof import('./precompiled-code')).PRECOMPILED_VALIDATORS;
  const exports: Record<string, ValidateFunction> = {};
  // What ajv does with the code it generates, without generating it: evaluate it as a function
  // body. Its require() calls name this folder's modules and ajv's runtime.
  new Function('exports', 'require', code)(exports, require);
  return exports;
}

/**
 * The content of precompiled-validators.json: every schema, by its key, compiled with the options
 * of the shared instance into standalone code.
 */
export function standaloneValidatorsSource(schemas: ReadonlyArray<readonly [string, object]>): string {
  const ajv = createAjv(true);
  // Ids without a path, so that the schemas' references resolve as they do when compiled alone.
  schemas.forEach(([, schema], index) => ajv.addSchema(schema, `precompiled-${index}`));
  const code = standaloneCode(ajv, Object.fromEntries(schemas.map(([key], index) => [key, `precompiled-${index}`])));
  const generated: StandaloneValidators = {
    comment: 'Generated from the bundled schemas by `npx projen validators` (scripts/generate-validators.ts): do not edit.',
    code,
  };
  return JSON.stringify(generated, null, 1) + '\n';
}
