import { z } from "@hono/zod-openapi";

/**
 * A value whose shape the broker does not own (a job's parsed stdout, data a test suite posts, a
 * runtime's own report), documented as "any JSON" instead of an empty schema. zod's recursive
 * `z.json()` does not render into OpenAPI, so the type list says it; in TypeScript it stays
 * `unknown`, as it comes from parsed JSON the handlers pass through untouched.
 */
export const JsonValueSchema = z.custom<unknown>((value) => value !== undefined, "must be a JSON value").openapi("JsonValue", {
  type: ["object", "array", "string", "number", "boolean", "null"],
  description: "Any JSON value",
});

/** A JSON object of any members. */
export const JsonObjectSchema = z.record(z.string(), JsonValueSchema);
