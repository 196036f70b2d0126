import { stringify } from 'yaml';

/**
 * Serializes Kubernetes objects as YAML the way cdk8s does: YAML 1.1 (what the Go YAML parsers of
 * kubectl, kpt and ConfigSync read, so strings like "on" or "yes" stay quoted), no line folding,
 * documents joined with `---`. Key order is the object's own: the caller makes it deterministic.
 */
export function toYamlDocuments(objects: readonly unknown[]): string {
  return objects.map(o => stringify(o, YAML_OPTIONS)).join('---\n');
}

const YAML_OPTIONS = { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false } as const;
