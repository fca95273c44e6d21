import type { z } from "zod";

/** Parses a tool's JSON output against the documented shape; a mismatch names the command and the first problem. */
export function parseToolJson<Schema extends z.ZodType>(schema: Schema, text: string, what: string): z.infer<Schema> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${what} did not print JSON: ${text.trim().split("\n").slice(0, 3).join(" | ").slice(0, 300)}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${what} printed JSON of an unexpected shape: ${
        issue ? `${issue.path.join(".") || "(top level)"}: ${issue.message}` : "unknown problem"
      }`,
    );
  }
  return parsed.data;
}

/** The parsed JSON, or null when the text is not JSON (for replies that are checked for several shapes). */
export function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
