import { createRoute, z } from "@hono/zod-openapi";
import { NotFoundError } from "../../engine/errors.ts";
import { findLab } from "../../engine/labs/find-lab.ts";
import { labFilesOf } from "../../engine/labs/lab-files.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { BearerHeaderSchema, LabBundleSchema } from "../../protocol/agent-schemas.ts";
import { AGENT_PROTOCOL_TAG } from "../system/openapi-document.ts";

const getLabFiles = createRoute({
  method: "get",
  path: "/v1/agents/{id}/labs/{lab_id}/files",
  tags: [AGENT_PROTOCOL_TAG],
  summary: "The topology and extra files of a lab on this agent's host",
  security: [{ agentToken: [] }],
  request: {
    params: z.object({ id: z.string().min(1).max(64), lab_id: z.string().min(1).max(64) }),
    headers: BearerHeaderSchema,
  },
  responses: {
    200: { description: "The files", content: { "application/json": { schema: LabBundleSchema } } },
    ...problemResponses(401, 404),
  },
});

export function registerGetLabFiles(api: Api, { engine }: RouteDeps): void {
  api.openapi(getLabFiles, async (c) => {
    const { lab_id } = c.req.valid("param");
    const host = c.get("agentHost");
    const lab = await findLab(engine, lab_id);
    if (lab.hostId !== host.id) throw new NotFoundError(`Cannot find lab "${lab_id}" on host "${host.name}"`);
    const files = await labFilesOf(engine, lab.id);
    return c.json({ files: files.map((row) => ({ path: row.path, content_base64: Buffer.from(row.content).toString("base64") })) }, 200);
  });
}
