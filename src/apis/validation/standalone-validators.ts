import type { ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { createAjv } from './ajv-instance';

/**
 * Where the generated validators live: one module per schema and an index of loaders (their code
 * requires the formats and keyword functions of this folder, so it is evaluated from here).
 */
export const STANDALONE_VALIDATORS_DIR = 'src/apis/validation/precompiled';

const GENERATED_NOTE = '// Generated from the bundled schemas by `npx projen validators` (scripts/generate-validators.ts): do not edit.';

let loaders: Readonly<Record<string, () => string>> | null | undefined;
const evaluated = new Map<string, ValidateFunction | undefined>();

/**
 * The validator generated ahead of time (ajv standalone code) for the schema known by `key`, or
 * undefined when none was generated for it (or NEPHORAN_COMPILE_SCHEMAS is set): evaluating the
 * generated code takes milliseconds where compiling the schema took tens of them. Only the module
 * of that schema is loaded.
 */
export function precompiledValidator(key: string): ValidateFunction | undefined {
  if (loaders === undefined) {
    // Required on first use, not imported, so that a program that never validates loads none of it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaders = process.env.NEPHORAN_COMPILE_SCHEMAS ? null : (require('./precompiled') as typeof import('./precompiled')).PRECOMPILED_VALIDATORS;
  }
  if (!loaders) return undefined;
  if (!evaluated.has(key)) {
    const load = Object.prototype.hasOwnProperty.call(loaders, key) ? loaders[key] : undefined;
    evaluated.set(key, load ? evaluate(load()) : undefined);
  }
  return evaluated.get(key);
}

/**
 * What ajv does with the code it generates, without generating it: evaluate it as a function body.
 * Its require() calls name this folder's modules and ajv's runtime. Each schema's code is evaluated
 * when first needed: a synth that meets only Kptfiles and core kinds parses only the Kptfile's.
 */
function evaluate(code: string): ValidateFunction {
  const module: { exports: ValidateFunction | Record<string, never> } = { exports: {} };
  new Function('module', 'exports', 'require', code)(module, module.exports, require);
  return module.exports as ValidateFunction;
}

/**
 * The files of STANDALONE_VALIDATORS_DIR, by name: every schema compiled alone, with the options of
 * the shared instance, into standalone code held by a module of its own (`v00.ts`...), and
 * `index.ts` mapping each schema key to a loader of its module.
 */
export function standaloneValidatorsSource(schemas: ReadonlyArray<readonly [string, object]>): Map<string, string> {
  const files = new Map<string, string>();
  const entries: string[] = [];
  schemas.forEach(([key, schema], index) => {
    const ajv = createAjv(true);
    // An id without a path, so that the schema's references resolve as they do when compiled alone.
    ajv.addSchema(schema, 'precompiled');
    const module = `v${String(index).padStart(2, '0')}`;
    // Typed as string, so that the declaration file does not repeat the code as a literal type.
    files.set(`${module}.ts`, `${GENERATED_NOTE}\n/* eslint-disable */\nexport const CODE: string = ${JSON.stringify(standaloneCode(ajv, ajv.getSchema('precompiled')!))};\n`);
    entries.push(`  ${JSON.stringify(key)}: () => require('./${module}').CODE,`);
  });
  files.set('index.ts', [
    GENERATED_NOTE,
    '/* eslint-disable */',
    '/** Per schema key, the loader of its ajv standalone code: each module is required when its schema is first needed. */',
    'export const PRECOMPILED_VALIDATORS: Readonly<Record<string, () => string>> = {',
    ...entries,
    '};',
    '',
  ].join('\n'));
  return files;
}
