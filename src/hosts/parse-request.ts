import type { z } from "zod";
import { describeIssues } from "../protocol/schema-issues.ts";
import { HostRequestError } from "./host-errors.ts";

/** Parses a request with its schema; the error names every bad field ("Invalid job request: timeoutMs: …"). */
export function parseRequest<Schema extends z.ZodType>(schema: Schema, input: unknown, what: string): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new HostRequestError("invalid", `Invalid ${what}: ${describeIssues(parsed.error, "request", input)}`);
}
