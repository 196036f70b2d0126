import { Document } from 'yaml';
import {
  annotationOf, ConfigSource, configData, FunctionResult, gvkOf, isGVK, isJsonObject, isLocalConfig, JsonObject,
  KrmFunctionError, ObjectEditor, PlainKrmFunction, PlainRunOutput, resourceRefOf, runPlainOnDocuments, shortString, stringAt,
} from './krm-function';

/**
 * set-namespace as on the catalog's master branch (the `unstable` image): the origin-aware
 * version with `namespaceMatcher`, which the conformance fixtures follow.
 *
 * One deliberate difference: master writes `spec.conversion.webhook.clientConfig.service.namespace`
 * into every v1 CRD and `spec.service.namespace` into every v1 APIService, creating the path
 * when it is absent (kptdev/kpt#3560, #3837). That turns a CRD without a conversion webhook
 * into an invalid one. Here those fields are only updated where the `service` map exists, as
 * upstream's later fix does (tests crd-no-webhook-strategy and apiservice-no-service).
 *
 * Every error fails the run. At the fixtures' commit master only reported a missing config as
 * an error result and exited 0; later master exits 1 there too. Either way nothing is changed.
 */
const NAME = 'set-namespace';
const IMAGE = 'gcr.io/kpt-fn/set-namespace:v0.4.1';

const UPSTREAM_IDENTIFIER = 'internal.kpt.dev/upstream-identifier';
const DEPENDS_ON = 'config.kubernetes.io/depends-on';
const PACKAGE_CONTEXT_NAME = 'kptfile.kpt.dev';
const DEFAULT_NAMESPACE = 'default';
/** The SDK's marker for "cluster-scoped or unknown scope". */
const UNKNOWN_NAMESPACE = '~C';
const EXPECTED_CONFIG = '`ConfigMap.v1` or `SetNamespace.v1alpha1.fn.kpt.dev`';

interface SetNamespaceConfig { readonly namespace: string; readonly matcher: string }

interface ObjectId { readonly group: string; readonly kind: string; readonly namespace: string; readonly name: string }

export const setNamespace: PlainKrmFunction = {
  name: NAME,
  image: IMAGE,
  run(items: Document[], functionConfig: Document | undefined) {
    return runPlainOnDocuments(items, functionConfig, setNamespace.runPlain);
  },
  runPlain(objects, functionConfig): PlainRunOutput {
    const config = readConfig(functionConfig);
    return new NamespaceRun(objects, config).execute();
  },
};

function readConfig(source: ConfigSource | undefined): SetNamespaceConfig {
  const config = source?.object;
  if (!config || Object.keys(config).length === 0) {
    throw new KrmFunctionError(`FunctionConfig is missing. Expect ${EXPECTED_CONFIG}`);
  }
  const configType = gvkOf(config);
  if (isGVK(configType, '', 'v1', 'ConfigMap')) {
    const data = configData(source!) ?? {};
    const matcher = data.namespaceMatcher ?? '';
    if (data.namespace) return { namespace: data.namespace, matcher };
    const isPackageContext = stringAt(config, 'metadata', 'name') === PACKAGE_CONTEXT_NAME;
    if (isPackageContext && data.name) return { namespace: data.name, matcher };
    // Master reports `data.namespace` in both cases (it checks the wrong object's name).
    throw new KrmFunctionError(isPackageContext ? '`data.name` should not be empty' : '`data.namespace` should not be empty');
  }
  if (isGVK(configType, 'fn.kpt.dev', 'v1alpha1', 'SetNamespace')) {
    const namespace = optionalString(config, 'namespace');
    if (!namespace) throw new KrmFunctionError('`namespace` should not be empty');
    return { namespace, matcher: optionalString(config, 'namespaceMatcher') };
  }
  throw new KrmFunctionError(
    `unknown functionConfig Kind=${stringAt(config, 'kind')} ApiVersion=${stringAt(config, 'apiVersion')}, expect ${EXPECTED_CONFIG}`);
}

