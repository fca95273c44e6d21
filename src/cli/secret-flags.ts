import type { Logger } from "../log.ts";
import type { OptionSpec } from "../config/option-spec.ts";
import type { CommandInput } from "./command.ts";

/**
 * Warns about secrets given as flags: a command line is visible to every user of the machine
 * (`ps`, /proc/PID/cmdline), the environment and files only to its owner. A value that equals the
 * option's variable came from there, not from the command line.
 */
export function warnSecretsOnCommandLine(
  input: Pick<CommandInput, "values" | "env">,
  options: Record<string, OptionSpec>,
  secretKeys: readonly string[],
  log: Logger,
): void {
  for (const key of secretKeys) {
    const spec = options[key];
    const value = input.values[key];
    if (!spec || value === undefined || (spec.env && input.env[spec.env] === value)) continue;
    log.warn(
      `--${spec.flag} puts a secret on the command line, where every user of this machine can read it; use ${spec.env ?? "its variable"}${
        options[`${key}File`] ? ` or --${options[`${key}File`]!.flag}` : ""
      } instead`,
    );
  }
}
