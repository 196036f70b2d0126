import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A fresh temporary folder, removed after the test file. */
export function tmpDir(prefix = 'nephoran-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The project root (where package.json is). */
export const PROJECT_ROOT = path.resolve(__dirname, '../..');

/** True when an executable is on PATH. */
export function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some(dir => {
    try {
      fs.accessSync(path.join(dir, command), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
