import { Command } from 'commander';
import { registerFnCommand } from '../../../src/cli/commands/fn';

function program(): { program: Command; output: () => string } {
  let out = '';
  const p = new Command('nephoran').exitOverride().configureOutput({ writeOut: s => { out += s; }, writeErr: s => { out += s; } });
  registerFnCommand(p, () => undefined);
  return { program: p, output: () => out };
}

describe('nephoran fn', () => {
  test('--help lists the four functions', async () => {
    const { program: p, output } = program();
    await expect(p.parseAsync(['fn', '--help'], { from: 'user' })).rejects.toMatchObject({ code: 'commander.helpDisplayed' });
    for (const name of ['set-namespace', 'set-labels', 'set-annotations', 'apply-setters']) expect(output()).toContain(name);
  });

  test('an unknown function is an error naming the valid ones', async () => {
    const { program: p } = program();
    await expect(p.parseAsync(['fn', 'set-replicas'], { from: 'user' }))
      .rejects.toThrow('unknown function "set-replicas": expected one of set-namespace, set-labels, set-annotations, apply-setters');
  });
});
