import * as fs from 'fs';
import { StringDecoder } from 'string_decoder';
import { Command } from 'commander';
import { findKrmFunction, functionNames, KRM_FUNCTIONS, KrmFunction } from '../../kpt/functions';
import { processResourceList } from '../../kpt/resource-list';
import { enforcerRuleIds, policyEnforcer } from '../../policy/enforcer';

/** The function a name given to `nephoran fn` stands for: the policy enforcer or a catalog function. */
function functionFor(name: string): KrmFunction | undefined {
  if (name === policyEnforcer.name) return policyEnforcer;
  return findKrmFunction(name);
}

/**
 * `nephoran fn <name>`: one catalog function, or the policy enforcer, as a kpt exec function,
 * reading a ResourceList on stdin and writing the result on stdout, e.g.
 * `kpt fn eval pkg --exec "nephoran fn set-labels" -- app=amf`.
 */
export function registerFnCommand(program: Command, setExitCode: (code: number) => void): void {
  const names = [...functionNames(), policyEnforcer.name];
  const list = KRM_FUNCTIONS.map(fn => `  ${fn.name.padEnd(16)} (${fn.image})`).join('\n');
  program
    .command('fn')
    .description('run a kpt catalog function or the policy enforcer as a KRM exec function (ResourceList on stdin, result on stdout)')
    .argument('<name>', `the function: ${names.join(', ')} (a catalog image reference also works)`)
    .addHelpText('after', [
      '',
      `Functions (as on the kpt catalog's master branch; the image is what Kptfiles reference):\n${list}`,
      '',
      `Validator:\n  ${policyEnforcer.name.padEnd(16)} (${policyEnforcer.image})`,
      '  checks the synth rules over the items; config: a ConfigMap with data profile=strict|standard|relaxed',
      `  and <rule>=error|warning|off for ${enforcerRuleIds().join(', ')},`,
      '  or a fn.nephoran.io/v1alpha1 PolicyEnforcer with profile and rules; exits 1 on an error result',
      '',
      'Examples:',
      '  kpt fn eval pkg --exec "nephoran fn set-namespace" -- namespace=ran',
      '  kpt fn eval pkg --exec "nephoran fn policy-enforcer" -- profile=strict image-digest=warning',
      '',
    ].join('\n'))
    .action(async (name: string) => {
      const fn = functionFor(name);
      if (!fn) {
        throw new Error(`unknown function "${name}": expected one of ${names.join(', ')}`);
      }
      if (process.stdin.isTTY) {
        throw new Error('fn reads a ResourceList on stdin: run it through kpt (kpt fn eval DIR --exec "nephoran fn NAME") or pipe one in');
      }
      const { chunks, exitCode } = processResourceList(fn, await readStdin());
      await writeChunks(chunks);
      setExitCode(exitCode);
    });
}

/**
 * All of stdin as one string, decoded chunk by chunk (never one more copy of the whole input as
 * bytes): read synchronously while the descriptor allows it, the rest the asynchronous way.
 */
async function readStdin(): Promise<string> {
  const decoder = new StringDecoder('utf8');
  const parts: string[] = [];
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(1 << 20);
      const read = fs.readSync(0, buffer, 0, buffer.length, null);
      if (read === 0) return parts.join('') + decoder.end();
      parts.push(decoder.write(buffer.subarray(0, read)));
    }
  } catch (err) {
    // EAGAIN: a non-blocking pipe with nothing to read yet.
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
  }
  for await (const chunk of process.stdin) parts.push(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  return parts.join('') + decoder.end();
}

/** Writes the chunks in order, waiting whenever stdout's buffer is full, and dropping each once written. */
async function writeChunks(chunks: string[]): Promise<void> {
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i];
    chunks[i] = '';
    if (!process.stdout.write(chunk)) await new Promise<void>(resolve => process.stdout.once('drain', () => resolve()));
  }
}
