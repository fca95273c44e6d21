import { helpCommand, unknownCommand } from "./commands/help.ts";
import { type CliCommand, type CommandIo, ExitCode, type SelfProcess, UsageError } from "./command.ts";
import { isHelpFlag, splitCommandLine } from "./global-flags.ts";
import { parseCommandArgv } from "./parse-argv.ts";
import { commandUsage, programUsage } from "./usage.ts";

export interface CliContext {
  commands: readonly CliCommand[];
  env: Record<string, string | undefined>;
  io: CommandIo;
  signal: AbortSignal;
  self: SelfProcess;
}

/** Finds the subcommand, parses its options and runs it; returns the process exit code. */
export async function runCli(argv: string[], context: CliContext): Promise<number> {
  const { io } = context;
  const commands = [...context.commands, helpCommand(context.commands)];
  let command: CliCommand | undefined;
  try {
    const { name, args } = splitCommandLine(argv);
    if (name === undefined || isHelpFlag(name)) {
      // `labbroker --help` asked for the list; a bare `labbroker` is a usage error that shows it.
      (name ? io.stdout : io.stderr)(programUsage(commands));
      return name ? ExitCode.ok : ExitCode.usage;
    }
    command = commands.find((candidate) => candidate.name === name);
    if (!command) throw new UsageError(unknownCommand(name, commands));
    const parsed = parseCommandArgv(command, args, context.env);
    if (parsed.help) {
      io.stdout(commandUsage(command));
      return ExitCode.ok;
    }
    return await command.run({
      values: parsed.values,
      positionals: parsed.positionals,
      env: context.env,
      io,
      signal: context.signal,
      self: context.self,
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const where = command ? `labbroker ${command.name}` : "labbroker";
    io.stderr(`${where}: ${error.message}\nRun '${where} --help' for usage.\n`);
    return ExitCode.usage;
  }
}