function optionalString(config: JsonObject, key: string): string {
  const value = config[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new KrmFunctionError(`SetNamespace \`${key}\` must be a string`);
  return value;
}

/** The namespace-scoped (true) and cluster-scoped (false) kinds kpt knows, by exact apiVersion. */
const SCOPE_TABLE: Record<string, boolean> = {
  'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration': false,
  'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration': false,
  'admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration': false,
  'admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration': false,
  'apiextensions.k8s.io/v1 CustomResourceDefinition': false,
  'apiextensions.k8s.io/v1beta1 CustomResourceDefinition': false,
  'apiregistration.k8s.io/v1 APIService': false,
  'apiregistration.k8s.io/v1beta1 APIService': false,
  'apps/v1 ControllerRevision': true,
  'apps/v1 DaemonSet': true,
  'apps/v1 Deployment': true,
  'apps/v1 ReplicaSet': true,
  'apps/v1 StatefulSet': true,
  'autoscaling/v1 HorizontalPodAutoscaler': true,
  'autoscaling/v1 Scale': true,
  'autoscaling/v2beta1 HorizontalPodAutoscaler': true,
  'autoscaling/v2beta2 HorizontalPodAutoscaler': true,
  'batch/v1 CronJob': true,
  'batch/v1 Job': true,
  'batch/v1beta1 CronJob': true,
  'certificates.k8s.io/v1 CertificateSigningRequest': false,
  'certificates.k8s.io/v1beta1 CertificateSigningRequest': false,
  'coordination.k8s.io/v1 Lease': true,
  'coordination.k8s.io/v1beta1 Lease': true,
  'discovery.k8s.io/v1 EndpointSlice': true,
  'discovery.k8s.io/v1beta1 EndpointSlice': true,
  'events.k8s.io/v1 Event': true,
  'events.k8s.io/v1beta1 Event': true,
  'extensions/v1beta1 Ingress': true,
  'flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema': false,
  'flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration': false,
  'networking.k8s.io/v1 Ingress': true,
  'networking.k8s.io/v1 IngressClass': false,
  'networking.k8s.io/v1 NetworkPolicy': true,
  'networking.k8s.io/v1beta1 Ingress': true,
  'networking.k8s.io/v1beta1 IngressClass': false,
  'node.k8s.io/v1 RuntimeClass': false,
  'node.k8s.io/v1beta1 RuntimeClass': false,
  'policy/v1 PodDisruptionBudget': true,
  'policy/v1beta1 PodDisruptionBudget': true,
  'policy/v1beta1 PodSecurityPolicy': false,
  'rbac.authorization.k8s.io/v1 ClusterRole': false,
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding': false,
  'rbac.authorization.k8s.io/v1 Role': true,
  'rbac.authorization.k8s.io/v1 RoleBinding': true,
  'rbac.authorization.k8s.io/v1beta1 ClusterRole': false,
  'rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding': false,
  'rbac.authorization.k8s.io/v1beta1 Role': true,
  'rbac.authorization.k8s.io/v1beta1 RoleBinding': true,
  'scheduling.k8s.io/v1 PriorityClass': false,
  'scheduling.k8s.io/v1beta1 PriorityClass': false,
  'storage.k8s.io/v1 CSIDriver': false,
  'storage.k8s.io/v1 CSINode': false,
  'storage.k8s.io/v1 StorageClass': false,
  'storage.k8s.io/v1 VolumeAttachment': false,
  'storage.k8s.io/v1beta1 CSIDriver': false,
  'storage.k8s.io/v1beta1 CSINode': false,
  'storage.k8s.io/v1beta1 CSIStorageCapacity': true,
  'storage.k8s.io/v1beta1 StorageClass': false,
  'storage.k8s.io/v1beta1 VolumeAttachment': false,
  'v1 ComponentStatus': false,
  'v1 ConfigMap': true,
  'v1 Endpoints': true,
  'v1 Event': true,
  'v1 LimitRange': true,
  'v1 Namespace': false,
  'v1 Node': false,
  'v1 NodeProxyOptions': false,
  'v1 PersistentVolume': false,
  'v1 PersistentVolumeClaim': true,
  'v1 Pod': true,
  'v1 PodAttachOptions': true,
  'v1 PodExecOptions': true,
  'v1 PodPortForwardOptions': true,
  'v1 PodProxyOptions': true,
  'v1 PodTemplate': true,
  'v1 ReplicationController': true,
  'v1 ResourceQuota': true,
  'v1 Secret': true,
  'v1 Service': true,
  'v1 ServiceAccount': true,
  'v1 ServiceProxyOptions': true,
};

/** apiVersion -> kind -> namespaced, so a lookup builds no key string. */
const KNOWN_SCOPES = new Map<string, Map<string, boolean>>();
for (const [key, namespaced] of Object.entries(SCOPE_TABLE)) {
  const [apiVersion, kind] = key.split(' ');
  if (!KNOWN_SCOPES.has(apiVersion)) KNOWN_SCOPES.set(apiVersion, new Map());
  KNOWN_SCOPES.get(apiVersion)!.set(kind, namespaced);
}

/** Scope from the table, keyed by the exact apiVersion and kind; undefined for unknown kinds. */
export function knownNamespaceScope(obj: JsonObject): boolean | undefined {
  return KNOWN_SCOPES.get(stringAt(obj, 'apiVersion'))?.get(stringAt(obj, 'kind'));
}

function hasNamespaceKey(obj: JsonObject): boolean {
  return isJsonObject(obj.metadata) && Object.prototype.hasOwnProperty.call(obj.metadata, 'namespace');
}

/** Known kinds by the table; any other kind is namespaced exactly when `metadata.namespace` is present. */
export function isNamespaceScoped(obj: JsonObject): boolean {
  return knownNamespaceScope(obj) ?? hasNamespaceKey(obj);
}

function idOf(obj: JsonObject, namespaced: boolean): ObjectId {
  let namespace: string;
  if (hasNamespaceKey(obj)) namespace = stringAt(obj, 'metadata', 'namespace');
  else namespace = namespaced ? DEFAULT_NAMESPACE : UNKNOWN_NAMESPACE;
  return { group: gvkOf(obj).group, kind: stringAt(obj, 'kind'), namespace, name: stringAt(obj, 'metadata', 'name') };
}

const UPSTREAM_IDENTIFIER_PATTERN = /([a-z0-9-.]*)\|([A-Z][a-zA-Z0-9]*)\|([a-z0-9-]{1,63}|~C)\|([a-z0-9-]{1,63})/;

/** Where the object came from: its upstream-identifier annotation, else its own id. */
function originOf(obj: JsonObject, namespaced: boolean): ObjectId {
  const annotation = annotationOf(obj, UPSTREAM_IDENTIFIER).trim();
  if (!annotation) return idOf(obj, namespaced);
  const match = UPSTREAM_IDENTIFIER_PATTERN.exec(annotation);
  if (!match) {
    throw new KrmFunctionError(`annotation ${UPSTREAM_IDENTIFIER}: ${annotation} is in bad format. expect "<GROUP>|<KIND>|<NAMESPACE>|<NAME>" (${shortString(obj)})`);
  }
  return { group: match[1], kind: match[2], namespace: match[3], name: match[4] };
}

function dependsOnId(id: ObjectId): string {
  return `${id.group}/namespaces/${id.namespace}/${id.kind}/${id.name}`;
}

/** `<group>/namespaces/<namespace>/<kind>/<name>`, the only depends-on form that is updated. */
const NAMESPACED_DEPENDS_ON = /^([-.\w]*)\/namespaces\/([-.\w]*)\/([-.\w]*)\/([-.\w]*)$/;

/** One namespace-valued field: its origin, its current value; returns the value to write back. */
type NamespaceVisitor = (origin: string, current: string, describeField: () => string) => string;

/** A non-local item, with what the run needs to know about it computed once. */
class Candidate {
  public readonly namespaced: boolean;
  private origin?: ObjectId;

  constructor(public readonly editor: ObjectEditor) {
    this.namespaced = isNamespaceScoped(editor.original);
  }

  public get obj(): JsonObject {
    return this.editor.original;
  }

  public get hasUpstreamOrigin(): boolean {
    return annotationOf(this.obj, UPSTREAM_IDENTIFIER) !== '';
  }

  public get originId(): ObjectId {
    return this.origin ??= originOf(this.obj, this.namespaced);
  }

  public get id(): ObjectId {
    return idOf(this.obj, this.namespaced);
  }
}

class NamespaceRun {
  private readonly editors: ObjectEditor[];
  /** Non-local items: local-config objects are never changed or counted. */
  private readonly candidates: Candidate[] = [];
  private readonly results: FunctionResult[] = [];

  constructor(objects: readonly JsonObject[], private readonly config: SetNamespaceConfig) {
    this.editors = objects.map(o => new ObjectEditor(o));
    for (const editor of this.editors) if (!isLocalConfig(editor.original)) this.candidates.push(new Candidate(editor));
  }

  public execute(): PlainRunOutput {
    // Ids before the change, for depends-on annotations; only needed when there are any.
    const dependsOnBefore = new Set<string>();
    if (this.candidates.some(c => annotationOf(c.obj, DEPENDS_ON))) {
      for (const candidate of this.candidates) {
        const id = candidate.id;
        if (id.namespace !== UNKNOWN_NAMESPACE) dependsOnBefore.add(dependsOnId(id));
      }
    }
    const origins = this.collectOrigins();
    if (!this.config.matcher && origins.length > 1) {
      throw new KrmFunctionError(`unable to use origin \`namespace\` to match. expect a single upstream namespace, found [${origins.join(' ')}]. please switch to use \`namespaceMatcher\` to specify the namespace value you want to change`);
    }
    this.replaceNamespaces();
    this.updateDependsOn(dependsOnBefore);
    return { objects: this.editors.map(e => e.result), results: this.results };
  }

  /** Origin namespaces of namespaced objects; warns about objects that have no recorded origin. */
  private collectOrigins(): string[] {
    const origins = new Set<string>();
    for (const candidate of this.candidates) {
      const obj = candidate.obj;
      if (!candidate.hasUpstreamOrigin) {
        this.results.push({ message: `${shortString(obj)} does not have upstream origin.`, severity: 'warning', resourceRef: resourceRefOf(obj) });
        continue;
      }
      const origin = candidate.originId;
      if (!candidate.namespaced) continue;
      if (origin.namespace === UNKNOWN_NAMESPACE) {
        throw new KrmFunctionError(`${shortString(obj)} is namespace-scoped, but has cluster-scoped or unknown scoped origin ${origin.group}|${origin.kind}|${origin.namespace}|${origin.name}`);
      }
      origins.add(origin.namespace);
    }
    return [...origins].sort();
  }

  private replaceNamespaces(): void {
    const { namespace: target, matcher } = this.config;
    const oldNamespaces = new Set<string>();
    let count = 0;
    this.visitNamespaceFields((origin, current, describeField) => {
      if (origin === UNKNOWN_NAMESPACE) return current;
      const effective = current || DEFAULT_NAMESPACE;
      if (effective === target) return effective;
      if (matcher && matcher === origin) {
        this.results.push({ message: `[${describeField()}] has matching origin ${origin}`, severity: 'info' });
      }
      if (matcher && matcher !== effective && matcher !== origin) return effective;
      oldNamespaces.add(effective);
      count++;
      return target;
    });
    this.results.push(count === 0
      ? { message: `all matching namespaces are already ${JSON.stringify(target)}. no value changed`, severity: 'info' }
      : { message: `namespace [${[...oldNamespaces].sort().join(' ')}] updated to ${JSON.stringify(target)}, ${count} value(s) changed`, severity: 'info' });
  }

  /**
   * Calls `visit` on every namespace-valued field and writes back what it returns. Like
   * upstream, the value is written back even when it did not change, so a missing namespace on
   * a namespaced kind becomes explicit.
   */
  private visitNamespaceFields(visit: NamespaceVisitor): void {
    for (const candidate of this.candidates) if (!candidate.namespaced) visitClusterScoped(candidate, visit);
    for (const candidate of this.candidates) {
      if (!candidate.namespaced) continue;
      const obj = candidate.obj;
      const current = stringAt(obj, 'metadata', 'namespace');
      candidate.editor.set(['metadata', 'namespace'], visit(candidate.originId.namespace, current, () => shortString(obj)));
    }
  }

  /** depends-on annotations that point at an object of this package whose namespace changed. */
  private updateDependsOn(idsBefore: ReadonlySet<string>): void {
    const { namespace: target, matcher } = this.config;
    const oldNamespaces = new Set<string>();
    let count = 0;
    for (const { editor } of this.candidates) {
      const value = annotationOf(editor.original, DEPENDS_ON);
      if (!value || !idsBefore.has(value)) continue;
      const match = NAMESPACED_DEPENDS_ON.exec(value);
      if (!match) continue;
      const namespace = match[2];
      if (namespace === target || (matcher && matcher !== namespace)) continue;
      oldNamespaces.add(namespace);
      count++;
      editor.set(['metadata', 'annotations', DEPENDS_ON], `${match[1]}/namespaces/${target}/${match[3]}/${match[4]}`);
    }
    this.results.push(count === 0
      ? { message: 'all `depends-on` annotations are up-to-date. no `namespace` changed', severity: 'info' }
      : { message: `\`depends-on\` annotation namespace [${[...oldNamespaces].sort().join(' ')}] updated to ${JSON.stringify(target)}, ${count} value(s) changed`, severity: 'info' });
  }
}

/** The cluster-scoped kinds with fields that name a namespace. */
function visitClusterScoped(candidate: Candidate, visit: NamespaceVisitor): void {
  const { obj, editor } = candidate;
  const type = gvkOf(obj);
  if (isGVK(type, '', 'v1', 'Namespace')) {
    const name = stringAt(obj, 'metadata', 'name');
    editor.set(['metadata', 'name'], visit(candidate.originId.name, name, () => shortString(obj)));
  } else if (isGVK(type, 'apiextensions.k8s.io', 'v1', 'CustomResourceDefinition')) {
    visitServiceNamespace(editor, ['spec', 'conversion', 'webhook', 'clientConfig', 'service'], visit);
  } else if (isGVK(type, 'apiregistration.k8s.io', 'v1', 'APIService')) {
    visitServiceNamespace(editor, ['spec', 'service'], visit);
  } else if (obj.kind === 'ClusterRoleBinding' || obj.kind === 'RoleBinding') {
    // Only subjects that already name a namespace, whatever their kind.
    const subjects = obj.subjects;
    if (!Array.isArray(subjects)) return;
    subjects.forEach((subject, i) => {
      if (!isJsonObject(subject) || !Object.prototype.hasOwnProperty.call(subject, 'namespace')) return;
      editor.set(['subjects', i, 'namespace'], visit('', stringAt(subject, 'namespace'), () => ''));
    });
  }
}

/** The namespace of a service reference, only when the `service` map is there (see above). */
function visitServiceNamespace(editor: ObjectEditor, servicePath: string[], visit: NamespaceVisitor): void {
  const service = editor.get(servicePath);
  if (!isJsonObject(service)) return;
  editor.set([...servicePath, 'namespace'], visit('', stringAt(service, 'namespace'), () => ''));
}
