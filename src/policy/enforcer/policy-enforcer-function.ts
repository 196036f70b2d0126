import { Document } from 'yaml';
import {
  ConfigSource, configFromDocument, fileOf, FunctionOutput, FunctionResult, JsonObject,
  PlainKrmFunction, PlainRunOutput, requireObject, resourceRefOf,
} from '../../kpt/functions/krm-function';
import { namespaceLevels, podSecurityFindings, RuleFinding, ruleFindings } from '../rule-findings';
import { RuleSeverity } from '../severity';
import { readEnforcerConfig } from './enforcer-config';

/** The release of the enforcer image this library version declares in Kptfiles. */
export const POLICY_ENFORCER_VERSION = '0.1.0';
/** The image Kptfiles declare unless the construct context names another. */
export const DEFAULT_POLICY_ENFORCER_IMAGE = `ghcr.io/nephoran/policy-enforcer:v${POLICY_ENFORCER_VERSION}`;
export const POLICY_ENFORCER_NAME = 'policy-enforcer';

/** One finding of the enforcer in one item. */
export interface EnforcerFinding extends RuleFinding {
  /** The index of the item in the ResourceList. */
  readonly item: number;
}

/**
 * The findings of the enforcer over a list of objects: the synth rule set (at the config's
 * profile and severities) over every item, and the Pod Security admission check of every item
 * whose namespace is among the items with a `pod-security.kubernetes.io/enforce` label.
 * Local-config items are checked too: they are committed to git like any other file.
 */
export function enforcePolicies(objects: readonly JsonObject[], functionConfig: JsonObject | undefined): EnforcerFinding[] {
  const settings = readEnforcerConfig(functionConfig);
  objects.forEach((o, i) => requireObject(o, i));
  const levels = settings.podSecurity === RuleSeverity.OFF ? new Map() : namespaceLevels(objects);
  const findings: EnforcerFinding[] = [];
  objects.forEach((object, item) => {
    for (const finding of ruleFindings(object, settings.rules, settings.profile)) findings.push({ ...finding, item });
    if (settings.podSecurity === RuleSeverity.OFF) return;
    const namespace = object.metadata?.namespace;
    for (const finding of podSecurityFindings(object, namespace ? levels.get(String(namespace)) : undefined)) {
      findings.push({ ...finding, severity: settings.podSecurity as RuleFinding['severity'], item });
    }
  });
  return findings;
}

/** A finding as a kpt function result: severity, message, resource, field path and file. */
function resultOf(finding: EnforcerFinding, object: JsonObject): FunctionResult {
  const { path, index } = fileOf(object);
  const fileIndex = Number.parseInt(index, 10);
  return {
    message: `${finding.ruleId}: ${finding.message}`,
    severity: finding.severity === RuleSeverity.ERROR ? 'error' : 'warning',
    resourceRef: resourceRefOf(object),
    field: finding.field,
    ...(path ? { file: { path, ...(Number.isInteger(fileIndex) ? { index: fileIndex } : {}) } } : {}),
  };
}

/**
 * The policy enforcer as a KRM validator: it never changes an item, reports every finding as a
 * result, and fails (kpt stops the render) when one of them is an error. Run it with
 * `nephoran fn policy-enforcer` (kpt `--exec`) or as the image `DEFAULT_POLICY_ENFORCER_IMAGE`.
 */
export const policyEnforcer: PlainKrmFunction = {
  name: POLICY_ENFORCER_NAME,
  image: DEFAULT_POLICY_ENFORCER_IMAGE,
  // A validator reads no comments: the list is read as data and the items go back as they came.
  readsNoComments: true,
  runPlain(objects: readonly JsonObject[], functionConfig: ConfigSource | undefined): PlainRunOutput {
    objects.forEach((o, i) => requireObject(o, i));
    const findings = enforcePolicies(objects, functionConfig?.object);
    const results = findings.map(f => resultOf(f, objects[f.item]));
    const errors = results.filter(r => r.severity === 'error').length;
    const warnings = results.length - errors;
    results.push({
      message: `${POLICY_ENFORCER_NAME}: ${objects.length} object${objects.length === 1 ? '' : 's'} checked, ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
      severity: 'info',
    });
    return { objects: [...objects], results };
  },
  run(items: Document[], functionConfig: Document | undefined): FunctionOutput {
    const objects = items.map((doc, i) => requireObject(doc.toJS(), i));
    const { results } = policyEnforcer.runPlain(objects, functionConfig ? configFromDocument(functionConfig) : undefined);
    return { items, results };
  },
};
