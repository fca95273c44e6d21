import { closestName } from "../closest-name.ts";
import { type CliCommand, ExitCode, UsageError } from "../command.ts";
import { commandUsage, programUsage } from "../usage.ts";

/** `labbroker help [COMMAND]`: built over the other commands, so it is made for a given list. */
export function helpCommand(commands: readonly CliCommand[]): CliCommand {
  const help: CliCommand = {
    name: "help",
    summary: "List the commands, or show one command's help",
    positionals: "[COMMAND]",
    options: {},
    async run({ positionals, io }) {
      const all = [...commands, help];
      const [topic, ...extra] = positionals;
      if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
      if (topic === undefined) {
        io.stdout(programUsage(all));
        return ExitCode.ok;
      }
      const command = all.find((candidate) => candidate.name === topic);
      if (!command) throw new UsageError(unknownCommand(topic, all));
      io.stdout(commandUsage(command));
      return ExitCode.ok;
    },
  };
  return help;
}

/** `unknown command "quue" (did you mean "queue"?)` */
export function unknownCommand(name: string, commands: readonly CliCommand[]): string {
  const suggestion = closestName(name, commands.map((command) => command.name));
  return `unknown command "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`;
}
