import { NetlabExit } from "./netlab-log.ts";

/** Python argparse as netlab's commands use it: options, optional positionals, exit 2 on usage errors. */

export interface OptionSpec {
  flags: string[];
  dest: string;
  /** `optional`: nargs='?' with a const used when the flag comes without a value. */
  action: "store" | "append" | "store_true" | "count" | "optional";
  const?: string;
}

export type ParsedArgs = Record<string, string | string[] | boolean | number | undefined>;

/** Common to every command (`common_parse_args`). */
export const COMMON_OPTIONS: OptionSpec[] = [
  { flags: ["--log"], dest: "logging", action: "store_true" },
  { flags: ["-q", "--quiet"], dest: "quiet", action: "store_true" },
  { flags: ["-v", "--verbose"], dest: "verbose", action: "count" },
];

/** Parses `args`; extra positionals beyond `positionals` (or unknown options) are an argparse error. */
export function parseArgs(prog: string, options: OptionSpec[], positionals: string[], args: string[], greedyLast = false): ParsedArgs {
  const parsed: ParsedArgs = {};
  const extras: string[] = [];
  const rest: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (!arg.startsWith("-") || arg === "-") {
      rest.push(arg);
      continue;
    }
    const [flag, inline] = arg.includes("=") && arg.startsWith("--")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const option = options.find((candidate) => candidate.flags.includes(flag));
    if (!option) {
      extras.push(arg);
      continue;
    }
    if (option.action === "store_true") parsed[option.dest] = true;
    else if (option.action === "count") parsed[option.dest] = Number(parsed[option.dest] ?? 0) + 1;
    else if (option.action === "optional") {
      const next = args[index + 1];
      parsed[option.dest] = inline ?? (next !== undefined && !next.startsWith("-") ? args[++index]! : option.const!);
    } else {
      const value = inline ?? args[++index];
      if (value === undefined) usageError(prog, `argument ${option.flags.join("/")}: expected one argument`);
      parsed[option.dest] = option.action === "append" ? [...((parsed[option.dest] as string[] | undefined) ?? []), value] : value;
    }
  }
  positionals.forEach((name, index) => {
    const greedy = greedyLast && index === positionals.length - 1;
    const taken = greedy ? rest.splice(0) : rest.splice(0, 1);
    if (taken.length > 0) parsed[name] = taken.join(" ");
  });
  extras.push(...rest);
  if (extras.length > 0) usageError(prog, `unrecognized arguments: ${extras.join(" ")}`);
  return parsed;
}

function usageError(prog: string, message: string): never {
  process.stderr.write(`usage: ${prog} [-h] ...\n${prog}: error: ${message}\n`);
  throw new NetlabExit(2);
}
