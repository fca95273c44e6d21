import { createRoute, z } from "@hono/zod-openapi";
import { transferFile } from "../../engine/devices/device-operation.ts";
import { hostPathSchema } from "../../validation/text.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { UPLOAD_BODY } from "../requests/route-body-limits.ts";

/** Largest file moved to or from a host through the broker. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

const params = z.object({ id: z.string().min(1).max(64), role: z.string().min(1).max(32) });
const query = z.object({
  path: hostPathSchema.openapi({
    description: "Absolute path on the host (lab nodes share the host's file system)",
    example: "/tmp/capture.pcap",
  }),
});
const errors = problemResponses(400, 404, 409, 413, 422, 423, 503);
export const FileWrittenSchema = z.object({ path: z.string(), size: z.number().int() });

const putFile = createRoute({
  ...UPLOAD_BODY,
  method: "put",
  path: "/v1/sessions/{id}/hosts/{role}/files",
  tags: ["devices"],
  summary: "Upload a file to a host (binary body, bounded, path-checked, written atomically)",
  request: {
    params,
    query,
    body: { content: { "application/octet-stream": { schema: z.string().openapi({ type: "string", format: "binary" }) } }, required: true },
  },
  responses: { 201: { description: "Written", content: { "application/json": { schema: FileWrittenSchema } } }, ...errors },
});

const getFile = createRoute({
  method: "get",
  path: "/v1/sessions/{id}/hosts/{role}/files",
  tags: ["devices"],
  summary: "Download a file from a host",
  request: { params, query },
  responses: {
    200: {
      description: "The file",
      content: { "application/octet-stream": { schema: z.string().openapi({ type: "string", format: "binary" }) } },
    },
    ...errors,
  },
});

export function registerFileRoutes(api: Api, { engine }: RouteDeps): void {
  api.openapi(putFile, async (c) => {
    const { id, role } = c.req.valid("param");
    const content = Buffer.from(await c.req.arrayBuffer());
    const written = await transferFile(engine, id, { role }, {
      direction: "upload",
      path: c.req.valid("query").path,
      content_base64: content.toString("base64"),
      max_bytes: MAX_FILE_BYTES,
    });
    return c.json(written as z.infer<typeof FileWrittenSchema>, 201);
  });
  api.openapi(getFile, async (c) => {
    const { id, role } = c.req.valid("param");
    const read = (await transferFile(engine, id, { role }, {
      direction: "download",
      path: c.req.valid("query").path,
      max_bytes: MAX_FILE_BYTES,
    })) as {
      content_base64: string;
    };
    return c.body(Buffer.from(read.content_base64, "base64"), 200, { "content-type": "application/octet-stream" }) as never;
  });
}
