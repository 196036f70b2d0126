import { ChangeCounts, ChangeSummary, countChanges, groupTitle } from './change-summary';

const MAX_PACKAGES = 60;

/**
 * A Mermaid flowchart of what changed where: one node per cluster (or `shared`), linked to one
 * node per package, coloured by whether the package was added, changed or removed.
 */
export function renderMermaid(summary: ChangeSummary): string {
  const lines = [
    'flowchart LR',
    '  classDef added fill:#e6ffed,stroke:#2da44e,color:#1f2328',
    '  classDef changed fill:#fff8c5,stroke:#bf8700,color:#1f2328',
    '  classDef removed fill:#ffebe9,stroke:#cf222e,color:#1f2328',
  ];
  const titles = new Map<string, string>();
  const shown = summary.groups.slice(0, MAX_PACKAGES);
  shown.forEach((group, index) => {
    const title = groupTitle(group);
    let node = titles.get(title);
    if (!node) {
      node = `g${titles.size}`;
      titles.set(title, node);
      lines.push(`  ${node}["${label(title)}"]`);
    }
    const counts = countChanges(group.objects);
    const name = group.packagePath === undefined ? 'other files' : group.packagePath.split('/').pop() || '(root)';
    lines.push(`  p${index}["${label(name)}<br/>+${counts.added} ~${counts.changed} -${counts.removed}"]:::${packageClass(counts)}`);
    lines.push(`  ${node} --> p${index}`);
  });
  if (summary.groups.length > shown.length) {
    lines.push(`  more["${summary.groups.length - shown.length} more packages"]`);
  }
  return lines.join('\n');
}

function packageClass(counts: ChangeCounts): string {
  if (counts.changed === 0 && counts.removed === 0) return 'added';
  if (counts.changed === 0 && counts.added === 0) return 'removed';
  return 'changed';
}

/** Mermaid labels are quoted: quotes and angle brackets become entities. */
function label(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
