import * as posix from 'path/posix';
import type { ValidateFunction } from 'ajv';
import { toViolations } from './ajv-errors';
import { sharedAjv } from './ajv-instance';
import { appendIndex, appendKey, isPlainObject } from './field-path';
import { SchemaViolation, sortViolations } from './schema-violation';
import kptfileSchema from './schemas/kptfile.json';
import { precompiledValidator } from './standalone-validators';

export const KPTFILE_API_VERSION = 'kpt.dev/v1';
export const KPTFILE_KIND = 'Kptfile';

/** The key of the Kptfile schema's validator in the precompiled validators. */
export const KPTFILE_SCHEMA_KEY = 'kptfile';

let validator: ValidateFunction | undefined;

/**
 * Validates a Kptfile (kpt.dev/v1) strictly against kpt's schema (unknown fields are errors, as kpt
 * decodes with known-fields checking), plus the pipeline rules kpt applies on render: each function
 * sets exactly one of `image` and `exec`, a valid image reference, and not both `configMap` and
 * `configPath`, whose path must stay inside the package. Whether a configPath file exists cannot be
 * checked from the object alone.
 */
export function validateKptfile(obj: unknown): SchemaViolation[] {
  if (!isPlainObject(obj)) return [{ field: '', message: 'a Kptfile must be an object' }];
  const violations: SchemaViolation[] = [];
  if (obj.apiVersion !== KPTFILE_API_VERSION) {
    violations.push({ field: 'apiVersion', message: `must be "${KPTFILE_API_VERSION}" (kpt refuses the deprecated v1alpha1 and v1alpha2); got ${JSON.stringify(obj.apiVersion)}` });
  }
  if (obj.kind !== KPTFILE_KIND) violations.push({ field: 'kind', message: `must be "${KPTFILE_KIND}"; got ${JSON.stringify(obj.kind)}` });
  validator ??= precompiledValidator(KPTFILE_SCHEMA_KEY) ?? sharedAjv().compile(kptfileSchema);
  if (!validator(obj)) violations.push(...toViolations(validator.errors, obj));
  violations.push(...pipelineViolations(obj.pipeline));
  return sortViolations(violations);
}

function pipelineViolations(pipeline: unknown): SchemaViolation[] {
  if (!isPlainObject(pipeline)) return [];
  const violations: SchemaViolation[] = [];
  for (const list of ['mutators', 'validators']) {
    const functions = pipeline[list];
    if (!Array.isArray(functions)) continue;
    functions.forEach((fn, index) => {
      if (isPlainObject(fn)) violations.push(...functionViolations(fn, appendIndex(appendKey('pipeline', list), index)));
    });
  }
  return violations;
}

function functionViolations(fn: Record<string, unknown>, field: string): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  const image = nonEmptyString(fn.image);
  const exec = nonEmptyString(fn.exec);
  if (!image && !exec) violations.push({ field, message: 'must set `image` or `exec`: the function to run' });
  if (image && exec) violations.push({ field, message: 'must set only one of `image` and `exec`, not both' });
  if (image && !isValidImageReference(image)) {
    violations.push({ field: `${field}.image`, message: `${JSON.stringify(image)} is not a valid image reference ([registry/]path[:tag|@sha256:digest], lowercase path)` });
  }
  const configMap = fn.configMap;
  const configPath = typeof fn.configPath === 'string' ? fn.configPath : undefined;
  if (isPlainObject(configMap) && Object.keys(configMap).length > 0 && configPath) {
    violations.push({ field, message: 'must not set both `configMap` and `configPath`' });
  }
  if (configPath !== undefined) {
    const problem = configPathProblem(configPath);
    if (problem) violations.push({ field: `${field}.configPath`, message: `${problem}; got ${JSON.stringify(configPath)}` });
  }
  return violations;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function configPathProblem(path: string): string | undefined {
  if (path.trim() === '') return 'must not be empty';
  const clean = posix.normalize(path);
  if (posix.isAbsolute(clean)) return 'must be a path relative to the package';
  // kpt refuses any ".." so a function config cannot be read from outside the package.
  if (clean.includes('..')) return 'must stay inside the package (no "..")';
  return undefined;
}

// The image reference grammar kpt checks (docker distribution's reference grammar).
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[_.]|__|-*)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const VERSION = '(?:\\w[\\w.-]{0,127}|sha256:[a-zA-Z0-9]{64})';
const IMAGE_REFERENCE = new RegExp(`^${NAME}(?:[:@]${VERSION})?$`);

export function isValidImageReference(image: string): boolean {
  return IMAGE_REFERENCE.test(image);
}
