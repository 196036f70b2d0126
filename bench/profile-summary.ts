/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`): self time by package or file, self time by
 * function, and inclusive time by function (each function counted once per sample, however
 * deep it recurses). bench/RESULTS.md quotes its output.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/out/js/bench/fleet.js ours 100 50 /dev/shm/fleet distinct
 *   node -r @swc-node/register bench/profile-summary.ts /tmp/prof/<file>.cpuprofile [top]
 */
import * as fs from 'fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: number[];
}

interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

function summarize(profile: Profile, top: number): string {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfById = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    selfById.set(id, (selfById.get(id) ?? 0) + ms);
  });
  const local = (url: string) => url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'node_modules/').replace(`${process.cwd()}/`, '');
  const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${local(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const place = (n: ProfileNode) => {
    const url = n.callFrame.url.replace(/^file:\/\//, '');
    if (!url) return n.callFrame.functionName;
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
    return pkg ? `node_modules/${pkg[1]}` : local(url);
  };
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  const selfByPlace = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, ms] of selfById) {
    const node = byId.get(id)!;
    add(selfByPlace, place(node), ms);
    add(selfByFunction, label(node), ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at)!);
      if (!seen.has(name)) {
        seen.add(name);
        add(inclusive, name, ms);
      }
    }
  }
  const table = (title: string, map: Map<string, number>) => [
    `## ${title}`,
    ...[...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, ms]) => `${ms.toFixed(0).padStart(7)} ms  ${name}`),
    '',
  ];
  return [`sampled ${total.toFixed(0)} ms`, '', ...table('self time by package or file', selfByPlace), ...table('self time by function', selfByFunction), ...table('inclusive time by function', inclusive)].join('\n');
}

if (require.main === module) {
  const [file, top = '30'] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: bench/profile-summary.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(summarize(JSON.parse(fs.readFileSync(file, 'utf8')) as Profile, Number(top)) + '\n');
}
