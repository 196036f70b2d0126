/**
 * JSON Schemas for Kubernetes ObjectMeta. CRD schemas say only `metadata: {type: object}`; the API
 * server validates metadata itself, so the custom-resource schemas point here instead.
 */
export const OBJECT_META_SCHEMA_ID = 'k8s-object-meta.json';

/** `$ref` to the metadata of a top-level object (name required, custom-resource name rules). */
export const ROOT_OBJECT_META_REF = `${OBJECT_META_SCHEMA_ID}#/definitions/root`;
/** `$ref` to the metadata of an object embedded in another (`x-kubernetes-embedded-resource`). */
export const EMBEDDED_OBJECT_META_REF = `${OBJECT_META_SCHEMA_ID}#/definitions/embedded`;

const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
// Label and annotation keys: optional DNS-subdomain prefix (<= 253) and '/', then a name (<= 63).
const QUALIFIED_NAME = '^(?:(?=[^/]{1,253}/)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(?=[^/]{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$';
const LABEL_VALUE = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';

const SUBDOMAIN_HINT = 'must be a lowercase RFC 1123 subdomain: a-z, 0-9, "-" and ".", starting and ending with a letter or digit, at most 253 characters';
const LABEL_HINT = 'must be a lowercase RFC 1123 label: a-z, 0-9 and "-", starting and ending with a letter or digit, at most 63 characters';
const KEY_HINT = 'keys must be qualified names: an optional DNS-subdomain prefix and "/", then at most 63 characters of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
const LABEL_VALUE_HINT = 'label values must be empty or at most 63 characters of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';

const stringMap = (keyHint: string, value: object) => ({
  type: 'object',
  propertyNames: { pattern: QUALIFIED_NAME, errorHint: keyHint },
  additionalProperties: value,
});

function objectMeta(rootObject: boolean): object {
  return {
    type: 'object',
    additionalProperties: false,
    ...(rootObject ? { required: ['name'] } : {}),
    properties: {
      name: rootObject
        ? { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN, errorHint: SUBDOMAIN_HINT }
        : { type: 'string' },
      generateName: { type: 'string' },
      namespace: rootObject
        ? { type: 'string', maxLength: 63, pattern: DNS_LABEL, errorHint: LABEL_HINT }
        : { type: 'string' },
      labels: stringMap(KEY_HINT, { type: 'string', maxLength: 63, pattern: LABEL_VALUE, errorHint: LABEL_VALUE_HINT }),
      annotations: stringMap(KEY_HINT, { type: 'string' }),
      finalizers: { type: 'array', items: { type: 'string' } },
      ownerReferences: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['apiVersion', 'kind', 'name', 'uid'],
          properties: {
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            name: { type: 'string' },
            uid: { type: 'string' },
            controller: { type: 'boolean' },
            blockOwnerDeletion: { type: 'boolean' },
          },
        },
      },
      uid: { type: 'string' },
      resourceVersion: { type: 'string' },
      generation: { type: 'integer' },
      selfLink: { type: 'string' },
      // Some tools write `creationTimestamp: null`; the API server accepts it.
      creationTimestamp: { type: ['string', 'null'] },
      deletionTimestamp: { type: 'string' },
      deletionGracePeriodSeconds: { type: 'integer' },
      managedFields: { type: 'array', items: { type: 'object' } },
    },
  };
}

export const OBJECT_META_SCHEMA = {
  $id: OBJECT_META_SCHEMA_ID,
  definitions: {
    root: objectMeta(true),
    embedded: objectMeta(false),
  },
};
