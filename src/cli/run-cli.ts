import { type CliCommand, type CommandIo, ExitCode, UsageError } from "./command.ts";
import { parseCommandArgv } from "./parse-argv.ts";
import { commandUsage, programUsage } from "./usage.ts";

export interface CliContext {
  commands: readonly CliCommand[];
  env: Record<string, string | undefined>;
  io: CommandIo;
  signal: AbortSignal;
}

/** Finds the subcommand, parses its options and runs it; returns the process exit code. */
export async function runCli(argv: string[], context: CliContext): Promise<number> {
  const { commands, io } = context;
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    const topic = name === "help" ? commands.find((command) => command.name === rest[0]) : undefined;
    io.stdout(topic ? commandUsage(topic) : programUsage(commands));
    return ExitCode.ok;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr(`labbroker: unknown command "${name}"\n\n${programUsage(commands)}`);
    return ExitCode.usage;
  }
  try {
    const parsed = parseCommandArgv(command, rest, context.env);
    if (parsed.help) {
      io.stdout(commandUsage(command));
      return ExitCode.ok;
    }
    return await command.run({ values: parsed.values, positionals: parsed.positionals, env: context.env, io, signal: context.signal });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`labbroker ${command.name}: ${error.message}\n\n${commandUsage(command)}`);
      return ExitCode.usage;
    }
    throw error;
  }
}
