import { createRoute } from "@hono/zod-openapi";
import { transferFile } from "../../engine/devices/device-operation.ts";
import type { Api } from "../api.ts";
import type { RouteDeps } from "../route-deps.ts";
import { UPLOAD_BODY } from "../requests/route-body-limits.ts";
import { BinarySchema, fileErrors, FileParamsSchema, FileQuerySchema, FileWrittenSchema, MAX_FILE_BYTES } from "./file-schemas.ts";

const putFile = createRoute({
  ...UPLOAD_BODY,
  method: "put",
  path: "/v1/sessions/{id}/hosts/{role}/files",
  tags: ["devices"],
  summary: "Upload a file to a host (binary body, bounded, path-checked, written atomically)",
  request: {
    params: FileParamsSchema,
    query: FileQuerySchema,
    body: { content: { "application/octet-stream": { schema: BinarySchema } }, required: true },
  },
  responses: { 201: { description: "Written", content: { "application/json": { schema: FileWrittenSchema } } }, ...fileErrors },
});

export function registerPutFile(api: Api, { engine }: RouteDeps): void {
  api.openapi(putFile, async (c) => {
    const { id, role } = c.req.valid("param");
    const content = Buffer.from(await c.req.arrayBuffer());
    const written = await transferFile(engine, id, { role }, {
      direction: "upload",
      path: c.req.valid("query").path,
      content_base64: content.toString("base64"),
      max_bytes: MAX_FILE_BYTES,
    });
    return c.json(FileWrittenSchema.parse(written), 201);
  });
}
