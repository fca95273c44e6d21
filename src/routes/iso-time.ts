import { z } from "@hono/zod-openapi";

/** Milliseconds since the epoch as an RFC 3339 string, or null. */
export function isoTime(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export const IsoTimeSchema = z.string().openapi({ format: "date-time", example: "2026-11-22T09:00:00.000Z" });
