import { isJsonObject, JsonObject } from './json-object';
import { FunctionResult, plainText } from './krm-function';
import { LOCAL_CONFIG_ANNOTATION } from '../kptfile';

// Reading KRM objects the way the kpt function SDK does.

/** The string at obj.a(.b(.c)), '' when absent. Fixed arity: this runs for every object. */
export function stringAt(obj: JsonObject, first: string, second?: string, third?: string): string {
  let current: unknown = obj[first];
  if (second !== undefined) current = isJsonObject(current) ? current[second] : undefined;
  if (third !== undefined) current = isJsonObject(current) ? current[third] : undefined;
  return plainText(current);
}

export function annotationOf(obj: JsonObject, key: string): string {
  return stringAt(obj, 'metadata', 'annotations', key);
}

/** kpt's rule: local-config unless the annotation is absent, "" or "false". */
export function isLocalConfig(obj: JsonObject): boolean {
  const value = annotationOf(obj, LOCAL_CONFIG_ANNOTATION);
  return value !== '' && value !== 'false';
}

export interface GroupVersionKind { readonly group: string; readonly version: string; readonly kind: string }

export function gvkOf(obj: JsonObject): GroupVersionKind {
  const apiVersion = stringAt(obj, 'apiVersion');
  const slash = apiVersion.indexOf('/');
  const kind = stringAt(obj, 'kind');
  if (slash < 0) return { group: '', version: apiVersion, kind };
  return { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
}

/**
 * The SDK's IsGVK on a parsed object type (gvkOf): only the parts given on both sides are
 * compared, so an empty group, version or kind in either the rule or the object matches anything.
 */
export function isGVK(gvk: GroupVersionKind, group: string, version: string, kind: string): boolean {
  if (gvk.kind && kind && gvk.kind !== kind) return false;
  if (gvk.group && group && gvk.group !== group) return false;
  if (gvk.version && version && gvk.version !== version) return false;
  return true;
}

export function shortString(obj: JsonObject): string {
  return `Resource(apiVersion=${stringAt(obj, 'apiVersion')}, kind=${stringAt(obj, 'kind')}, namespace=${stringAt(obj, 'metadata', 'namespace')}, name=${stringAt(obj, 'metadata', 'name')})`;
}

export function resourceRefOf(obj: JsonObject): NonNullable<FunctionResult['resourceRef']> {
  const namespace = stringAt(obj, 'metadata', 'namespace');
  return {
    apiVersion: stringAt(obj, 'apiVersion'),
    kind: stringAt(obj, 'kind'),
    name: stringAt(obj, 'metadata', 'name'),
    ...(namespace ? { namespace } : {}),
  };
}

/** The file kpt read the object from, from the annotations kpt adds to items. */
export function fileOf(obj: JsonObject): { path: string; index: string } {
  const path = annotationOf(obj, 'internal.config.kubernetes.io/path') || annotationOf(obj, 'config.kubernetes.io/path');
  const index = annotationOf(obj, 'internal.config.kubernetes.io/index') || annotationOf(obj, 'config.kubernetes.io/index');
  return { path, index };
}
