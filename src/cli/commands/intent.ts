import { Command } from 'commander';
import { intentSchema, synthesizeIntent } from '../../intent';
import { AppSynthesis, loadAppSynthesis, LoadAppTreeOptions } from '../../repo/app-runner';
import { RepoSet } from '../../repo/repo-set';
import { formatProblem } from '../../repo/synth-error';

/** The option synth, publish and diff share: NetworkIntent files instead of a program. */
export const INTENT_OPTION_FLAGS = '--intent <file-or-folder>';
export const INTENT_OPTION_DESCRIPTION = 'synthesize NetworkIntent YAML files (a file, or every .yaml/.yml file of a folder) instead of running the app';

/** What names the program or the intent files to synthesize. */
export interface SynthesisFlags {
  readonly intent?: string;
  readonly app?: string;
}

/**
 * What the program or the intent files synthesize: `--intent` synthesizes the files in this
 * process, otherwise the app runs as `cdk8s synth` would run it.
 */
export async function loadSynthesis(flags: SynthesisFlags, options: LoadAppTreeOptions = {}): Promise<AppSynthesis> {
  if (flags.intent !== undefined) {
    if (flags.app !== undefined) throw new Error('give --app or --intent, not both: --intent synthesizes the files without a program');
    return synthesizeIntent(flags.intent);
  }
  return loadAppSynthesis({ ...options, app: flags.app });
}

/** Like loadSynthesis, printing the warnings to stderr, for commands that print no summary of their own. */
export async function loadRepoSet(flags: SynthesisFlags): Promise<RepoSet> {
  const { repositories, warnings } = await loadSynthesis(flags);
  for (const warning of warnings) process.stderr.write(`warning: ${formatProblem(warning)}\n`);
  return repositories;
}

/** `nephoran intent schema`: prints the JSON Schema of the NetworkIntent documents. */
export function registerIntentCommand(program: Command, setExitCode: (code: number) => void): void {
  const intent = program.command('intent').description('NetworkIntent files: the YAML form of a fleet');
  intent
    .command('schema')
    .description('print the JSON Schema of the NetworkIntent documents (for editors: # yaml-language-server: $schema=<file>)')
    .action(() => {
      process.stdout.write(JSON.stringify(intentSchema(), null, 2) + '\n');
      setExitCode(0);
    });
}
