import { createRoute, z } from "@hono/zod-openapi";
import { transferFile } from "../../engine/devices/device-operation.ts";
import type { Api } from "../api.ts";
import type { RouteDeps } from "../route-deps.ts";
import { BinarySchema, fileErrors, FileParamsSchema, FileQuerySchema, MAX_FILE_BYTES } from "./file-schemas.ts";

/** How the agent sends a file back. */
const DownloadedSchema = z.object({ content_base64: z.string() });

const getFile = createRoute({
  method: "get",
  path: "/v1/sessions/{id}/hosts/{role}/files",
  tags: ["devices"],
  summary: "Download a file from a host",
  request: { params: FileParamsSchema, query: FileQuerySchema },
  responses: { 200: { description: "The file", content: { "application/octet-stream": { schema: BinarySchema } } }, ...fileErrors },
});

export function registerGetFile(api: Api, { engine }: RouteDeps): void {
  api.openapi(getFile, async (c) => {
    const { id, role } = c.req.valid("param");
    const read = await transferFile(engine, id, { role }, {
      direction: "download",
      path: c.req.valid("query").path,
      max_bytes: MAX_FILE_BYTES,
    });
    const content = Buffer.from(DownloadedSchema.parse(read).content_base64, "base64");
    return c.body(content, 200, { "content-type": "application/octet-stream" });
  });
}
