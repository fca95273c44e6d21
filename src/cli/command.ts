import type { z } from "zod";
import { type OptionTable, optionTableSchema, type OptionValues, type RawOptionValue } from "../config/option-spec.ts";

/** Exit codes every command uses, so scripts can rely on them. */
export const ExitCode = { ok: 0, failed: 1, usage: 2, timedOut: 3, interrupted: 130 } as const;

export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (a live status line may then be redrawn in place). */
  stderrIsTty?: boolean;
}

export interface CommandInput {
  /** Raw values by option key, flags merged over environment, not yet validated. */
  values: Record<string, RawOptionValue>;
  positionals: string[];
  env: Record<string, string | undefined>;
  io: CommandIo;
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  self: SelfProcess;
}

/** This process as seen from outside: how to start labbroker again, and who started it. */
export interface SelfProcess {
  command: string[];
  parentPid: number;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** Positional arguments as shown in usage, e.g. `TOPOLOGY`. */
  positionals?: string;
  options: OptionTable;
  /** Free-form text appended to `--help`. */
  details?: string;
  run(input: CommandInput): Promise<number>;
}

/** A user error on the command line: printed as one line plus usage, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Validates raw option values with their table's schemas and defaults; a failure names the flag and its variable. */
export function parseOptions<Table extends OptionTable>(options: Table, values: CommandInput["values"]): OptionValues<Table> {
  return parseConfig(optionTableSchema(options), options, values);
}

/** Like parseOptions, with a schema that checks more than each value alone (built from `options` too). */
export function parseConfig<T extends z.ZodType>(schema: T, options: OptionTable, values: CommandInput["values"]): z.infer<T> {
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0] ?? "");
  const spec = options[key];
  const where = spec ? `--${spec.flag}${spec.env ? ` / ${spec.env}` : ""}` : key || "options";
  throw new UsageError(`invalid ${where}: ${issue.message}`);
}
