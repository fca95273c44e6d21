import { createRoute } from "@hono/zod-openapi";
import { findLab } from "../../engine/labs/find-lab.ts";
import { redeployLab } from "../../engine/labs/lab-actions.ts";
import { ownedSession } from "../access/ownership.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { LabIdParamSchema, LabViewSchema, SessionBodySchema, toLabView } from "./lab-schemas.ts";

const postLabRedeploy = createRoute({
  method: "post",
  path: "/v1/labs/{id}/redeploy",
  tags: ["labs"],
  summary: "Deploy a failed lab again, or an inactive one as a new instance",
  description:
    "A failed lab deploys again under its own id. An inactive lab is copied: a new lab (new id and instance name) with the same topology and files deploys on the same host; the answer is the new lab.",
  request: { params: LabIdParamSchema, body: { content: { "application/json": { schema: SessionBodySchema } }, required: true } },
  responses: {
    202: { description: "Deploying", content: { "application/json": { schema: LabViewSchema } } },
    ...problemResponses(400, 404, 409, 423),
  },
});

export function registerPostLabRedeploy(api: Api, { engine }: RouteDeps): void {
  api.openapi(postLabRedeploy, async (c) => {
    const lab = await findLab(engine, c.req.valid("param").id);
    const session = await ownedSession(engine, c.get("principal"), c.req.valid("json").session_id);
    return c.json(toLabView(await redeployLab(engine, lab, session.id)), 202);
  });
}
