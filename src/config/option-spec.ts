import { z } from "zod";

/** A value as the command line or the environment gives it, before validation. */
export type RawOptionValue = string | boolean | string[] | undefined;

/**
 * One option, all in one place: its flag, the environment variable that also sets it, the zod schema
 * that turns the raw value into the setting, its default, and its help. Usage, parsing and the
 * configuration reference are all derived from these entries.
 */
export interface OptionSpec<Schema extends z.ZodType = z.ZodType> {
  /** Long flag name without dashes, e.g. `port` for `--port`. */
  flag: string;
  short?: string;
  /** Environment variable that sets the same value; the flag wins. */
  env?: string;
  kind: "string" | "boolean" | "list";
  placeholder?: string;
  /** What the option does; usage appends the default, so the text does not repeat it. */
  description: string;
  /** Validates the raw value (string, boolean or list of strings, default applied) into the setting. */
  schema: Schema;
  /** The raw value when neither flag nor variable gives one (a function: computed at parse time). */
  default?: string | number | boolean | readonly string[] | (() => string);
  /**
   * The value used when the option is left out that the parser does not apply: the broker has it, or
   * the command picks it from other options. Shown like a default.
   */
  impliedDefault?: string | number;
  /** The default in words, when the value alone says too little or the option has none ("the listening address"). */
  defaultText?: string;
}

export type OptionTable = Record<string, OptionSpec>;

type TableShape<Table extends OptionTable> = { [Key in keyof Table]: Table[Key]["schema"] };

/** The settings a table parses into, by option key (optional where the schema allows none). */
export type OptionValues<Table extends OptionTable> = z.output<z.ZodObject<TableShape<Table>>>;

/** A switch: `--flag` sets it, its variable takes 1/true/yes/on; off unless given. */
export function switchOption(spec: Pick<OptionSpec, "flag" | "short" | "env" | "description">) {
  return { ...spec, kind: "boolean", schema: z.boolean(), default: false } as const satisfies OptionSpec;
}

/** The zod object validating a table's raw values, each default applied before its own schema. */
export function optionTableSchema<Table extends OptionTable>(table: Table): z.ZodObject<TableShape<Table>> {
  const shape = Object.fromEntries(
    Object.entries(table).map(([key, spec]) => [key, spec.default === undefined ? spec.schema : spec.schema.prefault(spec.default)]),
  );
  // Typed by the schemas alone: a default changes what the object accepts, not what it gives.
  return z.object(shape) as z.ZodObject<TableShape<Table>>;
}

/** The default as usage and the configuration reference show it: `8000`, `full`; null for none, false and empty lists. */
export function shownDefault(spec: OptionSpec): string | null {
  const value = spec.default ?? spec.impliedDefault;
  if (typeof value === "number" || (typeof value === "string" && value !== "")) return String(value);
  return null;
}

/** `(default 8000)`, `(default 604800, a week)`, `(default: the listening address)`, or "" when nothing is worth saying. */
export function defaultNote(spec: OptionSpec): string {
  const value = shownDefault(spec);
  if (value !== null) return spec.defaultText ? `(default ${value}, ${spec.defaultText})` : `(default ${value})`;
  return spec.defaultText ? `(default: ${spec.defaultText})` : "";
}
