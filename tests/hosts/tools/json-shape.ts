/** Key → JSON type name of one record: what the contract tests compare between a fake and the fixtures. */
export function keyTypes(record: unknown): Record<string, string> {
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw new Error(`expected a JSON object, got ${JSON.stringify(record)}`);
  }
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, typeName(value)]));
}

/** The keys of `record` that `reference` does not have: what a fake would have invented. */
export function keysMissingFrom(record: unknown, reference: unknown): string[] {
  const known = new Set(Object.keys(keyTypes(reference)));
  return Object.keys(keyTypes(record)).filter((key) => !known.has(key));
}

/** Keys both records have but with different JSON types. */
export function typeMismatches(record: unknown, reference: unknown): string[] {
  const expected = keyTypes(reference);
  return Object.entries(keyTypes(record))
    .filter(([key, type]) => key in expected && expected[key] !== type)
    .map(([key, type]) => `${key}: ${type} instead of ${expected[key]}`);
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}
