import { Document } from 'yaml';
import {
  ConfigSource, configData, FieldPath, FieldTypeError, formatPath, FunctionResult, GroupVersionKind, gvkOf, isGVK, isJsonObject, isLocalConfig,
  JsonObject, KrmFunctionError, ObjectEditor, PlainKrmFunction, PlainRunOutput, resourceRefOf, runPlainOnDocuments, stringAt,
} from './krm-function';

/**
 * set-labels as on the catalog's master branch (same code as the v0.2.x releases).
 *
 * Labels go into `metadata.labels` of every non-local object, and into the selectors and
 * templates of the workload kinds below. Paths marked "create" are added where missing; the
 * others only get keys they already have overwritten (v0.1 added keys there too).
 */
const NAME = 'set-labels';
const IMAGE = 'gcr.io/kpt-fn/set-labels:v0.2.0';

const NOT_GIVEN = '`FunctionConfig` is not given';
const FUNCTION_INPUT = 'function-input';

export const setLabels: PlainKrmFunction = {
  name: NAME,
  image: IMAGE,
  run(items: Document[], functionConfig: Document | undefined) {
    return runPlainOnDocuments(items, functionConfig, setLabels.runPlain);
  },
  runPlain(objects, functionConfig): PlainRunOutput {
    const { labels, notices } = labelsFromConfig(functionConfig);
    const candidates = objects.map((obj, index) => ({ obj, index })).filter(({ obj }) => !isLocalConfig(obj));
    // Upstream's order: no items is fine whatever the config; then a config is required.
    if (candidates.length === 0) {
      return { objects: [...objects], results: [...notices, { message: 'no input resources', severity: 'info' }] };
    }
    if (!isUsableConfig(functionConfig?.object)) {
      throw new KrmFunctionError([...notices, {
        message: 'set-labels needs a functionConfig: a `ConfigMap` whose `data` holds the labels, or a `SetLabels.fn.kpt.dev` with `labels`',
        severity: 'error',
      }]);
    }
    if (Object.keys(labels).length === 0) {
      return { objects: [...objects], results: [...notices, { message: 'no `labels` arguments are given in FunctionConfig', severity: 'warning' }] };
    }
    const labeller = new Labeller(labels);
    const output = [...objects];
    const errors: FunctionResult[] = [];
    for (const { obj, index } of candidates) {
      const editor = new ObjectEditor(obj);
      try {
        labeller.labelObject(editor);
      } catch (err) {
        if (!(err instanceof FieldTypeError)) throw err;
        errors.push({ message: `cannot set labels: ${err.message}`, severity: 'error', resourceRef: resourceRefOf(obj), field: formatPath(err.path) });
      }
      output[index] = editor.result;
    }
    const summary: FunctionResult = { message: `set ${labeller.count} labels in total`, severity: 'info' };
    if (errors.length) throw new KrmFunctionError([...notices, ...errors, summary]);
    return { objects: output, results: [...notices, summary] };
  },
};

/** The labels, and an info notice when kpt passed one of its "no config" placeholders. */
function labelsFromConfig(source: ConfigSource | undefined): { labels: Record<string, string>; notices: FunctionResult[] } {
  const config = source?.object;
  // `{}` from kpt fn render, an empty `function-input` ConfigMap from kpt fn eval.
  if (!config || Object.keys(config).length === 0 || isEmptyFunctionInput(config, true)) {
    return { labels: {}, notices: [{ message: NOT_GIVEN, severity: 'info' }] };
  }
  return { labels: readLabels(source!), notices: [] };
}

/** set-labels' own placeholder test, slightly wider than the one above. */
function isUsableConfig(config: JsonObject | undefined): boolean {
  if (!config || isEmptyFunctionInput(config, false)) return false;
  return stringAt(config, 'kind') !== '' || stringAt(config, 'metadata', 'name') !== '';
}

/**
 * A ConfigMap `function-input` with no labels in it. With `requireData`, `data` must be present
 * (the SDK's placeholder test); without, a missing `data` counts as empty too (set-labels' own).
 */
function isEmptyFunctionInput(config: JsonObject, requireData: boolean): boolean {
  if (stringAt(config, 'kind') !== 'ConfigMap' || stringAt(config, 'metadata', 'name') !== FUNCTION_INPUT) return false;
  const data = config.data;
  if (data === undefined || data === null) return !requireData;
  return isJsonObject(data) && Object.keys(data).length === 0;
}

