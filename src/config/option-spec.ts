/** One command-line option: its flag, the environment variable that also sets it, and its help. */
export interface OptionSpec {
  /** Long flag name without dashes, e.g. `port` for `--port`. */
  flag: string;
  short?: string;
  /** Environment variable that sets the same value; the flag wins. */
  env?: string;
  kind: "string" | "boolean" | "list";
  placeholder?: string;
  description: string;
}
