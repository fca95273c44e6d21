import { createRoute } from "@hono/zod-openapi";
import { findLab } from "../../engine/labs/find-lab.ts";
import { deployLabNow } from "../../engine/labs/lab-actions.ts";
import { ownedSession } from "../access/ownership.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { LabIdParamSchema } from "./lab-schemas.ts";
import { LabViewSchema, SessionBodySchema, toLabView } from "./lab-schemas.ts";

const postLabDeploy = createRoute({
  method: "post",
  path: "/v1/labs/{id}/deploy",
  tags: ["labs"],
  summary: "Deploy a scheduled lab now instead of at its start_at",
  description: "409 for a lab that is not scheduled; 423 when the session is not active on the lab's host.",
  request: { params: LabIdParamSchema, body: { content: { "application/json": { schema: SessionBodySchema } }, required: true } },
  responses: {
    202: { description: "Deploying", content: { "application/json": { schema: LabViewSchema } } },
    ...problemResponses(400, 404, 409, 423),
  },
});

export function registerPostLabDeploy(api: Api, { engine }: RouteDeps): void {
  api.openapi(postLabDeploy, async (c) => {
    const lab = await findLab(engine, c.req.valid("param").id);
    const session = await ownedSession(engine, c.get("principal"), c.req.valid("json").session_id);
    return c.json(toLabView(await deployLabNow(engine, lab, session.id)), 202);
  });
}
