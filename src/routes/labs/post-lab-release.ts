import { createRoute } from "@hono/zod-openapi";
import { findLab } from "../../engine/labs/find-lab.ts";
import { releaseLab } from "../../engine/labs/lab-actions.ts";
import { ownedSession } from "../access/ownership.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { LabIdParamSchema, LabViewSchema, SessionBodySchema, toLabView } from "./lab-schemas.ts";

const postLabRelease = createRoute({
  method: "post",
  path: "/v1/labs/{id}/release",
  tags: ["labs"],
  summary: "Drop a session's holds on a lab (all of them, also those taken through the Remote Lab API); it keeps running for reuse",
  request: { params: LabIdParamSchema, body: { content: { "application/json": { schema: SessionBodySchema } }, required: true } },
  responses: { 200: { description: "The lab", content: { "application/json": { schema: LabViewSchema } } }, ...problemResponses(400, 404) },
});

export function registerPostLabRelease(api: Api, { engine }: RouteDeps): void {
  api.openapi(postLabRelease, async (c) => {
    const lab = await findLab(engine, c.req.valid("param").id);
    const session = await ownedSession(engine, c.get("principal"), c.req.valid("json").session_id);
    return c.json(toLabView(await releaseLab(engine, lab, session.id, "all")), 200);
  });
}