function readLabels(source: ConfigSource): Record<string, string> {
  const config = source.object;
  const { group, kind } = gvkOf(config);
  if (kind === 'ConfigMap' && group === '') return configData(source) ?? {};
  if (kind === 'SetLabels' && group === 'fn.kpt.dev') return labelsOfSetLabels(config.labels);
  const groupKind = group ? `${kind}.${group}` : kind;
  throw new KrmFunctionError(`unknown FunctionConfig \`${groupKind}\`, expect \`SetLabels.fn.kpt.dev\` or \`ConfigMap.v1\``);
}

/** `labels` must be a map of strings, with the Go function's JSON decoding errors. */
function labelsOfSetLabels(value: unknown): Record<string, string> {
  const prefix = 'unable to convert object to *setlabels.SetLabels with error: json: cannot unmarshal';
  if (value === undefined || value === null) return {};
  if (!isJsonObject(value)) {
    throw new KrmFunctionError(`${prefix} ${jsonType(value)} into Go struct field SetLabels.labels of type map[string]string`);
  }
  const labels: Record<string, string> = {};
  for (const [key, label] of Object.entries(value)) {
    if (label === null) labels[key] = '';
    else if (typeof label === 'string') labels[key] = label;
    else throw new KrmFunctionError(`${prefix} ${jsonType(label)} into Go struct field SetLabels.labels of type string`);
  }
  return labels;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

const SELECTOR_MATCH_LABELS = ['selector', 'matchLabels'];
const POD_SELECTOR_MATCH_LABELS = ['podSelector', 'matchLabels'];
const LABEL_SELECTOR_MATCH_LABELS = ['labelSelector', 'matchLabels'];

/** Applies the labels to one object at a time, counting every (path, key) visited. */
class Labeller {
  public count = 0;
  private readonly keys: string[];

  constructor(private readonly labels: Record<string, string>) {
    this.keys = Object.keys(labels).sort();
  }

  public labelObject(editor: ObjectEditor): void {
    const type = gvkOf(editor.original);
    this.update(editor, [], ['metadata', 'labels'], true);
    this.labelSelectors(editor, type);
    if (!isJsonObject(editor.get(['spec']))) return;
    if (hasPodTemplate(type)) {
      try {
        this.labelPod(editor, ['spec', 'template']);
      } catch (err) {
        // Upstream ignores errors inside pod templates and moves on to the next object.
        if (err instanceof FieldTypeError) return;
        throw err;
      }
    }
    if (isGVK(type, 'batch', '', 'CronJob')) this.labelJobTemplate(editor, ['spec', 'jobTemplate']);
    if (isGVK(type, 'apps', '', 'StatefulSet')) this.labelVolumeClaimTemplates(editor);
    if (isGVK(type, 'networking.k8s.io', '', 'NetworkPolicy')) this.labelNetworkPolicyRules(editor);
  }

  private labelSelectors(editor: ObjectEditor, type: GroupVersionKind): void {
    if (isGVK(type, '', 'v1', 'Service') || isGVK(type, '', 'v1', 'ReplicationController')) {
      this.update(editor, [], ['spec', 'selector'], true);
    }
    const workload = isGVK(type, '', '', 'Deployment') || isGVK(type, '', '', 'ReplicaSet') || isGVK(type, '', '', 'DaemonSet') || isGVK(type, 'apps', '', 'StatefulSet');
    if (workload) this.update(editor, [], ['spec', ...SELECTOR_MATCH_LABELS], true);
    else if (isGVK(type, 'batch', '', 'Job') || isGVK(type, 'policy', '', 'PodDisruptionBudget')) this.update(editor, [], ['spec', ...SELECTOR_MATCH_LABELS], false);
    if (isGVK(type, 'networking.k8s.io', '', 'NetworkPolicy')) this.update(editor, [], ['spec', ...POD_SELECTOR_MATCH_LABELS], false);
  }

  /** A pod template: its labels (create) and the label selectors inside its pod spec (no create). */
  private labelPod(editor: ObjectEditor, pod: FieldPath): void {
    if (!isJsonObject(editor.get(pod))) return;
    this.update(editor, pod, ['metadata', 'labels'], true);
    const podSpec = [...pod, 'spec'];
    if (!isJsonObject(editor.get(podSpec))) return;
    this.forEachMapIn(editor, [...podSpec, 'topologySpreadConstraints'], item => this.update(editor, item, LABEL_SELECTOR_MATCH_LABELS, false));
    const affinity = [...podSpec, 'affinity'];
    if (!isJsonObject(editor.get(affinity))) return;
    // Upstream looks for the scheduling terms directly under `affinity` instead of under
    // podAffinity/podAntiAffinity, so on real manifests this finds nothing. Kept as is.
    for (const kind of ['podAffinity', 'podAntiAffinity']) {
      if (!isJsonObject(editor.get([...affinity, kind]))) continue;
      this.forEachMapIn(editor, [...affinity, 'preferredDuringSchedulingIgnoredDuringExecution'], term => {
        const podAffinityTerm = [...term, 'podAffinityTerm'];
        if (isJsonObject(editor.get(podAffinityTerm))) this.update(editor, podAffinityTerm, LABEL_SELECTOR_MATCH_LABELS, false);
      });
      this.forEachMapIn(editor, [...affinity, 'requiredDuringSchedulingIgnoredDuringExecution'], term => this.update(editor, term, LABEL_SELECTOR_MATCH_LABELS, false));
    }
  }

  private labelJobTemplate(editor: ObjectEditor, job: FieldPath): void {
    if (!isJsonObject(editor.get(job))) return;
    this.update(editor, job, ['metadata', 'labels'], true);
    const spec = [...job, 'spec'];
    if (!isJsonObject(editor.get(spec))) return;
    this.update(editor, spec, SELECTOR_MATCH_LABELS, false);
    this.labelPod(editor, [...spec, 'template']);
  }

  private labelVolumeClaimTemplates(editor: ObjectEditor): void {
    this.forEachMapIn(editor, ['spec', 'volumeClaimTemplates'], template => {
      this.update(editor, template, ['metadata', 'labels'], true);
      // Upstream reads `selector` at the template's top level, not under `spec`.
      this.update(editor, template, SELECTOR_MATCH_LABELS, false);
    });
  }

  private labelNetworkPolicyRules(editor: ObjectEditor): void {
    for (const [rules, peers] of [['ingress', 'from'], ['egress', 'to']]) {
      this.forEachMapIn(editor, ['spec', rules], rule => {
        this.forEachMapIn(editor, [...rule, peers], peer => this.update(editor, peer, POD_SELECTOR_MATCH_LABELS, false));
      });
    }
  }

  /** Calls `visit` with the path of each map in the list at `path`; a missing list is fine. */
  private forEachMapIn(editor: ObjectEditor, path: FieldPath, visit: (item: FieldPath) => void): void {
    const list = editor.get(path);
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) throw new FieldTypeError(path, 'a list', list);
    list.forEach((item, i) => { if (isJsonObject(item)) visit([...path, i]); });
  }

  /**
   * Sets every label under `base` + `labelsPath`. With `create`, missing keys (and maps) are
   * added; without, only keys already present with another value are overwritten.
   */
  private update(editor: ObjectEditor, base: FieldPath, labelsPath: FieldPath, create: boolean): void {
    const mapPath = base.length ? [...base, ...labelsPath] : labelsPath;
    const current = editor.get(mapPath);
    if (current !== undefined && current !== null && !isJsonObject(current)) throw new FieldTypeError(mapPath, 'a map', current);
    let target: JsonObject | undefined;
    for (const key of this.keys) {
      const value = this.labels[key];
      const present = isJsonObject(current) && Object.prototype.hasOwnProperty.call(current, key);
      const old: unknown = present ? current[key] : undefined;
      if (typeof old === 'object' && old !== null) throw new FieldTypeError([...mapPath, key], 'a string', old);
      if ((present && String(old ?? '') !== value) || (!present && create)) {
        target ??= editor.writableMap(mapPath);
        target[key] = value;
      }
      this.count++;
    }
  }
}

function hasPodTemplate(type: GroupVersionKind): boolean {
  return isGVK(type, '', 'v1', 'ReplicationController') || isGVK(type, '', '', 'Deployment') || isGVK(type, '', '', 'ReplicaSet')
    || isGVK(type, '', '', 'DaemonSet') || isGVK(type, 'apps', '', 'StatefulSet') || isGVK(type, 'batch', '', 'Job');
}
