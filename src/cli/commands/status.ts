import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { fleetSyncStatus, FleetSyncStatusOptions, formatFleetSyncReport, GitOpsError, parseDurationFlag, StatusRepository, waitForFleetSync } from '../../gitops';
import { DEFAULT_REMOTES_DIR, REPOSITORY_PLACEHOLDER, remotesFromTemplate } from '../../gitops/multi-publish';
import { loadAppRepoSet } from '../../repo/app-runner';
import { addClusterContextOptions, clusterAccessFrom, ClusterContextFlags } from '../cluster-contexts';
import { checkUrlFlags, progress, targetFromFlags } from './publish';

/** The flags of `nephoran status`. */
interface StatusFlags extends ClusterContextFlags {
  readonly remote?: string;
  readonly branch: string;
  readonly cache?: string;
  readonly remoteTemplate?: string;
  readonly remotesDir?: string;
  readonly app?: string;
  readonly cluster: string[];
  readonly json?: boolean;
  readonly wait?: boolean;
  readonly timeout: string;
  readonly interval: string;
  readonly verbose?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerStatusCommand(program: Command, setExitCode: (code: number) => void): void {
  addClusterContextOptions(program.command('status')
    .description('what each cluster of the fleet runs, read from ConfigSync (RootSync status and ResourceGroup inventory) and checked against the published commit; deployment and rollback times, drift')
    .option('--remote <url>', 'deployment repository URL or path (default: the embedded .nephoran/remote.git)')
    .option('--branch <name>', 'branch the fleet is published to (its clusters/<cluster>/ RootSyncs are read there)', 'main')
    .option('--cache <dir>', 'cache folder for the local copy (default: .nephoran/cache/<hash of the remote>)')
    .option('--remote-template <url>', `several repositories: each one's remote, with ${REPOSITORY_PLACEHOLDER} where its name goes (the app is run to learn the names)`)
    .option('--remotes-dir <dir>', `several repositories: a folder of bare repositories <dir>/<repository>.git (default for an app with several: ${DEFAULT_REMOTES_DIR})`)
    .option('--app <command>', 'with --remote-template: the command that runs the cdk8s app (default: app of cdk8s.yaml)'))
    .option('--cluster <name>', 'only this cluster (repeatable)', collect, [])
    .option('--json', 'print the report as JSON')
    .option('--wait', 'read again until every cluster has synced the published commit (or a later one) and is healthy; exit 1 when a sync fails, 2 on timeout')
    .option('--timeout <duration>', 'with --wait: how long to wait, e.g. 90s, 5m, 1h', '5m')
    .option('--interval <duration>', 'with --wait: time between reads', '2s')
    .option('--verbose', 'print progress to stderr')
    .action(async (flags: StatusFlags) => {
      checkUrlFlags(flags);
      const access = clusterAccessFrom(flags);
      const options: FleetSyncStatusOptions = {
        repositories: await repositoriesFrom(flags),
        branch: flags.branch,
        contexts: access.contexts,
        kubeconfig: access.kubeconfig,
        clusters: flags.cluster.length > 0 ? flags.cluster : undefined,
        clusterTimeoutMs: access.clusterTimeoutMs,
        log: flags.verbose ? progress : undefined,
      };
      const print = (text: string) => process.stdout.write(text + '\n');
      if (!flags.wait) {
        const report = await fleetSyncStatus(options);
        print(flags.json ? JSON.stringify(report, null, 2) : formatFleetSyncReport(report));
        setExitCode(0);
        return;
      }
      const timeoutMs = parseDurationFlag(flags.timeout, '--timeout');
      const result = await waitForFleetSync(options, {
        timeoutMs,
        intervalMs: parseDurationFlag(flags.interval, '--interval'),
        onRead: flags.verbose ? r => progress(`${r.clusters.filter(c => c.verified).length} of ${r.clusters.length} clusters verified`) : undefined,
      });
      const wait = {
        verified: result.verified,
        timedOut: result.timedOut,
        timeoutSeconds: timeoutMs / 1000,
        ...(result.reason ? { reason: result.reason } : {}),
      };
      print(flags.json ? JSON.stringify({ ...result.report, wait }, null, 2) : formatFleetSyncReport(result.report));
      if (!result.verified) process.stderr.write(`nephoran: status --wait ${result.reason}\n`);
      setExitCode(result.verified ? 0 : result.timedOut ? 2 : 1);
    });
}

/** The repositories to read: one remote, or several (a folder of bare repositories or a URL template). */
async function repositoriesFrom(flags: StatusFlags): Promise<StatusRepository[]> {
  if ((flags.remoteTemplate || flags.remotesDir) && (flags.remote || flags.cache)) {
    throw new GitOpsError('give --remote (one repository) or --remote-template/--remotes-dir (several), not both');
  }
  if (flags.remoteTemplate && flags.remotesDir) throw new GitOpsError('give --remote-template or --remotes-dir, not both');
  if (flags.remotesDir) {
    const dir = path.resolve(flags.remotesDir);
    if (!fs.existsSync(dir)) throw new GitOpsError(`--remotes-dir ${flags.remotesDir} does not exist: publish first, or name the folder of bare repositories`);
    const names = fs.readdirSync(dir).filter(n => n.endsWith('.git')).map(n => n.slice(0, -4)).sort();
    if (names.length === 0) throw new GitOpsError(`--remotes-dir ${flags.remotesDir} holds no <repository>.git`);
    return names.map(name => ({ name, remote: path.join(dir, `${name}.git`) }));
  }
  if (flags.remoteTemplate) {
    const set = await loadAppRepoSet({ app: flags.app });
    // The primary (management) repository first: it holds clusters/<cluster>/.
    const names = [set.primary, ...set.names.filter(n => n !== set.primary)];
    return remotesFromTemplate(flags.remoteTemplate, names).map(r => ({ name: r.repository, remote: r.remote }));
  }
  const target = await targetFromFlags({ remote: flags.remote, branch: flags.branch });
  return [{ name: '', remote: target.remote, cacheDir: flags.cache }];
}
