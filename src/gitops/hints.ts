/**
 * The `nephoran ...` commands results and errors suggest. A suggestion must work when pasted into
 * a shell: it carries the arguments that named the repository in the run that printed it
 * (`--remote`, `--branch`, `--remotes-dir` and `--repository`, the forge flags), so following it
 * acts on the same repository, not on the embedded default one.
 */

/** Characters a POSIX shell passes through unquoted. */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A word quoted for a POSIX shell (single quotes; a `'` inside is closed, escaped and reopened). */
export function shellQuote(word: string): string {
  if (word !== '' && SHELL_SAFE.test(word)) return word;
  return `'${word.replace(/'/g, '\'\\\'\'')}'`;
}

/**
 * A complete `nephoran` command line: the command words, then `targetArgs` (the arguments that
 * named the repository), each quoted for a POSIX shell.
 */
export function nephoranCommand(words: readonly string[], targetArgs: readonly string[] = []): string {
  return ['nephoran', ...words, ...targetArgs].map(shellQuote).join(' ');
}

/** Splits a command line nephoranCommand() printed back into its words (POSIX single quotes and backslashes). */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let current: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\'') {
      const end = line.indexOf('\'', i + 1);
      if (end < 0) throw new Error(`unterminated quote in: ${line}`);
      current = (current ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\' && i + 1 < line.length) {
      current = (current ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else {
      current = (current ?? '') + c;
    }
  }
  if (current !== undefined) words.push(current);
  return words;
}
