// A KRM object or any JSON mapping, as the functions read and edit it.
/** A JSON-shaped Kubernetes object, as cdk8s produces it. */
export type JsonObject = Record<string, any>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
