/**
 * JSON with object keys sorted and no whitespace, so equal values always give equal text (and so
 * equal hashes). Enough for JSON-native data: strings, finite numbers, booleans, null, arrays, objects.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    return `{${
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(
        ",",
      )
    }}`;
  }
  return JSON.stringify(value);
}
