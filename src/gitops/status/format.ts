import { FleetSyncReport } from './fleet-status';
import { describeResource } from './interpret';
import { ClusterVerification, DurationFigures, formatSeconds, short } from './verify';

/** The fleet's status for people: one block per cluster, then the figures. */
export function formatFleetSyncReport(report: FleetSyncReport): string {
  const lines: string[] = [];
  for (const r of report.repositories) {
    const what = r.commit ? `${short(r.commit.commit)} "${r.commit.subject}" (committed ${r.commit.committedAt}${r.commit.rollbackTo ? `, a rollback to ${short(r.commit.rollbackTo)}` : ''})` : '(nothing published)';
    lines.push(`Published${report.repositories.length > 1 || r.name ? ` ${r.name}` : ''} ${r.branch}: ${what}`);
  }
  lines.push('');
  for (const c of report.clusters) lines.push(...formatCluster(c), '');
  const f = report.figures;
  lines.push(`Verified: ${report.clusters.filter(c => c.verified).length} of ${report.clusters.length} cluster${report.clusters.length === 1 ? '' : 's'}; synced the published commit: ${f.syncSuccess.synced} of ${f.syncSuccess.total}.`);
  lines.push(`Deployment time (merge to synced): ${formatDurations(f.deployment)}.`);
  lines.push(`Rollback time (rollback commit to synced): ${formatDurations(f.rollback)}.`);
  lines.push(`Drift: ${f.drift.clusters.length === 0 ? 'none' : [
    f.drift.behind.length > 0 ? `behind the published commit: ${f.drift.behind.join(', ')}` : '',
    f.drift.notCurrent.length > 0 ? `resources not Current: ${f.drift.notCurrent.join(', ')}` : '',
  ].filter(x => x).join('; ')}.`);
  return lines.join('\n');
}

function formatCluster(c: ClusterVerification): string[] {
  const s = c.state;
  const head = `${c.cluster} (context ${c.context}${c.repository ? `, repository ${c.repository}` : ''}): ${c.verified ? 'VERIFIED' : verdict(c)}`;
  const out = [head];
  if (!s.reachable || !s.rootSyncFound) {
    out.push(`  ${c.reasons[0]}`);
    return out;
  }
  const synced = c.syncedCommit ? `${short(c.syncedCommit)}${c.syncedCommitInfo ? ` "${c.syncedCommitInfo.subject}"` : ''}` : 'nothing yet';
  const relation = c.relation === 'published' ? '= published' : c.relation === 'descendant' ? 'newer than published' : c.relation === 'behind' ? 'BEHIND published' : c.relation === 'unrelated' ? 'not in the branch history' : c.relation === 'unknown' ? 'unknown to the repository' : '';
  out.push(`  synced:    ${synced}${relation ? ` (${relation}${c.publishedCommit && c.relation !== 'published' ? ` ${short(c.publishedCommit)}` : ''})` : ''}${s.syncedAt ? ` at ${s.syncedAt}` : ''}`);
  if (s.phase !== 'synced' && s.syncingCommit && s.syncingCommit !== c.syncedCommit) {
    out.push(`  ${s.phase === 'error' ? 'failed:   ' : 'syncing:  '} ${short(s.syncingCommit)}`);
  }
  if (c.deploymentSeconds !== undefined) out.push(`  deployment time: ${formatSeconds(c.deploymentSeconds)}`);
  if (c.rollbackSeconds !== undefined) out.push(`  rollback time:   ${formatSeconds(c.rollbackSeconds)} (rollback to ${short(c.syncedCommitInfo?.rollbackTo ?? '')})`);
  for (const e of s.errors) {
    out.push(`  error ${e.code} (${e.stage}${e.title ? `: ${e.title}` : ''}): ${e.summary}`);
    for (const o of e.objects) out.push(`    object ${describeResource(o)}${o.sourcePath ? ` from ${o.sourcePath}` : ''}`);
  }
  const inv = s.inventory;
  if (inv?.found) {
    const counts = Object.entries(inv.byStatus).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
    out.push(`  resources: ${inv.total} (${counts})${inv.healthy ? '' : inv.stalled ? `; controller stalled: ${inv.stalled}` : inv.reconciling ? '; controller reconciling' : ''}`);
    for (const r of inv.notCurrent) out.push(`    ${r.status.padEnd(11)} ${describeResource(r)}${r.messages.length > 0 ? `: ${r.messages.join('; ')}` : ''}`);
  } else {
    out.push(`  resources: no ResourceGroup ${s.rootSync.namespace}/${s.rootSync.name}`);
  }
  return out;
}

function verdict(c: ClusterVerification): string {
  const s = c.state;
  if (!s.reachable) return 'UNREACHABLE';
  if (!s.rootSyncFound) return 'NO ROOTSYNC';
  if (s.phase === 'stalled') return 'STALLED';
  if (s.phase === 'error') return 'ERROR';
  if (s.phase === 'reconciling') return 'RECONCILING';
  if (s.phase === 'pending') return 'SYNCING';
  if (c.relation === 'behind') return 'BEHIND';
  if (c.relation === 'unrelated' || c.relation === 'unknown') return 'OTHER COMMIT';
  return 'UNHEALTHY';
}

function formatDurations(d: DurationFigures): string {
  if (d.count === 0) return 'none measured';
  if (d.count === 1) return `${formatSeconds(d.minSeconds!)} (1 cluster)`;
  return `min ${formatSeconds(d.minSeconds!)}, mean ${formatSeconds(d.meanSeconds!)}, max ${formatSeconds(d.maxSeconds!)} (${d.count} clusters)`;
}
