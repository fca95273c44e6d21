import { createRoute, z } from "@hono/zod-openapi";
import { deleteLab, redeployLab, releaseLab } from "../../engine/labs/lab-actions.ts";
import { findLab } from "../../engine/labs/find-lab.ts";
import { ownedSession } from "../access/ownership.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { LabIdParamSchema } from "./get-labs.ts";
import { LabViewSchema, SessionBodySchema, toLabView } from "./lab-schemas.ts";

const labResponse = (description: string) => ({ description, content: { "application/json": { schema: LabViewSchema } } });

const deleteLabRoute = createRoute({
  method: "delete",
  path: "/v1/labs/{id}",
  tags: ["labs"],
  summary: "Destroy a lab (removes everything it created on the host)",
  request: {
    params: LabIdParamSchema,
    query: z.object({ force: z.enum(["true", "false"]).default("true").openapi({ description: "Destroy even while held" }) }),
  },
  responses: { 202: labResponse("Being destroyed (or already gone)"), ...problemResponses(404, 409, 503) },
});

const releaseLabRoute = createRoute({
  method: "post",
  path: "/v1/labs/{id}/release",
  tags: ["labs"],
  summary: "Drop a session's holds on a lab (all of them, also those taken through the Remote Lab API); it keeps running for reuse",
  request: { params: LabIdParamSchema, body: { content: { "application/json": { schema: SessionBodySchema } }, required: true } },
  responses: { 200: labResponse("The lab"), ...problemResponses(400, 404) },
});

const redeployLabRoute = createRoute({
  method: "post",
  path: "/v1/labs/{id}/redeploy",
  tags: ["labs"],
  summary: "Deploy a failed lab again, or an inactive one as a new instance",
  description:
    "A failed lab deploys again under its own id. An inactive lab is copied: a new lab (new id and instance name) with the same topology and files deploys on the same host; the answer is the new lab.",
  request: { params: LabIdParamSchema, body: { content: { "application/json": { schema: SessionBodySchema } }, required: true } },
  responses: { 202: labResponse("Deploying"), ...problemResponses(400, 404, 409, 423) },
});

export function registerLabActions(api: Api, { engine }: RouteDeps): void {
  api.openapi(deleteLabRoute, async (c) => {
    const lab = await findLab(engine, c.req.valid("param").id);
    await deleteLab(engine, lab, c.req.valid("query").force === "true", "deleted through the API");
    return c.json(toLabView(lab), 202);
  });
  api.openapi(releaseLabRoute, async (c) => {
    const lab = await findLab(engine, c.req.valid("param").id);
    const session = await ownedSession(engine, c.get("principal"), c.req.valid("json").session_id);
    return c.json(toLabView(await releaseLab(engine, lab, session.id, "all")), 200);
  });
  api.openapi(redeployLabRoute, async (c) => {
    const lab = await findLab(engine, c.req.valid("param").id);
    const session = await ownedSession(engine, c.get("principal"), c.req.valid("json").session_id);
    return c.json(toLabView(await redeployLab(engine, lab, session.id)), 202);
  });
}
