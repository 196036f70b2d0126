import { isSupportedFormat } from './formats';
import { isSchemaNode, PASS_THROUGH_KEYWORDS, SchemaNode } from './json-schema';

export const KPTFILE_SCHEMA_ID = 'kptfile.json';
const ROOT_DEFINITION = 'kptfile';

/**
 * Converts kpt's Kptfile schema (a Swagger 2.0 document whose root definition is `kptfile`) into a
 * strict JSON Schema: kpt decodes Kptfiles with known-fields checking, so an unknown field is an error.
 *
 * The Swagger document flattens `name`, `namespace`, `labels` and `annotations` onto the top level:
 * the Go type embeds kyaml's ObjectMeta with only a yaml tag (`yaml:"metadata"`), which the Swagger
 * generator does not read. Real Kptfiles carry them under `metadata`, so the conversion moves them there.
 */
export function convertKptfileSchema(swagger: unknown): SchemaNode {
  if (!isSchemaNode(swagger) || swagger.swagger !== '2.0' || !isSchemaNode(swagger.definitions)) {
    throw new Error('the Kptfile schema must be a Swagger 2.0 document with definitions');
  }
  const definitions: Record<string, SchemaNode> = {};
  for (const [name, definition] of Object.entries(swagger.definitions)) {
    if (isSchemaNode(definition)) definitions[name] = convertNode(definition);
  }
  const root = definitions[ROOT_DEFINITION];
  if (!root || !isSchemaNode(definitions.ObjectMeta)) throw new Error(`the Kptfile schema has no "${ROOT_DEFINITION}" or "ObjectMeta" definition`);
  definitions[ROOT_DEFINITION] = nestObjectMeta(root);
  return { $id: KPTFILE_SCHEMA_ID, $ref: `#/definitions/${ROOT_DEFINITION}`, definitions };
}

function nestObjectMeta(root: SchemaNode): SchemaNode {
  const properties = { ...(root.properties as Record<string, SchemaNode>) };
  for (const flattened of ['name', 'namespace', 'labels', 'annotations']) delete properties[flattened];
  properties.metadata = { $ref: '#/definitions/ObjectMeta' };
  return { ...root, properties };
}

function convertNode(node: SchemaNode): SchemaNode {
  const out: SchemaNode = {};
  if (typeof node.$ref === 'string') return { $ref: node.$ref };
  if (typeof node.type === 'string') out.type = node.type;
  for (const keyword of PASS_THROUGH_KEYWORDS) {
    if (node[keyword] !== undefined) out[keyword] = node[keyword];
  }
  if (isSupportedFormat(node.format)) out.format = node.format;
  if (isSchemaNode(node.items)) out.items = convertNode(node.items);
  if (isSchemaNode(node.properties)) {
    const properties: Record<string, SchemaNode> = {};
    for (const [name, child] of Object.entries(node.properties)) {
      if (isSchemaNode(child)) properties[name] = convertNode(child);
    }
    out.properties = properties;
  }
  if (isSchemaNode(node.additionalProperties)) out.additionalProperties = convertNode(node.additionalProperties);
  else if (typeof node.additionalProperties === 'boolean') out.additionalProperties = node.additionalProperties;
  else if (node.type === 'object') out.additionalProperties = false;
  return out;
}
