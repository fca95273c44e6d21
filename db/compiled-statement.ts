import type { InStatement, InValue } from "@libsql/client";
import { is, Param, Placeholder } from "drizzle-orm";

/**
 * A statement drizzle renders once, with named placeholders. Binding maps each value through its
 * column's own encoder (JSON, booleans), so hot paths pay for neither SQL rendering nor a second
 * description of the schema.
 */
export function compileStatement<Values extends object>(
  query: { toSQL(): { sql: string; params: unknown[] } },
): (values: Values) => InStatement {
  const { sql, params } = query.toSQL();
  return (values) => ({
    sql,
    args: params.map((param): InValue => {
      const named = values as Record<string, unknown>;
      if (is(param, Param) && is(param.value, Placeholder)) {
        const value = named[param.value.name];
        return value === null || value === undefined ? null : (param.encoder.mapToDriverValue(value) as InValue);
      }
      if (is(param, Placeholder)) return (named[param.name] ?? null) as InValue;
      if (is(param, Param)) return param.encoder.mapToDriverValue(param.value) as InValue;
      return param as InValue;
    }),
  });
}

/** Placeholders named after every key of `columns`, for compiling an insert or update. */
export function placeholdersFor<Keys extends string>(keys: readonly Keys[]): Record<Keys, Placeholder<Keys>> {
  return Object.fromEntries(keys.map((key) => [key, new Placeholder(key)])) as Record<Keys, Placeholder<Keys>>;
}
