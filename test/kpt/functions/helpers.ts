import { Document } from 'yaml';
import { FunctionResult, KrmFunction, KrmFunctionError, runOnObjects } from '../../../src/kpt/functions';

type Json = Record<string, any>;

/**
 * Runs `fn` both ways, on plain objects (the synthesizer's path) and on YAML documents, checks
 * that they agree and that the input was not mutated, and returns the plain result.
 */
export function runBoth(fn: KrmFunction, objects: Json[], config?: Json): { objects: Json[]; results: FunctionResult[] } {
  const before = JSON.stringify(objects);
  const plain = runOnObjects(fn, objects, config);
  const docs = fn.run(objects.map(o => new Document(o)), config === undefined ? undefined : new Document(config));
  expect(JSON.stringify(objects)).toEqual(before);
  expect(docs.items.map(d => d.toJS())).toEqual(plain.objects);
  expect(docs.results).toEqual(plain.results);
  return plain;
}

/** Expects both ways to fail with the same KrmFunctionError, leaving the input as it was. */
export function failBoth(fn: KrmFunction, objects: Json[], config?: Json): KrmFunctionError {
  const before = JSON.stringify(objects);
  const plain = catchError(() => runOnObjects(fn, objects, config));
  const docs = catchError(() => fn.run(objects.map(o => new Document(o)), config === undefined ? undefined : new Document(config)));
  expect(JSON.stringify(objects)).toEqual(before);
  expect(docs.message).toEqual(plain.message);
  return plain;
}

function catchError(run: () => unknown): KrmFunctionError {
  try {
    run();
  } catch (err) {
    if (err instanceof KrmFunctionError) return err;
    throw err;
  }
  throw new Error('expected the function to fail');
}

export function configMap(data: Record<string, string>, name = 'function-input'): Json {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

export const LOCAL = { 'config.kubernetes.io/local-config': 'true' };
