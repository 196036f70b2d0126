import { execFileSync } from 'child_process';
import { nephoranCommand, shellQuote, splitCommandLine } from '../../src/gitops/hints';

// Suggested commands are quoted for a POSIX shell: what a shell makes of the printed line is
// the words that were meant.

const AWKWARD = ['plain', 'with space', "it's", '{repository}', '$HOME', 'a;b', '`x`', 'back\\slash', '', 'Name <email@example.com>'];

test('a shell splits a quoted word back into the same word', () => {
  for (const word of AWKWARD) {
    const echoed = execFileSync('sh', ['-c', `printf '%s\\n' ${shellQuote(word)}`], { encoding: 'utf8' });
    expect(echoed).toBe(`${word}\n`);
  }
});

test('nephoranCommand quotes every word, and splitCommandLine reads the line back', () => {
  const line = nephoranCommand(['review', 'approve', 'nephoran/change-0123456789ab'], ['--remote-template', 'https://git.example.com/{repository}.git', '--repository', 'edge-01', '--author', "O'Brien <ob@example.com>"]);
  expect(line).toBe("nephoran review approve nephoran/change-0123456789ab --remote-template 'https://git.example.com/{repository}.git' --repository edge-01 --author 'O'\\''Brien <ob@example.com>'");
  expect(splitCommandLine(line)).toEqual(['nephoran', 'review', 'approve', 'nephoran/change-0123456789ab', '--remote-template', 'https://git.example.com/{repository}.git', '--repository', 'edge-01', '--author', "O'Brien <ob@example.com>"]);
  for (const word of AWKWARD) expect(splitCommandLine(`x ${shellQuote(word)}`)).toEqual(['x', word]);
});
