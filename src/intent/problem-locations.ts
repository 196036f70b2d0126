import { FieldSegment, formatField, formatLocation } from './intent-source';
import type { DeclaredDocument } from './load-intent';
import { SynthProblem } from '../repo/synth-error';

/**
 * Moves each problem a construct declared by an intent document reported to that document: its
 * path becomes `file:line:column` of the field (or of the nearest enclosing field the document
 * has), its field the document's name for it, and the message names the construct it came from.
 * Problems of constructs no document declared are kept as they are.
 */
export function locateSynthProblems(problems: readonly SynthProblem[], origins: ReadonlyMap<string, DeclaredDocument>): SynthProblem[] {
  return problems.map(problem => {
    const origin = originOf(problem.path, origins);
    if (!origin) return problem;
    const { declared, exact } = origin;
    const naming = `${declared.document.kind} "${declared.document.metadata.name}", construct ${problem.path}`;
    if (!exact) {
      // A problem of something the construct rendered (an object of a variant): its field is the
      // object's, so the place is the document that declared it.
      return { ...problem, path: formatLocation(declared.source.locate(['metadata', 'name'])), message: `${inDocumentTerms(problem.message, declared.document.kind)} (${naming})` };
    }
    const segments = documentField(declared.document.kind, problem.field);
    return {
      ...problem,
      path: formatLocation(declared.source.locate(segments)),
      field: formatField(segments),
      message: `${inDocumentTerms(problem.message, declared.document.kind)} (${naming})`,
    };
  });
}

/** The document that declared the construct at `path` or the nearest construct above it. */
function originOf(path: string, origins: ReadonlyMap<string, DeclaredDocument>): { declared: DeclaredDocument; exact: boolean } | undefined {
  for (let at = path; at !== ''; at = at.includes('/') ? at.slice(0, at.lastIndexOf('/')) : '') {
    const found = origins.get(at);
    if (found) return { declared: found, exact: at === path };
  }
  return undefined;
}

/** Construct fields whose document field has another name. */
const RENAMES: Record<string, Record<string, FieldSegment[]>> = {
  '*': { name: ['metadata', 'name'] },
  'NetworkFunction': { kind: ['spec', 'type'] },
  'Cluster': { labels: ['metadata', 'labels'] },
  'Placement': { overrides: ['spec', 'overrides'] },
};

/**
 * The document field of a construct's problem field: `props.replicas` is `spec.replicas`,
 * `props.kind` of a NetworkFunction `spec.type`, a placement's `overrides.production.replicas`
 * `spec.environmentOverrides.production.replicas`.
 */
export function documentField(kind: string, field: string): FieldSegment[] {
  const fromProps = field.startsWith('props.');
  const segments = parseField(fromProps ? field.slice('props.'.length) : field);
  if (segments.length === 0) return [];
  const [first, ...rest] = segments;
  if (kind === 'Placement' && !fromProps && first === 'overrides') return ['spec', 'environmentOverrides', ...rest];
  const renamed = RENAMES[kind]?.[String(first)] ?? RENAMES['*'][String(first)];
  return renamed ? [...renamed, ...rest] : ['spec', ...segments];
}

/** `interfaces[0].type`, `matchLabels["nephio.org/site-type"]` as segments. */
function parseField(field: string): FieldSegment[] {
  const segments: FieldSegment[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  for (const match of field.matchAll(pattern)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(`"${match[3]}"`));
  }
  return segments;
}

/** The calls a construct's message suggests, and the document field that does the same. */
const CALLS: Record<string, string> = {
  'addNetworkFunction()': 'spec.networkFunctions',
  'addInterface()': 'spec.interfaces',
  'addPort()': 'spec.ports',
  'addNetwork()': 'spec.networks',
  'addEnv()': 'spec.workload.env',
  'addConfiguration()': 'spec.configuration',
  'addToleration()': 'spec.workload.tolerations',
  'addSidecar()': 'spec.workload.sidecars',
  'addVolume()': 'spec.volumes',
  'addPeer()': 'spec.peers',
  'addLabel()': 'metadata.labels',
  'addNamespace()': 'spec.namespaces',
};

/**
 * A construct's message in the words of the documents: the values a program names as class
 * members (`NfDeploymentModel.WORKLOAD`, `InterfaceType.N3`, `Environment.PRODUCTION`) as the
 * documents write them, and the calls it suggests as the fields that do the same.
 */
export function inDocumentTerms(message: string, kind: string): string {
  return message
    .replace(/\b(NfDeploymentModel|PodSecurityLevel|Environment|NetworkIsolation|InterfaceType|SiteType)\.([A-Z][A-Z0-9_]*)\b/g,
      (_all, _type: string, member: string) => member.toLowerCase().replace(/_/g, '-'))
    .replace(/\bNfKind\.([A-Z][A-Z0-9_]*)\b/g, (_all, member: string) => member.toLowerCase().replace(/_/g, '-'))
    .replace(/\badd[A-Z][A-Za-z]*\(\)/g, call => CALLS[call] ?? call)
    .replace(/\bprops\.([A-Za-z][\w.]*\w)/g, (_all, field: string) => formatField(documentField(kind, `props.${field}`)));
}
