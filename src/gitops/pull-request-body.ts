import { ChangeSummary, countChanges, formatCounts, groupTitle, SIGN } from './change-summary';
import { renderMermaid } from './mermaid';
import { GateRequirement } from './review-gate';

const MAX_OBJECT_LINES = 300;

/** The body of a pull request: counts per cluster and package, a Mermaid diagram, the objects. */
export function pullRequestBody(parts: {
  summary: ChangeSummary;
  changeId: string;
  sourceCommit?: string;
  requirements: readonly GateRequirement[];
}): string {
  const { summary } = parts;
  const lines: string[] = [
    `Change \`${parts.changeId}\`${parts.sourceCommit ? ` from source commit \`${parts.sourceCommit}\`` : ''}.`,
    '',
    `Files: ${formatCounts(summary.files)}. Objects: ${formatCounts(summary.objects)}.`,
    '',
  ];
  const gated = parts.requirements.filter(r => r.approvals > 0);
  if (gated.length > 0) {
    lines.push('Review gate: ' + gated.map(r => `${r.scope} needs ${r.approvals} approval${r.approvals === 1 ? '' : 's'}${r.excludeAuthor ? ' (not the author)' : ''}`).join('; ') + '.', '');
  }
  lines.push('| Where | Package | Added | Changed | Removed |', '| --- | --- | ---: | ---: | ---: |');
  for (const group of summary.groups) {
    const counts = countChanges(group.objects);
    lines.push(`| ${groupTitle(group)} | ${group.packagePath === undefined ? '(no package)' : '`' + group.packagePath + '`'} | ${counts.added} | ${counts.changed} | ${counts.removed} |`);
  }
  lines.push('', '```mermaid', renderMermaid(summary), '```', '', '<details><summary>Objects</summary>', '');
  let shown = 0;
  const total = summary.groups.reduce((n, g) => n + g.objects.length, 0);
  for (const group of summary.groups) {
    for (const object of group.objects) {
      if (shown++ >= MAX_OBJECT_LINES) break;
      const fields = (object.fields ?? []).map(f => f.before === undefined && f.after === undefined ? f.field : `${f.field}: ${f.before ?? '(none)'} → ${f.after ?? '(none)'}`);
      lines.push(`- \`${SIGN[object.kind]}\` ${object.object} (\`${object.file}\`)${fields.length ? '<br/>' + fields.map(f => '`' + f.replace(/`/g, "'") + '`').join('<br/>') : ''}`);
    }
  }
  if (total > MAX_OBJECT_LINES) lines.push(`- ... and ${total - MAX_OBJECT_LINES} more objects`);
  lines.push('', '</details>', '');
  return lines.join('\n');
}
