import { defaultNote } from "../config/option-spec.ts";
import type { CliCommand } from "./command.ts";

/** The `--help` text of one command, generated from its option table. */
export function commandUsage(command: CliCommand): string {
  const lines = [
    `Usage: labbroker ${command.name}${Object.keys(command.options).length ? " [options]" : ""}${
      command.positionals ? ` ${command.positionals}` : ""
    }`,
    "",
    command.summary,
  ];
  const rows = Object.values(command.options).map((spec) => {
    const names = `${spec.short ? `-${spec.short}, ` : "    "}--${spec.flag}${
      spec.kind === "boolean" ? "" : ` ${spec.placeholder ?? "VALUE"}`
    }`;
    const notes = [defaultNote(spec), spec.kind === "list" ? "(repeatable)" : "", spec.env ? `[env ${spec.env}]` : ""];
    return [names, [spec.description, ...notes].filter(Boolean).join(" ")] as const;
  });
  rows.push(["-h, --help", "Show this help"]);
  const width = Math.max(...rows.map(([names]) => names.length)) + 2;
  lines.push("", "Options:", ...rows.map(([names, text]) => `  ${names.padEnd(width)}${text}`));
  if (command.details) lines.push("", command.details.trimEnd());
  return lines.join("\n") + "\n";
}

/** The top-level usage listing every command. */
export function programUsage(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 2;
  return [
    "Usage: labbroker <command> [options]",
    "",
    "Commands:",
    ...commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    "",
    "Run 'labbroker <command> --help' for the options of a command.",
    "",
  ].join("\n");
}
