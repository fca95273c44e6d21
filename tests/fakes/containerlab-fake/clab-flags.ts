import { ClabError } from "./clab-log.ts";

/**
 * Flag parsing with cobra/pflag semantics and error texts, plus viper's environment binding:
 * a flag not given on the command line is read from `CLAB_<FLAG>` (persistent root flags) or
 * `CLAB_<COMMAND>_<FLAG>` (command flags), `-` becoming `_`. CLI flags win.
 */

export interface FlagSpec {
  long: string;
  short?: string;
  kind: "bool" | "string" | "strings" | "count";
  /** Root flags are persistent: every command accepts them, env name without the command. */
  persistent?: boolean;
}

export type FlagValues = Record<string, string | string[] | boolean | number | undefined>;

export const ROOT_FLAGS: FlagSpec[] = [
  { long: "topo", short: "t", kind: "string", persistent: true },
  { long: "vars", kind: "strings", persistent: true },
  { long: "name", kind: "string", persistent: true },
  { long: "timeout", kind: "string", persistent: true },
  { long: "runtime", short: "r", kind: "string", persistent: true },
  { long: "log-level", kind: "string", persistent: true },
  { long: "debug", short: "d", kind: "count", persistent: true },
];

export function parseFlags(
  command: string,
  specs: FlagSpec[],
  args: string[],
  env: NodeJS.ProcessEnv,
): { values: FlagValues; positionals: string[] } {
  const values: FlagValues = {};
  const positionals: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === "--") {
      positionals.push(...args.slice(index + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith("--");
    const [flagText, inlineValue] = splitOnce(arg.slice(long ? 2 : 1), "=");
    const spec = specs.find((candidate) => (long ? candidate.long === flagText : candidate.short === flagText.slice(0, 1)));
    if (!spec) throw new ClabError(long ? `unknown flag: --${flagText}` : `unknown shorthand flag: '${flagText.slice(0, 1)}' in ${arg}`);
    const attached = !long && flagText.length > 1 ? flagText.slice(1) : inlineValue;
    if (spec.kind === "bool") values[spec.long] = attached === undefined ? true : attached === "true";
    else if (spec.kind === "count") values[spec.long] = Number(values[spec.long] ?? 0) + 1;
    else {
      const value = attached ?? args[++index];
      if (value === undefined) {
        throw new ClabError(long ? `flag needs an argument: --${spec.long}` : `flag needs an argument: '${spec.short}' in -${spec.short}`);
      }
      values[spec.long] = spec.kind === "strings" ? [...((values[spec.long] as string[] | undefined) ?? []), value] : value;
    }
  }
  for (const spec of specs) if (values[spec.long] === undefined) values[spec.long] = fromEnvironment(command, spec, env);
  return { values, positionals };
}

function fromEnvironment(command: string, spec: FlagSpec, env: NodeJS.ProcessEnv): FlagValues[string] {
  const name = `CLAB_${spec.persistent ? "" : `${command.toUpperCase()}_`}${spec.long.toUpperCase().replaceAll("-", "_")}`;
  const value = env[name];
  if (value === undefined) return undefined;
  if (spec.kind === "bool") return value === "true";
  if (spec.kind === "count") return Number(value);
  return spec.kind === "strings" ? value.split(",") : value;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
