import { posix } from "node:path";
// From @hono/zod-openapi: schemas made here are used in route definitions too, and need its .openapi().
import { z } from "@hono/zod-openapi";
import { namespaceNameSchema, safeText } from "./text.ts";

/** The longest bound a job may have: setTimeout's largest delay (about 24.8 days) on the agent. */
export const MAX_JOB_TIMEOUT_MS = 2 ** 31 - 1;
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
/** Per stream; both come back in one agent event, which the broker bounds at its upload limit. */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/**
 * The fields of a job as both the broker's route and the agent check them, so a request the agent
 * would refuse is refused at the broker's edge (400 naming the field), before a job number is used.
 */
export const jobFields = {
  argv: z.array(safeText("argv entries").max(64 * 1024)).min(1).max(1000),
  shell: safeText("a shell command").min(1).max(64 * 1024),
  cwd: safeText("cwd").max(4096).refine((path) => posix.isAbsolute(path), "must be an absolute path"),
  env: z.record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,255}$/, "must be a variable name"),
    safeText("environment values").max(64 * 1024),
  ),
  netns: namespaceNameSchema,
  description: safeText("description").max(500),
  maxOutputBytes: z.number().int().min(0).max(MAX_OUTPUT_BYTES),
};
