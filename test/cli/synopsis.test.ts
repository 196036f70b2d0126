import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from '../support/tmp';

// The synopsis in docs/PUBLISHING.md is written by hand: every option a command's --help lists
// must appear in it, so that an option added to the CLI cannot go undocumented.

const BIN = path.join(PROJECT_ROOT, 'bin/nephoran');
const DOC = fs.readFileSync(path.join(PROJECT_ROOT, 'docs/PUBLISHING.md'), 'utf8');
const SYNOPSIS = /## Command line\n\n```\n([\s\S]*?)```/.exec(DOC)?.[1] ?? '';

/** The synopsis lines of one command, with the TARGET and CLUSTERS groups it names expanded. */
function synopsisOf(command: string): string {
  const groups = Object.fromEntries([...SYNOPSIS.matchAll(/^(TARGET|CLUSTERS)\s+=\s+([\s\S]*?)(?=\n\S|\n*(?![\s\S]))/gm)].map(m => [m[1], m[2]]));
  const lines = SYNOPSIS.split('\n');
  const start = lines.findIndex(l => l.startsWith(`nephoran ${command} `));
  if (start < 0) return '';
  const continued = lines.slice(start + 1).findIndex(l => !l.startsWith(' '));
  const own = lines.slice(start, continued < 0 ? undefined : start + 1 + continued).join('\n');
  return own.replace(/\b(TARGET|CLUSTERS)\b/g, g => `${g} ${groups[g] ?? ''}`);
}

function optionsOf(args: string[]): string[] {
  const help = spawnSync(BIN, [...args, '--help'], { encoding: 'utf8' });
  expect(help.status).toBe(0);
  const options = help.stdout.split('\nCommands:')[0];
  return [...new Set([...options.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map(m => m[1]))].filter(o => o !== '--help');
}

test('the synopsis names every command', () => {
  for (const command of ['synth', 'publish', 'diff', 'history', 'rollback', 'review', 'status', 'promote', 'fn']) {
    expect(synopsisOf(command)).not.toBe('');
  }
});

test.each([
  'synth', 'publish', 'diff', 'history', 'rollback', 'status', 'promote',
  'review list', 'review status', 'review approve', 'review merge',
])('docs/PUBLISHING.md lists every option of nephoran %s', commandLine => {
  const command = commandLine.split(' ');
  const synopsis = synopsisOf(command[0]);
  const missing = optionsOf(command).filter(option => !new RegExp(`${option}(?![a-z-])`).test(synopsis));
  expect(missing).toEqual([]);
});
