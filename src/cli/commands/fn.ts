import { Command } from 'commander';
import { findKrmFunction, functionNames, KRM_FUNCTIONS } from '../../kpt/functions';
import { runResourceList } from '../../kpt/resource-list';

/**
 * `nephoran fn <name>`: one catalog function as a kpt exec function, reading a ResourceList on
 * stdin and writing the result on stdout, e.g.
 * `kpt fn eval pkg --exec "nephoran fn set-labels" -- app=amf`.
 */
export function registerFnCommand(program: Command, setExitCode: (code: number) => void): void {
  const list = KRM_FUNCTIONS.map(fn => `  ${fn.name.padEnd(16)} (${fn.image})`).join('\n');
  program
    .command('fn')
    .description('run a kpt catalog function as a KRM exec function (ResourceList on stdin, result on stdout)')
    .argument('<name>', `the function: ${functionNames().join(', ')} (a catalog image reference also works)`)
    .addHelpText('after', `\nFunctions (as on the kpt catalog's master branch; the image is what Kptfiles reference):\n${list}\n\nExample:\n  kpt fn eval pkg --exec "nephoran fn set-namespace" -- namespace=ran\n`)
    .action(async (name: string) => {
      if (!findKrmFunction(name)) {
        throw new Error(`unknown function "${name}": expected one of ${functionNames().join(', ')}`);
      }
      if (process.stdin.isTTY) {
        throw new Error('fn reads a ResourceList on stdin: run it through kpt (kpt fn eval DIR --exec "nephoran fn NAME") or pipe one in');
      }
      const { stdout, exitCode } = runResourceList(name, await readStdin());
      process.stdout.write(stdout);
      setExitCode(exitCode);
    });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
