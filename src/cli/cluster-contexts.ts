import * as fs from 'fs';
import { Command } from 'commander';
import * as YAML from 'yaml';
import { GitOpsError, parseDurationFlag } from '../gitops';

/** The flags that say how each cluster is reached: `status` and `promote` read clusters alike. */
export interface ClusterContextFlags {
  readonly kubeconfig?: string;
  readonly context: readonly string[];
  readonly contexts?: string;
  readonly clusterTimeout: string;
}

/** How the clusters are reached, as the library takes it. */
export interface ClusterAccess {
  readonly kubeconfig?: string;
  readonly contexts: Record<string, string>;
  readonly clusterTimeoutMs: number;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Adds --kubeconfig, --context (repeatable), --contexts and --cluster-timeout. */
export function addClusterContextOptions(command: Command): Command {
  return command
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, else ~/.kube/config)')
    .option('--context <cluster=context>', 'the kubeconfig context of a cluster (repeatable; default: the context named like the cluster)', collect, [])
    .option('--contexts <file>', 'a YAML or JSON file mapping cluster names to kubeconfig contexts')
    .option('--cluster-timeout <duration>', 'how long one cluster may take to answer', '10s');
}

/** Cluster -> context, from --contexts (a file) then --context (which wins), and the per-cluster timeout. */
export function clusterAccessFrom(flags: ClusterContextFlags): ClusterAccess {
  return {
    kubeconfig: flags.kubeconfig,
    contexts: { ...contextsFile(flags.contexts), ...parseContextMappings(flags.context) },
    clusterTimeoutMs: parseDurationFlag(flags.clusterTimeout, '--cluster-timeout'),
  };
}

/** The arguments that repeat these flags, for a command the CLI suggests. */
export function clusterAccessArgs(flags: ClusterContextFlags): string[] {
  return [
    ...(flags.kubeconfig ? ['--kubeconfig', flags.kubeconfig] : []),
    ...(flags.contexts ? ['--contexts', flags.contexts] : []),
    ...flags.context.flatMap(c => ['--context', c]),
    ...(flags.clusterTimeout !== '10s' ? ['--cluster-timeout', flags.clusterTimeout] : []),
  ];
}

/** `--context edge-01=kind-edge-01`, repeated: the kubeconfig context of each cluster. */
export function parseContextMappings(values: readonly string[]): Record<string, string> {
  const contexts: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0 || eq === value.length - 1) throw new GitOpsError(`--context takes <cluster>=<context>, e.g. --context edge-01=kind-edge-01; got "${value}"`);
    contexts[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return contexts;
}

function contextsFile(file: string | undefined): Record<string, string> {
  if (!file) return {};
  let parsed: unknown;
  try {
    parsed = YAML.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new GitOpsError(`--contexts ${file} could not be read: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new GitOpsError(`--contexts ${file} must map cluster names to context names, e.g. "edge-1: gke_project_zone_edge-1"`);
  }
  const contexts: Record<string, string> = {};
  for (const [cluster, context] of Object.entries(parsed)) {
    if (typeof context !== 'string' || !context) throw new GitOpsError(`--contexts ${file}: the context of cluster "${cluster}" must be a context name, not ${JSON.stringify(context)}`);
    contexts[cluster] = context;
  }
  return contexts;
}
