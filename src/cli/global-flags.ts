import { clientOptions, sessionOption, waitTimeoutOption } from "../config/client-options.ts";
import type { OptionSpec } from "../config/option-spec.ts";
import { UsageError } from "./command.ts";

/** Flags accepted before the command name (`labbroker --broker URL queue`): those every client command shares. */
const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  ...Object.values(clientOptions),
  ...Object.values(sessionOption),
  ...Object.values(waitTimeoutOption),
];

/**
 * Splits argv into the command name and its arguments, moving global flags given before the name
 * to just after it, where the command's own parser reads them (before any `--`).
 */
export function splitCommandLine(argv: readonly string[]): { name: string | undefined; args: string[] } {
  const leading: string[] = [];
  let index = 0;
  while (index < argv.length && argv[index]!.startsWith("-") && !isHelpFlag(argv[index]!)) {
    const token = argv[index]!;
    const spec = GLOBAL_OPTIONS.find((option) =>
      token === `--${option.flag}` || token.startsWith(`--${option.flag}=`) || (option.short !== undefined && token === `-${option.short}`)
    );
    if (!spec) {
      throw new UsageError(
        `unknown option '${token}' before the command (global options: ${GLOBAL_OPTIONS.map((option) => `--${option.flag}`).join(", ")})`,
      );
    }
    const takesValue = spec.kind !== "boolean" && !token.includes("=");
    if (takesValue && index + 1 >= argv.length) throw new UsageError(`option '${token}' needs a value`);
    leading.push(...argv.slice(index, index + (takesValue ? 2 : 1)));
    index += takesValue ? 2 : 1;
  }
  const [name, ...rest] = argv.slice(index);
  return { name, args: [...leading, ...rest] };
}

export function isHelpFlag(token: string): boolean {
  return token === "--help" || token === "-h";
}
