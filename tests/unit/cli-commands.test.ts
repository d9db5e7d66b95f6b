import { describe, expect, it } from 'vitest';
import { commandNames, createCli } from '../../cli/main.ts';

const namesOf = (cli: Awaited<ReturnType<typeof createCli>>) =>
  cli.commands.flatMap((command) => [command.name(), ...command.aliases()]);

describe('the CLI loads only the command it runs', () => {
  it('lists every command and alias its modules register, in the order of --help', async () => {
    expect(namesOf(await createCli())).toEqual(commandNames);
    expect(namesOf(await createCli(['--help']))).toEqual(commandNames);
    expect(namesOf(await createCli(['no-such-command']))).toEqual(commandNames);
  });

  it('registers, for a command, its own module: that command among them, and no other module', async () => {
    const all = await createCli();
    for (const name of commandNames) {
      const names = namesOf(await createCli([name, '--help']));
      expect(names).toContain(name);
      expect(names.length).toBeLessThan(commandNames.length);
      // The command is the one the full CLI has: the same options.
      const options = (cli: typeof all) =>
        cli.commands
          .find((command) => command.name() === name || command.aliases().includes(name))
          ?.options.map((option) => option.flags);
      expect(options(await createCli([name]))).toEqual(options(all));
    }
  });
});
