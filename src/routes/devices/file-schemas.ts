import { z } from "@hono/zod-openapi";
import { hostPathSchema } from "../../validation/text.ts";
import { problemResponses } from "../problem.ts";

/** Largest file moved to or from a host through the broker. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

export const FileParamsSchema = z.object({ id: z.string().min(1).max(64), role: z.string().min(1).max(32) });
export const FileQuerySchema = z.object({
  path: hostPathSchema.openapi({
    description: "Absolute path on the host (lab nodes share the host's file system)",
    example: "/tmp/capture.pcap",
  }),
});
export const fileErrors = problemResponses(400, 404, 409, 413, 422, 423, 503);
export const BinarySchema = z.string().openapi({ type: "string", format: "binary" });
export const FileWrittenSchema = z.object({ path: z.string(), size: z.number().int() }).openapi("FileWritten");
