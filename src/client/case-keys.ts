/**
 * The SDK takes options in camelCase and the API speaks snake_case. Instead of writing every
 * request type twice, option types are the API's body types with their keys renamed (at the type
 * level), and `snakeKeys` renames them back when a request is sent.
 */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** `T` with its top-level keys in camelCase (distributes over unions). */
export type CamelKeys<T> = T extends unknown ? { [K in keyof T as K extends string ? CamelCase<K> : K]: T[K] } : never;

/** Renames top-level keys from camelCase to snake_case and drops undefined values; nested values stay as they are. */
export function snakeKeys(options: object): Record<string, unknown> {
  const renamed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) renamed[key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)] = value;
  }
  return renamed;
}
