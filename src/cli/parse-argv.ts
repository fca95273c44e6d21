import { parseArgs } from "node:util";
import { type CliCommand, type CommandInput, UsageError } from "./command.ts";

/** Parses argv for `command` with node:util parseArgs and merges `LABBROKER_*` environment values under the flags. */
export function parseCommandArgv(
  command: CliCommand,
  argv: string[],
  env: Record<string, string | undefined>,
): { help: boolean; values: CommandInput["values"]; positionals: string[] } {
  const parseOptions: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const spec of Object.values(command.options)) {
    parseOptions[spec.flag] = {
      type: spec.kind === "boolean" ? "boolean" : "string",
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.kind === "list" ? { multiple: true } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: parseOptions, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  if (!command.positionals && parsed.positionals.length > 0) {
    throw new UsageError(`unexpected argument "${parsed.positionals[0]}" for "${command.name}"`);
  }
  const values: CommandInput["values"] = {};
  for (const [key, spec] of Object.entries(command.options)) {
    const fromFlag = parsed.values[spec.flag] as string | boolean | string[] | undefined;
    values[key] = fromFlag ?? fromEnvironment(spec.kind, spec.env ? env[spec.env] : undefined);
  }
  return { help: parsed.values.help === true, values, positionals: parsed.positionals };
}

function fromEnvironment(kind: string, raw: string | undefined): string | boolean | string[] | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (kind === "boolean") return /^(1|true|yes|on)$/i.test(raw);
  if (kind === "list") return raw.split(",").map((item) => item.trim()).filter(Boolean);
  return raw;
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // parseArgs messages run long ("... To specify a positional argument starting with a '-' ..."); keep the first sentence.
  return message.split(/\.\s/)[0]!.replace(/\.$/, "");
}
